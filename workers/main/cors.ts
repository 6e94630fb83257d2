/**
 * CORS for the JSON API (`/api/*`, `/live/*`): elements embedded on other sites call it from the page with a bearer token,
 * never cookies, so no credentials. ALLOWED_ORIGINS (comma list, or `*`/unset for any) narrows which pages may read answers.
 */
import type { MiddlewareHandler } from "hono";
import { allowedOrigins, type AuthEnv } from "../platform/auth.js";
import { jsonError } from "./errors.js";
import { setResponseHeaders } from "./request-log.js";

/** Options of {@link apiCors}. */
export interface ApiCorsOptions {
  /** Methods a preflight may ask for (default GET, HEAD, POST, PUT). */
  allowMethods?: string[];
  /** How long a browser may cache a preflight, s (default 600). */
  maxAge?: number;
  /** Request headers a preflight may ask for (default `Authorization, Content-Type`). */
  allowHeaders?: string;
}

/** Request headers the API reads: the bearer token and the body type. */
const ALLOW_HEADERS = "Authorization, Content-Type";
/** Response headers a page may read: rate-limit hints, the request id to quote in a bug report, timings. */
const EXPOSE_HEADERS = "Retry-After, X-Request-Id, Server-Timing";

/**
 * Middleware: answer preflights (403 JSON for an origin outside ALLOWED_ORIGINS) and add `Access-Control-Allow-Origin`
 * (`*`, or the caller's origin when it is on the list; none for any other origin) to every answer but a WebSocket's.
 * @example app.use("/api/*", apiCors());
 */
export function apiCors({ allowMethods = ["GET", "HEAD", "POST", "PUT"], maxAge = 600, allowHeaders = ALLOW_HEADERS }: ApiCorsOptions = {}): MiddlewareHandler<{
  Bindings: Pick<AuthEnv, "ALLOWED_ORIGINS">;
}> {
  const methods = [...allowMethods, "OPTIONS"].join(", ");
  return async function apiCors(c, next) {
    const origin = c.req.header("origin");
    const list = allowedOrigins(c.env);
    const allowOrigin = list === null ? "*" : origin !== undefined && list.includes(origin) ? origin : undefined;
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined) {
      if (allowOrigin === undefined) return jsonError(c, 403, `origin ${String(origin).slice(0, 200)} may not call this API (ALLOWED_ORIGINS)`);
      const headers = new Headers({
        "access-control-allow-origin": allowOrigin,
        "access-control-allow-methods": methods,
        "access-control-allow-headers": allowHeaders,
        "access-control-max-age": String(maxAge),
      });
      if (list !== null) headers.set("vary", "Origin");
      return new Response(null, { status: 204, headers });
    }
    await next();
    if (c.res.status === 101) return;
    setResponseHeaders(c, {
      "access-control-allow-origin": allowOrigin,
      "access-control-expose-headers": EXPOSE_HEADERS,
      "timing-allow-origin": allowOrigin,
      vary: list !== null ? varyWithOrigin(c.res.headers.get("vary")) : undefined,
    });
  };
}

function varyWithOrigin(vary: string | null): string {
  if (!vary) return "Origin";
  return /(^|,)\s*origin\s*(,|$)/i.test(vary) ? vary : `${vary}, Origin`;
}
