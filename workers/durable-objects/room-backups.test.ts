/**
 * Backups through the real Worker, CodeRoom and R2 on one persisted state directory: the room's alarm writes its snapshot
 * to R2, and after the Durable Object's SQLite files are deleted between two starts, the room comes back from the backup
 * on its first call, with its permissions, and the log says so.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { VersionInfo } from "../../core/api.js";
import { startTestWorker, waitUntil, type TestWorker } from "../test-support.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";

const OWNER = "user_owner";
let signer: TestSigner;
let dir: string;
/** Every JSON log line the Worker printed. */
const logged: Array<Record<string, unknown>> = [];
const realLog = console.log;
const realWarn = console.warn;

/** Keep the JSON objects of the lines in `args` (wrangler prints warnings with a coloured prefix). */
function capture(args: unknown[]): void {
  for (const arg of args) {
    if (typeof arg !== "string") continue;
    for (const line of arg.split("\n")) {
      const start = line.indexOf("{");
      const end = line.lastIndexOf("}");
      if (start < 0 || end < start) continue;
      try {
        logged.push(JSON.parse(line.slice(start, end + 1)));
      } catch {
        // not a log line of ours
      }
    }
  }
}

before(async () => {
  signer = await createTestSigner();
  dir = await mkdtemp(join(tmpdir(), "spike-backups-"));
  console.log = (...args: unknown[]) => {
    capture(args);
    realLog(...args);
  };
  console.warn = (...args: unknown[]) => {
    capture(args);
    realWarn(...args);
  };
});
after(async () => {
  console.log = realLog;
  console.warn = realWarn;
  await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<TestWorker> {
  return startTestWorker({ persistDir: dir, logLevel: "log", vars: { CLERK_JWT_KEY: signer.publicKeyPem, BACKUP_INTERVAL_SECONDS: "1" } });
}

async function call(worker: TestWorker, path: string, init: RequestInit & { user?: string } = {}): Promise<Response> {
  const { user, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (user) headers.set("authorization", `Bearer ${await signer.sign({ sub: user })}`);
  return fetch(new URL(path, worker.url), { signal: AbortSignal.timeout(30_000), ...rest, headers });
}

/** The SQLite files of every CodeRoom under the persisted state directory. */
async function roomDatabases(): Promise<string[]> {
  const found: string[] = [];
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (full.includes("CodeRoom") && /\.sqlite(-wal|-shm)?$/.test(entry.name)) found.push(full);
    }
  };
  await walk(dir);
  return found;
}

describe("room backups", () => {
  it("a room whose Durable Object storage was deleted comes back from its R2 backup, with its permissions, and the log says so", async () => {
    const room = "backed-up";
    const files = { "index.tsx": "export default () => <p>kept</p>;\n", "lib/a.ts": "export const a = 1;\n" };
    let worker = await start();
    try {
      for (const [name, text] of Object.entries(files)) {
        assert.equal((await call(worker, `/live/${room}/files/${name}`, { method: "PUT", body: text, user: OWNER })).status, 200);
      }
      const claimed = await call(worker, `/live/${room}/permissions`, { method: "PUT", user: OWNER, body: JSON.stringify({ visibility: "private" }) });
      assert.equal(claimed.status, 200, await claimed.text());
      const first = (await (await call(worker, `/live/${room}/versions`, { method: "POST", user: OWNER })).json()) as VersionInfo;
      assert.equal(first.n, 1);
      await waitUntil(() => logged.some((line) => line.event === "room_backed_up" && line.room === room), { timeoutMs: 20_000, what: "the backup" });
    } finally {
      await worker.dispose();
    }

    const databases = await roomDatabases();
    assert.ok(databases.length > 0, "the room's SQLite file exists on disk");
    for (const file of databases) await rm(file);

    worker = await start();
    try {
      assert.equal((await call(worker, `/live/${room}/session.json`)).status, 401, "still private: the permissions came back too");
      const session = await call(worker, `/live/${room}/session.json`, { user: OWNER });
      const body = (await session.json()) as { files: Record<string, string>; version: number };
      assert.equal(session.status, 200);
      assert.deepEqual(body.files, files);
      assert.ok(body.version > 0);
      assert.ok(
        logged.some((line) => line.event === "room_restored_from_backup" && line.room === room && line.level === "warn"),
        "the log says the room was restored from its backup",
      );
      // Version numbers keep counting from R2.
      const second = (await (await call(worker, `/live/${room}/versions`, { method: "POST", user: OWNER })).json()) as VersionInfo;
      assert.equal(second.n, 2);
      // A room that never had a backup is still a room nobody wrote to.
      assert.equal((await call(worker, `/live/never-written/index.tsx`)).status, 404);
    } finally {
      await worker.dispose();
    }
  });
});
