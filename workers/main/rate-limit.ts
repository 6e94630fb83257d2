/**
 * Per-client rate limits: token buckets in the RateLimiter Durable Object, one object per client IP (`CF-Connecting-IP`)
 * and one per signed-in user, so a limit holds across every Worker isolate. `rateLimit({ bucket })` guards a route;
 * `takeRateLimit()` is for code that decides inside (a room counting room creations). See README "Configuration".
 */
import type { MiddlewareHandler } from "hono";
import type { ApiErrorBody } from "../../core/api.js";
import { CloseCode, ROOM_CLIENT_PARAM, encodeRefused } from "../../core/protocol.js";
import type { BucketSpec, TakeResult } from "../durable-objects/rate-limiter.js";
import { clientIp, ipKey, type Identity } from "./auth.js";
import { positiveSetting, type Env } from "./env.js";
import { jsonError } from "./errors.js";
import { logError } from "./log.js";
import { METRIC, countMetric } from "./metrics.js";

/** The buckets, each configured by `RATE_LIMIT_<NAME>_PER_MINUTE` and `RATE_LIMIT_<NAME>_BURST`. */
export const BUCKETS = {
  /**
   * WebSocket upgrades to `/live/<room>/ws`, per IP only (a socket's token arrives after the upgrade). A classroom of 50
   * behind one address opening a page of a few rooms fits the burst, and reconnecting on flaky Wi-Fi fits the rate.
   */
  connect: { perMinute: 300, burst: 300, what: "too many connections" },
  /** Rooms created (the first connect or PUT that reaches a room with no stored state). */
  create: { perMinute: 30, burst: 60, what: "too many new rooms" },
  /** Calls that cost an AI provider money: `POST /live/<room>/chat`, `POST /api/transcribe`. */
  ai: { perMinute: 10, burst: 10, what: "too many AI requests" },
  /** Writes: `PUT /live/<room>/files/…`, `PUT /live/<room>/permissions`. */
  upload: { perMinute: 120, burst: 120, what: "too many uploads" },
  /** CPU-heavy reads: `/npm/*`, `POST /api/transpile`, `POST /api/bundle`, `GET /live/<room>/index.js` (a page load fetches dozens of modules). */
  compute: { perMinute: 600, burst: 300, what: "too many requests" },
  /**
   * Reads that reach a room over HTTP: `session.json`, `index.tsx`, `files/…` and `chat` GETs, `permissions` GET. Cheap, so
   * generous (a client polling every 20 ms stays under it); there to stop a flood from pinning a room, not to meter use.
   */
  read: { perMinute: 3000, burst: 1000, what: "too many requests" },
} as const;

export type BucketName = keyof typeof BUCKETS;

/** Who is asking: the client IP (null when `CF-Connecting-IP` is missing) and, when signed in, the user. */
export interface RateLimitKeys {
  ip: string | null;
  userId?: string | null | undefined;
}

export type RateLimitResult = TakeResult;

/**
 * A bucket's limit from the environment: `RATE_LIMIT_<NAME>_PER_MINUTE` and `RATE_LIMIT_<NAME>_BURST`, each falling back to
 * its default; a burst left unset follows a configured per-minute rate (a minute's worth). `CHAT_RATE_LIMIT_PER_MINUTE` is
 * still read as the older name of `RATE_LIMIT_AI_PER_MINUTE`. Values that are not positive numbers are ignored.
 * @example bucketLimit({ RATE_LIMIT_CONNECT_PER_MINUTE: "600" }, "connect") // { name: "connect", capacity: 600, refillPerSecond: 10, perMinute: 600 }
 */
export function bucketLimit(env: Partial<Env>, name: BucketName): BucketSpec & { perMinute: number } {
  const prefix = `RATE_LIMIT_${name.toUpperCase()}` as const;
  const configuredRate =
    positiveSetting(env[`${prefix}_PER_MINUTE`]) ?? (name === "ai" ? positiveSetting(env.CHAT_RATE_LIMIT_PER_MINUTE) : undefined);
  const perMinute = configuredRate ?? BUCKETS[name].perMinute;
  const burst = positiveSetting(env[`${prefix}_BURST`]) ?? (configuredRate !== undefined ? configuredRate : BUCKETS[name].burst);
  return { name, capacity: Math.max(1, burst), refillPerSecond: perMinute / 60, perMinute };
}

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
  const { perMinute } = bucketLimit(env, bucketName);
  return `${BUCKETS[bucketName].what}: at most ${formatRate(perMinute)} a minute; retry in ${retryAfterSeconds} s`;
}

/**
 * Middleware: spend one token of `bucket` per request (per IP, and per user when `authenticate()` ran first and the request
 * is signed in). Refused: 429 `{error, retryAfter}` with `Retry-After`. A WebSocket upgrade from spike's RoomClient
 * (`?client=spike`) is instead accepted and closed at once with 4429 and the same reason, since a browser's WebSocket hides
 * the HTTP status; any other client gets the 429, which stock y-websocket clients back off from (a 4429 close they take as
 * final, or, in older versions, retry at once after the socket opened). `headers` are added to a refusal.
 * @example live.get("/:room/ws", rateLimit({ bucket: "connect" }), (c) => toRoom(c, "/ws"));
 */
export function rateLimit({ bucket, headers = {} }: { bucket: BucketName; headers?: Record<string, string> }): MiddlewareHandler<{
  Bindings: Env;
  Variables: { identity?: Identity | null; requestId?: string };
}> {
  return async function rateLimit(c, next) {
    const result = await takeRateLimit(c.env, bucket, { ip: clientIp(c.req.raw), userId: c.get("identity")?.userId });
    if (result.ok) return next();
    const message = rateLimitMessage(c.env, bucket, result.retryAfterSeconds);
    const upgrade = c.req.header("upgrade")?.toLowerCase() === "websocket";
    if (upgrade && c.req.query(ROOM_CLIENT_PARAM.name) === ROOM_CLIENT_PARAM.value) return refusedSocket(message, result.retryAfterSeconds);
    return jsonError(c, 429, message, { retryAfter: result.retryAfterSeconds } satisfies Partial<ApiErrorBody>, {
      ...headers,
      "retry-after": String(result.retryAfterSeconds),
      "cache-control": "no-store",
    });
  };
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
  const { name, capacity, refillPerSecond } = bucketLimit(env, bucketName);
  return { name, capacity, refillPerSecond };
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

/** Answer an upgrade with a socket that gets an Auth/Refused and is closed at once with 4429 (no Durable Object is touched). */
function refusedSocket(reason: string, retryAfterSeconds: number): Response {
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  server.accept();
  server.send(encodeRefused({ code: CloseCode.RateLimited, retryAfterSeconds }));
  server.close(CloseCode.RateLimited, reason);
  return new Response(null, { status: 101, webSocket: client });
}


function formatRate(perMinute: number): string {
  return Number.isInteger(perMinute) ? String(perMinute) : perMinute.toFixed(2).replace(/\.?0+$/, "");
}
