/**
 * A token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`, a request spends `cost`. Pure (the clock is
 * passed in), so the RateLimiter Durable Object, a room's per-socket limits and the preview's message throttle in the page
 * share it, and a test can drive it.
 */

/** What a bucket allows: at most `capacity` at once, `refillPerSecond` sustained. */
export interface BucketLimit {
  capacity: number;
  refillPerSecond: number;
}

/** The answer to one take: allowed, or refused with the whole seconds until it would be allowed (at least 1). */
export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * One bucket, starting full.
 * @example
 * const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 1 });
 * bucket.take(Date.now()) // { ok: true }
 */
export class TokenBucket {
  #limit: BucketLimit;
  #tokens: number;
  #updatedAt: number;

  constructor(limit: BucketLimit, now = Date.now()) {
    checkLimit(limit);
    this.#limit = { ...limit };
    this.#tokens = limit.capacity;
    this.#updatedAt = now;
  }

  /** Tokens available at `now` (fractional). */
  tokens(now = Date.now()): number {
    this.#refill(now);
    return this.#tokens;
  }

  /** True when refilled to capacity at `now`: such a bucket is indistinguishable from a new one and can be dropped. */
  isFull(now = Date.now()): boolean {
    return this.tokens(now) >= this.#limit.capacity;
  }

  /**
   * Spend `cost` tokens if there are that many; otherwise spend nothing and say how long until there will be.
   * A cost above the capacity can never be met and throws.
   */
  take(now = Date.now(), cost = 1): TakeResult {
    if (!(cost >= 0) || cost > this.#limit.capacity) {
      throw new RangeError(`cost ${cost} is outside 0..${this.#limit.capacity}`);
    }
    this.#refill(now);
    if (this.#tokens >= cost) {
      this.#tokens -= cost;
      return { ok: true };
    }
    const seconds = (cost - this.#tokens) / this.#limit.refillPerSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
  }

  /**
   * Give back `cost` tokens spent on a request that was refused further on (never above the capacity), so a refused
   * attempt costs the client nothing.
   */
  refund(now = Date.now(), cost = 1): void {
    this.#refill(now);
    this.#tokens = Math.min(this.#limit.capacity, this.#tokens + Math.max(0, cost));
  }

  /** Apply a changed configuration without resetting what was spent (tokens above the new capacity are dropped). */
  setLimit(limit: BucketLimit, now = Date.now()): void {
    checkLimit(limit);
    this.#refill(now);
    this.#limit = { ...limit };
    this.#tokens = Math.min(this.#tokens, limit.capacity);
  }

  #refill(now: number): void {
    // A clock that steps backwards (it should not) refills nothing rather than draining the bucket.
    const elapsed = Math.max(0, now - this.#updatedAt) / 1000;
    this.#tokens = Math.min(this.#limit.capacity, this.#tokens + elapsed * this.#limit.refillPerSecond);
    this.#updatedAt = Math.max(this.#updatedAt, now);
  }
}

function checkLimit({ capacity, refillPerSecond }: BucketLimit): void {
  if (!(capacity >= 1) || !Number.isFinite(capacity)) throw new RangeError(`bucket capacity ${capacity} must be a finite number >= 1`);
  if (!(refillPerSecond > 0) || !Number.isFinite(refillPerSecond)) {
    throw new RangeError(`bucket refill ${refillPerSecond}/s must be a finite number > 0`);
  }
}
