/**
 * CodeRoom through the real Worker under workerd: stock y-websocket clients converge, a room survives a restart of the
 * runtime (also once its update log is compacted into a snapshot), and the headless file API goes through the same Yjs path.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import WebSocket from "ws";
import { fileText } from "../../core/project.js";
import {
  closeOpened,
  fetchSession,
  joinRoom,
  pollSession,
  sleep,
  startTestWorker,
  waitForConvergence,
  waitUntil,
  type TestWorker,
} from "../test-support.js";
import { COMPACT_AFTER_UPDATES, SNAPSHOT_CHUNK_BYTES } from "./room-storage.js";

afterEach(closeOpened);

describe("CodeRoom with stock y-websocket clients", () => {
  let worker: TestWorker;
  before(async () => {
    worker = await startTestWorker();
  });
  after(() => worker?.dispose());

  it("converges two clients editing at once, and a third joining later receives the whole document", async () => {
    const [a, b] = [joinRoom(worker, "pair"), joinRoom(worker, "pair")];
    await Promise.all([a.synced(), b.synced()]);
    fileText(a.doc, "index.tsx").insert(0, "export default function App() {}\n");
    await waitForConvergence([a, b]);

    // Both edit the same text at once, and b adds a file of its own.
    fileText(a.doc, "index.tsx").insert(0, "// from a\n");
    const shared = fileText(b.doc, "index.tsx");
    shared.insert(shared.length, "// from b\n");
    fileText(b.doc, "styles.css").insert(0, "body { margin: 0 }\n");
    const files = await waitForConvergence([a, b]);
    assert.deepEqual(files, {
      "index.tsx": "// from a\nexport default function App() {}\n// from b\n",
      "styles.css": "body { margin: 0 }\n",
    });

    const late = joinRoom(worker, "pair");
    await late.synced();
    assert.deepEqual(late.files(), files, "the sync step 2 a late joiner receives holds the whole document");
    await waitForConvergence([a, b, late]);
  });

  it("relays awareness: a joining client sees who is there, and a vanished client is announced as gone", async () => {
    const ada = joinRoom(worker, "presence");
    ada.provider.awareness.setLocalStateField("user", { name: "ada" });
    await ada.synced();
    const bob = joinRoom(worker, "presence");
    await bob.synced();
    const adaSeenByBob = () => bob.provider.awareness.getStates().get(ada.doc.clientID)?.user?.name === "ada";
    await waitUntil(adaSeenByBob, { what: "bob to see ada" });

    // Drop ada's socket without her "I left" message, like a crashed tab: only the room can tell bob she is gone.
    ada.provider.shouldConnect = false;
    (ada.provider.ws as unknown as WebSocket).terminate();
    await waitUntil(() => !bob.provider.awareness.getStates().has(ada.doc.clientID), { what: "ada's departure" });
  });

  it("keeps a room of 24 stock clients connected although each re-sends everyone's presence", async () => {
    // y-websocket's provider re-broadcasts every awareness change it receives; those echoes are not the socket's own
    // clients, so they must not count toward the 16-clients-per-socket limit (which closed such rooms with 1007).
    const crowd = Array.from({ length: 24 }, (_, i) => {
      const client = joinRoom(worker, "crowd");
      client.provider.awareness.setLocalStateField("user", { name: `guest ${i}` });
      return client;
    });
    const closes: number[] = [];
    for (const client of crowd) client.provider.on("connection-close", (event) => closes.push(event?.code ?? 0));
    await Promise.all(crowd.map((c) => c.synced()));
    await waitUntil(() => crowd.every((c) => c.provider.awareness.getStates().size === crowd.length), {
      what: "everyone to see everyone",
    });
    // Another round of presence changes, echoed by all 24, then the room must still hold every socket.
    for (const client of crowd) client.provider.awareness.setLocalStateField("cursor", { line: 1 });
    await sleep(500);
    assert.deepEqual(closes, [], "no socket was closed");
    const leaver = crowd.pop()!;
    leaver.destroy();
    await waitUntil(() => crowd.every((c) => !c.provider.awareness.getStates().has(leaver.doc.clientID)), {
      what: "the leaver's departure",
    });
  });
});

describe("CodeRoom headless file API", () => {
  let worker: TestWorker;
  before(async () => {
    worker = await startTestWorker();
  });
  after(() => worker?.dispose());

  const url = (path: string) => new URL(path, worker.url);
  const put = (path: string, body: string) => fetch(url(path), { method: "PUT", body });

  it("PUT /files/<name> reaches a connected client; GET files, index.tsx and session.json read the room", async () => {
    const client = joinRoom(worker, "headless");
    await client.synced();

    const source = "export default function App() {\n  return <h1>héllo</h1>;\n}\n";
    const written = await put("/live/headless/files/index.tsx", source);
    assert.equal(written.status, 200);
    const receipt = (await written.json()) as Record<string, unknown>;
    assert.equal(receipt.room, "headless");
    assert.equal(receipt.file, "index.tsx");
    assert.equal(receipt.bytes, Buffer.byteLength(source));
    assert.equal(typeof receipt.version, "number");
    assert.equal(typeof receipt.updatedAt, "string");
    await waitUntil(() => client.files()["index.tsx"] === source, { what: "the PUT to reach the client" });

    const button = "export const Button = () => <button />;\n";
    assert.equal((await put("/live/headless/files/components/Button.tsx", button)).status, 200);
    const read = await fetch(url("/live/headless/files/components/Button.tsx"));
    assert.equal(read.status, 200);
    assert.equal(read.headers.get("content-type"), "text/tsx; charset=utf-8");
    assert.equal(await read.text(), button);
    assert.equal(await (await fetch(url("/live/headless/index.tsx"))).text(), source);

    // An edit in the editor is what the file API serves next.
    fileText(client.doc, "index.tsx").insert(0, "// edited live\n");
    await waitUntil(async () => (await (await fetch(url("/live/headless/index.tsx"))).text()) === `// edited live\n${source}`, {
      what: "the client's edit to reach GET index.tsx",
    });

    const session = await fetchSession(worker, "headless");
    assert.deepEqual(Object.keys(session).sort(), ["entry", "files", "room", "updatedAt", "version"]);
    assert.equal(session.room, "headless");
    assert.deepEqual(session.files, client.files());
    assert.deepEqual(Object.keys(session.files), ["components/Button.tsx", "index.tsx"]);
    assert.equal(session.entry, "index.tsx");
    assert.ok(Number.isInteger(session.version) && session.version >= 3, `version ${session.version}`);
    assert.ok(!Number.isNaN(Date.parse(session.updatedAt ?? "")), `updatedAt ${session.updatedAt}`);
  });

  it("a PUT replaces only what changed, so a collaborator's concurrent edit elsewhere in the file survives", async () => {
    assert.equal((await put("/live/merge/files/App.tsx", "const a = 1;\nconst b = 2;\n")).status, 200);
    const client = joinRoom(worker, "merge");
    await client.synced();
    client.provider.disconnect();
    const text = fileText(client.doc, "App.tsx");
    text.insert(text.length, "const c = 3;\n"); // offline edit at the end
    assert.equal((await put("/live/merge/files/App.tsx", "const a = 10;\nconst b = 2;\n")).status, 200);
    client.provider.connect();
    const merged = "const a = 10;\nconst b = 2;\nconst c = 3;\n";
    await waitUntil(() => client.provider.synced && client.files()["App.tsx"] === merged, { what: "the merge" });
    await waitUntil(async () => (await pollSession(worker, "merge"))?.files["App.tsx"] === merged, { what: "the stored merge" });
  });

  it("a room nobody wrote to is a 404 JSON error on every read but its (empty) session; so is a missing file of a room that exists", async () => {
    for (const path of ["index.tsx", "files/missing.ts", "chat", "permissions"]) {
      const response = await fetch(url(`/live/never-written/${path}`));
      assert.equal(response.status, 404, path);
      assert.match(((await response.json()) as { error: string }).error, /no room "never-written"/, path);
    }
    const empty = await fetch(url("/live/never-written/session.json"));
    assert.equal(empty.status, 200);
    assert.deepEqual(await empty.json(), { room: "never-written", files: {}, entry: "index.tsx", version: 0, updatedAt: null });
    // Reading the session stored nothing: the room still does not exist.
    assert.equal((await fetch(url("/live/never-written/chat"))).status, 404);
    const put = await fetch(url("/live/written/files/App.tsx"), { method: "PUT", body: "export {};\n" });
    assert.equal(put.status, 200);
    assert.deepEqual({ ...(await fetchSession(worker, "written")), updatedAt: null }, {
      room: "written",
      files: { "App.tsx": "export {};\n" },
      entry: "index.tsx",
      version: 1,
      updatedAt: null,
    });
    for (const path of ["/live/written/files/missing.ts", "/live/written/index.tsx"]) {
      const response = await fetch(url(path));
      assert.equal(response.status, 404, path);
      assert.equal(typeof ((await response.json()) as { error?: unknown }).error, "string");
    }
  });
});

describe("CodeRoom durability across restarts", () => {
  let dir: string;
  let worker: TestWorker | undefined;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "spike-room-test-"));
  });
  afterEach(async () => {
    closeOpened();
    await worker?.dispose();
    worker = undefined;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** Drop every client, stop the runtime, and start a new one on the same storage. */
  async function restart(): Promise<TestWorker> {
    closeOpened();
    await worker?.dispose();
    worker = await startTestWorker({ persistDir: dir });
    return worker;
  }

  it("keeps what a client wrote once another client has received it", async () => {
    let w = await restart();
    const writer = joinRoom(w, "durable");
    const observer = joinRoom(w, "durable");
    await Promise.all([writer.synced(), observer.synced()]);
    fileText(writer.doc, "index.tsx").insert(0, "export const answer = 42;\n");
    fileText(writer.doc, "notes.md").insert(0, "# kept\n");
    const files = await waitForConvergence([writer, observer]);
    const stored = await fetchSession(w, "durable");
    assert.deepEqual(stored.files, files);

    w = await restart();
    assert.deepEqual(await fetchSession(w, "durable"), stored);
    const fresh = joinRoom(w, "durable");
    await fresh.synced();
    assert.deepEqual(fresh.files(), files);
  });

  it("keeps a document larger than one snapshot row through compaction and a restart", async () => {
    let w = await restart();
    // Two PUTs pass the log's byte threshold; the snapshot they compact into spans more than one row.
    const files = { "a.txt": "a\n".repeat(SNAPSHOT_CHUNK_BYTES / 4), "b.txt": "b\n".repeat(SNAPSHOT_CHUNK_BYTES / 4 + 1000) };
    for (const [name, text] of Object.entries(files)) {
      const response = await fetch(new URL(`/live/big/files/${name}`, w.url), { method: "PUT", body: text });
      assert.equal(response.status, 200, await response.text());
    }
    const chunks = await waitForCompaction(dir, "big");
    assert.ok(chunks >= 2, `snapshot rows: ${chunks}`);
    const stored = await fetchSession(w, "big");
    assert.deepEqual(stored.files, files);

    w = await restart();
    assert.deepEqual(await fetchSession(w, "big"), stored);
  });

  it("keeps the text after the update log is compacted into a snapshot, and edits made on top of the snapshot", async () => {
    let w = await restart();
    const client = joinRoom(w, "compacted");
    await client.synced();
    const text = fileText(client.doc, "index.tsx");
    let expected = "";
    for (let i = 0; i < COMPACT_AFTER_UPDATES + 100; i++) {
      const chunk = i % 50 === 49 ? "\n" : String(i % 10);
      text.insert(text.length, chunk); // one transaction, so one update frame and one log row each
      expected += chunk;
    }
    await waitUntil(async () => (await pollSession(w, "compacted"))?.files["index.tsx"] === expected, {
      what: "all updates to be stored",
    });
    await waitForCompaction(dir, "compacted");

    text.insert(0, "// written after compaction\n");
    text.delete(text.length - 10, 5);
    expected = "// written after compaction\n" + expected.slice(0, -10) + expected.slice(-5);
    await waitUntil(async () => (await pollSession(w, "compacted"))?.files["index.tsx"] === expected, {
      what: "the edits after compaction to be stored",
    });
    const stored = await fetchSession(w, "compacted");

    w = await restart();
    assert.deepEqual(await fetchSession(w, "compacted"), stored);
    const fresh = joinRoom(w, "compacted");
    await fresh.synced();
    assert.equal(fresh.files()["index.tsx"], expected);
  });
});

/**
 * Wait for the room's compaction alarm (about 2 s after the log passes its row or byte threshold) to fold the whole log
 * into the snapshot, and return the snapshot's row count. Storage is not observable through the room's public surface, so
 * this reads the Durable Object's SQLite file with the sqlite3 CLI (.ci/run installs it when missing).
 */
async function waitForCompaction(persistDir: string, room: string): Promise<number> {
  if (!hasSqliteCli()) throw new Error("this test reads the room's SQLite file with the sqlite3 CLI: apt-get install sqlite3");
  let rows: StoredRows | null = null;
  try {
    await waitUntil(
      async () => {
        rows = await storedRows(persistDir, room);
        return rows !== null && rows.updates === 0 && rows.snapshotChunks > 0;
      },
      { timeoutMs: 15_000, what: `room ${room}'s update log to be compacted` },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen ${JSON.stringify(rows)}`);
  }
  return rows!.snapshotChunks;
}

function hasSqliteCli(): boolean {
  try {
    execFileSync("sqlite3", ["-version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

interface StoredRows {
  updates: number;
  snapshotChunks: number;
}

/** Row counts of `room`'s update log and snapshot, or null when its database is not found. */
async function storedRows(persistDir: string, room: string): Promise<StoredRows | null> {
  const files = (await readdir(persistDir, { recursive: true })).filter(
    (f) => f.endsWith(".sqlite") && !f.endsWith("metadata.sqlite"),
  );
  const query = "SELECT value FROM meta WHERE key = 'room'; SELECT count(*) FROM updates; SELECT count(*) FROM snapshot;";
  for (const file of files) {
    try {
      const [name, updates, snapshotChunks] = execFileSync("sqlite3", ["-readonly", join(persistDir, file), query], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      })
        .trim()
        .split("\n");
      if (name === room) return { updates: Number(updates), snapshotChunks: Number(snapshotChunks) };
    } catch {
      // not a CodeRoom database, or busy for a moment: try the next one / the next poll
    }
  }
  return null;
}
