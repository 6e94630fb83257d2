/** The plaintext header of an encrypted room's messages, the replay rule and the order of log entries (core/sealed-header.ts). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ReplayGuard, SeqOrder, decodeSealedPlaintext, encodeSealedPlaintext } from "./sealed-header.js";

describe("sealed plaintext header", () => {
  test("sender and counter round-trip in front of the payload, large values included", () => {
    for (const [sender, counter] of [[0, 1], [1, 127], [2 ** 31 - 1, 128], [2 ** 32 + 5, 2 ** 40]] as const) {
      const payload = new Uint8Array([1, 2, 3, 0, 255]);
      const decoded = decodeSealedPlaintext(encodeSealedPlaintext(sender, counter, payload));
      assert.deepEqual(decoded && { ...decoded, payload: [...decoded.payload] }, { sender, counter, payload: [1, 2, 3, 0, 255] });
    }
  });

  test("an empty payload is allowed; a plaintext too short for the header is refused", () => {
    assert.equal(decodeSealedPlaintext(encodeSealedPlaintext(7, 9, new Uint8Array(0)))?.payload.byteLength, 0);
    assert.equal(decodeSealedPlaintext(new Uint8Array(0)), null);
    assert.equal(decodeSealedPlaintext(new Uint8Array([0x80])), null, "a varUint cut short");
    assert.equal(decodeSealedPlaintext(new Uint8Array([5])), null, "a sender without a counter");
  });
});

describe("ReplayGuard", () => {
  test("accepts increasing counters per sender and drops equal or lower ones", () => {
    const guard = new ReplayGuard();
    assert.equal(guard.accept(1, 1), true);
    assert.equal(guard.accept(1, 1), false, "the same message again");
    assert.equal(guard.accept(2, 1), true, "another sender counts on its own");
    assert.equal(guard.accept(1, 5), true, "gaps are fine");
    assert.equal(guard.accept(1, 3), false, "an older message served later");
    assert.equal(guard.accept(1, 0), false, "counters start at 1");
    guard.clear();
    assert.equal(guard.accept(1, 5), true, "forgotten after clear");
  });
});

describe("SeqOrder", () => {
  test("applies entries in sequence order, holding one that came before its predecessor", () => {
    const order = new SeqOrder<string>();
    assert.deepEqual(order.arrive(2, "b"), []);
    assert.deepEqual(order.arrive(1, "a"), ["a", "b"]);
    assert.deepEqual(order.arrive(2, "b again"), [], "a duplicate");
    assert.equal(order.last, 2);
  });

  test("our own acknowledged appends fill gaps without being applied", () => {
    const order = new SeqOrder<string>();
    assert.deepEqual(order.arrive(2, "b"), []);
    assert.deepEqual(order.arrive(1, null), ["b"]);
    assert.equal(order.last, 2);
  });

  test("a snapshot covers what waits below its upTo; CaughtUp flushes the rest, gaps or not", () => {
    const order = new SeqOrder<string>(3);
    assert.deepEqual(order.arrive(12, "l"), []);
    assert.deepEqual(order.arrive(5, "e"), []);
    assert.deepEqual(order.coverTo(10), [], "5 is inside the snapshot");
    assert.deepEqual(order.arrive(14, "n"), []);
    assert.deepEqual(order.flush(14), ["l", "n"]);
    assert.equal(order.last, 14);
    assert.deepEqual(order.arrive(13, "m"), [], "below what the room said it had sent");
  });
});
