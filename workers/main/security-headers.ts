/**
 * Headers every Worker answer carries, and the shape of every JSON error: `{error, requestId}` with `Cache-Control: no-store`,
 * including errors a CodeRoom or the transpiler wrote (their bodies pass through the Worker and gain the request id here).
 * Pages and static files get theirs from `_headers` (rollup.config.mjs).
 */
import type { MiddlewareHandler } from "hono";
import type { RequestIdVariables } from "hono/request-id";
import { setResponseHeaders } from "./request-log.js";

/** Largest error body rewritten to add the request id; bigger ones are left as they are. */
const MAX_ERROR_BODY = 65_536;

/**
 * Middleware: `X-Content-Type-Options: nosniff` on everything; on 4xx/5xx JSON answers `Cache-Control: no-store` and a
 * `requestId` field in the body.
 * @example app.use(requestId(), requestLog(), securityHeaders());
 */
export function securityHeaders(): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async function securityHeaders(c, next) {
    await next();
    if (c.res.status === 101) return;
    if (c.res.status >= 400 && isJson(c.res.headers.get("content-type"))) {
      const replacement = await withRequestId(c.res, c.get("requestId"));
      if (replacement) {
        // Clear first: assigning over a response copies its headers, and the old Content-Length no longer fits.
        c.res = undefined;
        c.res = replacement;
      }
    }
    setResponseHeaders(c, {
      "x-content-type-options": "nosniff",
      "cache-control": c.res.status >= 400 ? "no-store" : undefined,
    });
  };
}

function isJson(type: string | null): boolean {
  return /^application\/(.+\+)?json\b/i.test(type ?? "");
}

async function withRequestId(res: Response, requestId: string): Promise<Response | null> {
  const length = Number(res.headers.get("content-length") ?? NaN);
  if (!res.body || length > MAX_ERROR_BODY) return null;
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const headers = new Headers(res.headers);
  headers.delete("content-length");
  const isObject = body !== null && typeof body === "object" && !Array.isArray(body) && !("requestId" in body);
  return new Response(isObject ? JSON.stringify({ ...(body as object), requestId }) : text, { status: res.status, statusText: res.statusText, headers });
}
