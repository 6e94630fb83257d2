/** The token bucket behind the RateLimiter, driven with an explicit clock (pure logic: runs in node). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { TokenBucket } from "./token-bucket.js";

describe("TokenBucket", () => {
  test("starts full, spends down to empty, then refuses with the wait until the next token", () => {
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 0.5 }, 0);
    assert.deepEqual([bucket.take(0), bucket.take(0), bucket.take(0)], [{ ok: true }, { ok: true }, { ok: true }]);
    assert.deepEqual(bucket.take(0), { ok: false, retryAfterSeconds: 2 });
    // A refusal spends nothing: half a second later the wait is shorter, not longer.
    assert.deepEqual(bucket.take(500), { ok: false, retryAfterSeconds: 2 });
    assert.deepEqual(bucket.take(1_200), { ok: false, retryAfterSeconds: 1 });
    assert.deepEqual(bucket.take(2_000), { ok: true });
    assert.deepEqual(bucket.take(2_000), { ok: false, retryAfterSeconds: 2 });
  });

  test("refills at the configured rate and never above capacity", () => {
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 2 }, 0);
    for (let i = 0; i < 10; i++) assert.equal(bucket.take(0).ok, true);
    assert.equal(bucket.tokens(0), 0);
    assert.equal(bucket.tokens(1_500), 3);
    assert.equal(bucket.isFull(1_500), false);
    assert.equal(bucket.tokens(3_600_000), 10);
    assert.equal(bucket.isFull(3_600_000), true);
  });

  test("the wait is whole seconds, at least 1, and scales with the cost", () => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 10 }, 0);
    bucket.take(0, 5);
    assert.deepEqual(bucket.take(0), { ok: false, retryAfterSeconds: 1 });
    const slow = new TokenBucket({ capacity: 5, refillPerSecond: 0.1 }, 0);
    slow.take(0, 5);
    assert.deepEqual(slow.take(0, 3), { ok: false, retryAfterSeconds: 30 });
  });

  test("a changed limit keeps what was spent and trims tokens above the new capacity", () => {
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 1 }, 0);
    bucket.take(0, 4);
    bucket.setLimit({ capacity: 20, refillPerSecond: 1 }, 0);
    assert.equal(bucket.tokens(0), 6);
    bucket.setLimit({ capacity: 2, refillPerSecond: 1 }, 0);
    assert.equal(bucket.tokens(0), 2);
  });

  test("a clock that steps backwards neither refills nor drains", () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1 }, 10_000);
    bucket.take(10_000, 2);
    assert.equal(bucket.tokens(5_000), 0);
    assert.equal(bucket.tokens(11_000), 1);
  });

  test("nonsense limits and costs throw instead of allowing everything", () => {
    assert.throws(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 }), RangeError);
    assert.throws(() => new TokenBucket({ capacity: 5, refillPerSecond: 0 }), RangeError);
    assert.throws(() => new TokenBucket({ capacity: Number.NaN, refillPerSecond: 1 }), RangeError);
    assert.throws(() => new TokenBucket({ capacity: 5, refillPerSecond: Infinity }), RangeError);
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 1 });
    assert.throws(() => bucket.take(Date.now(), 6), RangeError);
    assert.throws(() => bucket.take(Date.now(), -1), RangeError);
  });
});
