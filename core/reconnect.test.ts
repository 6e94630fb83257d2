/**
 * What RoomClient does after a close, as the pure function it is (core/reconnect.ts): which closes stop it, how long a
 * 4429 waits (the Auth/Refused's seconds, never anything read from the reason), and the backoff curve.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CloseCode } from "./protocol.js";
import { DEFAULT_RATE_LIMIT_WAIT_SECONDS, afterClose, reconnectDelay, type ClosedSocket } from "./reconnect.js";

const closed = (fields: Partial<ClosedSocket> & { code: number }): ClosedSocket => ({
  sentToken: false,
  hasTokenSource: false,
  authRetried: false,
  refusal: null,
  ...fields,
});

describe("afterClose", () => {
  test("a 4429 waits the seconds of the Auth/Refused before it", () => {
    const refusal = { code: CloseCode.RateLimited, retryAfterSeconds: 7 };
    assert.deepEqual(afterClose(closed({ code: CloseCode.RateLimited, refusal })), { action: "retry", minDelayMs: 7000, authRetried: false });
  });

  test("a 4429 without one waits the default second; a refusal for another code does not count", () => {
    const wait = { action: "retry", minDelayMs: DEFAULT_RATE_LIMIT_WAIT_SECONDS * 1000, authRetried: false };
    assert.deepEqual(afterClose(closed({ code: CloseCode.RateLimited })), wait);
    assert.deepEqual(afterClose(closed({ code: CloseCode.RateLimited, refusal: { code: CloseCode.RoomFull, retryAfterSeconds: 60 } })), wait);
  });

  test("a refusal before another close changes nothing: that close reconnects with the usual backoff", () => {
    const refusal = { code: CloseCode.RateLimited, retryAfterSeconds: 7 };
    assert.deepEqual(afterClose(closed({ code: CloseCode.RoomFull, refusal })), { action: "retry", minDelayMs: 0, authRetried: false });
    assert.deepEqual(afterClose(closed({ code: 1006 })), { action: "retry", minDelayMs: 0, authRetried: false });
  });

  test("terminal codes stop; a 4401 after a token gets one more try with a fresh one, then stops", () => {
    for (const code of [CloseCode.InvalidFrame, CloseCode.FrameTooLarge, CloseCode.Forbidden, CloseCode.DocumentTooLarge]) {
      assert.deepEqual(afterClose(closed({ code })), { action: "stop" }, String(code));
    }
    const expired = closed({ code: CloseCode.Unauthorized, sentToken: true, hasTokenSource: true });
    assert.deepEqual(afterClose(expired), { action: "retry", minDelayMs: 0, authRetried: true });
    assert.deepEqual(afterClose({ ...expired, authRetried: true }), { action: "stop" });
    assert.deepEqual(afterClose(closed({ code: CloseCode.Unauthorized })), { action: "stop" }, "anonymous: nothing to refresh");
  });
});

test("reconnect delay: exponential, capped, fully jittered", () => {
  const opts = { minBackoffMs: 250, maxBackoffMs: 10_000 };
  assert.equal(reconnectDelay(0, { ...opts, random: () => 1 }), 250);
  assert.equal(reconnectDelay(3, { ...opts, random: () => 1 }), 2000);
  assert.equal(reconnectDelay(20, { ...opts, random: () => 1 }), 10_000);
  assert.equal(reconnectDelay(1000, { ...opts, random: () => 1 }), 10_000);
  assert.equal(reconnectDelay(3, { ...opts, random: () => 0 }), 0);
  assert.equal(reconnectDelay(3, { ...opts, random: () => 0.25 }), 500);
});
