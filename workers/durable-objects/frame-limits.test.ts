/**
 * Per-socket frame limits and the room-creation limit through the real Worker and CodeRoom: a socket flooding frames (or
 * bytes) is closed with 4429 and a retry hint while the other clients of the same room keep syncing; a client creating
 * rooms too fast is refused (WebSocket 4429, HTTP 429 + Retry-After) while existing rooms keep working.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import * as Y from "yjs";
import { fileText, writeFile } from "../../core/project.js";
import { AuthKind, CloseCode, MessageType, decodeMessage, encodeUpdate, type Message } from "../../core/protocol.js";
import {
  closeOpened,
  fetchSession,
  joinRoom as join,
  rawSocket,
  startTestWorker,
  waitForConvergence,
  type TestWorker,
} from "../test-support.js";

afterEach(closeOpened);

/** The Auth/Refused a socket received before its close, if any. */
function refusalIn(socket: RawSocket) {
  const refused = socket.frames
    .map((frame) => decodeMessage(frame))
    .find((m): m is Extract<Message, { kind: typeof AuthKind.Refused }> => m.type === MessageType.Auth && m.kind === AuthKind.Refused);
  return refused?.refusal ?? null;
}

describe("per-socket frame limits", () => {
  let worker: TestWorker;
  before(async () => {
    worker = await startTestWorker({
      vars: { ROOM_FRAMES_PER_SECOND: "50", ROOM_FRAME_BURST: "100", ROOM_BYTES_PER_SECOND: "20000" },
    });
  });
  after(() => worker?.dispose());

  it("a frame flood from one socket is closed with 4429 and a retry hint; the others in the room keep syncing", async () => {
    const room = "flooded";
    const [alice, bob] = [join(worker, room), join(worker, room)];
    await Promise.all([alice.synced(), bob.synced()]);
    const flooder = await rawSocket(worker, room);
    // Empty updates: cheap frames that store nothing (a request for the whole state would meet its own, smaller limit).
    const empty = encodeUpdate(Y.encodeStateAsUpdate(new Y.Doc()));
    for (let i = 0; i < 400; i++) flooder.ws.send(empty);
    const closed = await flooder.closed;
    assert.equal(closed.code, 4429);
    assert.match(closed.reason, /sending too fast.*retry in \d+ s$/);
    const refusal = refusalIn(flooder);
    assert.ok(refusal, "an Auth/Refused came before the close");
    assert.equal(refusal.code, CloseCode.RateLimited);
    assert.ok(refusal.retryAfterSeconds >= 1);
    assert.ok(closed.reason.endsWith(`retry in ${refusal.retryAfterSeconds} s`), closed.reason);

    fileText(alice.doc, "index.tsx").insert(0, "// alice after the flood\n");
    fileText(bob.doc, "styles.css").insert(0, "/* bob */\n");
    const files = await waitForConvergence([alice, bob]);
    assert.deepEqual(files, { "index.tsx": "// alice after the flood\n", "styles.css": "/* bob */\n" });
    assert.deepEqual((await fetchSession(worker, room)).files, files);
  });

  it("a socket sending more bytes than its burst (4x the byte rate) is closed with 4429; what it sent within the limit is kept", async () => {
    const room = "byte-flood";
    const alice = join(worker, room);
    await alice.synced();
    const flooder = await rawSocket(worker, room);
    const big = (name: string) => {
      const doc = new Y.Doc();
      writeFile(doc, name, "x".repeat(30_000));
      return encodeUpdate(Y.encodeStateAsUpdate(doc));
    };
    for (const name of ["a.txt", "b.txt", "c.txt", "d.txt"]) flooder.ws.send(big(name)); // 120 KB against a burst of 80 KB
    const closed = await flooder.closed;
    assert.equal(closed.code, 4429);
    const stored = Object.keys((await fetchSession(worker, room)).files).sort();
    assert.deepEqual(stored, ["a.txt", "b.txt"], "the frames within the burst were applied, the rest refused");
    fileText(alice.doc, "index.tsx").insert(0, "// still fine\n");
    await waitForConvergence([alice, join(worker, room)]);
  });
});

describe("room-creation limit", () => {
  let worker: TestWorker;
  before(async () => {
    worker = await startTestWorker({ vars: { RATE_LIMIT_CREATE_PER_MINUTE: "1", RATE_LIMIT_CREATE_BURST: "2" } });
  });
  after(() => worker?.dispose());

  it("creating rooms too fast is refused (WebSocket 4429, HTTP 429 + Retry-After); existing rooms keep working", async () => {
    const first = join(worker, "created-1");
    await first.synced();
    const put = await fetch(new URL("/live/created-2/files/index.tsx", worker.url), { method: "PUT", body: "// 2\n" });
    assert.equal(put.status, 200);

    const refused = await rawSocket(worker, "created-3");
    const closed = await refused.closed;
    assert.equal(closed.code, 4429);
    assert.match(closed.reason, /too many new rooms.*retry in \d+ s$/);
    // Nothing of the room: the one frame is the refusal itself, the wait as data.
    assert.deepEqual(refused.frames.map(decodeMessage).map((m) => [m.type, "kind" in m ? m.kind : null]), [[MessageType.Auth, AuthKind.Refused]]);
    assert.ok((refusalIn(refused)?.retryAfterSeconds ?? 0) >= 1);

    const refusedPut = await fetch(new URL("/live/created-4/files/index.tsx", worker.url), { method: "PUT", body: "// 4\n" });
    assert.equal(refusedPut.status, 429);
    assert.ok(Number(refusedPut.headers.get("retry-after")) >= 1);
    const body = (await refusedPut.json()) as { error: string; retryAfter: number };
    assert.match(body.error, /too many new rooms/);
    assert.equal(body.retryAfter, Number(refusedPut.headers.get("retry-after")));
    const created4 = await fetch(new URL("/live/created-4/index.tsx", worker.url));
    assert.equal(created4.status, 404, "nothing was stored: the room does not exist");

    // Rooms that exist are not creations: joining and writing them is unaffected.
    const again = join(worker, "created-2");
    await again.synced();
    assert.deepEqual(again.files(), { "index.tsx": "// 2\n" });
    fileText(first.doc, "index.tsx").insert(0, "// 1\n");
    await waitForConvergence([first, join(worker, "created-1")]);
  });
});
