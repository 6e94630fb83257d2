/**
 * RateLimiter: one Durable Object per client key (`ip:<addr>` or `user:<id>`), holding that key's token buckets (connect,
 * create, ai, upload, compute; see workers/platform/rate-limit.ts). Called over RPC: `stub.take(bucket, cost)`. One more
 * instance (`budget:ai`) holds the deployment's daily AI budget: `stub.spendDaily(name, limit)` (workers/platform/ai-budget.ts).
 *
 * The buckets live in memory only, on purpose. Writing them to storage would add a write to every limited request to protect
 * against one thing: the object being evicted, which the runtime does only after it has sat idle for a while — long enough
 * that a bucket has largely refilled anyway. A restart therefore forgives at most one burst, which is the trade the
 * token-bucket design already makes, and an object in steady use (the only kind that is being throttled) is never evicted.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../platform/env.js";
import { spendDaily, type DailyCount, type DailySpend } from "./daily-budget.js";
import { TokenBucket, type BucketLimit, type TakeResult } from "../../core/token-bucket.js";

export type { DailySpend } from "./daily-budget.js";
export type { TakeResult } from "../../core/token-bucket.js";

/** A named bucket and its limit, as the caller configured it (the object keeps no configuration of its own). */
export interface BucketSpec extends BucketLimit {
  /** e.g. "connect"; one bucket per name per key. */
  name: string;
}

export class RateLimiter extends DurableObject<Env> {
  #buckets = new Map<string, TokenBucket>();

  /**
   * Spend `cost` tokens from this key's bucket `name`, creating it full on first use and following a changed limit.
   * @example await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName("ip:203.0.113.7")).take({ name: "ai", capacity: 10, refillPerSecond: 1 / 6 })
   */
  take(bucket: BucketSpec, cost = 1): TakeResult {
    const now = Date.now();
    const limit = { capacity: bucket.capacity, refillPerSecond: bucket.refillPerSecond };
    let tokens = this.#buckets.get(bucket.name);
    if (!tokens) {
      tokens = new TokenBucket(limit, now);
      this.#buckets.set(bucket.name, tokens);
    } else {
      tokens.setLimit(limit, now);
    }
    return tokens.take(now, cost);
  }

  /**
   * Give back `cost` tokens of bucket `name` that were spent on a request refused further on (a connect the room turned
   * away, or the other key's bucket refused): refused attempts must not drain a bucket.
   * @example await stub.refund({ name: "connect", capacity: 300, refillPerSecond: 4 })
   */
  refund(bucket: BucketSpec, cost = 1): void {
    this.#buckets.get(bucket.name)?.refund(Date.now(), cost);
  }

  /**
   * Count one unit against the daily budget `name` (per UTC day), refused once `limit` units of the day are spent.
   * Unlike the buckets it is kept in the object's storage: a restart must not hand out a day's budget again, and the
   * callers (paid provider calls) are rare enough that one write each is nothing. A refused call counts nothing.
   * Storage calls hold the object's input gate, so two concurrent calls cannot both take the last unit.
   * @example await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName("budget:ai")).spendDaily("ai", 1000)
   */
  async spendDaily(name: string, limit: number): Promise<DailySpend> {
    const key = `daily:${name}`;
    const { result, next } = spendDaily(await this.ctx.storage.get<DailyCount>(key), limit, Date.now());
    if (next) await this.ctx.storage.put(key, next);
    return result;
  }
}
