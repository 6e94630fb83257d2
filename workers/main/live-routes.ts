/**
 * `/live/<room>/…`: every room route, written once, each with its limits inline: the rate-limit bucket (README "Rate
 * limits"), the body limit, and for a question the AI checks. Only the WebSocket upgrade reaches the room's CodeRoom by
 * `fetch`; every other route is one typed call (workers/durable-objects/room-api.ts) whose result becomes the answer here.
 * See README "HTTP API" and docs/PROTOCOL.md "HTTP routes on a room".
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { isValidFileName } from "../../core/project.js";
import { ROOM_HEADER } from "../durable-objects/code-room.js";
import { REFUSED_HEADER } from "../durable-objects/room-connect.js";
import { contentTypeOf } from "../durable-objects/room-files.js";
import { MAX_PERMISSIONS_BYTES } from "../durable-objects/room-permissions.js";
import type { FileText } from "../durable-objects/room-api.js";
import { clientIp, writeIdentity } from "../platform/caller.js";
import { readConfig } from "../platform/config.js";
import type { Env } from "../platform/env.js";
import { refundRateLimit } from "../platform/rate-limit.js";
import { agentTokenRoutes } from "./agent-token-routes.js";
import { aiAccess } from "./ai-access.js";
import { assetRoutes } from "./asset-routes.js";
import { generateRoutes } from "./generate-route.js";
import { authenticate, type AuthVariables } from "./authenticate.js";
import { limitBody } from "./body-limit.js";
import { liveBundle } from "./bundle-routes.js";
import { jsonError } from "./errors.js";
import { requireFeature } from "./features.js";
import { mountForkRoutes } from "./fork-routes.js";
import { mountConsoleRoutes } from "./console-routes.js";
import { rateLimit } from "./rate-limit-middleware.js";
import { mountRenderRoutes } from "./render-routes.js";
import { timed, timedMiddleware } from "./request-log.js";
import { versionRoutes } from "./version-routes.js";
import { MAX_CHAT_BODY_BYTES, isMessageId, parseFileBody, parsePermissionsChange, parseQuestion } from "./room-bodies.js";
import { answer, callerOf, roomOf } from "./room-answer.js";
import { roomId } from "./room-id.js";

type LiveEnv = { Bindings: Env; Variables: AuthVariables };

const FILE = "/:room/files/:name{.+}";

/**
 * The room routes, mounted under `/live`.
 * @example app.route("/live", liveRoutes());
 */
export function liveRoutes(): Hono<LiveEnv> {
  const live = new Hono<LiveEnv>();
  live.use("/:room/*", roomId());
  live.use("/:room", roomId());
  // An empty room id (`/live//ws`) matches no `/:room` pattern; without this it fell through to a 404 instead of the 400.
  live.use("//*", roomId());
  // Sockets carry their token in-band (docs/PROTOCOL.md "Authentication"); HTTP calls carry `Authorization: Bearer`.
  // Every rate limit below runs after it, so a signed-in caller's user buckets apply too.
  live.use("/:room/*", timedMiddleware("auth", authenticate()));

  // Room creation ("create") is counted by the room itself, when a connect or a write reaches a room that does not exist.
  live.get("/:room/ws", rateLimit({ bucket: "connect" }), connect);
  live.get("/:room/session.json", rateLimit({ bucket: "read" }), (c) => answer(c, roomOf(c).session(callerOf(c)), (body) => c.json(body)));
  live.get("/:room/index.tsx", rateLimit({ bucket: "read" }), (c) => answer(c, roomOf(c).readEntry(callerOf(c)), (file) => fileAnswer(c, file)));
  live.get("/:room/index.js", rateLimit({ bucket: "compute" }), liveBundle);

  live.get(FILE, rateLimit({ bucket: "read" }), validFileName(), (c) =>
    answer(c, roomOf(c).readFile(callerOf(c), c.req.param("name")), (file) => fileAnswer(c, file)),
  );
  live.put(FILE, rateLimit({ bucket: "upload" }), validFileName(), limitBody("file", (env) => readConfig(env).room.limits.maxFrameBytes), async (c) => {
    const body = parseFileBody(new Uint8Array(await c.req.arrayBuffer()));
    return answer(c, roomOf(c).writeFile(callerOf(c), c.req.param("name"), body), (written) => c.json(written));
  });
  live.all(FILE, (c) => jsonError(c, 405, `method ${c.req.method} not allowed on a file`));

  live.get("/:room/permissions", rateLimit({ bucket: "read" }), (c) => answer(c, roomOf(c).permissions(callerOf(c)), (body) => c.json(body)));
  live.put("/:room/permissions", rateLimit({ bucket: "upload" }), limitBody("permissions", MAX_PERMISSIONS_BYTES), async (c) => {
    const change = parsePermissionsChange(await c.req.text());
    return answer(c, roomOf(c).setPermissions(callerOf(c), change), (body) => c.json(body));
  });
  live.all("/:room/permissions", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on permissions`));

  live.get("/:room/chat", rateLimit({ bucket: "read" }), (c) => answer(c, roomOf(c).chat(callerOf(c)), (list) => c.json(list)));
  // A question costs money: sign-in and the AI configuration are checked before the "ai" bucket and the room (ai-access.ts).
  live.post("/:room/chat", requireFeature("AI"), aiAccess({ checkModels: true }), rateLimit({ bucket: "ai" }), limitBody("chat request", MAX_CHAT_BODY_BYTES), async (c) => {
    const question = parseQuestion(await c.req.text(), readConfig(c.env).ai.models);
    return answer(c, roomOf(c).ask(callerOf(c), question), (asked) => c.json(asked, 202));
  });
  // Clearing the chat: the room's owner (anyone who may edit a room nobody owns); the room decides.
  live.delete("/:room/chat", rateLimit({ bucket: "upload" }), (c) => answer(c, roomOf(c).clearChat(callerOf(c)), (cleared) => c.json(cleared)));
  live.all("/:room/chat", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on the chat`));
  live.post("/:room/chat/:id/cancel", rateLimit({ bucket: "upload" }), validMessageId(), (c) =>
    answer(c, roomOf(c).cancelReply(callerOf(c), c.req.param("id")), (cancelled) => c.json(cancelled)),
  );
  live.post("/:room/chat/:id/undo", rateLimit({ bucket: "upload" }), validMessageId(), (c) =>
    answer(c, roomOf(c).undoReply(callerOf(c), c.req.param("id")), (undone) => c.json(undone)),
  );
  agentTokenRoutes(live); // `/:room/agent-tokens…`: tokens for AI agents (agent-token-routes.ts)
  mountForkRoutes(live);
  versionRoutes(live);
  generateRoutes(live); // `POST /:room/assets/generate` (generate-route.ts), ahead of the asset names
  assetRoutes(live); // `/:room/assets…` (asset-routes.ts)
  // screenshot.png, page.pdf, og.png: the renderer Worker's pictures of the app, cached in R2 (render-routes.ts).
  mountRenderRoutes(live);
  mountConsoleRoutes(live); // `/:room/console`: the preview's console log (console-routes.ts)
  return live;
}

/**
 * `GET /live/<room>/ws`: the one request a room takes by `fetch`, as a WebSocket must. The verified identity and the client's
 * IP go along as internal headers (incoming `x-spike-*` headers are dropped first: only the Worker may set them), and the
 * query string, which says how the client wants to be refused (core/protocol.ts ROOM_CLIENT_PARAM).
 */
async function connect(c: Context<LiveEnv>): Promise<Response> {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") return jsonError(c, 426, "expected a WebSocket upgrade");
  const url = new URL("https://room.internal/ws");
  url.search = new URL(c.req.raw.url).search;
  const headers = new Headers();
  for (const [name, value] of c.req.raw.headers) if (!name.startsWith("x-spike-")) headers.set(name, value);
  headers.set(ROOM_HEADER, c.req.param("room")!);
  writeIdentity(headers, c.get("identity"), c.req.raw, c.get("requestId") as string | undefined);
  headers.delete("sec-websocket-extensions");
  const response = await timed(c.req.raw, "room", roomOf(c).fetch(new Request(url, { headers })));
  // The room turned the connect away (full, too many from this address, or the room-creation limit): a refused attempt
  // must not cost the client its connect token, or a crowd retrying behind one address locks itself out.
  if (response.headers.has(REFUSED_HEADER)) await refundRateLimit(c.env, "connect", { ip: clientIp(c.req.raw) });
  return withoutCompression(response);
}

/**
 * Room sockets decline permessage-deflate, which browsers always offer. A room's frames are Yjs updates and presence of
 * a few dozen bytes each, which deflate barely shrinks, while it costs the room CPU on every frame it sends to every
 * socket (bench/collab-latency.mjs measures both; README "Performance"). workerd negotiates compression from the upgrade
 * response's Sec-WebSocket-Extensions (its MANUAL_COMPRESSION mode): a value that offers no permessage-deflate agrees
 * on none, and the header never reaches the client.
 */
function withoutCompression(response: Response): Response {
  if (!response.webSocket) return response;
  const headers = new Headers(response.headers);
  headers.set("sec-websocket-extensions", "none");
  return new Response(null, { status: response.status, statusText: response.statusText, webSocket: response.webSocket, headers });
}

/** A project file's text, typed by its extension. */
function fileAnswer(c: Context, { name, text }: FileText): Response {
  return c.body(text, 200, { "content-type": `${contentTypeOf(name)}; charset=utf-8`, "x-content-type-options": "nosniff" });
}

/** Middleware: 400 for a file name the project model refuses (core/project.ts isValidFileName). */
function validFileName(): MiddlewareHandler {
  return async function validFileName(c, next) {
    const name = c.req.param("name") ?? "";
    if (!isValidFileName(name)) return jsonError(c, 400, `invalid file name "${name}"`);
    await next();
  };
}

/** Middleware: 400 for a chat message id that no message can have. */
function validMessageId(): MiddlewareHandler {
  return async function validMessageId(c, next) {
    const id = c.req.param("id") ?? "";
    if (!isMessageId(id)) return jsonError(c, 400, `invalid message id "${id}"`);
    await next();
  };
}
