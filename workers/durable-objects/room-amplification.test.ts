/**
 * What a few bytes in can make a room send out, through the real Worker and CodeRoom: requests for the whole room state
 * (a 4-byte sync step 1, a 1-byte QueryAwareness) get a small allowance per socket, then a 4429; presence states are capped
 * in size and in bytes per second, and a socket may only publish presence for the clients it speaks for.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import * as Y from "yjs";
import { writeFile } from "../../core/project.js";
import {
  encodeAwareness,
  encodeAwarenessEntries,
  encodeQueryAwareness,
  encodeSyncStep1,
} from "../../core/protocol.js";
import {
  closeOpened,
  joinRoom,
  rawSocket,
  startTestWorker,
  waitUntil,
  type RawSocket,
  type TestClient,
  type TestWorker,
} from "../test-support.js";

let worker: TestWorker;

before(async () => {
  worker = await startTestWorker();
});
after(() => worker?.dispose());
afterEach(closeOpened);

const join = (room: string): TestClient => joinRoom(worker, room);
const raw = (room: string): Promise<RawSocket> => rawSocket(worker, room);

/** A room holding about `bytes` of code, written by a stock client that stays connected. */
async function seededRoom(room: string, bytes: number): Promise<TestClient> {
  const author = join(room);
  await author.synced();
  const line = "// a line of code that makes the document larger\n";
  const text = line.repeat(Math.ceil(bytes / line.length));
  writeFile(author.doc, "index.tsx", text);
  const second = join(room);
  await waitUntil(() => second.files()["index.tsx"] === text, { what: "the seed to be stored and relayed" });
  return author;
}

const received = (socket: RawSocket) => socket.frames.reduce((sum, frame) => sum + frame.byteLength, 0);

describe("amplification", () => {
  it("300 'I have nothing' sync step 1s from one socket: a few are answered, then 4429; the bytes out stay bounded", { timeout: 30_000 }, async () => {
    await seededRoom("amplified-sync", 45_000);
    const socket = await raw("amplified-sync");
    const nothing = encodeSyncStep1(Y.encodeStateVector(new Y.Doc())); // 4 bytes
    for (let i = 0; i < 300; i++) socket.ws.send(nothing);
    const closed = await socket.closed;
    assert.equal(closed.code, 4429);
    assert.match(closed.reason, /too many requests for the whole room state.*retry in \d+ s$/);
    // Five answers of ~45 KB each at most (the allowance), plus the greeting: not 300 x 45 KB = 13.5 MB.
    assert.ok(received(socket) < 8 * 45_000, `${received(socket)} bytes went out for ${300 * nothing.byteLength} in`);
  });

  it("a QueryAwareness flood gets the same allowance", { timeout: 30_000 }, async () => {
    await seededRoom("amplified-presence", 1_000);
    const socket = await raw("amplified-presence");
    for (let i = 0; i < 100; i++) socket.ws.send(encodeQueryAwareness());
    assert.equal((await socket.closed).code, 4429);
  });

  it("a presence state over 4 KB closes its socket with 1009 and reaches nobody", { timeout: 30_000 }, async () => {
    const author = await seededRoom("big-presence", 1_000);
    const socket = await raw("big-presence");
    const state = JSON.stringify({ user: { name: "x".repeat(5_000), color: "#f00" } });
    socket.ws.send(encodeAwareness(encodeAwarenessEntries([{ clientId: 4242, clock: 1, state }])));
    const closed = await socket.closed;
    assert.equal(closed.code, 1009);
    assert.match(closed.reason, /awareness state of \d+ bytes exceeds 4096/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(author.provider.awareness.getStates().has(4242), false);
  });

  it("presence bytes per socket are limited: a stream of 3 KB states is closed with 4429 long before it multiplies into megabytes", { timeout: 30_000 }, async () => {
    await seededRoom("presence-stream", 1_000);
    const watchers = Array.from({ length: 8 }, () => join("presence-stream"));
    await Promise.all(watchers.map((w) => w.synced()));
    const socket = await raw("presence-stream");
    const state = JSON.stringify({ user: { name: "y".repeat(3_000), color: "#0f0" } });
    for (let clock = 1; clock <= 300; clock++) {
      socket.ws.send(encodeAwareness(encodeAwarenessEntries([{ clientId: 777, clock, state }])));
    }
    const closed = await socket.closed;
    assert.equal(closed.code, 4429);
    assert.match(closed.reason, /presence updates too large or too fast/);
  });

  it("a socket cannot publish presence for another connected client: the owner's name and cursor stay theirs", { timeout: 30_000 }, async () => {
    const alice = join("spoofed");
    const bob = join("spoofed");
    await Promise.all([alice.synced(), bob.synced()]);
    alice.provider.awareness.setLocalStateField("user", { name: "Alice", color: "#00f" });
    const aliceId = alice.doc.clientID;
    await waitUntil(() => (bob.provider.awareness.getStates().get(aliceId) as { user?: { name?: string } })?.user?.name === "Alice", {
      what: "bob to see alice",
    });
    const mallory = await raw("spoofed");
    const clock = (alice.provider.awareness.meta.get(aliceId)?.clock ?? 0) + 10;
    const forged = JSON.stringify({ user: { name: "Mallory", color: "#f00" } });
    mallory.ws.send(encodeAwareness(encodeAwarenessEntries([{ clientId: aliceId, clock, state: forged }])));
    // Mallory's own presence does arrive, so the forged one had its chance to arrive before it.
    const own = JSON.stringify({ user: { name: "Mallory herself", color: "#f00" } });
    mallory.ws.send(encodeAwareness(encodeAwarenessEntries([{ clientId: 31337, clock: 1, state: own }])));
    await waitUntil(() => bob.provider.awareness.getStates().has(31337), { what: "mallory's own presence" });
    assert.equal((bob.provider.awareness.getStates().get(aliceId) as { user: { name: string } }).user.name, "Alice");
    assert.equal(mallory.ws.readyState, mallory.ws.OPEN, "echoes and forgeries are dropped, not punished");
  });
});
