import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  KEY_CHECK_TEXT,
  SEAL_OVERHEAD,
  SealedError,
  generateRoomKey,
  importRoomKey,
  isRoomKey,
  open,
  seal,
} from "./room-crypto.js";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);

describe("room-crypto", () => {
  test("a generated key is 43 base64url characters and imports", async () => {
    const key = await generateRoomKey();
    assert.match(key, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(isRoomKey(key));
    assert.notEqual(key, await generateRoomKey());
    const imported = await importRoomKey(key);
    assert.equal(imported.type, "secret");
    assert.equal(imported.extractable, false);
  });

  test("seal then open returns the payload; each seal has a fresh IV", async () => {
    const key = await importRoomKey(await generateRoomKey());
    const first = await seal(key, "demo", "update", bytes("marker-ABC"));
    const second = await seal(key, "demo", "update", bytes("marker-ABC"));
    assert.equal(first.byteLength, 10 + SEAL_OVERHEAD);
    assert.notDeepEqual(first.subarray(0, 12), second.subarray(0, 12));
    assert.ok(!text(first).includes("marker"));
    assert.equal(text(await open(key, "demo", "update", first)), "marker-ABC");
    assert.equal(text(await open(key, "demo", "key-check", await seal(key, "demo", "key-check", bytes(KEY_CHECK_TEXT)))), KEY_CHECK_TEXT);
  });

  test("the same key bytes imported twice open each other's blobs", async () => {
    const raw = await generateRoomKey();
    const blob = await seal(await importRoomKey(raw), "r", "snapshot", bytes("x"));
    assert.equal(text(await open(await importRoomKey(raw), "r", "snapshot", blob)), "x");
  });

  test("a wrong key throws SealedError", async () => {
    const key = await importRoomKey(await generateRoomKey());
    const other = await importRoomKey(await generateRoomKey());
    const blob = await seal(key, "demo", "update", bytes("secret"));
    await assert.rejects(open(other, "demo", "update", blob), SealedError);
  });

  test("tampering anywhere (IV, ciphertext, tag, length) throws SealedError", async () => {
    const key = await importRoomKey(await generateRoomKey());
    const blob = await seal(key, "demo", "update", bytes("secret payload"));
    for (const at of [0, 11, 12, blob.byteLength - 17, blob.byteLength - 1]) {
      const bad = blob.slice();
      bad[at]! ^= 1;
      await assert.rejects(open(key, "demo", "update", bad), SealedError, `byte ${at}`);
    }
    await assert.rejects(open(key, "demo", "update", blob.subarray(0, blob.byteLength - 1)), SealedError);
    await assert.rejects(open(key, "demo", "update", blob.subarray(0, SEAL_OVERHEAD - 1)), SealedError);
    await assert.rejects(open(key, "demo", "update", new Uint8Array(0)), SealedError);
  });

  test("the additional data binds a blob to its room and its kind", async () => {
    const key = await importRoomKey(await generateRoomKey());
    const blob = await seal(key, "room-a", "update", bytes("p"));
    await assert.rejects(open(key, "room-b", "update", blob), SealedError);
    await assert.rejects(open(key, "room-a", "snapshot", blob), SealedError);
    await assert.rejects(open(key, "room-a", "awareness", blob), SealedError);
    await assert.rejects(open(key, "room-a", "key-check", blob), SealedError);
    assert.equal(text(await open(key, "room-a", "update", blob)), "p");
  });

  test("an unknown kind is a TypeError, not a silent seal", async () => {
    const key = await importRoomKey(await generateRoomKey());
    await assert.rejects(seal(key, "r", "bogus" as never, bytes("p")), TypeError);
  });

  test("bad room keys are refused by isRoomKey and importRoomKey", async () => {
    const good = await generateRoomKey();
    const bad: unknown[] = [
      "",
      "short",
      good.slice(0, 42),
      good + "A",
      good.slice(0, 42) + "B", // 43 chars, but the last one carries bits past 256
      good.slice(0, 42) + "=",
      good.slice(0, 42) + "+",
      good.replace(/^./, "/"),
      " " + good.slice(1),
      null,
      undefined,
      42,
      new Uint8Array(32),
    ];
    for (const value of bad) {
      assert.equal(isRoomKey(value), false, String(value));
      await assert.rejects(importRoomKey(value as string), TypeError, String(value));
    }
    assert.ok(isRoomKey("A".repeat(43)));
    assert.ok(isRoomKey("_".repeat(42) + "w"));
  });
});
