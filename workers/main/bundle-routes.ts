/**
 * The main Worker's face of the transpiler Worker: `POST /api/transpile` and `POST /api/bundle` proxied to it through the
 * TRANSPILER service binding, and the handler of `GET /live/<room>/index.js` (routed in live-routes.ts), the room's project
 * bundled into one ES module and kept in KV BUNDLES by content hash, so an unchanged room is served without running esbuild
 * again.
 */
import { Hono, type Context } from "hono";
import { bundleHash } from "../transpiler/bundle-key.js";
import { MAX_BODY_BYTES } from "../transpiler/limits.js";
import type { BundleInput } from "../transpiler/request-input.js";
import type { Env } from "../platform/env.js";
import { jsonError } from "./errors.js";
import { routeOf } from "./request-log.js";
import { callerOf, refusal, roomOf } from "./room-answer.js";

type BundleContext = Context<{ Bindings: Env }>;

/** Cached bundles expire after 30 days unused (the key is a content hash, so an edit never needs an eviction). */
const BUNDLE_TTL_SECONDS = 30 * 24 * 60 * 60;
/** The bundle is fetched cross-origin by pages and preview frames on other sites. */
const CORS = { "access-control-allow-origin": "*" } as const;

/**
 * The transpiler's routes, to mount under `/api`.
 * @example app.route("/api", bundleRoutes());
 */
export function bundleRoutes(): Hono<{ Bindings: Env }> {
  const routes = new Hono<{ Bindings: Env }>();
  routes.post("/transpile", (c) => toTranspiler(c, c.req.raw));
  routes.post("/bundle", (c) => toTranspiler(c, c.req.raw));
  return routes;
}

/** Forward to the transpiler Worker; an oversized body is refused here so it is never streamed across. */
export async function toTranspiler(c: BundleContext, request: Request): Promise<Response> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
    return jsonError(c, 413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  try {
    // The request id goes along, so a transpiler error report names the request that failed.
    const forwarded = new Request(request);
    forwarded.headers.set("x-request-id", c.get("requestId"));
    return await c.env.TRANSPILER.fetch(forwarded);
  } catch (error) {
    // Under wrangler dev a service binding to a Worker that is not running throws when called.
    console.error(JSON.stringify({ level: "error", route: routeOf(c), message: (error as Error).message }));
    return jsonError(c, 503, "the transpiler Worker is not available");
  }
}

/**
 * `GET /live/<room>/index.js`: a 304 for a matching `if-none-match`, else the cached bundle or a fresh one.
 * @example live.get("/:room/index.js", rateLimit({ bucket: "compute" }), liveBundle);
 */
export async function liveBundle(c: BundleContext): Promise<Response> {
  const room = c.req.param("room")!;
  // The caller's identity goes along, so a private room's bundle is refused (401/403) exactly like its session.json.
  const session = await roomOf(c).session(callerOf(c));
  if (!session.ok) return refusal(c, session);
  const { files, entry, version } = session.value;
  // A room nobody wrote to has an empty session (version 0); its bundle is a 404 like its other reads.
  if (version === 0) return c.json({ error: `no room "${room}": nothing was ever written to it` }, 404, CORS);
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
 * Where the bundle's bare imports point: the offline set's import map (dist/site/npm/importmap.json, see C2 in the issue
 * plan) made absolute on `origin`, and `/npm/<specifier>` for the rest, which the npm route answers from the upstream CDN
 * or with a clear 404. Without an import map (assets not built) bare imports stay as written.
 */
export async function offlineImports(env: Env, origin: string): Promise<Pick<BundleInput, "imports" | "importFallback">> {
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
