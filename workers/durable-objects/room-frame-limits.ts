/**
 * Per-socket rate limits: token buckets per WebSocket for frames, bytes, requests for the whole room state and presence
 * bytes, in memory only. A socket that outpaces them is closed with 4429; after hibernation (an idle room) the buckets start
 * full again, which an idle socket had earned.
 */
import { positiveSetting } from "../main/env.js";
import { TokenBucket } from "../../core/token-bucket.js";

/** Frame limits per socket; see README "Configuration". */
export interface FrameLimits {
  framesPerSecond: number;
  frameBurst: number;
  bytesPerSecond: number;
  byteBurst: number;
  /**
   * Requests for the room's whole state (a sync step 1, a QueryAwareness) answered per socket: a burst, then this many a
   * minute. Each answer can be the whole document, so a few bytes in would otherwise buy megabytes out.
   */
  fullStateBurst: number;
  fullStatesPerMinute: number;
  /** Awareness bytes a socket may publish (each is relayed to every socket in the room): sustained and burst. */
  awarenessBytesPerSecond: number;
  awarenessByteBurst: number;
}

/**
 * Defaults: far above a person typing (a few frames a second) and above a 50-client benchmark's per-socket rate. A client
 * asks for the whole state once per connection; presence is a cursor of about 200 bytes per move.
 */
export const DEFAULT_FRAME_LIMITS: Readonly<FrameLimits> = Object.freeze({
  framesPerSecond: 200,
  frameBurst: 1_000,
  bytesPerSecond: 1_000_000,
  byteBurst: 4_000_000,
  fullStateBurst: 5,
  fullStatesPerMinute: 6,
  awarenessBytesPerSecond: 16_384,
  awarenessByteBurst: 65_536,
});

/**
 * The limits from ROOM_FRAMES_PER_SECOND, ROOM_FRAME_BURST, ROOM_BYTES_PER_SECOND, ROOM_BYTE_BURST (default 4x the byte
 * rate), ROOM_FULL_STATE_BURST, ROOM_FULL_STATES_PER_MINUTE, ROOM_AWARENESS_BYTES_PER_SECOND and ROOM_AWARENESS_BYTE_BURST
 * (default 4x that rate).
 * @example frameLimits({ ROOM_FRAMES_PER_SECOND: "50" }).framesPerSecond // 50
 */
export function frameLimits(env: Partial<Record<string, unknown>>): FrameLimits {
  const setting = (name: string, fallback: number) => positiveSetting(env[name]) ?? fallback;
  const bytesPerSecond = setting("ROOM_BYTES_PER_SECOND", DEFAULT_FRAME_LIMITS.bytesPerSecond);
  const awarenessBytesPerSecond = setting("ROOM_AWARENESS_BYTES_PER_SECOND", DEFAULT_FRAME_LIMITS.awarenessBytesPerSecond);
  return {
    framesPerSecond: setting("ROOM_FRAMES_PER_SECOND", DEFAULT_FRAME_LIMITS.framesPerSecond),
    frameBurst: Math.max(1, setting("ROOM_FRAME_BURST", DEFAULT_FRAME_LIMITS.frameBurst)),
    bytesPerSecond,
    byteBurst: Math.max(1, setting("ROOM_BYTE_BURST", bytesPerSecond * 4)),
    fullStateBurst: Math.max(1, setting("ROOM_FULL_STATE_BURST", DEFAULT_FRAME_LIMITS.fullStateBurst)),
    fullStatesPerMinute: setting("ROOM_FULL_STATES_PER_MINUTE", DEFAULT_FRAME_LIMITS.fullStatesPerMinute),
    awarenessBytesPerSecond,
    awarenessByteBurst: Math.max(1, setting("ROOM_AWARENESS_BYTE_BURST", awarenessBytesPerSecond * 4)),
  };
}

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
