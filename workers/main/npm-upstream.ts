/**
 * Modules outside the offline set, from the NPM_UPSTREAM CDN (e.g. https://esm.sh), kept in R2 `NPM_CACHE` under their
 * specifier so each is fetched once. JavaScript, and for the editor's typings (workers/main/npm-types.ts) `.d.ts` files and
 * package.json; only up to MAX_MODULE_BYTES; an upstream failure is a clean JSON error.
 */
import type { NpmSpecifier } from "./npm-route.js";

/** Larger than any single ES module of a sane package, small enough that a mistake cannot fill R2 or memory. */
export const MAX_MODULE_BYTES = 5 * 1024 * 1024;
/** An unpinned specifier (`lodash-es`, `react@19`) moves with new releases: refetch it after a day. */
const UNPINNED_TTL_MS = 24 * 60 * 60 * 1000;
const UPSTREAM_TIMEOUT_MS = 15_000;
const JS_CONTENT_TYPES = /^(?:text|application)\/(?:javascript|ecmascript|x-javascript)\s*(?:;|$)/i;
/** A CDN's error or index page: never a typings file, whatever its name. */
const HTML_CONTENT_TYPE = /^text\/html\s*(?:;|$)/i;

/** What a file under /npm/ is, from its name: CDNs label `.d.ts` files variously (application/typescript, text/plain, video/mp2t). */
export type NpmFileKind = "module" | "typings" | "json";

/** The kind of file a specifier names, and the content type it is stored and served with. */
export function fileKind(specifier: string): { kind: NpmFileKind; contentType: string } {
  if (/\.d\.[cm]?ts$/.test(specifier)) return { kind: "typings", contentType: "application/typescript; charset=utf-8" };
  if (/\/package\.json$/.test(specifier)) return { kind: "json", contentType: "application/json; charset=utf-8" };
  return { kind: "module", contentType: "text/javascript; charset=utf-8" };
}

/** A module's code and where it came from (`hit`, `miss` or `stale` in R2), or why there is none. */
export type UpstreamModule = { body: ReadableStream | Uint8Array; cache: "hit" | "miss" | "stale" } | UpstreamError;
export type UpstreamError = { status: 404 | 502; error: string };
type Download = { code: Uint8Array; url: string } | UpstreamError;

/**
 * A module from R2, or from the upstream CDN (then stored in R2). A stale unpinned copy is still served when the upstream fails.
 * @example const module = await fetchFromUpstream(env.NPM_CACHE, parsed, env.NPM_UPSTREAM, userAgent);
 */
export async function fetchFromUpstream(
  cache: R2Bucket,
  spec: NpmSpecifier,
  upstream: string,
  userAgent: string | undefined,
): Promise<UpstreamModule> {
  const cached = await cache.get(spec.specifier);
  if (cached && (spec.pinned || Date.now() - cached.uploaded.getTime() < UNPINNED_TTL_MS)) return { body: cached.body, cache: "hit" };
  const fetched = await download(upstream, spec, userAgent);
  if ("error" in fetched) return cached ? { body: cached.body, cache: "stale" } : fetched;
  await cached?.body.cancel();
  await cache.put(spec.specifier, fetched.code, {
    httpMetadata: { contentType: fileKind(spec.specifier).contentType },
    customMetadata: { source: fetched.url },
  });
  return { body: fetched.code, cache: "miss" };
}

/** Sent to the CDN on every fetch: an evergreen Chromium, so ES2022 builds come back. */
const UPSTREAM_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

/** GET the module from the upstream (redirects followed), checked for type and size. */
async function download(upstream: string, spec: NpmSpecifier, userAgent: string | undefined): Promise<Download> {
  const url = `${upstream.replace(/\/+$/, "")}/${spec.specifier}`;
  let response: Response;
  try {
    const headers: Record<string, string> = { accept: "text/javascript, application/javascript;q=0.9, */*;q=0.1" };
    // CDNs such as esm.sh pick the build from the user agent. The R2 key is the specifier alone, so one fixed, modern
    // browser identity is sent for everyone: a client's own user agent (say, Deno's) must not choose what all browsers
    // get from the cache.
    void userAgent;
    headers["user-agent"] = UPSTREAM_USER_AGENT;
    response = await fetch(url, { method: "GET", redirect: "follow", headers, signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  } catch (error) {
    return { status: 502, error: `upstream ${url} did not answer: ${(error as Error).message}` };
  }
  const fail = async (status: 404 | 502, error: string): Promise<Download> => {
    await response.body?.cancel();
    return { status, error };
  };
  if (response.status === 404) return fail(404, `package "${spec.specifier}" was not found upstream (${url} answered 404)`);
  if (!response.ok) return fail(502, `upstream ${url} answered ${response.status}`);
  const type = response.headers.get("content-type") ?? "";
  const { kind } = fileKind(spec.specifier);
  if (kind === "module" ? !JS_CONTENT_TYPES.test(type) : HTML_CONTENT_TYPE.test(type)) {
    return fail(502, `upstream ${url} answered "${type || "no content-type"}", not ${kind === "module" ? "JavaScript" : kind === "json" ? "JSON" : "a typings file"}`);
  }
  if (Number(response.headers.get("content-length") ?? 0) > MAX_MODULE_BYTES) {
    return fail(502, `upstream module ${url} is larger than ${MAX_MODULE_BYTES} bytes`);
  }
  const bytes = await readCapped(response.body, MAX_MODULE_BYTES);
  if (!bytes) return { status: 502, error: `upstream module ${url} is larger than ${MAX_MODULE_BYTES} bytes` };
  const code = kind === "module" ? new TextEncoder().encode(rootImportsToNpm(new TextDecoder().decode(bytes))) : bytes;
  return { code, url: response.url || url };
}

/** The whole body, or null (and the stream cancelled) once it passes `cap` bytes: content-length may be absent or lie. */
async function readCapped(body: ReadableStream<Uint8Array> | null, cap: number): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/**
 * CDN modules import their dependencies by root-relative paths (esm.sh: `export * from "/lodash-es@4.17.21/es2022/…"`),
 * which would resolve against this Worker's origin. Send them back through `/npm/` so they come from the upstream too.
 * @example rootImportsToNpm('export * from "/x@1/a.mjs"') // 'export * from "/npm/x@1/a.mjs"'
 */
export function rootImportsToNpm(code: string): string {
  return code.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)(["'])\/(?![/*]|npm\/)/g, "$1$2/npm/");
}
