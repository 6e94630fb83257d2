/**
 * End-to-end encrypted rooms through the real Worker and CodeRoom under workerd, with raw e2e sockets that seal with
 * core/room-crypto.ts: Init, the log (Append, Stored, Appended, Fetch, CaughtUp), client snapshots, sealed presence, and
 * every refusal (replays, forged presence, stale or future snapshots, viewers, plaintext on either side, sizes).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import * as Y from "yjs";
import {
  AuthKind,
  CloseCode,
  MessageType,
  SealedKind,
  encodeAuthToken,
  encodeQueryAwareness,
  encodeSealedAppend,
  encodeSealedAppended,
  encodeSealedAwareness,
  encodeSealedFetch,
  encodeSealedInit,
  encodeSealedSnapshot,
  encodeSyncStep1,
  encodeUpdate,
} from "../../core/protocol.js";
import { KEY_CHECK_TEXT, generateRoomKey, importRoomKey, open, seal } from "../../core/room-crypto.js";
import { OWNER, putPermissions, sharedSigner } from "../../test-support/permissions.js";
import { closeSealed, messagesOf, openSealed, roomDatabase, sealedKinds, sealedOf, sqlite, waitSealed } from "../../test-support/sealed.js";
import { closeOpened, rawSocket, startTestWorker, uniqueRooms, waitUntil, type RawSocket, type TestWorker } from "../test-support.js";

afterEach(() => {
  closeSealed();
  closeOpened();
});

const nextRoom = uniqueRooms("sealed");

/** A client of one encrypted room: its key, its doc, and sealing of its edits. */
async function sealer(room: string) {
  const key = await importRoomKey(await generateRoomKey());
  const doc = new Y.Doc();
  return {
    key,
    doc,
    keyCheck: () => seal(key, room, "key-check", new TextEncoder().encode(KEY_CHECK_TEXT)),
    /** Insert `text` and return the sealed Yjs update. */
    async edit(text: string): Promise<Uint8Array> {
      let update: Uint8Array | null = null;
      const keep = (u: Uint8Array) => (update = u);
      doc.on("update", keep);
      doc.getText("t").insert(doc.getText("t").length, text);
      doc.off("update", keep);
      return seal(key, room, "update", update!);
    },
  };
}

/** Open an e2e socket on a fresh room and make it encrypted; returns the socket, its sealer and the claim token. */
async function encryptedRoom(worker: TestWorker, room = nextRoom()) {
  const client = await sealer(room);
  const socket = await openSealed(worker, room);
  const [mode] = await waitSealed(socket, SealedKind.Mode);
  assert.deepEqual({ encrypted: mode!.encrypted, keyCheck: mode!.keyCheck.byteLength }, { encrypted: false, keyCheck: 0 });
  socket.ws.send(encodeSealedInit(await client.keyCheck()));
  const claim = await socket.nextFrame((f) => messagesOf({ frames: [f] } as RawSocket).some((m) => m.type === MessageType.Auth && m.kind === AuthKind.Claim));
  assert.ok(claim, "the Init created the room: a claim token came back");
  const claimMessage = messagesOf({ frames: [claim] } as RawSocket)[0] as { claimToken: string };
  return { room, client, socket, claimToken: claimMessage.claimToken };
}

async function append(socket: RawSocket, sealed: Uint8Array, seq: number): Promise<void> {
  const before = sealedOf(socket, SealedKind.Stored).length;
  socket.ws.send(encodeSealedAppend(sealed));
  const stored = await waitSealed(socket, SealedKind.Stored, before + 1);
  assert.equal(stored.at(-1)!.seq, seq);
}

describe("end-to-end encrypted rooms: sockets", () => {
  let worker: TestWorker;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "spike-sealed-"));
    const signer = await sharedSigner();
    worker = await startTestWorker({
      persistDir: dir,
      vars: { CLERK_JWT_KEY: signer.publicKeyPem, ROOM_FRAME_BURST: "2000", ROOM_FRAMES_PER_SECOND: "2000", ROOM_BYTES_PER_SECOND: "10000000" },
    });
  });
  after(async () => {
    await worker?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("Init, appends acked and relayed; a second client fetches the log in order and opens it", async () => {
    const { room, client, socket: alice } = await encryptedRoom(worker);
    for (const [i, text] of ["one ", "two ", "three "].entries()) await append(alice, await client.edit(text), i + 1);

    const bob = await openSealed(worker, room);
    const [mode] = await waitSealed(bob, SealedKind.Mode);
    assert.equal(mode!.encrypted, true);
    assert.equal(new TextDecoder().decode(await open(client.key, room, "key-check", mode!.keyCheck)), KEY_CHECK_TEXT);
    bob.ws.send(encodeSealedFetch(0));
    const [caughtUp] = await waitSealed(bob, SealedKind.CaughtUp);
    assert.equal(caughtUp!.seq, 3);
    assert.deepEqual(sealedKinds(bob), [SealedKind.Mode, SealedKind.Appended, SealedKind.Appended, SealedKind.Appended, SealedKind.CaughtUp]);
    const doc = new Y.Doc();
    for (const entry of sealedOf(bob, SealedKind.Appended)) Y.applyUpdate(doc, await open(client.key, room, "update", entry.sealed));
    assert.equal(doc.getText("t").toString(), "one two three ");
    assert.deepEqual(sealedOf(bob, SealedKind.Appended).map((e) => e.seq), [1, 2, 3]);

    // Live: the appender gets Stored, everyone else Appended.
    await append(alice, await client.edit("four"), 4);
    const live = await waitSealed(bob, SealedKind.Appended, 4);
    assert.equal(live[3]!.seq, 4);
    Y.applyUpdate(doc, await open(client.key, room, "update", live[3]!.sealed));
    assert.equal(doc.getText("t").toString(), "one two three four");
    assert.equal(sealedOf(alice, SealedKind.Appended).length, 0, "no echo of one's own appends");

    // A Fetch since a seq sends only what follows it.
    const carol = await openSealed(worker, room);
    await waitSealed(carol, SealedKind.Mode);
    carol.ws.send(encodeSealedFetch(2));
    await waitSealed(carol, SealedKind.CaughtUp);
    assert.deepEqual(sealedOf(carol, SealedKind.Appended).map((e) => e.seq), [3, 4]);
  });

  it("past 200 entries the appender is asked for a snapshot; a snapshot replaces the log's head and Fetch starts from it", async () => {
    const { room, client, socket: alice } = await encryptedRoom(worker);
    for (let i = 0; i < 201; i++) alice.ws.send(encodeSealedAppend(await client.edit(`${i},`)));
    await waitSealed(alice, SealedKind.Stored, 201);
    const [wanted] = await waitSealed(alice, SealedKind.SnapshotWanted);
    assert.equal(wanted!.upTo, 201);
    const db = await roomDatabase(dir, room);
    assert.equal(sqlite(db, "SELECT count(*) FROM sealed_log"), "201");

    // A snapshot past the log's end is refused (1007) and changes nothing.
    const state = await seal(client.key, room, "snapshot", Y.encodeStateAsUpdate(client.doc));
    const liar = await openSealed(worker, room);
    await waitSealed(liar, SealedKind.Mode);
    liar.ws.send(encodeSealedSnapshot(202, state));
    assert.equal((await liar.closed).code, CloseCode.InvalidFrame);
    assert.equal(sqlite(db, "SELECT count(*) FROM sealed_log"), "201");

    alice.ws.send(encodeSealedSnapshot(150, state));
    await append(alice, await client.edit("after"), 202);
    assert.equal(sqlite(db, "SELECT count(*) FROM sealed_log"), "52", "entries up to 150 deleted");
    assert.equal(sqlite(db, "SELECT min(seq) || '-' || max(seq) FROM sealed_log"), "151-202");

    // An older snapshot (two clients answering one SnapshotWanted) is ignored: the socket stays, nothing is lost.
    alice.ws.send(encodeSealedSnapshot(100, await seal(client.key, room, "snapshot", new Uint8Array([0, 0]))));
    const bob = await openSealed(worker, room);
    await waitSealed(bob, SealedKind.Mode);
    bob.ws.send(encodeSealedFetch(0));
    await waitSealed(bob, SealedKind.CaughtUp);
    const snapshots = sealedOf(bob, SealedKind.Snapshot);
    assert.equal(snapshots.length, 1);
    assert.equal(snapshots[0]!.upTo, 150);
    assert.deepEqual(sealedKinds(bob).slice(0, 2), [SealedKind.Mode, SealedKind.Snapshot]);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await open(client.key, room, "snapshot", snapshots[0]!.sealed));
    for (const entry of sealedOf(bob, SealedKind.Appended)) Y.applyUpdate(doc, await open(client.key, room, "update", entry.sealed));
    assert.equal(doc.getText("t").toString(), client.doc.getText("t").toString());
    assert.equal(alice.ws.readyState, alice.ws.OPEN);
    assert.equal(sqlite(db, "SELECT snapshot_up_to FROM sealed_meta"), "150");
  });

  it("a replayed Append is closed with 1007 and the log is unchanged", async () => {
    const { room, client, socket: alice } = await encryptedRoom(worker);
    const sealed = await client.edit("once");
    await append(alice, sealed, 1);
    const mallory = await openSealed(worker, room);
    await waitSealed(mallory, SealedKind.Mode);
    mallory.ws.send(encodeSealedAppend(sealed));
    assert.deepEqual(await mallory.closed, { code: CloseCode.InvalidFrame, reason: "replayed ciphertext" });
    assert.equal(sqlite(await roomDatabase(dir, room), "SELECT count(*) FROM sealed_log"), "1");
  });

  it("a viewer's Append and Snapshot are dropped with one PermissionDenied read-only", async () => {
    const { room, client, socket: alice, claimToken } = await encryptedRoom(worker);
    await append(alice, await client.edit("x"), 1);
    assert.equal((await putPermissions(worker, OWNER, room, { visibility: "readonly", claimToken })).status, 200);
    const viewer = await openSealed(worker, room);
    await waitSealed(viewer, SealedKind.Mode);
    viewer.ws.send(encodeSealedAppend(await client.edit("y")));
    viewer.ws.send(encodeSealedSnapshot(1, await seal(client.key, room, "snapshot", new Uint8Array([0, 0]))));
    await waitUntil(() => messagesOf(viewer).some((m) => m.type === MessageType.Auth && m.kind === AuthKind.PermissionDenied));
    const denied = messagesOf(viewer).filter((m) => m.type === MessageType.Auth && m.kind === AuthKind.PermissionDenied);
    assert.equal(denied.length, 1);
    assert.equal((denied[0] as { denial: string }).denial, "read-only");
    assert.equal(sealedOf(viewer, SealedKind.Stored).length, 0);
    const db = await roomDatabase(dir, room);
    assert.equal(sqlite(db, "SELECT count(*) FROM sealed_log"), "1");
    assert.equal(sqlite(db, "SELECT snapshot_up_to FROM sealed_meta"), "0");
    // The owner (signed in) still writes.
    const owner = await openSealed(worker, room);
    owner.ws.send(encodeAuthToken(await (await sharedSigner()).sign({ sub: OWNER })));
    await waitSealed(owner, SealedKind.Mode);
    await append(owner, await client.edit("z"), 2);
  });

  it("sealed presence is relayed, greeted, guarded against forgery and size, and its departure announced", async () => {
    const { room, client, socket: alice } = await encryptedRoom(worker);
    const bob = await openSealed(worker, room);
    await waitSealed(bob, SealedKind.Mode);
    const state = await seal(client.key, room, "awareness", new TextEncoder().encode('{"user":{"name":"alice"}}'));
    alice.ws.send(encodeSealedAwareness(71, state));
    const [relayed] = await waitSealed(bob, SealedKind.Awareness);
    assert.equal(relayed!.clientId, 71);
    assert.deepEqual(relayed!.sealed, state);

    const carol = await openSealed(worker, room);
    const [greeted] = await waitSealed(carol, SealedKind.Awareness);
    assert.equal(greeted!.clientId, 71, "a joiner is greeted with the others' sealed presence");
    carol.ws.send(encodeQueryAwareness());
    const queried = await waitSealed(carol, SealedKind.Awareness, 2);
    assert.deepEqual(queried[1]!.sealed, state, "a QueryAwareness is answered with the stored sealed states");

    bob.ws.send(encodeSealedAwareness(71, state));
    assert.deepEqual(await bob.closed, { code: CloseCode.InvalidFrame, reason: "forged awareness: client 71 is not this connection" });

    carol.ws.send(encodeSealedAwareness(72, new Uint8Array(2 * 4096 + 1000)));
    assert.equal((await carol.closed).code, CloseCode.FrameTooLarge);

    const dave = await openSealed(worker, room);
    await waitSealed(dave, SealedKind.Mode);
    alice.ws.close();
    const [left] = await waitSealed(dave, SealedKind.Left);
    assert.deepEqual(left!.clientIds, [71]);
  });

  it("plaintext sockets and frames on an encrypted room are closed with 4409", async () => {
    const { room, socket: alice } = await encryptedRoom(worker);
    const plain = await openSealed(worker, room, { e2e: false });
    assert.deepEqual(await plain.closed, { code: CloseCode.Encrypted, reason: "room is end-to-end encrypted" });
    const stock = await rawSocket(worker, room, { closeCodes: false });
    assert.equal((await stock.closed).code, CloseCode.Encrypted);

    const doc = new Y.Doc();
    doc.getText("t").insert(0, "plaintext write");
    alice.ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc)));
    assert.equal((await alice.closed).code, CloseCode.Encrypted);
    const bob = await openSealed(worker, room);
    await waitSealed(bob, SealedKind.Mode);
    bob.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    assert.equal((await bob.closed).code, CloseCode.Encrypted);
  });

  it("a plaintext socket of an empty room is closed with 4409 when another client makes the room encrypted", async () => {
    const room = nextRoom();
    const plain = await rawSocket(worker, room);
    await waitUntil(() => plain.frames.length > 0, { what: "the plaintext greeting" });
    await encryptedRoom(worker, room);
    assert.equal((await plain.closed).code, CloseCode.Encrypted);
  });

  it("e2e sockets and Init on a plaintext room with content are closed with 4412", async () => {
    const room = nextRoom();
    const early = await openSealed(worker, room);
    await waitSealed(early, SealedKind.Mode);
    const response = await fetch(new URL(`/live/${room}/files/index.tsx`, worker.url), { method: "PUT", body: "plain\n" });
    assert.equal(response.status, 200);
    early.ws.send(encodeSealedInit(await (await sealer(room)).keyCheck()));
    assert.deepEqual(await early.closed, { code: CloseCode.NotEncrypted, reason: "room is not end-to-end encrypted" });
    const late = await openSealed(worker, room);
    assert.equal((await late.closed).code, CloseCode.NotEncrypted);
    assert.equal((await fetch(new URL(`/live/${room}/index.tsx`, worker.url))).status, 200, "the plaintext room is untouched");
  });

  it("an Init on an encrypted room is ignored; malformed and server-only sealed frames are closed with 1007", async () => {
    const { room, client, socket: alice } = await encryptedRoom(worker);
    const before = await openSealed(worker, room);
    const [mode] = await waitSealed(before, SealedKind.Mode);
    alice.ws.send(encodeSealedInit(new Uint8Array(64).fill(9)));
    await append(alice, await client.edit("still"), 1);
    const after = await openSealed(worker, room);
    const [again] = await waitSealed(after, SealedKind.Mode);
    assert.deepEqual(again!.keyCheck, mode!.keyCheck, "the key check is the first Init's");

    const bad: [string, Uint8Array][] = [
      ["short blob", encodeSealedAppend(new Uint8Array(5))],
      ["unknown kind", new Uint8Array([5, 42])],
      ["server-only Appended", encodeSealedAppended(9, new Uint8Array(40))],
      ["truncated", encodeSealedAppend(new Uint8Array(40)).subarray(0, 10)],
    ];
    for (const [what, frame] of bad) {
      const socket = await openSealed(worker, room);
      await waitSealed(socket, SealedKind.Mode);
      socket.ws.send(frame);
      assert.equal((await socket.closed).code, CloseCode.InvalidFrame, what);
    }
    assert.equal(sqlite(await roomDatabase(dir, room), "SELECT count(*) FROM sealed_log"), "1");
  });
});

describe("end-to-end encrypted rooms: sizes", () => {
  let worker: TestWorker;
  before(async () => {
    worker = await startTestWorker({ vars: { ROOM_MAX_DOCUMENT_BYTES: "2000", ROOM_MAX_FRAME_BYTES: "1500" } });
  });
  after(() => worker?.dispose());

  it("sealed bytes count against the document limit (4413) and the frame limit (1009)", async () => {
    const { room, client, socket: alice } = await encryptedRoom(worker);
    await append(alice, await client.edit("a".repeat(900)), 1);
    alice.ws.send(encodeSealedAppend(await client.edit("b".repeat(1100))));
    assert.equal((await alice.closed).code, CloseCode.DocumentTooLarge);
    const bob = await openSealed(worker, room);
    await waitSealed(bob, SealedKind.Mode);
    bob.ws.send(encodeSealedAppend(await client.edit("c".repeat(1600))));
    assert.equal((await bob.closed).code, CloseCode.FrameTooLarge);
    const carol = await openSealed(worker, room);
    await waitSealed(carol, SealedKind.Mode);
    carol.ws.send(encodeSealedFetch(0));
    assert.equal((await waitSealed(carol, SealedKind.CaughtUp))[0]!.seq, 1, "nothing refused was stored");
  });
});
