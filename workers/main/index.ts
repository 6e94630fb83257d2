/**
 * The main Worker: routes `/live/<room>/…` to that room's CodeRoom Durable Object, answers `/api/…`, and serves the
 * element bundle and demo pages as static assets. See README "HTTP API" and docs/PROTOCOL.md.
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import { isValidFileName } from "../../core/project.js";
import { ROOM_HEADER, roomLimits } from "../durable-objects/code-room.js";
import { bundleRoutes } from "./bundle-routes.js";
import { chatRoutes } from "./chat-routes.js";
import { errorHandler, jsonError, notFoundHandler } from "./errors.js";
import { configRoute } from "./config-route.js";
import { npmRoute } from "./npm-route.js";
import { roomId } from "./room-id.js";
import { transcribeRoute } from "./transcribe-route.js";
import type { Env } from "./env.js";
import pkg from "../../package.json";

export { CodeRoom } from "../durable-objects/code-room.js";

const app = new Hono<{ Bindings: Env }>();
app.onError(errorHandler());
app.notFound(notFoundHandler<{ Bindings: Env }>());

app.get("/api/health", (c) => c.json({ ok: true, version: pkg.version }));
app.route("/api/config", configRoute());
// Elements embedded on other sites call these from the page: plain CORS, no credentials (sign-in will carry a bearer
// token, never cookies). Room sockets and GET routes need no preflight.
app.use("/api/transcribe", cors({ origin: "*", allowMethods: ["POST", "OPTIONS"], maxAge: 600 }));
app.route("/api/transcribe", transcribeRoute());

const live = new Hono<{ Bindings: Env }>();
live.use("/:room/*", roomId());
live.use("/:room", roomId());
// An empty room id (`/live//ws`) matches no `/:room` pattern; without this it fell through to a 404 instead of the 400.
live.use("//*", roomId());

/** Forward a request to the room's Durable Object under an internal path. */
function toRoom(c: { env: Env; req: { param(k: "room"): string; raw: Request } }, path: string): Promise<Response> {
  const room = c.req.param("room");
  const stub = c.env.CODE_ROOM.get(c.env.CODE_ROOM.idFromName(room));
  const url = new URL(path, "https://room.internal");
  const headers = new Headers(c.req.raw.headers);
  headers.set(ROOM_HEADER, room);
  return stub.fetch(new Request(url, { method: c.req.raw.method, headers, body: c.req.raw.body }));
}

live.get("/:room/ws", (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") return jsonError(c, 426, "expected a WebSocket upgrade");
  return toRoom(c, "/ws");
});
live.get("/:room/session.json", (c) => toRoom(c, "/session.json"));
live.get("/:room/index.tsx", (c) => toRoom(c, "/entry"));
live.on(["GET", "PUT"], "/:room/files/:name{.+}", (c) => {
  // Refuse a bad name or a declared-too-large body here, not in the room: a Durable Object that answers without reading
  // the body it was handed breaks the connection under wrangler dev (the client got a 503 or a reset, not the 400/413).
  const name = c.req.param("name");
  if (!isValidFileName(name)) return jsonError(c, 400, `invalid file name "${name}"`);
  const { maxFrameBytes } = roomLimits(c.env as unknown as Record<string, unknown>);
  // Require a declared length: a chunked body of unknown size would be buffered whole before the room could cap it.
  if (c.req.method === "PUT" && c.req.header("content-length") === undefined) {
    return jsonError(c, 411, "PUT needs a Content-Length header");
  }
  if (c.req.method === "PUT" && Number(c.req.header("content-length") ?? 0) > maxFrameBytes) {
    return jsonError(c, 413, `file larger than ${maxFrameBytes} bytes`);
  }
  return toRoom(c, `/files/${encodeURIComponent(name)}`);
});
live.all("/:room/files/:name{.+}", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on a file`));
live.use("/:room/chat", cors({ origin: "*", allowMethods: ["GET", "POST", "OPTIONS"], maxAge: 600 }));
live.use("/:room/chat/*", cors({ origin: "*", allowMethods: ["POST", "OPTIONS"], maxAge: 600 }));
live.route("/:room/chat", chatRoutes(toRoom));

app.route("/live", live);
app.route("/npm", npmRoute());
app.route("/", bundleRoutes());

export default app satisfies ExportedHandler<Env>;
