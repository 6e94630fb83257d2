/**
 * The offline npm set from the host page (FramePackages in messages.ts): a frame with an opaque origin has no HTTP cache
 * in Chromium, so React would be downloaded again on every visit; the host page keeps it and passes its source in the
 * first update. Each module becomes a blob: URL; its relative imports (`../react@19.3.1/index.js`, how the set's modules
 * name each other: scripts/build-npm.mjs) are made absolute first, since a blob: URL is no base for them, and the import
 * map sends every module's real URL to its blob. So one React serves user code, the runtime and any set module loaded
 * later from the server (zustand's relative import of React resolves to the same blob).
 */
import type { FramePackages } from "./messages.js";

/** Static, side-effect and dynamic imports of a relative path, as esbuild writes them (`from"./index.js"`, `import("../a.js")`). */
const RELATIVE_IMPORT = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)(["'])(\.{1,2}\/[^"'\n]*)\2/g;

/** A module's source as a blob: URL. */
function blobUrl(code: string): string {
  return URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
}

/**
 * `code` with its relative import specifiers made absolute against `url`, the module's real address.
 * @example absoluteImports('import a from"./index.js"', "https://s.test/npm/react-dom@19.3.1/client.js") // 'import a from"https://s.test/npm/react-dom@19.3.1/index.js"'
 */
export function absoluteImports(code: string, url: string): string {
  return code.replace(RELATIVE_IMPORT, (_match, lead: string, quote: string, specifier: string) => `${lead}${quote}${new URL(specifier, url).href}${quote}`);
}

/**
 * The import map for host-passed packages: every specifier of the set (to its blob: URL when the host passed the module,
 * else its URL on the server), and the real URL of each passed module to its blob. `resolve` turns a path of the set into
 * its URL under the frame's npm base; `toUrl` makes a module's URL from its source (a blob: URL in the frame).
 * @example addImportMapToDocument({ imports: hostPackageImports(update.packages, (path) => `${server}${path}`) });
 */
export function hostPackageImports(packages: FramePackages, resolve: (path: string) => string, toUrl: (code: string) => string = blobUrl): Record<string, string> {
  const byUrl = new Map<string, string>();
  for (const [path, code] of Object.entries(packages.modules)) {
    const url = resolve(path);
    byUrl.set(url, toUrl(absoluteImports(code, url)));
  }
  const imports: Record<string, string> = Object.fromEntries(byUrl);
  for (const [specifier, path] of Object.entries(packages.imports)) {
    const url = resolve(path);
    imports[specifier] = byUrl.get(url) ?? url;
  }
  return imports;
}
