/**
 * What a room does with frames no well-behaved client sends (text, garbage, forged server messages, bad Yjs) and with
 * clients that pass its limits (frame and document size, sockets per room). Each must get its documented close, and after
 * each one the room keeps its stored text and still relays for everyone else. Bad room ids and HTTP: bad-input.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as Y from "yjs";
import {
  decodeMessage,
  encodeAwareness,
  encodeAwarenessEntries,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from "../../core/protocol.js";
import { fileText, writeFile } from "../../core/project.js";
import { fetchSession, seededRandom, waitUntil, type RawSocket, type TestWorker } from "../test-support.js";
import {
  LIMITS,
  WITNESS,
  assertClosedWith,
  assertRoomStillRelays,
  badInputStack,
  isSyncStep1,
  isSyncStep2,
  updateWriting,
} from "../../test-support/bad-input.js";

let worker: TestWorker;
const { join, rawSocket, seedRoom, assertUnharmed } = badInputStack((started) => (worker = started));

// ---- frames ---------------------------------------------------------------------------------------------------------

describe("bad frames", () => {
  it("a text frame closes the socket with 1003", async () => {
    const stored = await seedRoom("text-frame", { "index.tsx": "let x = 1;\n" });
    const socket = await rawSocket("text-frame");
    socket.ws.send("hello, is this JSON?");
    await assertClosedWith(socket, 1003, "text frame");
    await assertUnharmed("text-frame", stored);
  });

  it("malformed binary frames close with 1007 and a reason; the other clients keep working and nothing is stored", async () => {
    const room = "malformed";
    await seedRoom(room, { "index.tsx": "// start\n" });
    const [alice, bob] = [join(room), join(room)];
    await Promise.all([alice.synced(), bob.synced()]);
    const real = encodeUpdate(updateWriting("evil.ts", "should never be stored"));
    const bytes = (...values: number[]) => new Uint8Array(values);
    const BAD_FRAMES: [string, Uint8Array, RegExp?][] = [
      ["an empty frame", bytes(), /truncated/],
      ["unknown message type 9", bytes(9), /unknown message type 9/],
      ["a sealed frame with no kind", bytes(5), /truncated/],
      ["unknown message type 127 with a payload", bytes(127, 1, 2, 3), /unknown message type/],
      ["a type number too large to be one", bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)],
      ["sync with no step", bytes(0), /truncated/],
      ["unknown sync step", bytes(0, 9, 0), /unknown sync step/],
      ["sync update with no payload", bytes(0, 2), /truncated/],
      ["a length prefix longer than the frame", bytes(0, 2, 50, 1, 2, 3), /truncated/],
      ["a real update cut short by one byte", real.subarray(0, real.length - 1), /truncated/],
      ["a real update followed by a stray byte", bytes(...real, 0), /trailing/],
      ["a Yjs update that announces three clients and holds none", encodeUpdate(bytes(3))],
      ["a Yjs update of random-looking bytes", encodeUpdate(bytes(1, 1, 200, 3, 0, 9, 9, 9, 9))],
      ["a corrupt sync step 2", encodeSyncStep2(bytes(3, 1))],
      ["a corrupt state vector in sync step 1", encodeSyncStep1(bytes(5, 1))],
      ["an awareness update cut short", bytes(1, 3, 1, 2), /truncated/],
      [
        "an awareness state that is not JSON",
        encodeAwareness(encodeAwarenessEntries([{ clientId: 1, clock: 1, state: "{nope" }])),
        /awareness/,
      ],
      ["an auth message from a client", encodePermissionDenied("read-only", "let me in"), /auth/],
      ["query-awareness with trailing bytes", bytes(3, 0), /trailing/],
    ];
    let stored = await fetchSession(worker, room);
    for (const [what, frame, reason] of BAD_FRAMES) {
      const socket = await rawSocket(room);
      socket.ws.send(frame);
      const closed = await assertClosedWith(socket, 1007, what);
      if (reason) assert.match(closed.reason, reason, what);
      await assertUnharmed(room, stored);
      await assertRoomStillRelays(alice, [bob], `// still relaying after ${what}\n`);
      stored = await fetchSession(worker, room);
      assert.equal(stored.files["evil.ts"], undefined);
    }
  });

  it("an update that parses but cannot be applied closes with 1007; the room keeps its state and keeps working", async () => {
    const room = "unappliable";
    // The room holds a known base from client 1; client 2's real edit on top of it is then corrupted by one byte.
    const base = new Y.Doc();
    base.clientID = 1;
    writeFile(base, "index.tsx", "hello world\n");
    const edit = new Y.Doc();
    edit.clientID = 2;
    Y.applyUpdate(edit, Y.encodeStateAsUpdate(base));
    fileText(edit, "index.tsx").insert(3, "XYZ");
    const update = Y.encodeStateAsUpdate(edit, Y.encodeStateVector(base));
    const corrupt = Uint8Array.from(update);
    assert.equal(corrupt[5], 1, "byte 5 is the origin's client id");
    corrupt[5] = 2; // the insert's origin now points into its own, not yet integrated, range
    assert.doesNotThrow(() => Y.decodeUpdate(corrupt), "the corrupt update still parses");
    const probe = new Y.Doc();
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(base));
    assert.throws(() => Y.applyUpdate(probe, corrupt), "but cannot be applied");

    const seeder = await rawSocket(room);
    seeder.ws.send(encodeUpdate(Y.encodeStateAsUpdate(base)));
    seeder.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    assert.ok(await seeder.nextFrame(isSyncStep2));
    seeder.ws.close();
    await seeder.closed;
    const stored = await fetchSession(worker, room);
    assert.deepEqual(stored.files, { "index.tsx": "hello world\n" });

    const socket = await rawSocket(room);
    socket.ws.send(encodeUpdate(corrupt));
    await assertClosedWith(socket, 1007, "unappliable update");
    await assertUnharmed(room, stored);
    const [alice, bob] = [join(room), join(room)];
    await Promise.all([alice.synced(), bob.synced()]);
    await assertRoomStillRelays(alice, [bob], "// fine\n");
  });

  it("random garbage frames (seeded) close with 1007 or are harmless, and never change the room", async (t) => {
    const room = "fuzzed";
    await seedRoom(room, { "index.tsx": "// fuzz target\n" });
    const alice = join(room);
    await alice.synced();
    const stored = await fetchSession(worker, room);
    const random = seededRandom(0xbad);
    const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
    const header = (...prefix: number[]) => (payload: Uint8Array) => new Uint8Array([...prefix, payload.length, ...payload]);
    // Pure noise, and noise behind each real header so the decoders further in get exercised too.
    const flavours = [(p: Uint8Array) => p, header(0, 0), header(0, 1), header(0, 2), header(1)];
    const outcomes = { closed1007: 0, harmless: 0 };
    for (let i = 0; i < 150; i++) {
      const frame = flavours[i % flavours.length]!(randomBytes(1 + Math.floor(random() * 100)));
      const socket = await rawSocket(room);
      socket.ws.send(frame);
      // A valid sync step 1 right behind the noise: an answer means the noise was taken as a harmless message.
      socket.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
      const answer = await socket.nextFrame(isSyncStep2);
      if (answer) {
        outcomes.harmless++;
        assert.doesNotThrow(() => decodeMessage(frame), `frame ${i} was accepted, so it must be a well-formed message`);
        socket.ws.close();
        await socket.closed;
      } else {
        await assertClosedWith(socket, 1007, `garbage frame ${i} [${frame.slice(0, 12).join(",")}…]`);
        outcomes.closed1007++;
      }
    }
    t.diagnostic(JSON.stringify(outcomes));
    assert.ok(outcomes.closed1007 > 100, "most noise is rejected");
    assert.deepEqual((await fetchSession(worker, room)).files, stored.files);
    const bob = join(room);
    await bob.synced();
    await assertRoomStillRelays(alice, [bob], "// alive after the fuzz\n");
    await assertUnharmed(WITNESS.room, await fetchSession(worker, WITNESS.room));
  });
});

// ---- limits ---------------------------------------------------------------------------------------------------------


// ---- limits ---------------------------------------------------------------------------------------------------------

describe("room limits", () => {
  it("a frame over ROOM_MAX_FRAME_BYTES closes with 1009 and stores nothing", async () => {
    const room = "big-frame";
    const stored = await seedRoom(room, { "index.tsx": "// small\n" });
    const alice = join(room);
    await alice.synced();
    const socket = await rawSocket(room);
    const frame = encodeUpdate(updateWriting("big.txt", "x".repeat(70_000)));
    assert.ok(frame.byteLength > Number(LIMITS.ROOM_MAX_FRAME_BYTES));
    socket.ws.send(frame);
    await assertClosedWith(socket, 1009, "oversized frame");
    await assertUnharmed(room, stored);
    const bob = join(room);
    await bob.synced();
    await assertRoomStillRelays(alice, [bob], "// after the big frame\n");
  });

  it("an update that would grow the document past ROOM_MAX_DOCUMENT_BYTES closes with 4413 and stores nothing", async () => {
    const room = "huge-doc";
    const stored = await seedRoom(room, { "index.tsx": "// small\n" });
    const alice = join(room);
    await alice.synced();
    const socket = await rawSocket(room);
    const frame = encodeUpdate(updateWriting("huge.txt", "y".repeat(50_000)));
    assert.ok(frame.byteLength < Number(LIMITS.ROOM_MAX_FRAME_BYTES), "under the frame limit");
    assert.ok(frame.byteLength > Number(LIMITS.ROOM_MAX_DOCUMENT_BYTES), "over the document limit");
    socket.ws.send(frame);
    await assertClosedWith(socket, 4413, "document too large");
    await assertUnharmed(room, stored);

    // A stock client that pastes too much is told the same, and y-websocket treats 44xx as final: no reconnect loop.
    const paster = join(room);
    await paster.synced();
    const final = new Promise<{ code: number }>((resolve) => paster.provider.once("closed", resolve));
    fileText(paster.doc, "index.tsx").insert(0, "z".repeat(50_000));
    assert.equal((await final).code, 4413);
    assert.equal(paster.provider.shouldConnect, false);
    await assertUnharmed(room, stored);
    const bob = join(room);
    await bob.synced();
    await assertRoomStillRelays(alice, [bob], "// after the huge paste\n");
  });

  it("a connection over ROOM_MAX_CONNECTIONS closes with 1013, the others keep working, a freed slot is reusable", async () => {
    const room = "crowded";
    const stored = await seedRoom(room, { "index.tsx": "// crowded\n" });
    const members = [join(room), join(room), join(room)];
    await Promise.all(members.map((c) => c.synced()));
    const extra = await rawSocket(room);
    await assertClosedWith(extra, 1013, "fourth connection");
    await assertUnharmed(room, stored);
    await assertRoomStillRelays(members[0]!, members.slice(1), "// three is company\n");

    // One member leaves; a newcomer gets in (once the room has seen the close).
    members[2]!.destroy();
    let newcomer: RawSocket | undefined;
    await waitUntil(
      async () => {
        const socket = await rawSocket(room);
        if (await socket.nextFrame(isSyncStep1)) return Boolean((newcomer = socket));
        assert.equal((await socket.closed).code, 1013);
        return false;
      },
      { what: "a free slot in the room" },
    );
    assert.ok(newcomer);
  });
});

// ---- HTTP -----------------------------------------------------------------------------------------------------------

