/**
 * Per-socket frame rate limits: two token buckets per WebSocket (frames and bytes), in memory only. A socket that outpaces
 * them is closed with 4429; after hibernation (an idle room) the buckets start full again, which an idle socket had earned.
 */
import { positiveSetting } from "../main/env.js";
import { TokenBucket, type TakeResult } from "./token-bucket.js";

/** Frame limits per socket; see README "Configuration". */
export interface FrameLimits {
  framesPerSecond: number;
  frameBurst: number;
  bytesPerSecond: number;
  byteBurst: number;
}

/** Defaults: far above a person typing (a few frames a second) and above a 50-client benchmark's per-socket rate. */
export const DEFAULT_FRAME_LIMITS: Readonly<FrameLimits> = Object.freeze({
  framesPerSecond: 200,
  frameBurst: 1_000,
  bytesPerSecond: 1_000_000,
  byteBurst: 4_000_000,
});

/**
 * The limits from ROOM_FRAMES_PER_SECOND, ROOM_FRAME_BURST, ROOM_BYTES_PER_SECOND and ROOM_BYTE_BURST (default 4x the byte rate).
 * @example frameLimits({ ROOM_FRAMES_PER_SECOND: "50" }).framesPerSecond // 50
 */
export function frameLimits(env: Partial<Record<string, unknown>>): FrameLimits {
  const bytesPerSecond = positiveSetting(env.ROOM_BYTES_PER_SECOND) ?? DEFAULT_FRAME_LIMITS.bytesPerSecond;
  return {
    framesPerSecond: positiveSetting(env.ROOM_FRAMES_PER_SECOND) ?? DEFAULT_FRAME_LIMITS.framesPerSecond,
    frameBurst: Math.max(1, positiveSetting(env.ROOM_FRAME_BURST) ?? DEFAULT_FRAME_LIMITS.frameBurst),
    bytesPerSecond,
    byteBurst: Math.max(1, positiveSetting(env.ROOM_BYTE_BURST) ?? bytesPerSecond * 4),
  };
}

/** The buckets of every socket of one room. */
export class SocketFrameLimiter {
  #limits: FrameLimits;
  #buckets = new WeakMap<WebSocket, { frames: TokenBucket; bytes: TokenBucket }>();

  constructor(limits: FrameLimits) {
    this.#limits = limits;
  }

  /**
   * Spend one frame of `bytes` for `ws`. Refused: the seconds until the socket could send it.
   * @example const taken = limiter.take(ws, frame.byteLength); if (!taken.ok) ws.close(4429, limiter.reason(taken.retryAfterSeconds));
   */
  take(ws: WebSocket, bytes: number, now = Date.now()): TakeResult {
    let buckets = this.#buckets.get(ws);
    if (!buckets) {
      const { framesPerSecond, frameBurst, bytesPerSecond, byteBurst } = this.#limits;
      buckets = {
        frames: new TokenBucket({ capacity: frameBurst, refillPerSecond: framesPerSecond }, now),
        bytes: new TokenBucket({ capacity: byteBurst, refillPerSecond: bytesPerSecond }, now),
      };
      this.#buckets.set(ws, buckets);
    }
    const frames = buckets.frames.take(now);
    if (!frames.ok) return frames;
    // A frame larger than the byte burst (only with a small configured burst) costs a whole burst rather than never passing.
    return buckets.bytes.take(now, Math.min(bytes, this.#limits.byteBurst));
  }

  /** The close reason for a refusal; ends with "retry in N s" (core/protocol.ts retryAfterSeconds reads it). */
  reason(retryAfterSeconds: number): string {
    const { framesPerSecond, bytesPerSecond } = this.#limits;
    return `sending too fast (over ${framesPerSecond} frames or ${bytesPerSecond} bytes a second); retry in ${retryAfterSeconds} s`;
  }
}
