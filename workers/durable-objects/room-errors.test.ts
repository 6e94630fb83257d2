/**
 * How the room fails, through the real Worker and CodeRoom: a change the room cannot store is refused with a retryable close
 * code (never "malformed", which would stop a client holding unsaved edits) and logged with the room's name; a frame that
 * does not decode leaves the loaded document alone; log lines name routes, never the file names in a request's path.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { isDeepStrictEqual } from "node:util";
import * as Y from "yjs";
import { fileText, writeFile } from "../../core/project.js";
import { encodeUpdate } from "../../core/protocol.js";
import {
  closeOpened,
  fetchSession,
  joinRoom,
  openRawSocket,
  pollSession,
  startTestWorker,
  waitForConvergence,
  waitUntil,
  type RawSocket,
  type TestClient,
  type TestWorker,
} from "../test-support.js";

/** What the Worker printed (wrangler hands workerd's console to ours), line by line. */
const printed: string[] = [];
const originals = { log: console.log, warn: console.warn, error: console.error };
for (const level of ["log", "warn", "error"] as const) {
  console[level] = (...args: unknown[]) => {
    printed.push(...args.map(String).join(" ").split("\n"));
    originals[level](...args);
  };
}

let worker: TestWorker;
const sockets: RawSocket[] = [];

before(async () => {
  // Frames up to 3 MB are accepted, so one can hold an update larger than a Durable Object's 2 MB SQLite row; bursts of
  // typing as fast as a client can send are allowed.
  worker = await startTestWorker({
    logLevel: "log",
    vars: {
      ROOM_MAX_FRAME_BYTES: "3000000",
      ROOM_BYTES_PER_SECOND: "10000000",
      ROOM_FRAMES_PER_SECOND: "1000000",
      ROOM_FRAME_BURST: "1000000",
      METRICS_FLUSH_MS: "0",
    },
  });
});
after(async () => {
  Object.assign(console, originals);
  await worker?.dispose();
});
afterEach(() => {
  closeOpened();
  for (const socket of sockets.splice(0)) socket.ws.terminate();
});

const join = (room: string): TestClient => joinRoom(worker, room);

describe("room failures", () => {
  it("a change the room cannot store is closed with 1011 (retry), logged with the room's name; nothing half-stored, the room keeps working", async () => {
    const room = "unstorable";
    const [alice, bob] = [join(room), join(room)];
    await Promise.all([alice.synced(), bob.synced()]);
    writeFile(alice.doc, "index.tsx", "// before\n");
    await waitForConvergence([alice, bob]);

    const socket = await openRawSocket(worker, `/live/${room}/ws`);
    sockets.push(socket);
    const doc = new Y.Doc();
    writeFile(doc, "huge.txt", "h".repeat(2_500_000)); // one update, one log row over the 2 MB row limit
    socket.ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc)));
    const closed = await socket.closed;
    assert.equal(closed.code, 1011);
    assert.match(closed.reason, /could not store this change; reconnect to retry/);
    await waitUntil(() => printed.some((line) => line.includes('"storage_failed"') && line.includes(`"room":"${room}"`)), {
      what: "the storage failure to be logged with the room's name",
    });

    assert.equal((await fetchSession(worker, room)).files["huge.txt"], undefined, "nothing of it was stored");
    fileText(bob.doc, "index.tsx").insert(0, "// after\n");
    const files = await waitForConvergence([alice, bob]);
    assert.equal(files["huge.txt"], undefined, "nor relayed");
    assert.equal((await fetchSession(worker, room)).files["index.tsx"], "// after\n// before\n");
  });

  it("an unstorable update in the middle of others' typing costs only its own socket; every other edit is stored", async (t) => {
    const room = "unstorable-burst";
    const [alice, bob] = [join(room), join(room)];
    await Promise.all([alice.synced(), bob.synced()]);
    const drops: string[] = [];
    for (const [name, client] of [["alice", alice], ["bob", bob]] as const) {
      client.provider.on("status", ({ status }: { status: string }) => status === "disconnected" && drops.push(name));
    }
    const socket = await openRawSocket(worker, `/live/${room}/ws`);
    sockets.push(socket);
    const huge = new Y.Doc();
    writeFile(huge, "huge.txt", "h".repeat(2_500_000));
    // Both keep typing from before the huge update is sent until after its socket is closed: commits are in flight, and
    // the huge update may be queued with their updates, in one batch that fails (the diagnostic says how many).
    let closedAt: number | null = null;
    const burst = async (client: TestClient, letter: string) => {
      const text = fileText(client.doc, `${letter}.txt`);
      let typed = 0;
      while (closedAt === null || typed < closedAt + 100) {
        text.insert(text.length, letter);
        typed++;
        await new Promise((resolve) => setTimeout(resolve, 4)); // well within what the room stores per second
        if (typed === 100 && letter === "a") socket.ws.send(encodeUpdate(Y.encodeStateAsUpdate(huge)));
      }
      return typed;
    };
    const typing = Promise.all([burst(alice, "a"), burst(bob, "b")]);
    const closed = await socket.closed;
    closedAt = 100;
    const [a, b] = await typing;
    assert.equal(closed.code, 1011);
    const files = await waitForConvergence([alice, bob]);
    assert.deepEqual(drops, [], "the other writers stayed connected");
    assert.deepEqual(files, { "a.txt": "a".repeat(a), "b.txt": "b".repeat(b) });
    await waitUntil(async () => isDeepStrictEqual((await fetchSession(worker, room)).files, files), { what: "every edit stored" });
    const failed = printed.find((line) => line.includes('"storage_failed"') && line.includes(`"room":"${room}"`));
    t.diagnostic(`the failed write: ${failed?.match(/"updates":\d+/)?.[0] ?? "not logged"}`);
  });

  it("an update that does not decode closes only its socket with 1007; the loaded document is kept, not reloaded", async () => {
    const room = "undecodable";
    const alice = join(room);
    await alice.synced();
    writeFile(alice.doc, "index.tsx", "// kept\n");
    await waitUntil(async () => (await pollSession(worker, room))?.files["index.tsx"] === "// kept\n", { what: "the seed" });
    // How many times rooms loaded their document from storage (GET /api/metrics, open to loopback without sign-in).
    const loads = async () => ((await (await fetch(new URL("/api/metrics", worker.url))).json()) as { rooms: { loaded: number } }).rooms.loaded;
    const socket = await openRawSocket(worker, `/live/${room}/ws`);
    sockets.push(socket);
    const before = await loads();
    socket.ws.send(encodeUpdate(new Uint8Array([1, 200, 7, 7, 7])));
    const closed = await socket.closed;
    assert.equal(closed.code, 1007);
    assert.match(closed.reason, /malformed Yjs update/);
    fileText(alice.doc, "index.tsx").insert(0, "// still\n");
    await waitUntil(async () => (await fetchSession(worker, room)).files["index.tsx"] === "// still\n// kept\n", { what: "the next edit" });
    await new Promise((resolve) => setTimeout(resolve, 300)); // metrics are flushed after the request that counted them
    assert.equal(await loads(), before, "the document was not dropped and reloaded");
  });

  it("log lines name the route, never the file names in the path", async () => {
    const secret = "quarterly-salaries-draft.ts";
    const put = await fetch(new URL(`/live/logged/files/${secret}`, worker.url), { method: "PUT", body: "// x\n" });
    assert.equal(put.status, 200);
    const bad = await fetch(new URL(`/live/logged/files/${secret}`, worker.url), { method: "DELETE" });
    assert.equal(bad.status, 405);
    const missing = await fetch(new URL(`/no/such/route/${secret}`, worker.url));
    assert.equal(missing.status, 404);
    // A write the room cannot store: a 503 to retry, and a logged error that names the room but not the file.
    const unstorable = await fetch(new URL(`/live/logged/files/${secret}`, worker.url), { method: "PUT", body: "s".repeat(2_500_000) });
    assert.equal(unstorable.status, 503);
    assert.match(((await unstorable.json()) as { error: string }).error, /could not store the change; try again/);
    await waitUntil(() => printed.some((line) => line.includes('"storage_failed"') && line.includes('"room":"logged"')), { what: "the error line" });
    await waitUntil(() => printed.some((line) => line.includes('"route":"/live/:room/files/:name{.+}"')), { what: "the request log" });
    const ours = printed.filter((line) => line.startsWith("{"));
    assert.deepEqual(ours.filter((line) => line.includes(secret)), []);
  });
});
