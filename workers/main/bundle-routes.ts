/**
 * The main Worker's face of the transpiler Worker: `POST /api/transpile` and `POST /api/bundle` proxied to it through the
 * TRANSPILER service binding, and `GET /live/<room>/index.js`, the room's project bundled into one ES module and kept in KV
 * BUNDLES by content hash, so an unchanged room is served without running esbuild again.
 */
import { Hono, type Context } from "hono";
import { ROOM_HEADER } from "../durable-objects/code-room.js";
import type { Identity } from "../platform/auth.js";
import { writeIdentity } from "../platform/caller.js";
import { bundleHash } from "../transpiler/bundle-key.js";
import { MAX_BODY_BYTES } from "../transpiler/limits.js";
import type { BundleInput } from "../transpiler/request-input.js";
import type { Env } from "../platform/env.js";
import { jsonError } from "./errors.js";
import { roomId } from "./room-id.js";
import { routeOf } from "./request-log.js";

type BundleContext = Context<{ Bindings: Env }>;

/** Cached bundles expire after 30 days unused (the key is a content hash, so an edit never needs an eviction). */
const BUNDLE_TTL_SECONDS = 30 * 24 * 60 * 60;
/** The bundle is fetched cross-origin by pages and preview frames on other sites. */
const CORS = { "access-control-allow-origin": "*" } as const;

/**
 * The routes, to mount at the root: `app.route("/", bundleRoutes())`.
 * @example const response = await app.request("/live/demo/index.js"); response.headers.get("x-spike-cache") // "miss"
 */
export function bundleRoutes(): Hono<{ Bindings: Env }> {
  const routes = new Hono<{ Bindings: Env }>();
  routes.post("/api/transpile", (c) => toTranspiler(c, c.req.raw));
  routes.post("/api/bundle", (c) => toTranspiler(c, c.req.raw));
  routes.get("/live/:room/index.js", roomId(), liveBundle);
  return routes;
}

/** Forward to the transpiler Worker; an oversized body is refused here so it is never streamed across. */
async function toTranspiler(c: BundleContext, request: Request): Promise<Response> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
    return jsonError(c, 413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  try {
    return await c.env.TRANSPILER.fetch(request);
  } catch (error) {
    // Under wrangler dev a service binding to a Worker that is not running throws when called.
    console.error(JSON.stringify({ level: "error", route: routeOf(c), message: (error as Error).message }));
    return jsonError(c, 503, "the transpiler Worker is not available");
  }
}

/** `GET /live/<room>/index.js` */
async function liveBundle(c: BundleContext): Promise<Response> {
  const room = c.req.param("room")!;
  const session = await readSession(c, room);
  if (!session.ok) return session.response;
  const { files, entry } = session;
  if (Object.keys(files).length === 0) return c.json({ error: `room "${room}" has no files` }, 404, CORS);
  if (!Object.hasOwn(files, entry)) return c.json({ error: `room "${room}" has no entry file "${entry}"` }, 404, CORS);

  const origin = new URL(c.req.url).origin;
  const input: BundleInput = { files, entry, ...(await offlineImports(c.env, origin)) };
  const hash = await bundleHash(input);
  const headers = {
    ...CORS,
    "content-type": "text/javascript; charset=utf-8",
    // Revalidate every time (the room may have changed), cheaply: the ETag is the content hash.
    "cache-control": "no-cache",
    etag: `"${hash}"`,
  };
  if (c.req.header("if-none-match") === headers.etag) return c.body(null, 304, { ...headers, "x-spike-cache": "hit" });

  const key = `bundle:${hash}`;
  const cached = await c.env.BUNDLES.get(key);
  if (cached !== null) return c.body(cached, 200, { ...headers, "x-spike-cache": "hit" });

  const response = await toTranspiler(
    c,
    new Request("https://transpiler.internal/api/bundle", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    }),
  );
  if (response.status !== 200) {
    // 422 {errors} (bad code) and 4xx {error} (a project over the limits) pass through; anything else is the server's fault.
    if (response.status >= 500) {
      console.error(JSON.stringify({ level: "error", route: routeOf(c), transpiler: response.status, body: (await response.text()).slice(0, 500) }));
      return c.json({ error: "the transpiler failed" }, 502, CORS);
    }
    return new Response(response.body, { status: response.status, headers: { ...CORS, "content-type": "application/json" } });
  }
  const { code } = (await response.json()) as { code: string; hash: string };
  try {
    await c.env.BUNDLES.put(key, code, { expirationTtl: BUNDLE_TTL_SECONDS });
  } catch (error) {
    // The cache is an optimisation: a failed write (KV rate limit, outage) still answers with the bundle.
    console.error(JSON.stringify({ level: "error", route: routeOf(c), kv: "put failed", message: (error as Error).message }));
  }
  return c.body(code, 200, { ...headers, "x-spike-cache": "miss" });
}

/**
 * The room's files and entry from its Durable Object, or the error response to send instead. The caller's verified identity
 * and IP go along, so a private room's bundle is refused (401/403) exactly like its session.json.
 */
async function readSession(
  c: BundleContext,
  room: string,
): Promise<{ ok: true; files: Record<string, string>; entry: string } | { ok: false; response: Response }> {
  const stub = c.env.CODE_ROOM.get(c.env.CODE_ROOM.idFromName(room));
  const headers = new Headers({ [ROOM_HEADER]: room });
  writeIdentity(headers, (c.var as { identity?: Identity | null }).identity, c.req.raw);
  const response = await stub.fetch(new Request("https://room.internal/session.json", { headers }));
  if (!response.ok) return { ok: false, response };
  const { files, entry } = (await response.json()) as { files: Record<string, string>; entry: string };
  return { ok: true, files, entry };
}

/**
 * Where the bundle's bare imports point: the offline set's import map (dist/site/npm/importmap.json, see C2 in the issue
 * plan) made absolute on `origin`, and `/npm/<specifier>` for the rest, which the npm route answers from the upstream CDN
 * or with a clear 404. Without an import map (assets not built) bare imports stay as written.
 */
async function offlineImports(env: Env, origin: string): Promise<Pick<BundleInput, "imports" | "importFallback">> {
  const response = await env.ASSETS.fetch(new Request(new URL("/npm/importmap.json", origin)));
  if (!response.ok) return {};
  let map: { imports?: Record<string, unknown> };
  try {
    map = await response.json();
  } catch {
    return {};
  }
  const imports: Record<string, string> = {};
  for (const [specifier, path] of Object.entries(map.imports ?? {})) {
    if (typeof path === "string") imports[specifier] = new URL(path, origin).toString();
  }
  return { imports, importFallback: new URL("/npm/", origin).toString() };
}
