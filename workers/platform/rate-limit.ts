/**
 * Per-client rate limits: token buckets in the RateLimiter Durable Object, one object per client IP (`CF-Connecting-IP`)
 * and one per signed-in user, so a limit holds across every Worker isolate. The Worker guards routes with the
 * `rateLimit({ bucket })` middleware (workers/main/rate-limit-middleware.ts); a room counts room creations with
 * `takeRateLimit()`. The limits themselves are read by readConfig (workers/platform/config.ts). See README "Rate limits".
 */
import type { BucketSpec, TakeResult } from "../durable-objects/rate-limiter.js";
import { ipKey } from "./caller.js";
import { readConfig, type BucketName } from "./config.js";
import type { Env } from "./env.js";
import { logError } from "./log.js";
import { METRIC, countMetric } from "./metrics.js";

export type { BucketName } from "./config.js";

/** What a refused client is told it did, per bucket (the limits: RATE_LIMIT_DEFAULTS in workers/platform/config.ts). */
const WHAT: Record<BucketName, string> = {
  connect: "too many connections",
  create: "too many new rooms",
  ai: "too many AI requests",
  upload: "too many uploads",
  compute: "too many requests",
  read: "too many requests",
  report: "too many console reports",
};

/** Who is asking: the client IP (null when `CF-Connecting-IP` is missing) and, when signed in, the user. */
export interface RateLimitKeys {
  ip: string | null;
  userId?: string | null | undefined;
}

export type RateLimitResult = TakeResult;

/**
 * Spend one token of `bucketName` for the client's IP and, when `userId` is given, for the user as well; refused when either
 * bucket is empty (`retryAfterSeconds` is the longer wait). Both buckets are asked at once; when one refuses, the token the
 * other spent is given back, so a refused request costs nothing. A RateLimiter that cannot be reached lets the request
 * through (and logs it): limits guard against abuse and must not take the service down with them.
 * @example
 * const limited = await takeRateLimit(env, "create", { ip: clientIp(request), userId: identity?.userId });
 * if (!limited.ok) ws.close(CloseCode.RateLimited, rateLimitMessage(env, "create", limited.retryAfterSeconds));
 */
export async function takeRateLimit(env: Env, bucketName: BucketName, keys: RateLimitKeys): Promise<RateLimitResult> {
  const spec = bucketSpec(env, bucketName);
  const names = limiterNames(keys);
  const results = await Promise.all(names.map((key) => takeFor(env, key, spec)));
  const waits = results.flatMap((result) => (result.ok ? [] : [result.retryAfterSeconds]));
  if (waits.length === 0) return { ok: true };
  countMetric(env, `${METRIC.rateLimited}.${bucketName}`);
  await Promise.all(names.filter((_, i) => results[i]!.ok).map((key) => refundFor(env, key, spec)));
  return { ok: false, retryAfterSeconds: Math.max(...waits) };
}

/**
 * Give back the token `takeRateLimit` spent for a request that was refused further on (say, a connect the room turned
 * away because it was full), so refused attempts never drain a bucket.
 * @example if (response.headers.has(REFUSED_HEADER)) await refundRateLimit(env, "connect", { ip });
 */
export async function refundRateLimit(env: Env, bucketName: BucketName, keys: RateLimitKeys): Promise<void> {
  const spec = bucketSpec(env, bucketName);
  await Promise.all(limiterNames(keys).map((key) => refundFor(env, key, spec)));
}

/**
 * What a refused client is told, for people and logs; the wait also travels as data (the 429 body's `retryAfter`, the
 * `Retry-After` header, a socket's Auth/Refused), which is what clients read.
 * @example rateLimitMessage(env, "connect", 3) // "too many connections: at most 120 a minute; retry in 3 s"
 */
export function rateLimitMessage(env: Partial<Env>, bucketName: BucketName, retryAfterSeconds: number): string {
  const { perMinute } = readConfig(env).rateLimits[bucketName];
  return `${WHAT[bucketName]}: at most ${formatRate(perMinute)} a minute; retry in ${retryAfterSeconds} s`;
}

// ---- internals -------------------------------------------------------------------------------------------------------

/**
 * Refusals remembered per isolate until the time the RateLimiter named, so a flood is turned away without a round trip
 * per request. Exact for a token bucket: nothing but time adds tokens, so the answer cannot change before then.
 */
const refusedUntil = new Map<string, number>();
const MAX_REMEMBERED_REFUSALS = 10_000;

async function takeFor(env: Env, key: string, spec: BucketSpec): Promise<TakeResult> {
  const remembered = `${spec.name} ${spec.capacity} ${spec.refillPerSecond} ${key}`;
  const now = Date.now();
  const until = refusedUntil.get(remembered);
  if (until !== undefined) {
    if (until > now) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
    refusedUntil.delete(remembered);
  }
  let result: TakeResult;
  try {
    result = await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key)).take(spec);
  } catch (error) {
    logError(error, { type: "rate_limiter_unavailable", bucket: spec.name });
    return { ok: true };
  }
  if (!result.ok) {
    if (refusedUntil.size >= MAX_REMEMBERED_REFUSALS) refusedUntil.clear();
    refusedUntil.set(remembered, now + result.retryAfterSeconds * 1000);
  }
  return result;
}

/** The bucket as the RateLimiter takes it: its name and limit. */
function bucketSpec(env: Env, bucketName: BucketName): BucketSpec {
  const { capacity, refillPerSecond } = readConfig(env).rateLimits[bucketName];
  return { name: bucketName, capacity, refillPerSecond };
}

/** The RateLimiter objects a request is counted in: its IP's, and its user's when signed in. */
function limiterNames(keys: RateLimitKeys): string[] {
  return keys.userId ? [`ip:${ipKey(keys.ip)}`, `user:${keys.userId}`] : [`ip:${ipKey(keys.ip)}`];
}

async function refundFor(env: Env, key: string, spec: BucketSpec): Promise<void> {
  try {
    await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key)).refund(spec);
  } catch (error) {
    logError(error, { type: "rate_limiter_unavailable", bucket: spec.name });
  }
}

function formatRate(perMinute: number): string {
  return Number.isInteger(perMinute) ? String(perMinute) : perMinute.toFixed(2).replace(/\.?0+$/, "");
}
