/**
 * `/live/<room>/chat…`: the room's AI chat (see README "HTTP API"). The Worker only screens requests; the room's CodeRoom
 * does the work (workers/durable-objects/room-chat.ts).
 */
import { Hono, type Context } from "hono";
import { jsonError } from "./errors.js";
import type { Env } from "../platform/env.js";

/** Largest `POST /live/<room>/chat` body: an 8000-character question in JSON, with room for escapes. */
const MAX_CHAT_BODY_BYTES = 64 * 1024;

/** Forwards a request to the room's Durable Object under an internal path. */
export type ToRoom = (c: Context<{ Bindings: Env }>, path: string) => Promise<Response>;

/**
 * The chat routes, mounted under `/live/:room/chat`.
 * @example live.route("/:room/chat", chatRoutes(toRoom))
 */
export function chatRoutes(toRoom: ToRoom) {
  const chat = new Hono<{ Bindings: Env }>();
  chat.get("/", (c) => toRoom(c, "/chat"));
  // Clearing the chat: the room's owner (anyone who may edit a room nobody owns); the room decides.
  chat.delete("/", (c) => toRoom(c, "/chat"));
  chat.post("/", (c) => {
    // Screened here so the room never answers without reading a body it was handed (see the files route in index.ts).
    if (c.req.header("content-length") === undefined) return jsonError(c, 411, "POST needs a Content-Length header");
    if (Number(c.req.header("content-length")) > MAX_CHAT_BODY_BYTES) {
      return jsonError(c, 413, `chat request larger than ${MAX_CHAT_BODY_BYTES} bytes`);
    }
    return toRoom(c, "/chat");
  });
  chat.post("/:id/:action{cancel|undo}", (c) => {
    const id = c.req.param("id");
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return jsonError(c, 400, `invalid message id "${id}"`);
    return toRoom(c, `/chat/${id}/${c.req.param("action")}`);
  });
  chat.all("/", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on the chat`));
  return chat;
}
