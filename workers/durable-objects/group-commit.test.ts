/**
 * Group commit under a crash: ten clients type a burst of 2,000 single-character updates into one room of the real local
 * stack (`npm start`: wrangler, workerd, SQLite on disk), and the whole stack is killed with SIGKILL while the burst is
 * still flowing. After a restart on the same state, everything any client had received from the room must be stored:
 * the room may lose what it had not sent anyone yet (its writers still hold it), never what it had sent.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as Y from "yjs";
import { freePort } from "../../scripts/free-port.mjs";
import { connectClient, waitUntil, type TestClient, type TestWorker } from "../test-support.js";

const CLIENTS = 10;
const UPDATES_PER_CLIENT = 200;
/** The kill comes once the first client has received this many of the others' updates: mid-burst. */
const KILL_AFTER_SEEN = 600;

const state = mkdtempSync(join(tmpdir(), "spike-group-commit-"));
const stacks = new Set<ChildProcess>();
after(() => {
  for (const child of stacks) killGroup(child);
  rmSync(state, { recursive: true, force: true });
});

/** `npm start` in its own process group, so one signal reaches wrangler and workerd too. */
async function startStack(): Promise<{ worker: TestWorker; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, PORT: String(port), SPIKE_STATE_DIR: state },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  stacks.add(child);
  child.on("exit", () => stacks.delete(child));
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await waitUntil(
    () => {
      if (child.exitCode !== null) throw new Error(`the stack exited early:\n${output}`);
      return output.includes("spike: ready");
    },
    { timeoutMs: 90_000, what: `the stack to start:\n${output}` },
  );
  const url = new URL(`http://127.0.0.1:${port}/`);
  return { worker: { url, dispose: async () => killGroup(child) }, child };
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * What `client` received from the room: per writer (Yjs client id), the end of the highest clock it got. Read from the
 * received updates themselves, not by applying them to a second doc, which could not integrate a writer's insert that
 * follows this client's own text.
 */
function observed(client: TestClient): Map<number, number> {
  const seen = new Map<number, number>();
  client.doc.on("update", (update: Uint8Array, origin: unknown) => {
    if (origin !== client.provider) return;
    for (const struct of Y.decodeUpdate(update).structs) {
      const end = struct.id.clock + struct.length;
      if (end > (seen.get(struct.id.client) ?? 0)) seen.set(struct.id.client, end);
    }
  });
  return seen;
}

function total(clocks: Map<number, number>): number {
  let n = 0;
  for (const clock of clocks.values()) n += clock;
  return n;
}

test("a burst of 2,000 updates from 10 clients, then SIGKILL: everything any client saw from the room is stored", { timeout: 240_000 }, async (t) => {
  const room = `burst-${process.pid}`;
  const first = await startStack();
  const clients = Array.from({ length: CLIENTS }, () => connectClient(first.worker, room));
  const seen = clients.map(observed);
  await Promise.all(clients.map((client) => client.synced(30_000)));

  let sent = 0;
  let killed = false;
  const bursts = clients.map(async (client) => {
    const text = client.doc.getText("burst");
    for (let i = 0; i < UPDATES_PER_CLIENT && !killed; i++) {
      text.insert(text.length, String(i % 10)); // one transaction: one update frame
      sent++;
      if (i % 4 === 3) await new Promise((resolve) => setImmediate(resolve));
    }
  });
  await waitUntil(() => total(seen[0]!) >= KILL_AFTER_SEEN, { timeoutMs: 60_000, what: "the burst to reach the first client" }).catch((error) => {
    const state = clients.map((client, i) => `#${i} ${client.provider.wsconnected ? "connected" : "disconnected"}, saw ${total(seen[i]!)}`);
    throw new Error(`${error.message}; sent ${sent}; ${state.join("; ")}`);
  });
  killGroup(first.child);
  killed = true;
  // The clients must not bring their edits back to the restarted room: what is stored is what the room stored.
  for (const client of clients) client.destroy();
  await Promise.all(bursts);
  const received = seen.map(total);
  t.diagnostic(`sent ${sent} updates before the kill; clients had received ${Math.min(...received)}-${Math.max(...received)} of the others'`);

  const second = await startStack();
  const reader = connectClient(second.worker, room);
  try {
    await reader.synced(30_000);
    const stored = Y.decodeStateVector(Y.encodeStateVector(reader.doc));
    for (const [i, clocks] of seen.entries()) {
      for (const [client, clock] of clocks) {
        assert.ok((stored.get(client) ?? 0) >= clock, `client ${i} saw ${clock} updates of ${client}, the room stored ${stored.get(client) ?? 0}`);
      }
    }
    const storedUpdates = total(stored);
    t.diagnostic(`the room stored ${storedUpdates} of ${sent} updates`);
    assert.ok(storedUpdates >= Math.max(...received), "the room stored at least what its best-informed client saw");
    assert.equal(reader.doc.getText("burst").length, storedUpdates, "the stored text is whole: one character per stored update");
  } finally {
    reader.destroy();
    killGroup(second.child);
  }
});
