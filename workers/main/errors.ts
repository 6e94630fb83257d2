/** JSON error bodies: every failure a client sees is `{ error }` with an HTTP status, never a stack trace. */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** A JSON error response. */
export function jsonError(c: Context, status: ContentfulStatusCode, error: string): Response {
  return c.json({ error }, status);
}

/** `app.onError(errorHandler())`: log the stack, answer 500 with a generic body. */
export function errorHandler(): ErrorHandler {
  return function errorHandler(err, c) {
    console.error(JSON.stringify({ level: "error", route: c.req.path, message: err.message, stack: err.stack }));
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
    return jsonError(c, 404, `no route for ${c.req.method} ${c.req.path}`);
  };
}
