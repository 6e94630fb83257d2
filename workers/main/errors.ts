/**
 * JSON error bodies: every failure a client sees is `{ error, requestId }` with an HTTP status, never a stack trace; the
 * stack goes to the log only, under the same request id, so a report quoting it finds the line. An unhandled error is also
 * counted by route and, with SENTRY_DSN set, sent to Sentry (workers/platform/error-reports.ts).
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Env } from "../platform/env.js";
import { reportError } from "../platform/error-reports.js";
import { logError } from "../platform/log.js";
import { roomOf, routeOf } from "./request-log.js";

/**
 * A JSON error response `{error, requestId, ...fields}` (the request id when the requestId middleware ran).
 * @example return jsonError(c, 400, `invalid file name "${name}"`);
 * @example return jsonError(c, 429, message, { retryAfter: 3 }, { "retry-after": "3" });
 */
export function jsonError(
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  fields: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const requestId = c.get("requestId") as string | undefined;
  return c.json(requestId === undefined ? { error, ...fields } : { error, requestId, ...fields }, status, headers);
}

/**
 * `app.onError(errorHandler())`: log the stack with the request id, count and report the error (tagged with request id,
 * route and room), answer 500 with a generic body. An error a Durable Object threw is reported by the object as well,
 * under the same request id (workers/durable-objects/object-errors.ts).
 */
export function errorHandler(): ErrorHandler<{ Bindings: Env }> {
  return function errorHandler(err, c) {
    // The route's pattern, never the raw path: paths carry room and file names, which stay out of the logs.
    const route = routeOf(c);
    const requestId = c.get("requestId") as string | undefined;
    logError(err, { type: "request", requestId, method: c.req.method, route });
    reportError(c.env, err, { worker: "spike", requestId, route: `${c.req.method.slice(0, 16)} ${route}`, room: roomOf(c) });
    return jsonError(c, 500, "internal error");
  };
}

/** `app.notFound(notFoundHandler())`: static assets first, then a JSON 404. */
export function notFoundHandler<E extends { Bindings: { ASSETS: Fetcher } }>(): NotFoundHandler<E> {
  return async function notFoundHandler(c) {
    if (c.req.method === "GET" || c.req.method === "HEAD") {
      const asset = await (c.env as { ASSETS: Fetcher }).ASSETS.fetch(c.req.raw);
      if (asset.status !== 404) return asset;
    }
    return jsonError(c, 404, `no route for ${c.req.method} ${c.req.path.slice(0, 200)}`);
  };
}
