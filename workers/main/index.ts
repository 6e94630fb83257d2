/**
 * The main Worker: routes `/live/<room>/…` to that room's CodeRoom Durable Object, answers `/api/…`, and serves the
 * element bundle and demo pages as static assets. See README "HTTP API" and docs/PROTOCOL.md.
 */
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { isValidFileName } from "../../core/project.js";
import { ROOM_HEADER } from "../durable-objects/code-room.js";
import { REFUSED_HEADER } from "../durable-objects/room-connect.js";
import { MAX_PERMISSIONS_BYTES } from "../durable-objects/room-permissions.js";
import { bundleRoutes } from "./bundle-routes.js";
import { chatRoutes } from "./chat-routes.js";
import { errorHandler, jsonError, notFoundHandler } from "./errors.js";
import { configRoute } from "./config-route.js";
import { apiCors } from "./cors.js";
import { metricsRoute } from "./metrics-route.js";
import { requestLog, timed, timedMiddleware } from "./request-log.js";
import { securityHeaders } from "./security-headers.js";
import { npmRoute } from "./npm-route.js";
import { readConfig } from "../platform/config.js";
import { refundRateLimit } from "../platform/rate-limit.js";
import { rateLimit } from "./rate-limit-middleware.js";
import { roomId } from "./room-id.js";
import type { Identity } from "../platform/auth.js";
import { clientIp, writeIdentity } from "../platform/caller.js";
import { authenticate, type AuthVariables } from "./authenticate.js";
import { aiAccess } from "./ai-access.js";
import { transcribeRoute } from "./transcribe-route.js";
import type { Env } from "../platform/env.js";
import pkg from "../../package.json";

export { CodeRoom } from "../durable-objects/code-room.js";
export { Metrics } from "../durable-objects/metrics.js";
export { RateLimiter } from "../durable-objects/rate-limiter.js";

const app = new Hono<{ Bindings: Env }>();
app.onError(errorHandler());
app.notFound(notFoundHandler<{ Bindings: Env }>());
// Outermost: every answer (errors and 404s included) gets a request id, one log line, nosniff and `{error, requestId}` bodies.
app.use(requestId(), requestLog(), securityHeaders());
// Elements embedded on other sites call the API from the page: CORS per ALLOWED_ORIGINS, bearer tokens, never cookies.
app.use("/api/*", apiCors());
app.use("/live/*", apiCors());

app.get("/api/health", (c) => c.json({ ok: true, version: pkg.version }));
app.route("/api/config", configRoute());
app.route("/api/metrics", metricsRoute());
// Transcription costs money: signed in when AI_REQUIRE_SIGN_IN says so (ai-access.ts), then limited per IP and, with a
// Bearer token, per user (workers/main/rate-limit-middleware.ts).
app.on("POST", "/api/transcribe", authenticate(), aiAccess(), rateLimit({ bucket: "ai" }));
app.route("/api/transcribe", transcribeRoute());

const live = new Hono<{ Bindings: Env; Variables: AuthVariables }>();
live.use("/:room/*", roomId());
live.use("/:room", roomId());
// An empty room id (`/live//ws`) matches no `/:room` pattern; without this it fell through to a 404 instead of the 400.
live.use("//*", roomId());
// Sockets carry their token in-band (docs/PROTOCOL.md "Authentication"); HTTP calls carry `Authorization: Bearer`.
live.use("/:room/*", timedMiddleware("auth", authenticate()));
// Rate limits per client IP and signed-in user (workers/main/rate-limit-middleware.ts), after authenticate() so the user's buckets
// apply too. Room creation ("create") is counted by the room itself.
live.get("/:room/ws", rateLimit({ bucket: "connect" }));
// A question costs money: sign-in and the AI configuration are checked before the "ai" bucket and the room (ai-access.ts).
live.post("/:room/chat", aiAccess({ checkModels: true }), rateLimit({ bucket: "ai" }));
live.on("PUT", ["/:room/files/:name{.+}", "/:room/permissions"], rateLimit({ bucket: "upload" }));
live.post("/:room/chat/*", rateLimit({ bucket: "upload" }));
live.delete("/:room/chat", rateLimit({ bucket: "upload" }));
live.get("/:room/index.js", rateLimit({ bucket: "compute" }));
for (const read of ["session.json", "index.tsx", "files/:name{.+}", "permissions", "chat"]) {
  live.get(`/:room/${read}`, rateLimit({ bucket: "read" }));
}

/**
 * Forward a request to the room's Durable Object under an internal path, with the room's name, the verified identity and
 * the client's IP as internal headers. Incoming `x-spike-*` headers are dropped first: only the Worker may set them.
 */
function toRoom(c: RoomContext, path: string): Promise<Response> {
  const room = c.req.param("room");
  const stub = c.env.CODE_ROOM.get(c.env.CODE_ROOM.idFromName(room));
  const url = new URL(path, "https://room.internal");
  // The socket route passes on how the client wants to be refused (core/protocol.ts ROOM_CLIENT_PARAM).
  if (path === "/ws") url.search = new URL(c.req.raw.url).search;
  const headers = new Headers();
  for (const [name, value] of c.req.raw.headers) if (!name.startsWith("x-spike-")) headers.set(name, value);
  headers.set(ROOM_HEADER, room);
  writeIdentity(headers, c.get("identity"), c.req.raw);
  return timed(c.req.raw, "room", stub.fetch(new Request(url, { method: c.req.raw.method, headers, body: c.req.raw.body })));
}

type RoomContext = {
  env: Env;
  req: { param(k: "room"): string; raw: Request };
  get(key: "identity"): Identity | null | undefined;
};

live.get("/:room/ws", async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") return jsonError(c, 426, "expected a WebSocket upgrade");
  const response = await toRoom(c, "/ws");
  // The room turned the connect away (full, too many from this address, or the room-creation limit): a refused attempt
  // must not cost the client its connect token, or a crowd retrying behind one address locks itself out.
  if (response.headers.has(REFUSED_HEADER)) await refundRateLimit(c.env, "connect", { ip: clientIp(c.req.raw) });
  return response;
});
live.get("/:room/session.json", (c) => toRoom(c, "/session.json"));
live.get("/:room/index.tsx", (c) => toRoom(c, "/entry"));
live.on(["GET", "PUT"], "/:room/files/:name{.+}", (c) => {
  // Refuse a bad name or a declared-too-large body here, not in the room: a Durable Object that answers without reading
  // the body it was handed breaks the connection under wrangler dev (the client got a 503 or a reset, not the 400/413).
  const name = c.req.param("name");
  if (!isValidFileName(name)) return jsonError(c, 400, `invalid file name "${name}"`);
  const { maxFrameBytes } = readConfig(c.env).room.limits;
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
live.on(["GET", "PUT"], "/:room/permissions", (c) => {
  if (c.req.method === "PUT" && c.req.header("content-length") === undefined) {
    return jsonError(c, 411, "PUT needs a Content-Length header");
  }
  if (c.req.method === "PUT" && Number(c.req.header("content-length") ?? 0) > MAX_PERMISSIONS_BYTES) {
    return jsonError(c, 413, `permissions larger than ${MAX_PERMISSIONS_BYTES} bytes`);
  }
  return toRoom(c, "/permissions");
});
live.all("/:room/permissions", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on permissions`));
live.route("/:room/chat", chatRoutes(toRoom));

app.route("/live", live);
// Modules are fetched cross-origin by preview frames: the refusal carries the same CORS header as the route's answers.
app.use("/npm/*", rateLimit({ bucket: "compute", headers: { "access-control-allow-origin": "*" } }));
app.on("POST", ["/api/transpile", "/api/bundle"], rateLimit({ bucket: "compute" }));
app.route("/npm", npmRoute());
app.route("/", bundleRoutes());

export default app satisfies ExportedHandler<Env>;
