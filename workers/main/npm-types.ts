/**
 * `GET /npm/_types/<name>[@<version>]`: the typings index of one package outside the offline set, in the shape of the offline
 * set's /npm/typings.json (scripts/build-npm-types.mjs), so the editor (elements/internal/type-acquisition.ts) treats both
 * alike. The Worker reads the package's package.json from NPM_UPSTREAM (a CDN that serves package files at
 * `<upstream>/<name>@<version>/<path>`, as esm.sh, unpkg and jsDelivr do), falls back to `@types/<name>`, follows the
 * `.d.ts` files' relative imports and the packages they import, and fetches each file through fetchFromUpstream, so every
 * file is in R2 before the editor asks for it at `/npm/<typings package>@<version>/<file>`. The index is kept in R2 too.
 * (`_types` is no npm name: names cannot start with `_`.)
 */
import { fetchFromUpstream, type UpstreamError } from "./npm-upstream.js";
import { parseSpecifier, type NpmSpecifier } from "./npm-route.js";

/** Files one index may list, over all its packages: a real package's typings are a few dozen. */
export const MAX_TYPINGS_FILES = 200;
/** Bytes one index may reach, over all its files (csstype alone is ~1 MB). */
export const MAX_TYPINGS_BYTES = 16 * 1024 * 1024;
/** Packages one index may pull in through imports of its `.d.ts` files. */
const MAX_TYPINGS_PACKAGES = 16;
/** An unversioned index (`/npm/_types/lodash-es`) follows new releases: rebuilt after a day, like an unpinned module. */
const UNPINNED_INDEX_TTL_MS = 24 * 60 * 60 * 1000;

/** The typings index: package -> its typings package id (`@types/react@19.3.3`, or null: it has none), and per id its files. */
export interface TypingsIndex {
  packages: Record<string, string | null>;
  typings: Record<string, { files: string[]; dependencies: string[] }>;
}

type PackageJson = { name?: string; version?: string; types?: unknown; typings?: unknown; exports?: unknown };

/** A JSON answer from the upstream through the R2 cache; null for a 404. */
async function upstreamJson(cache: R2Bucket, upstream: string, specifier: string): Promise<PackageJson | null | UpstreamError> {
  const parsed = parseSpecifier(specifier);
  if ("error" in parsed) return { status: 404, error: parsed.error };
  const file = await fetchFromUpstream(cache, parsed, upstream, undefined);
  if ("error" in file) return file.status === 404 ? null : file;
  try {
    return JSON.parse(await new Response(file.body).text()) as PackageJson;
  } catch {
    return { status: 502, error: `upstream ${specifier} is not JSON` };
  }
}

/** A file's text from the upstream through the R2 cache; null for a 404. */
async function upstreamText(cache: R2Bucket, upstream: string, spec: NpmSpecifier): Promise<string | null | UpstreamError> {
  const file = await fetchFromUpstream(cache, spec, upstream, undefined);
  if ("error" in file) return file.status === 404 ? null : file;
  return new Response(file.body).text();
}

/** `types` of package.json, or of its `exports["."]` (nested conditions included), or null. */
function typesEntry(pkg: PackageJson): string | null {
  const find = (value: unknown): string | null => {
    if (typeof value === "string") return /\.d\.[cm]?ts$/.test(value) ? value : null;
    if (!value || typeof value !== "object") return null;
    const record = value as Record<string, unknown>;
    for (const key of ["types", "import", "default"]) if (key in record) return find(record[key]);
    return null;
  };
  for (const field of [pkg.types, pkg.typings]) if (typeof field === "string") return field;
  const exports = pkg.exports as Record<string, unknown> | undefined;
  return find(exports && typeof exports === "object" && "." in exports ? exports["."] : exports);
}

/** The specifiers a `.d.ts` file imports or references: `from "x"`, `import("x")`, `require("x")`, `/// <reference path|types>`. */
export function typingsImports(text: string): { relative: string[]; bare: string[] } {
  const found = new Set<string>();
  const patterns = [
    /\b(?:from|import)\s*["']([^"'\n]+)["']/g,
    /\b(?:import|require)\s*\(\s*["']([^"'\n]+)["']\s*\)/g,
    /\/\/\/\s*<reference\s+(?:path|types)\s*=\s*["']([^"'\n]+)["']/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.add(match[1]!);
  const specifiers = [...found].filter((s) => !s.startsWith("node:"));
  const relative = specifiers.filter((s) => s.startsWith("."));
  const bare = specifiers.filter((s) => !s.startsWith(".") && !s.startsWith("/") && !s.includes(":"));
  const names = bare.map((s) => s.split("/").slice(0, s.startsWith("@") ? 2 : 1).join("/"));
  return { relative, bare: [...new Set(names)] };
}

/** Where a relative import of a `.d.ts` file may live: `./x.js` -> `x.d.ts`; `./x` -> `x.d.ts`, `x/index.d.ts`. */
function candidates(from: string, specifier: string): string[] {
  const parts: string[] = [];
  for (const part of `${from.split("/").slice(0, -1).join("/")}/${specifier}`.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  const path = parts.join("/");
  if (/\.d\.[cm]?ts$/.test(path)) return [path];
  const js = path.match(/^(.*)\.([cm]?)js$/);
  if (js) return [`${js[1]}.d.${js[2]}ts`];
  return [`${path}.d.ts`, `${path}/index.d.ts`];
}

/** `@types/scope__name` for `@scope/name`, DefinitelyTyped's naming. */
const definitelyTyped = (name: string) => `@types/${name.startsWith("@") ? name.slice(1).replace("/", "__") : name}`;

/**
 * Build (or read from R2) the typings index of `name` at `version` (null: the upstream's latest).
 * @example const index = await upstreamTypings(env.NPM_CACHE, "https://esm.sh", "lodash-es", null);
 */
export async function upstreamTypings(cache: R2Bucket, upstream: string, name: string, version: string | null): Promise<TypingsIndex | UpstreamError> {
  const key = `_types/${name}${version ? `@${version}` : ""}`;
  const spec = parseSpecifier(`${name}@${version ?? "latest"}`);
  const pinned = !("error" in spec) && spec.pinned;
  const cached = await cache.get(key);
  if (cached && (pinned || Date.now() - cached.uploaded.getTime() < UNPINNED_INDEX_TTL_MS)) return cached.json<TypingsIndex>();
  const crawl = new TypingsCrawl(cache, upstream);
  const built = await crawl.package(name, version);
  if (built !== true) {
    if (cached) return cached.json<TypingsIndex>();
    return built;
  }
  await cached?.body.cancel();
  await cache.put(key, JSON.stringify(crawl.index), { httpMetadata: { contentType: "application/json; charset=utf-8" } });
  return crawl.index;
}

/** One index being built: packages in, files followed, limits counted. */
class TypingsCrawl {
  readonly index: TypingsIndex = { packages: {}, typings: {} };
  #files = 0;
  #bytes = 0;
  #cache: R2Bucket;
  #upstream: string;

  constructor(cache: R2Bucket, upstream: string) {
    this.#cache = cache;
    this.#upstream = upstream;
  }

  /** Add `name`'s typings (its own, else DefinitelyTyped's) and those of the packages they import. */
  async package(name: string, version: string | null): Promise<true | UpstreamError> {
    if (name in this.index.packages) return true;
    if (Object.keys(this.index.packages).length >= MAX_TYPINGS_PACKAGES) return { status: 502, error: `typings of "${name}" import more than ${MAX_TYPINGS_PACKAGES} packages` };
    this.index.packages[name] = null;
    const own = await upstreamJson(this.#cache, this.#upstream, `${name}${version ? `@${version}` : ""}/package.json`);
    if (own === null) return { status: 404, error: `package "${name}" was not found upstream` };
    if ("error" in own) return own;
    let pkg = own;
    let entry = typesEntry(own);
    if (!entry) {
      const typed = await upstreamJson(this.#cache, this.#upstream, `${definitelyTyped(name)}/package.json`);
      if (typed && "error" in typed) return typed;
      if (!typed) return true; // No typings anywhere: the index says null, and the editor treats the package as `any`.
      pkg = typed;
      entry = typesEntry(typed) || "index.d.ts";
    }
    if (!pkg.name || !pkg.version) return { status: 502, error: `upstream package.json of "${name}" has no name or version` };
    const id = `${pkg.name}@${pkg.version}`;
    this.index.packages[name] = id;
    if (id in this.index.typings) return true;
    const typings = { files: ["package.json"], dependencies: [] as string[] };
    this.index.typings[id] = typings;
    const queue = [entry.replace(/^\.\//, "")];
    const seen = new Set(queue);
    const imported = new Set<string>();
    while (queue.length > 0) {
      const file = queue.shift()!;
      const text = await this.#file(id, file);
      if (text === null) continue; // A guessed path (./x -> x.d.ts or x/index.d.ts) that is not there.
      if (typeof text !== "string") return text;
      typings.files.push(file);
      const { relative, bare } = typingsImports(text);
      for (const specifier of relative) {
        for (const candidate of candidates(file, specifier)) {
          if (!seen.has(candidate)) queue.push(candidate);
          seen.add(candidate);
        }
      }
      for (const dependency of bare) if (dependency !== pkg.name && dependency !== name) imported.add(dependency);
    }
    for (const dependency of imported) {
      const added = await this.package(dependency, null);
      // A dependency without typings, or not found, leaves its imports unresolved in the editor: not a reason to fail.
      if (added !== true && added.status !== 404) return added;
      const dependencyId = this.index.packages[dependency];
      if (dependencyId) typings.dependencies.push(dependencyId);
    }
    return true;
  }

  /** One `.d.ts` file of a typings package, counted against the limits; null when the path does not exist. */
  async #file(id: string, file: string): Promise<string | null | UpstreamError> {
    if (this.#files >= MAX_TYPINGS_FILES) return { status: 502, error: `typings of ${id} have more than ${MAX_TYPINGS_FILES} files` };
    const spec = parseSpecifier(`${id}/${file}`);
    if ("error" in spec) return null;
    const text = await upstreamText(this.#cache, this.#upstream, spec);
    if (typeof text !== "string") return text;
    this.#files += 1;
    this.#bytes += text.length;
    if (this.#bytes > MAX_TYPINGS_BYTES) return { status: 502, error: `typings of ${id} are larger than ${MAX_TYPINGS_BYTES} bytes` };
    return text;
  }
}
