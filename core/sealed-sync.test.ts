/**
 * SealedSync driven through its surface with real sealed frames (core/sealed-protocol.ts, core/room-crypto.ts): what it
 * sends and applies for each message a room can send. The room itself is exercised in core/sealed-room-client.test.ts.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import * as Y from "yjs";
import { decodeMessage, MessageType } from "./protocol.js";
import { KEY_CHECK_TEXT, generateRoomKey, importRoomKey, open, seal } from "./room-crypto.js";
import { decodeSealedPlaintext, encodeSealedPlaintext } from "./sealed-header.js";
import { SealedKind, encodeSealedAppended, encodeSealedCaughtUp, encodeSealedMode, encodeSealedStored } from "./sealed-protocol.js";
import { SealedSync, type SealedSyncEvents } from "./sealed-sync.js";
import { until } from "../test-support/wait.js";

const ROOM = "sealed-unit";
/** Awareness keeps an interval timer: every harness is destroyed at the end, so the process can exit. */
const made: SealedSync[] = [];
after(() => made.forEach((sync) => sync.destroy()));
const text = (s: string) => new TextEncoder().encode(s);

/** A SealedSync on a fresh doc, with every frame it sends and every event it emits recorded. */
async function harness(key: string) {
  const sent: ReturnType<typeof decodeMessage>[] = [];
  const events: string[] = [];
  const handlers: SealedSyncEvents = {
    synced: (synced) => events.push(`synced ${synced}`),
    mode: (encrypted) => events.push(`mode ${encrypted}`),
    failed: (failure, message) => events.push(`failed ${failure}: ${message}`),
    dropped: (reason, kind) => events.push(`dropped ${reason} ${kind}`),
  };
  const doc = new Y.Doc();
  const sync = new SealedSync(doc, { name: "Ada", color: "#123456" }, Math.random, { room: ROOM, key }, handlers);
  made.push(sync);
  sync.start((frame) => sent.push(decodeMessage(frame)));
  /** Feed frames and wait until SealedSync handled them (its handling is async). */
  const feed = async (...frames: Uint8Array[]) => {
    for (const frame of frames) sync.receive(decodeMessage(frame) as never);
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setTimeout(resolve, 2));
  };
  return { doc, sync, sent, events, feed };
}

async function sealedUpdate(key: CryptoKey, sender: number, counter: number, update: Uint8Array): Promise<Uint8Array> {
  return seal(key, ROOM, "update", encodeSealedPlaintext(sender, counter, update));
}

function textUpdate(content: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, content);
  return Y.encodeStateAsUpdate(doc);
}

describe("SealedSync", () => {
  test("a wrong key: nothing is sent, the failure is reported, and later frames change nothing", async () => {
    const roomKey = await importRoomKey(await generateRoomKey());
    const { sent, events, feed, doc } = await harness(await generateRoomKey());
    const keyCheck = await seal(roomKey, ROOM, "key-check", text(KEY_CHECK_TEXT));
    await feed(encodeSealedMode(true, keyCheck));
    assert.deepEqual(events, ["failed wrong-key: Wrong key for this encrypted room"]);
    doc.getText("t").insert(0, "local");
    await feed(encodeSealedCaughtUp(0));
    assert.deepEqual(sent, [], "not even a Fetch");
  });

  test("an empty room gets Init with the sealed key check, then Fetch; after CaughtUp the local state is appended", async () => {
    const key = await generateRoomKey();
    const { sent, events, feed, doc } = await harness(key);
    doc.getText("t").insert(0, "before connecting");
    await feed(encodeSealedMode(false));
    assert.deepEqual(sent.map((m) => m.type === MessageType.Sealed && m.kind), [SealedKind.Init, SealedKind.Fetch]);
    const init = sent[0] as { keyCheck: Uint8Array };
    assert.equal(new TextDecoder().decode(await open(await importRoomKey(key), ROOM, "key-check", init.keyCheck)), KEY_CHECK_TEXT);
    await feed(encodeSealedCaughtUp(0));
    assert.deepEqual(events, ["mode true", "synced true"]);
    const append = sent.find((m) => m.type === MessageType.Sealed && m.kind === SealedKind.Append) as { sealed: Uint8Array };
    const opened = decodeSealedPlaintext(await open(await importRoomKey(key), ROOM, "update", append.sealed))!;
    assert.equal(opened.sender, doc.clientID);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, opened.payload);
    assert.equal(copy.getText("t").toString(), "before connecting");
    assert.ok(sent.every((m) => !(m.type === MessageType.Sync)), "no plaintext update ever");
  });

  test("the room's greeting that arrives before start (the token still being fetched) is answered once started", async () => {
    const key = await generateRoomKey();
    const sent: ReturnType<typeof decodeMessage>[] = [];
    const sync = new SealedSync(new Y.Doc(), undefined, Math.random, { room: ROOM, key }, { synced: () => {}, mode: () => {}, failed: () => {} });
    made.push(sync);
    sync.receive(decodeMessage(encodeSealedMode(false)) as never);
    await new Promise((resolve) => setTimeout(resolve, 50));
    sync.start((frame) => sent.push(decodeMessage(frame)));
    await until(() => sent.length === 2, "Init and Fetch");
    assert.deepEqual(sent.map((m) => m.type === MessageType.Sealed && m.kind), [SealedKind.Init, SealedKind.Fetch]);
  });

  test("a second Mode and CaughtUp on one connection (a concurrent Init) re-sends nothing already in flight", async () => {
    const key = await generateRoomKey();
    const cryptoKey = await importRoomKey(key);
    const { sent, feed, doc } = await harness(key);
    doc.getText("t").insert(0, "mine");
    await feed(encodeSealedMode(false), encodeSealedCaughtUp(0));
    const keyCheck = await seal(cryptoKey, ROOM, "key-check", text(KEY_CHECK_TEXT));
    await feed(encodeSealedMode(true, keyCheck), encodeSealedCaughtUp(0));
    const appends = sent.filter((m) => m.type === MessageType.Sealed && m.kind === SealedKind.Append);
    assert.equal(appends.length, 1);
    const fetches = sent.filter((m) => m.type === MessageType.Sealed && m.kind === SealedKind.Fetch);
    assert.equal(fetches.length, 2, "it fetched again after the second greeting");
  });

  test("a replayed entry (same sender and counter under a new seq), a blob of another kind and garbage are dropped", async () => {
    const key = await generateRoomKey();
    const cryptoKey = await importRoomKey(key);
    const { events, feed, doc } = await harness(key);
    const keyCheck = await seal(cryptoKey, ROOM, "key-check", text(KEY_CHECK_TEXT));
    const first = await sealedUpdate(cryptoKey, 42, 1, textUpdate("one"));
    // The same header sealed again has a new IV, so the room cannot tell; the receiver can.
    const replay = await sealedUpdate(cryptoKey, 42, 1, textUpdate("REPLAYED"));
    const awarenessKind = await seal(cryptoKey, ROOM, "awareness", encodeSealedPlaintext(42, 2, textUpdate("wrong kind")));
    const garbage = new Uint8Array(64).fill(7);
    await feed(encodeSealedMode(true, keyCheck), encodeSealedAppended(1, first), encodeSealedAppended(2, replay), encodeSealedAppended(3, awarenessKind), encodeSealedAppended(4, garbage), encodeSealedCaughtUp(4));
    assert.equal(doc.getText("t").toString(), "one");
    assert.deepEqual(events, ["mode true", "dropped replay update", "dropped unopened update", "dropped unopened update", "synced true"]);
  });

  test("entries apply in seq order although they arrive out of it, and Stored acks remove edits from the outbox", async () => {
    const key = await generateRoomKey();
    const cryptoKey = await importRoomKey(key);
    const { sent, feed, doc } = await harness(key);
    const keyCheck = await seal(cryptoKey, ROOM, "key-check", text(KEY_CHECK_TEXT));
    const base = new Y.Doc();
    base.getText("t").insert(0, "ab");
    const u1 = Y.encodeStateAsUpdate(base);
    const sv = Y.encodeStateVector(base);
    base.getText("t").insert(2, "c");
    const u2 = Y.encodeStateAsUpdate(base, sv);
    await feed(encodeSealedMode(true, keyCheck), encodeSealedAppended(2, await sealedUpdate(cryptoKey, 9, 2, u2)), encodeSealedAppended(1, await sealedUpdate(cryptoKey, 9, 1, u1)), encodeSealedCaughtUp(2));
    assert.equal(doc.getText("t").toString(), "abc", "the second entry waited for the first, so its counter was above");
    doc.getText("t").insert(3, "d");
    await feed(encodeSealedStored(3));
    const appends = sent.filter((m) => m.type === MessageType.Sealed && m.kind === SealedKind.Append);
    assert.equal(appends.length, 1);
  });
});
