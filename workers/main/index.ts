/**
 * The main Worker: the `/live/<room>/…` routes to that room's CodeRoom Durable Object (live-routes.ts), `/api/…`, `/npm/…`,
 * older pinned builds under `/v/<version>/…` (cdn-versions.ts), and the element bundle and demo pages as static assets.
 * See README "HTTP API" and docs/PROTOCOL.md.
 */
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import type { Env } from "../platform/env.js";
import { adminConfigRoute } from "./admin-config.js";
import { adminRoute } from "./admin-route.js";
import { aiAccess } from "./ai-access.js";
import { authenticate } from "./authenticate.js";
import { bundleRoutes } from "./bundle-routes.js";
import { cdnVersions } from "./cdn-versions.js";
import { configRoute } from "./config-route.js";
import { apiCors } from "./cors.js";
import { errorHandler, notFoundHandler } from "./errors.js";
import { requireFeature, runtimeSettings } from "./features.js";
import { liveRoutes } from "./live-routes.js";
import { mcpRoute } from "./mcp/route.js";
import { metricsRoute } from "./metrics-route.js";
import { npmRoute } from "./npm-route.js";
import { oembedRoute } from "./oembed-route.js";
import { rateLimit } from "./rate-limit-middleware.js";
import { requestLog } from "./request-log.js";
import { roomPages } from "./room-pages.js";
import { securityHeaders } from "./security-headers.js";
import { transcribeRoute } from "./transcribe-route.js";
import pkg from "../../package.json";

import { CodeRoom as CodeRoomObject } from "../durable-objects/code-room.js";
import { reportingErrors } from "../durable-objects/object-errors.js";
import { RateLimiter as RateLimiterObject } from "../durable-objects/rate-limiter.js";

// The objects' unhandled errors are counted by class and reported (object-errors.ts). Metrics is left as it is: its own
// failures reach the Worker's routes, and reporting them through itself could loop.
export const CodeRoom = reportingErrors("CodeRoom", CodeRoomObject);
export const RateLimiter = reportingErrors("RateLimiter", RateLimiterObject);
export { Metrics } from "../durable-objects/metrics.js";

const app = new Hono<{ Bindings: Env }>();
app.onError(errorHandler());
app.notFound(notFoundHandler<{ Bindings: Env }>());
// Outermost: every answer (errors and 404s included) gets a request id, one log line, nosniff and `{error, requestId}` bodies.
app.use(requestId(), requestLog(), securityHeaders());
// The runtime settings from KV (allowed origins, limits, feature flags) under the environment's, fresh within 30 s.
app.use(runtimeSettings());
// Elements embedded on other sites call the API from the page: CORS per ALLOWED_ORIGINS, bearer tokens, never cookies.
app.use("/api/*", apiCors());
app.use("/live/*", apiCors());

app.get("/api/health", (c) => c.json({ ok: true, version: pkg.version }));
app.route("/api/config", configRoute());
app.route("/api/metrics", metricsRoute());
app.route("/admin/config", adminConfigRoute());
app.route("/admin", adminRoute());
// Transcription costs money: signed in when AI_REQUIRE_SIGN_IN says so (ai-access.ts), then limited per IP and, with a
// Bearer token, per user (workers/main/rate-limit-middleware.ts).
app.on("POST", "/api/transcribe", requireFeature("AI"), authenticate(), aiAccess(), rateLimit({ bucket: "ai" }));
app.route("/api/transcribe", transcribeRoute());

// The room's pages (`/live/<room>`, `/live/<room>/embed`) first: HTML that needs no sign-in and no call to the room
// (room-pages.ts); their oEmbed description for sites given a room's address (oembed-route.ts).
app.route("/live", roomPages());
app.route("/oembed", oembedRoute());
// Every /live/<room>/… route, each with its rate limit and body limit inline (live-routes.ts).
app.route("/live", liveRoutes());
// `POST /mcp`: AI agents in rooms over the Model Context Protocol, authenticated per request (mcp/route.ts, README "MCP").
app.route("/mcp", mcpRoute());
// Modules are fetched cross-origin by preview frames: the refusal carries the same CORS header as the route's answers.
app.use("/npm/*", rateLimit({ bucket: "compute", headers: { "access-control-allow-origin": "*" } }));
app.on("POST", ["/api/transpile", "/api/bundle"], rateLimit({ bucket: "compute" }));
app.route("/npm", npmRoute());
app.route("/api", bundleRoutes());
// Pinned builds: this version's files are assets (served before the Worker); older ones come from R2.
app.route("/v", cdnVersions(pkg.version));

export default app satisfies ExportedHandler<Env>;
