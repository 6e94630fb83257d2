/**
 * A daily budget: at most `limit` units per UTC day, renewed at midnight UTC. Pure (the stored count and the clock are
 * passed in), so the RateLimiter Durable Object keeps the count in its storage and a test can drive every day boundary.
 */

/** One budget's count as stored: the UTC day it counts (`2026-12-02`) and how much of that day is spent. */
export interface DailyCount {
  day: string;
  used: number;
}

/** The answer to one spend: allowed, or refused with the whole seconds until the budget renews (at least 1). */
export type DailySpend =
  | { ok: true; used: number; limit: number; resetsAt: number }
  /** Spent: `retryAfterSeconds` until `resetsAt`, the next UTC midnight (ms since the epoch). */
  | { ok: false; used: number; limit: number; resetsAt: number; retryAfterSeconds: number };

/**
 * Spend one unit of a budget whose stored count is `stored` (undefined: never spent). Returns the answer and the count to
 * store (null when nothing changed: a refusal spends nothing). A count from an earlier day starts the day at zero.
 * @example
 * const { result, next } = spendDaily(await storage.get(key), 1000, Date.now());
 * if (next) await storage.put(key, next);
 */
export function spendDaily(stored: DailyCount | undefined, limit: number, now: number): { result: DailySpend; next: DailyCount | null } {
  const day = utcDay(now);
  const resetsAt = nextUtcMidnight(now);
  const used = stored?.day === day ? stored.used : 0;
  if (used >= limit) {
    const retryAfterSeconds = Math.max(1, Math.ceil((resetsAt - now) / 1000));
    return { result: { ok: false, used, limit, resetsAt, retryAfterSeconds }, next: null };
  }
  return { result: { ok: true, used: used + 1, limit, resetsAt }, next: { day, used: used + 1 } };
}

/**
 * The UTC calendar day of `ms`.
 * @example utcDay(Date.UTC(2026, 11, 2, 23, 59)) // "2026-12-02"
 */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The first UTC midnight after `ms`, in ms since the epoch.
 * @example nextUtcMidnight(Date.UTC(2026, 11, 2, 18)) // Date.UTC(2026, 11, 3)
 */
export function nextUtcMidnight(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
}
