/**
 * `GET /live/<room>/screenshot.png`, `GET /live/<room>/page.pdf` and `GET /live/<room>/og.png`: the room's running app as a
 * picture or a PDF, made by the renderer Worker (workers/renderer, a headless browser) through the RENDERER service binding
 * and kept in R2 `ROOMS` under `renders/<key>.png|.pdf`, the key a SHA-256 of the app's bundle and the options. The bundle
 * is the one `GET /live/<room>/index.js` serves (same access rules, same KV cache), or with `version=<n>` the saved
 * version's `rooms/<room>/versions/<n>/index.js`; so an unchanged room is answered from R2 without a browser, and any edit
 * makes a new key. Mounted by workers/main/live-routes.ts. README "Renderer", docs/PROTOCOL.md "HTTP routes on a room".
 */
import type { Context, Hono } from "hono";
import { versionKeys } from "../durable-objects/room-versions.js";
import type { Env } from "../platform/env.js";
import { clientIp } from "../platform/caller.js";
import type { AuthVariables } from "./authenticate.js";
import { liveBundle } from "./bundle-routes.js";
import { jsonError } from "./errors.js";
import { rateLimit } from "./rate-limit-middleware.js";
import { routeOf } from "./request-log.js";
import { callerOf, refusal, roomOf } from "./room-answer.js";
import { CLIENT_IP_HEADER, MAX_SIDE, MIN_SIDE, type RenderFormat, type RenderRequest, type RenderTheme } from "../renderer/render-input.js";
import { requireFeature } from "./features.js";

type LiveEnv = { Bindings: Env; Variables: AuthVariables };
type RenderContext = Context<LiveEnv>;

/** Bumped when the page a render shows changes, so older cached renders are not served for it. */
const RENDER_KEY_VERSION = 1;
/** The social card's size, as Open Graph and Twitter's large summary card ask. */
export const OG_SIZE = { width: 1200, height: 630 } as const;
/** The size of a screenshot or PDF page without `width`/`height`. */
export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;

/** What one render route makes and which query parameters it takes. */
interface RenderKind {
  format: RenderFormat;
  /** Query parameters allowed besides `theme` and `version`. */
  sized: boolean;
  /** Fixed size and a caption line (the social card). */
  card: boolean;
}

const KINDS = {
  "screenshot.png": { format: "png", sized: true, card: false },
  "page.pdf": { format: "pdf", sized: true, card: false },
  "og.png": { format: "png", sized: false, card: true },
} satisfies Record<string, RenderKind>;

/**
 * Add the render routes to the room routes (after their room-id and auth middleware).
 * @example mountRenderRoutes(live);
 */
export function mountRenderRoutes(live: Hono<LiveEnv>): void {
  for (const [file, kind] of Object.entries(KINDS)) {
    live.get(`/:room/${file}`, requireFeature("RENDERER"), rateLimit({ bucket: "compute" }), (c) => renderRoute(c, file, kind));
    live.all(`/:room/${file}`, (c) => jsonError(c, 405, `method ${c.req.method} not allowed on ${file}`));
  }
}

/** The options of a render request, checked. */
export interface RenderOptions {
  width: number;
  height: number;
  theme: RenderTheme;
  version: number | null;
}

/**
 * Read and check a render route's query: `width`/`height` integers from 64 to 2400 (sized routes only), `theme` light or
 * dark, `version` a positive integer; anything else is an error message.
 * @example parseRenderOptions(new URL("http://x/?width=800").searchParams, true) // {ok: true, value: {width: 800, height: 800, theme: "light", version: null}}
 */
export function parseRenderOptions(query: URLSearchParams, sized: boolean): { ok: true; value: RenderOptions } | { ok: false; error: string } {
  const allowed = sized ? ["width", "height", "theme", "version"] : ["theme", "version"];
  for (const name of new Set(query.keys())) {
    if (!allowed.includes(name)) return { ok: false, error: `unknown option "${name}" (this route takes ${allowed.join(", ")})` };
    if (query.getAll(name).length > 1) return { ok: false, error: `option "${name}" given more than once` };
  }
  const side = (name: "width" | "height", fallback: number): number | string => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    if (!/^\d{1,5}$/.test(raw) || Number(raw) < MIN_SIDE || Number(raw) > MAX_SIDE) return `${name} must be an integer from ${MIN_SIDE} to ${MAX_SIDE}, got "${raw}"`;
    return Number(raw);
  };
  const width = side("width", sized ? DEFAULT_SIZE.width : OG_SIZE.width);
  if (typeof width === "string") return { ok: false, error: width };
  const height = side("height", sized ? DEFAULT_SIZE.height : OG_SIZE.height);
  if (typeof height === "string") return { ok: false, error: height };
  const theme = query.get("theme") ?? "light";
  if (theme !== "light" && theme !== "dark") return { ok: false, error: `theme must be "light" or "dark", got "${theme}"` };
  const rawVersion = query.get("version");
  if (rawVersion !== null && !/^[1-9]\d{0,8}$/.test(rawVersion)) return { ok: false, error: `version must be a positive integer, got "${rawVersion}"` };
  return { ok: true, value: { width, height, theme, version: rawVersion === null ? null : Number(rawVersion) } };
}

async function renderRoute(c: RenderContext, file: string, kind: RenderKind): Promise<Response> {
  const options = parseRenderOptions(new URL(c.req.url).searchParams, kind.sized);
  if (!options.ok) return jsonError(c, 400, options.error);
  const room = c.req.param("room")!;
  const code = options.value.version === null ? await liveCode(c) : await versionCode(c, room, options.value.version);
  if (code instanceof Response) return code;

  const origin = new URL(c.req.url).origin;
  const request: RenderRequest = {
    format: kind.format,
    code,
    react: await reactUrls(c.env, origin),
    width: options.value.width,
    height: options.value.height,
    theme: options.value.theme,
    ...(kind.card ? { caption: `spike · ${room}` } : {}),
  };
  const key = await renderKey(request);
  const headers: Record<string, string> = {
    "content-type": kind.format === "png" ? "image/png" : "application/pdf",
    "x-content-type-options": "nosniff",
    // Revalidate every time (the room may have changed), cheaply: the ETag is the render's key.
    "cache-control": "no-cache",
    etag: `"${key}"`,
    "access-control-allow-origin": "*",
    ...(kind.format === "pdf" ? { "content-disposition": `inline; filename="${room}.pdf"` } : {}),
  };
  if (c.req.header("if-none-match") === headers.etag) return c.body(null, 304, headers);

  const objectKey = `renders/${key}.${kind.format}`;
  const cached = await c.env.ROOMS.get(objectKey);
  if (cached) return c.body(cached.body, 200, { ...headers, "x-spike-cache": "hit" });

  let rendered: Response;
  try {
    rendered = await c.env.RENDERER.fetch("https://renderer.internal/render", {
      method: "POST",
      headers: { "content-type": "application/json", [CLIENT_IP_HEADER]: clientIp(c.req.raw) ?? "unknown", "x-request-id": c.get("requestId") ?? "" },
      body: JSON.stringify(request),
    });
  } catch (error) {
    // Under wrangler dev a service binding to a Worker that is not running throws when called.
    console.error(JSON.stringify({ level: "error", route: routeOf(c), message: (error as Error).message }));
    return jsonError(c, 503, "the renderer Worker is not available");
  }
  if (rendered.status !== 200) return rendererRefusal(c, rendered, file);
  const bytes = await rendered.arrayBuffer();
  try {
    await c.env.ROOMS.put(objectKey, bytes, { httpMetadata: { contentType: headers["content-type"] }, customMetadata: { room } });
  } catch (error) {
    // The cache is an optimisation: a failed write still answers with the render.
    console.error(JSON.stringify({ level: "error", route: routeOf(c), r2: "put failed", message: (error as Error).message }));
  }
  return c.body(bytes, 200, { ...headers, "x-spike-cache": "miss" });
}

/** The live room's bundle, through the very handler of `GET /live/<room>/index.js`; its refusal (401/403/404/422) as is. */
async function liveCode(c: RenderContext): Promise<string | Response> {
  const bundle = await liveBundle(c as unknown as Context<{ Bindings: Env }>);
  if (bundle.status !== 200) {
    const body = (await bundle.json().catch(() => ({}))) as { error?: string; errors?: unknown; encrypted?: true };
    if (body.errors) return c.json({ error: "the app does not build", errors: body.errors, requestId: c.get("requestId") }, 422);
    return jsonError(c, bundle.status as 400, body.error ?? "the app could not be bundled", body.encrypted ? { encrypted: true } : {});
  }
  return bundle.text();
}

/**
 * A saved version's bundle (R2 `rooms/<room>/versions/<n>/index.js`), for a caller who may open the room: the room's
 * version call answers the access check and an unknown version's 404.
 */
async function versionCode(c: RenderContext, room: string, version: number): Promise<string | Response> {
  const read = await roomOf(c).version(callerOf(c), version);
  if (!read.ok) return refusal(c, read);
  const object = await c.env.ROOMS.get(versionKeys.bundle(room, version));
  // Saving bundles the version; if that failed, its pinned index.js bundles it on its first request.
  if (!object) return jsonError(c, 404, `version ${version} of room "${room}" has no bundle yet: GET /live/${room}/v/${version}/index.js makes it`);
  return object.text();
}

/** Where the offline set's React and react-dom/client are on `origin` (the URLs the bundle imports), or null without them. */
async function reactUrls(env: Env, origin: string): Promise<RenderRequest["react"]> {
  const response = await env.ASSETS.fetch(new Request(new URL("/npm/importmap.json", origin)));
  if (!response.ok) return null;
  const map = (await response.json().catch(() => ({}))) as { imports?: Record<string, unknown> };
  const react = map.imports?.["react"];
  const client = map.imports?.["react-dom/client"];
  if (typeof react !== "string" || typeof client !== "string") return null;
  return { react: new URL(react, origin).toString(), client: new URL(client, origin).toString() };
}

/** The render's cache key: a SHA-256 (hex) of everything the picture depends on. */
async function renderKey(request: RenderRequest): Promise<string> {
  const text = JSON.stringify({ v: RENDER_KEY_VERSION, ...request });
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The renderer's refusal as this Worker's JSON error (with the request id); a failure of the renderer itself is a 502. */
async function rendererRefusal(c: RenderContext, rendered: Response, file: string): Promise<Response> {
  const body = (await rendered.json().catch(() => ({}))) as { error?: string };
  const retryAfter = rendered.headers.get("retry-after");
  const headers: Record<string, string> = retryAfter ? { "retry-after": retryAfter } : {};
  if (rendered.status >= 500 && ![503, 504].includes(rendered.status)) {
    console.error(JSON.stringify({ level: "error", route: routeOf(c), renderer: rendered.status, body: body.error }));
    return jsonError(c, 502, `the renderer failed to make ${file}`);
  }
  return jsonError(c, rendered.status as 400, body.error ?? `the renderer refused to make ${file}`, {}, headers);
}
