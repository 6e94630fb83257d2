/**
 * `/v/<version>/…`: the pinned CDN build. This deployment's own version is static assets (dist/site/v/<version>/, served
 * before the Worker runs, immutable per `_headers`: no Worker invocation for the common case); a request reaches this
 * route only when no asset matched: an older version, served from the CDN_VERSIONS R2 bucket that scripts/publish-cdn.mjs
 * fills with each published dist/cdn, so an embed that names a version keeps working after newer deploys. Anything else
 * is a JSON 400/404 naming the versions this server has.
 */
import { Hono, type Context } from "hono";
import type { Env } from "../platform/env.js";
import { jsonError } from "./errors.js";

/** A pinned file never changes: browsers and CDNs may keep it for a year without asking again. */
export const IMMUTABLE = "public, max-age=31536000, immutable";
/** major.minor.patch with an optional pre-release; no build metadata (`+` is not a safe URL character everywhere). */
const VERSION = /^\d{1,9}\.\d{1,9}\.\d{1,9}(?:-[0-9A-Za-z.-]{1,40})?$/;
/** A path segment of a file in dist/cdn: names, dots, dashes, `@` (npm/react@19.3.1/). Never `.`/`..`, `%`, `\`. */
const SEGMENT = /^[A-Za-z0-9@._~+-]{1,200}$/;
/** R2 key of a published file: the layout scripts/publish-cdn.mjs writes. */
export const versionKey = (version: string, file: string) => `v/${version}/${file}`;

/** A validated `/v/<version>/<file>`, or why it is not one. */
export type PinnedPath = { version: string; file: string } | { error: string };

/**
 * Validate the raw (still percent-encoded) path after `/v/`.
 * @example parsePinnedPath("0.1.0/spike.js") // { version: "0.1.0", file: "spike.js" }
 * @example parsePinnedPath("0.1.0/..%2f..%2fwrangler.jsonc") // { error: "…" }
 */
export function parsePinnedPath(raw: string): PinnedPath {
  if (raw.length > 400) return { error: "path too long" };
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return { error: "malformed percent-encoding in the path" };
  }
  const [version = "", ...segments] = path.split("/");
  if (!VERSION.test(version)) {
    return { error: `invalid version "${printable(version)}": a pinned URL looks like /v/1.2.3/spike.js` };
  }
  if (segments.length === 0 || segments.some((s) => s === "." || s === ".." || !SEGMENT.test(s))) {
    return { error: `invalid file "${printable(segments.join("/"))}" in /v/${version}/` };
  }
  return { version, file: segments.join("/") };
}

/** At most 100 visible ASCII characters of user input, for an error message. */
const printable = (text: string) => text.slice(0, 100).replace(/[^\x20-\x7e]/g, "?");

/** The versions this server can serve: its own and every one published to the bucket, newest first. */
async function knownVersions(bucket: R2Bucket, current: string): Promise<string[]> {
  const versions = new Set([current]);
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: "v/", delimiter: "/", cursor });
    for (const prefix of page.delimitedPrefixes) versions.add(prefix.slice(2, -1));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return [...versions].sort(compareVersions).reverse();
}

/** Orders release numbers numerically (0.10.0 after 0.9.0); a pre-release before its release. */
function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [release = "", pre] = v.split(/-(.*)/);
    return { parts: release.split(".").map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.parts[i] !== y.parts[i]) return x.parts[i]! - y.parts[i]!;
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** A JSON error a page on another origin can read, never cached (a version may be published later). */
const versionError = (c: Context, status: 400 | 404, error: string, versions: string[]) =>
  jsonError(c, status, error, { versions }, { "access-control-allow-origin": "*", "cache-control": "no-store" });

/**
 * The `/v` sub-app: `app.route("/v", cdnVersions(pkg.version))`. `current` is this deployment's version (its files are
 * assets, so a request for it that gets here names a file the build does not have).
 * @example app.route("/v", cdnVersions("0.1.0")); // GET /v/0.0.9/spike.js from R2, GET /v/9.9.9/spike.js -> 404
 */
export function cdnVersions(current: string): Hono<{ Bindings: Env }> {
  const route = new Hono<{ Bindings: Env }>();
  route.get("/*", async (c) => {
    const bucket = c.env.CDN_VERSIONS;
    // The raw path: c.req.path is already percent-decoded, and decoding twice would let `%252e` through as `.`.
    const pinned = parsePinnedPath(new URL(c.req.url).pathname.replace(/^\/v\/?/, ""));
    if ("error" in pinned) return versionError(c, 400, pinned.error, await knownVersions(bucket, current));
    const { version, file } = pinned;
    // This version's files are assets: one that reaches the Worker does not exist.
    if (version !== current) {
      const object = await bucket.get(versionKey(version, file), { onlyIf: c.req.raw.headers });
      if (object) return pinnedResponse(object, file.startsWith("preview/") ? await frameHeaders(c, current) : {});
    }
    const versions = await knownVersions(bucket, current);
    if (!versions.includes(version)) {
      return versionError(c, 404, `spike ${version} is not on this server; it has ${versions.join(", ")}`, versions);
    }
    return versionError(c, 404, `"${file}" is not a file of spike ${version}`, versions);
  });
  route.all("*", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on /v/`));
  return route;
}

/**
 * The preview frame's CSP and referrer policy as `_headers` gives this deployment's own frame, for an older version's
 * frame from R2: user code runs there, so it gets the same fence (one asset lookup, only for files under preview/).
 */
async function frameHeaders(c: Context<{ Bindings: Env }>, current: string): Promise<Record<string, string>> {
  const own = await c.env.ASSETS.fetch(new Request(new URL(`/v/${current}/preview/frame.js`, c.req.url), { method: "HEAD" }));
  await own.body?.cancel();
  const pick = ["content-security-policy", "referrer-policy"].flatMap((name) => {
    const value = own.headers.get(name);
    return value ? [[name, value] as const] : [];
  });
  return Object.fromEntries(pick);
}

/** A published file with the headers its asset twin has: immutable, CORS for pages on other origins. */
function pinnedResponse(object: R2Object | R2ObjectBody, extra: Record<string, string>): Response {
  const headers = new Headers({ ...extra, "cache-control": IMMUTABLE, "access-control-allow-origin": "*", etag: object.httpEtag });
  object.writeHttpMetadata(headers);
  // No body: the browser's copy matches (If-None-Match).
  if (!("body" in object)) return new Response(null, { status: 304, headers });
  return new Response(object.body, { headers });
}
