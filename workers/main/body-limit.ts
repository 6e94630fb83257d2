/**
 * Request body limits on the route they guard, through hono's bodyLimit: a declared `Content-Length` over the limit is
 * refused before the body is read, and a body of unknown length (chunked) is counted as it arrives and refused once it
 * passes the limit, so no route ever holds more than its limit of a body. The refusal is `413 {error, requestId}`.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Env } from "../platform/env.js";
import { jsonError } from "./errors.js";

/**
 * Middleware: at most `maxSize` bytes of body (a number, or read from the environment per request); `what` names the body
 * in the error ("file larger than 1000000 bytes").
 * @example live.put("/:room/permissions", limitBody("permissions", MAX_PERMISSIONS_BYTES), handler);
 */
export function limitBody(what: string, maxSize: number | ((env: Env) => number)): MiddlewareHandler<{ Bindings: Env }> {
  return async function limitBody(c, next) {
    const max = typeof maxSize === "number" ? maxSize : maxSize(c.env);
    const headers = c.req.raw.headers;
    const chunked = c.req.raw.body !== null && (headers.has("transfer-encoding") || !headers.has("content-length"));
    // A chunked body is read through a reader kept here, so that a refused one can be finished (see drain).
    const reader = chunked ? c.req.raw.body!.getReader() : null;
    if (reader) c.req.raw = new Request(c.req.raw, { body: readerStream(reader) });
    return bodyLimit({
      maxSize: max,
      onError: async (c) => {
        if (reader) await drain(reader, max);
        return jsonError(c, 413, `${what} larger than ${max} bytes`);
      },
    })(c, next);
  };
}

/** A stream that reads `reader` only when asked (no read ahead, so the reader is free again once a read returns). */
function readerStream(reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Read and discard what is left of a refused body, up to `limit` more bytes, then cancel the rest. Under workerd a request
 * body left half read breaks the client's connection for its next request; a client that sent somewhat too much keeps its
 * connection this way, and one that streams without end loses only its own.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number): Promise<void> {
  let discarded = 0;
  while (discarded <= limit) {
    const { done, value } = await reader.read();
    if (done) return;
    discarded += value.byteLength;
  }
  await reader.cancel();
}
