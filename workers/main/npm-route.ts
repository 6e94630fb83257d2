/**
 * `/npm/…`: ES modules for preview imports (contract C2) and typings for the editor. The offline set built by
 * scripts/build-npm.mjs (its modules, its `.d.ts` files and their index /npm/typings.json) is served from the static assets
 * with immutable caching; any other specifier comes from the optional NPM_UPSTREAM CDN through the R2 cache
 * (workers/main/npm-upstream.ts), a package's typings index from /npm/_types/<name> (workers/main/npm-types.ts), or is a
 * 404 that says how to get it. Every answer carries `access-control-allow-origin: *`
 * because the preview frame runs on another origin.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { readConfig } from "../platform/config.js";
import type { Env } from "../platform/env.js";
import { fetchFromUpstream, fileKind } from "./npm-upstream.js";
import { upstreamTypings, type TypingsIndex } from "./npm-types.js";

const JS_CONTENT_TYPE = "text/javascript; charset=utf-8";
const IMMUTABLE = "public, max-age=31536000, immutable";
/** An unpinned specifier (`lodash-es`, `react@19`) moves with new releases: browsers may keep it only briefly. */
const UNPINNED_CACHE_CONTROL = "public, max-age=600";
/**
 * The offline set's import map changes with a deploy that upgrades a package, like the latest element bundle and the
 * preview frame it goes with: kept as briefly as they are (rollup.config.mjs LATEST_CACHE), then revalidated by ETag.
 */
const IMPORT_MAP_CACHE_CONTROL = "public, max-age=300";
/** Longest specifier accepted; real ones are far shorter, and the limit keeps R2 keys and upstream URLs sane. */
const MAX_SPECIFIER_LENGTH = 512;
/** A path segment of a specifier once decoded: npm names, versions, file names. No `%`, `\`, `:`, spaces or controls. */
const SEGMENT = /^[A-Za-z0-9@._~+-]+$/;
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** A validated `/npm/<specifier>`: `lodash-es@4.17.21/debounce.js` -> package `lodash-es`, version `4.17.21`. */
export interface NpmSpecifier {
  /** The decoded path after `/npm/`, e.g. `react@19.3.1/index.js` or `lodash-es`. */
  specifier: string;
  /** `react`, `@scope/name`. */
  name: string;
  /** As requested (`19.3.1`, `19`, `latest`), or null. */
  version: string | null;
  /** True for an exact semver: such a URL never changes, so it may be cached for good. */
  pinned: boolean;
}

/**
 * Validate the raw (still percent-encoded) path after `/npm/`. Returns an error message for traversal and odd input.
 * @example parseSpecifier("react@19.3.1/index.js") // { specifier: "react@19.3.1/index.js", name: "react", version: "19.3.1", pinned: true }
 * @example parseSpecifier("..%2f..%2fwrangler.jsonc") // { error: "…" }
 */
export function parseSpecifier(raw: string): NpmSpecifier | { error: string } {
  if (raw.length === 0) return { error: "missing package name: use /npm/<name>[@<version>][/<path>]" };
  if (raw.length > MAX_SPECIFIER_LENGTH) return { error: `specifier longer than ${MAX_SPECIFIER_LENGTH} characters` };
  let specifier: string;
  try {
    specifier = decodeURIComponent(raw);
  } catch {
    return { error: "malformed percent-encoding in specifier" };
  }
  const segments = specifier.split("/");
  for (const segment of segments) {
    // `.`/`..` after decoding catches `%2e%2e`, `..%2f`; the character class catches `\`, NUL, `%00`, `%5c`, spaces.
    if (segment === "" || segment === "." || segment === ".." || !SEGMENT.test(segment)) {
      return { error: `invalid specifier "${specifier.slice(0, 100).replace(/[^\x20-\x7e]/g, "?")}"` };
    }
  }
  const scoped = segments[0]!.startsWith("@");
  if (scoped && segments.length < 2) return { error: `invalid scoped package "${specifier}"` };
  const packageSegment = scoped ? `${segments[0]}/${segments[1]}` : segments[0]!;
  const at = packageSegment.indexOf("@", scoped ? 1 : 0);
  const name = at > 0 ? packageSegment.slice(0, at) : packageSegment;
  const version = at > 0 ? packageSegment.slice(at + 1) : null;
  if (name.includes("@", 1) || version === "") return { error: `invalid package "${packageSegment}"` };
  return { specifier, name, version, pinned: version !== null && EXACT_VERSION.test(version) };
}

/** The headers every file answer gets: a module's, or a `.d.ts` or package.json's content type (from the specifier). */
function moduleHeaders(cacheControl: string, extra: Record<string, string> = {}, specifier = ""): Headers {
  const contentType = specifier ? fileKind(specifier).contentType : JS_CONTENT_TYPE;
  return new Headers({ "content-type": contentType, "cache-control": cacheControl, "access-control-allow-origin": "*", ...extra });
}

/** A JSON error that a page on another origin can read. */
function npmError(c: Context, status: ContentfulStatusCode, error: string): Response {
  return c.json({ error }, status, { "access-control-allow-origin": "*", "cache-control": "no-store" });
}

/** GET a static asset under /npm/ on the Worker's own assets; null when there is none. */
async function fetchAsset(c: Context<{ Bindings: Env }>, path: string): Promise<Response | null> {
  const headers = new Headers();
  const etag = c.req.header("if-none-match");
  if (etag) headers.set("if-none-match", etag);
  const asset = await c.env.ASSETS.fetch(new Request(new URL(path, c.req.url), { headers }));
  if (asset.status === 200 || asset.status === 304) return asset;
  await asset.body?.cancel();
  return null;
}

/** Re-answer an asset with our headers (the asset's own are immutable and say nothing of CORS). */
function withHeaders(asset: Response, headers: Headers): Response {
  const etag = asset.headers.get("etag");
  if (etag) headers.set("etag", etag);
  return new Response(asset.status === 304 ? null : asset.body, { status: asset.status, headers });
}

/** The offline set's import map, or null when dist/site/npm was not built. */
async function offlineImportMap(c: Context<{ Bindings: Env }>): Promise<{ imports: Record<string, string> } | null> {
  const asset = await fetchAsset(c, "/npm/importmap.json");
  return asset && asset.status === 200 ? ((await asset.json()) as { imports: Record<string, string> }) : null;
}

/** The offline set's typings index (scripts/build-npm-types.mjs), or null when it was not built. */
async function offlineTypings(c: Context<{ Bindings: Env }>): Promise<TypingsIndex | null> {
  const asset = await fetchAsset(c, "/npm/typings.json");
  return asset && asset.status === 200 ? ((await asset.json()) as TypingsIndex) : null;
}

/** The part of an index `name` needs: its typings and, transitively, those they import. */
function typingsSubset(index: TypingsIndex, name: string): TypingsIndex {
  const id = index.packages[name] ?? null;
  const subset: TypingsIndex = { packages: { [name]: id }, typings: {} };
  const queue = id ? [id] : [];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const entry = index.typings[next];
    if (!entry || next in subset.typings) continue;
    subset.typings[next] = entry;
    queue.push(...entry.dependencies);
  }
  return subset;
}

/**
 * An unversioned specifier of the offline set (`/npm/react`) answers a module that re-exports the versioned file. Not a
 * redirect: browsers key modules by the URL they asked for, so a redirect would give a page a second React instance.
 */
function reExport(url: string): Response {
  const from = JSON.stringify(url);
  const body = `export * from ${from};\nimport * as all from ${from};\nexport default all.default;\n`;
  return new Response(body, { headers: moduleHeaders(UNPINNED_CACHE_CONTROL) });
}

/**
 * The `/npm` sub-app: `app.route("/npm", npmRoute())`.
 * @example app.route("/npm", npmRoute()); // GET /npm/react@19.3.1/index.js, GET /npm/importmap.json, GET /npm/lodash-es
 */
export function npmRoute(): Hono<{ Bindings: Env }> {
  const route = new Hono<{ Bindings: Env }>();

  route.options("*", () => new Response(null, {
    status: 204,
    headers: { "access-control-allow-origin": "*", "access-control-allow-methods": "GET, HEAD, OPTIONS", "access-control-max-age": "86400" },
  }));

  route.get("/importmap.json", async (c) => {
    const asset = await fetchAsset(c, "/npm/importmap.json");
    if (!asset) return npmError(c, 503, "the offline npm set is not built: run `npm run build`");
    const headers = new Headers({ "content-type": "application/json; charset=utf-8", "cache-control": IMPORT_MAP_CACHE_CONTROL, "access-control-allow-origin": "*" });
    return withHeaders(asset, headers);
  });

  route.get("/typings.json", async (c) => {
    const asset = await fetchAsset(c, "/npm/typings.json");
    if (!asset) return npmError(c, 503, "the offline npm set is not built: run `npm run build`");
    const headers = new Headers({ "content-type": "application/json; charset=utf-8", "cache-control": IMPORT_MAP_CACHE_CONTROL, "access-control-allow-origin": "*" });
    return withHeaders(asset, headers);
  });

  route.get("/_types/*", async (c) => {
    const raw = new URL(c.req.url).pathname.replace(/^\/npm\/_types\/?/, "");
    const parsed = parseSpecifier(raw);
    if ("error" in parsed) return npmError(c, 400, parsed.error);
    if (parsed.specifier !== `${parsed.name}${parsed.version === null ? "" : `@${parsed.version}`}`) {
      return npmError(c, 400, "use /npm/_types/<name>[@<version>], without a path inside the package");
    }
    const headers = { "access-control-allow-origin": "*", "cache-control": parsed.pinned ? IMMUTABLE : UNPINNED_CACHE_CONTROL };
    const offline = await offlineTypings(c);
    if (offline && parsed.name in offline.packages) return c.json(typingsSubset(offline, parsed.name), 200, headers);
    const upstream = readConfig(c.env).npmUpstream;
    if (!upstream) return npmError(c, 404, `package "${parsed.name}" is not in the offline set; set NPM_UPSTREAM to fetch its typings from a CDN`);
    const index = await upstreamTypings(c.env.NPM_CACHE, upstream, parsed.name, parsed.version);
    if ("error" in index) return npmError(c, index.status, index.error);
    return c.json(index, 200, headers);
  });

  route.get("/*", async (c) => {
    // The raw path: c.req.path is already percent-decoded, and decoding twice would let `%252e` through as `.`.
    const raw = new URL(c.req.url).pathname.replace(/^\/npm\/?/, "");
    const parsed = parseSpecifier(raw);
    if ("error" in parsed) return npmError(c, 400, parsed.error);

    const asset = await fetchAsset(c, `/npm/${parsed.specifier}`);
    if (asset) return withHeaders(asset, moduleHeaders(IMMUTABLE, {}, parsed.specifier));

    const imports = (await offlineImportMap(c))?.imports ?? {};
    const offline = imports[parsed.specifier];
    if (offline) return reExport(offline);

    const upstream = readConfig(c.env).npmUpstream;
    if (upstream) {
      const module = await fetchFromUpstream(c.env.NPM_CACHE, parsed, upstream, c.req.header("user-agent"));
      if ("error" in module) return npmError(c, module.status, module.error);
      const cacheControl = parsed.pinned ? IMMUTABLE : UNPINNED_CACHE_CONTROL;
      return new Response(module.body, { headers: moduleHeaders(cacheControl, { "x-spike-cache": module.cache }, parsed.specifier) });
    }
    const pkg = parsed.version ? `${parsed.name}@${parsed.version}` : parsed.name;
    if (Object.values(imports).some((url) => url.startsWith(`/npm/${pkg}/`))) {
      return npmError(c, 404, `"${parsed.specifier}" is not a file of the offline set`);
    }
    return npmError(c, 404, `package "${pkg}" is not in the offline set; set NPM_UPSTREAM to fetch it from a CDN`);
  });

  route.all("*", (c) => npmError(c, 405, `method ${c.req.method} not allowed on /npm/`));
  return route;
}
