/**
 * RoomClient with a room key against the real CodeRoom under workerd (node, `ws`): encrypted rooms as users meet them.
 * Two keyed clients converge (both ways, after an offline edit, for a late joiner after a snapshot); a wrong key, no key
 * or a key on a plaintext room each end in a clear state; replayed ciphertext changes nothing.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import WebSocket from "ws";
import { CloseCode, SealedKind, encodeSealedAppend, type SealedMessage } from "./protocol.js";
import { fileText, readFiles } from "./project.js";
import { generateRoomKey } from "./room-crypto.js";
import { RoomClient, type WebSocketConstructor } from "./room-client.js";
import { closeSealed, openSealed, sealedOf, waitSealed } from "../test-support/sealed.js";
import { startTestWorker, uniqueRooms, until, type TestWorker } from "../workers/test-support.js";

const WS = WebSocket as unknown as WebSocketConstructor;
const nextRoom = uniqueRooms("sealed-client");

describe("RoomClient in an end-to-end encrypted room", () => {
  let worker: TestWorker;
  let server: string;
  const clients: RoomClient[] = [];
  const client = (room: string, key?: string) => {
    const made = new RoomClient({ server, room, WebSocket: WS, ...(key ? { key } : {}), minBackoffMs: 50, maxBackoffMs: 200 });
    clients.push(made);
    return made;
  };
  const text = (c: RoomClient, file = "index.tsx") => readFiles(c.doc)[file] ?? "";

  before(async () => {
    worker = await startTestWorker();
    server = worker.url.origin;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
    closeSealed();
  });
  after(() => worker.dispose());

  test("a malformed key is a TypeError at construction", () => {
    for (const key of ["", "short", "!".repeat(43), `${"A".repeat(43)}=`, "A".repeat(44)]) {
      assert.throws(() => new RoomClient({ server, room: "x", key, WebSocket: WS, connect: false }), TypeError, key);
    }
  });

  test("two clients with the key converge: edits both ways, an offline edit after reconnecting", async () => {
    const room = nextRoom();
    const key = await generateRoomKey();
    const a = client(room, key);
    await a.whenSynced();
    assert.equal(a.encrypted, true);
    fileText(a.doc, "index.tsx").insert(0, "const a = 1;\n");
    const b = client(room, key);
    await b.whenSynced();
    await until(() => text(b) === "const a = 1;\n", "b to read a's edit");
    fileText(b.doc, "index.tsx").insert(0, "// from b\n");
    await until(() => text(a) === "// from b\nconst a = 1;\n", "a to read b's edit");

    b.disconnect();
    fileText(b.doc, "index.tsx").insert(text(b).length, "offline();\n");
    fileText(a.doc, "index.tsx").insert(0, "// meanwhile\n");
    b.connect();
    const both = "// meanwhile\n// from b\nconst a = 1;\noffline();\n";
    await until(() => text(a) === both && text(b) === both, "the offline edit to merge");
  });

  test("presence is sealed too: a keyed client sees the other's name and cursor state, and loses it when the other leaves", async () => {
    const room = nextRoom();
    const key = await generateRoomKey();
    const a = new RoomClient({ server, room, key, WebSocket: WS, user: { name: "Ada", color: "#123456" } });
    const b = client(room, key);
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    a.awareness.setLocalStateField("cursor", null);
    await until(() => (b.awareness.getStates().get(a.doc.clientID) as { user?: { name?: string } } | undefined)?.user?.name === "Ada", "b to see Ada");
    const watcher = await openSealed(worker, room);
    watcher.ws.send(new Uint8Array([3])); // QueryAwareness: the room answers with the stored sealed states only
    const states = await waitSealed(watcher, SealedKind.Awareness);
    assert.ok(states.every((m) => !new TextDecoder().decode(m.sealed).includes("Ada")), "the room relays no name in clear");
    a.destroy();
    await until(() => !b.awareness.getStates().has(a.doc.clientID), "Ada's presence to go when she leaves");
  });

  test("a late joiner after the room asked for a snapshot reads everything", async () => {
    const room = nextRoom();
    const key = await generateRoomKey();
    const a = client(room, key);
    await a.whenSynced();
    // Each keystroke is its own append: past 200 the room asks the appender for a snapshot and compacts its log.
    const watcher = await openSealed(worker, room);
    for (let i = 0; i < 230; i++) fileText(a.doc, "index.tsx").insert(i, String.fromCharCode(97 + (i % 26)));
    const expected = text(a);
    await until(() => sealedOf(watcher, SealedKind.Appended).length >= 230, "every keystroke to be relayed");
    const late = client(room, key);
    await late.whenSynced();
    assert.equal(text(late), expected);
    const fetched = await openSealed(worker, room);
    fetched.ws.send(new Uint8Array([5, SealedKind.Fetch, 0]));
    await waitSealed(fetched, SealedKind.CaughtUp);
    assert.equal(sealedOf(fetched, SealedKind.Snapshot).length, 1, "the log was compacted under a client-made snapshot");
    assert.ok(sealedOf(fetched, SealedKind.Appended).length < 230);
  });

  test("a wrong key stops the client with a clear error; the room's content is intact for the right key", async () => {
    const room = nextRoom();
    const key = await generateRoomKey();
    const a = client(room, key);
    await a.whenSynced();
    fileText(a.doc, "index.tsx").insert(0, "secret();\n");
    await until(async () => {
      const probe = await openSealed(worker, room);
      probe.ws.send(new Uint8Array([5, SealedKind.Fetch, 0]));
      const caughtUp = await waitSealed(probe, SealedKind.CaughtUp);
      return caughtUp[0]!.seq >= 1;
    }, "a's edit to be stored");

    const wrong = client(room, await generateRoomKey());
    const errors: { error: string; message: string }[] = [];
    wrong.on("e2e-error", (error) => errors.push(error));
    fileText(wrong.doc, "index.tsx").insert(0, "garbage from the wrong key\n");
    await until(() => errors.length === 1, "the wrong key to be noticed");
    assert.deepEqual(errors, [{ error: "wrong-key", message: "Wrong key for this encrypted room" }]);
    assert.equal(wrong.status, "offline");
    assert.equal(wrong.encrypted, true);
    assert.equal(wrong.synced, false);
    assert.equal(text(wrong), "garbage from the wrong key\n", "nothing of the room was applied");

    const right = client(room, key);
    await right.whenSynced();
    assert.equal(text(right), "secret();\n");
    assert.equal(wrong.status, "offline", "no reconnect loop");
  });

  test("a client without the key gets the encrypted state (4409); a key on a plaintext room gets not-encrypted (4412)", async () => {
    const room = nextRoom();
    const keyed = client(room, await generateRoomKey());
    await keyed.whenSynced();
    const plain = client(room);
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => plain.on("closed", resolve));
    assert.equal(closed.code, CloseCode.Encrypted);
    assert.equal(plain.encrypted, true);
    assert.equal(plain.status, "offline");

    const plainRoom = nextRoom();
    const writer = client(plainRoom);
    await writer.whenSynced();
    assert.equal(writer.encrypted, false);
    fileText(writer.doc, "index.tsx").insert(0, "plain();\n");
    await until(async () => (await fetch(new URL(`/live/${plainRoom}/session.json`, worker.url))).ok, "the plaintext room to exist");
    const late = client(plainRoom, await generateRoomKey());
    const refused = await new Promise<{ code: number; reason: string }>((resolve) => late.on("closed", resolve));
    assert.equal(refused.code, CloseCode.NotEncrypted);
    assert.equal(late.encrypted, false);
  });

  test("replayed ciphertext: a captured Append sent again is refused, and the clients' documents do not change", async () => {
    const room = nextRoom();
    const key = await generateRoomKey();
    const a = client(room, key);
    await a.whenSynced();
    const spy = await openSealed(worker, room);
    fileText(a.doc, "index.tsx").insert(0, "once\n");
    const [captured] = await waitSealed(spy, SealedKind.Appended);
    fileText(a.doc, "index.tsx").insert(0, "later\n");
    const b = client(room, key);
    await until(() => text(b) === "later\nonce\n", "b to sync");

    const attacker = await openSealed(worker, room);
    attacker.ws.send(encodeSealedAppend((captured as Extract<SealedMessage, { kind: 2 | 3 }>).sealed));
    const close = await attacker.closed;
    assert.equal(close.code, CloseCode.InvalidFrame);
    assert.match(close.reason, /replayed ciphertext/);
    fileText(a.doc, "index.tsx").insert(0, "after\n");
    await until(() => text(b) === "after\nlater\nonce\n", "b to keep syncing");
    assert.equal(text(a), text(b));
    assert.equal(b.status, "connected");
  });
});
