/** Middleware: reject a malformed room id with 400 before any Durable Object is touched. */
import type { MiddlewareHandler } from "hono";
import { isValidRoomId } from "../../core/protocol.js";

export function roomId(): MiddlewareHandler {
  return async function roomId(c, next) {
    const room = c.req.param("room") ?? "";
    if (!isValidRoomId(room)) {
      return c.json({ error: "room ids are 1-64 characters of A-Z, a-z, 0-9, _ and -" }, 400);
    }
    await next();
  };
}
