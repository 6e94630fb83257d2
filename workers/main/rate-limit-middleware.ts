/**
 * The rate-limit middleware of the Worker's routes: one token of a bucket per request, per client IP and signed-in user
 * (workers/platform/rate-limit.ts holds the buckets and what a refusal says). See README "Rate limits".
 */
import type { MiddlewareHandler } from "hono";
import type { ApiErrorBody } from "../../core/api.js";
import { CloseCode, ROOM_CLIENT_PARAM, encodeRefused } from "../../core/protocol.js";
import type { Identity } from "../platform/auth.js";
import { clientIp } from "../platform/caller.js";
import type { Env } from "../platform/env.js";
import { rateLimitMessage, takeRateLimit, type BucketName } from "../platform/rate-limit.js";
import { jsonError } from "./errors.js";

/**
 * Middleware: spend one token of `bucket` per request (per IP, and per user when `authenticate()` ran first and the request
 * is signed in). Refused: 429 `{error, retryAfter}` with `Retry-After`. A WebSocket upgrade from spike's RoomClient
 * (`?client=spike`) is instead accepted, told the wait as data (Auth/Refused) and closed at once with 4429 and the same reason, since a browser's WebSocket hides
 * the HTTP status; any other client gets the 429, which stock y-websocket clients back off from (a 4429 close they take as
 * final, or, in older versions, retry at once after the socket opened). `headers` are added to a refusal.
 * @example live.get("/:room/session.json", rateLimit({ bucket: "read" }), readSession);
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

/** Answer an upgrade with a socket that gets an Auth/Refused and is closed at once with 4429 (no Durable Object is touched). */
function refusedSocket(reason: string, retryAfterSeconds: number): Response {
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  server.accept();
  server.send(encodeRefused({ code: CloseCode.RateLimited, retryAfterSeconds }));
  server.close(CloseCode.RateLimited, reason);
  return new Response(null, { status: 101, webSocket: client });
}
