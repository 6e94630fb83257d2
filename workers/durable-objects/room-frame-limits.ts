/**
 * Per-socket rate limits: token buckets per WebSocket for frames, bytes, requests for the whole room state and presence
 * bytes, in memory only. A socket that outpaces them is closed with 4429; after hibernation (an idle room) the buckets start
 * full again, which an idle socket had earned. The limits are ROOM_* settings read by readConfig (workers/platform/config.ts).
 */
import { TokenBucket } from "../../core/token-bucket.js";
import type { FrameLimits } from "../platform/config.js";

/** A refusal: the seconds to wait (sent as data, Auth/Refused) and the close reason that says it for people. */
export type Refusal = { ok: false; retryAfterSeconds: number; reason: string };

interface SocketBuckets {
  frames: TokenBucket;
  bytes: TokenBucket;
  fullStates: TokenBucket;
  awareness: TokenBucket;
}

/** The buckets of every socket of one room. */
export class SocketFrameLimiter {
  #limits: FrameLimits;
  #buckets = new WeakMap<WebSocket, SocketBuckets>();

  constructor(limits: FrameLimits) {
    this.#limits = limits;
  }

  /**
   * Spend one frame of `bytes` for `ws`.
   * @example const taken = limiter.take(ws, frame.byteLength); if (!taken.ok) ws.close(4429, taken.reason);
   */
  take(ws: WebSocket, bytes: number, now = Date.now()): { ok: true } | Refusal {
    const buckets = this.#of(ws, now);
    const frames = buckets.frames.take(now);
    // A frame larger than the byte burst (only with a small configured burst) costs a whole burst rather than never passing.
    const taken = frames.ok ? buckets.bytes.take(now, Math.min(bytes, this.#limits.byteBurst)) : frames;
    if (taken.ok) return taken;
    const { framesPerSecond, bytesPerSecond } = this.#limits;
    return refusal(taken.retryAfterSeconds, `sending too fast (over ${framesPerSecond} frames or ${bytesPerSecond} bytes a second)`);
  }

  /** Spend one request for the room's whole state (a sync step 1 or a QueryAwareness) for `ws`. */
  takeFullState(ws: WebSocket, now = Date.now()): { ok: true } | Refusal {
    const taken = this.#of(ws, now).fullStates.take(now);
    if (taken.ok) return taken;
    return refusal(taken.retryAfterSeconds, `too many requests for the whole room state (${this.#limits.fullStatesPerMinute} a minute)`);
  }

  /** Spend `bytes` of awareness (presence) that `ws` publishes. */
  takeAwareness(ws: WebSocket, bytes: number, now = Date.now()): { ok: true } | Refusal {
    const taken = this.#of(ws, now).awareness.take(now, Math.min(bytes, this.#limits.awarenessByteBurst));
    if (taken.ok) return taken;
    return refusal(taken.retryAfterSeconds, `presence updates too large or too fast (over ${this.#limits.awarenessBytesPerSecond} bytes a second)`);
  }

  #of(ws: WebSocket, now: number): SocketBuckets {
    let buckets = this.#buckets.get(ws);
    if (!buckets) {
      const limits = this.#limits;
      buckets = {
        frames: new TokenBucket({ capacity: limits.frameBurst, refillPerSecond: limits.framesPerSecond }, now),
        bytes: new TokenBucket({ capacity: limits.byteBurst, refillPerSecond: limits.bytesPerSecond }, now),
        fullStates: new TokenBucket({ capacity: limits.fullStateBurst, refillPerSecond: limits.fullStatesPerMinute / 60 }, now),
        awareness: new TokenBucket({ capacity: limits.awarenessByteBurst, refillPerSecond: limits.awarenessBytesPerSecond }, now),
      };
      this.#buckets.set(ws, buckets);
    }
    return buckets;
  }
}

function refusal(retryAfterSeconds: number, what: string): Refusal {
  return { ok: false, retryAfterSeconds, reason: `${what}; retry in ${retryAfterSeconds} s` };
}
