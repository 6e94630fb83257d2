/**
 * Resolves an import specifier written in one project file, the way bundlers do for a TypeScript + React project: exact
 * name, then added extensions, then TypeScript's source-for-output names, then a folder's index file. The page build
 * (core/build/imports.ts) and the transpiler Worker (workers/transpiler/project-plugin.ts) both resolve through
 * `resolveImport`, so `<spike-preview>` and `/live/<room>/index.js` see the same module graph.
 */

/**
 * Extensions tried, in order, when a specifier names no file exactly, and after `index` in a folder: esbuild's default
 * order (`.tsx .ts .jsx .js .css .json`), with `.mjs` after `.js`.
 */
export const RESOLVE_EXTENSIONS = [".tsx", ".ts", ".jsx", ".js", ".mjs", ".css", ".json"] as const;

/** TypeScript's ESM convention writes `./x.js` for the source `./x.ts`: these are tried when the written name is absent. */
const SOURCE_FOR_OUTPUT: Record<string, readonly string[]> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};

/** The prefix of every rewritten project import (contract C1). */
export const PROJECT_PREFIX = "/@project/";

/** How a specifier is treated: a project file, a package (bare), or a URL left alone. */
export type SpecifierKind = "project" | "package" | "url";

/**
 * Classifies a specifier: `./x`, `../x` and `/x` name project files; `https:`, `data:` and `/@project/…` are URLs;
 * everything else is a package.
 * @example specifierKind("./App") // "project"; specifierKind("react/jsx-runtime") // "package"
 */
export function specifierKind(specifier: string): SpecifierKind {
  if (specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..") {
    return "project";
  }
  if (specifier.startsWith(PROJECT_PREFIX) || specifier.startsWith("//") || /^[a-z][a-z0-9+.-]*:/i.test(specifier)) {
    return "url";
  }
  return specifier.startsWith("/") ? "project" : "package";
}

/**
 * Joins `specifier` onto the folder of `fromFile` and normalizes `.` and `..`; null when it climbs above the root.
 * @example joinPath("components/App.tsx", "../lib/x") // "lib/x"
 */
export function joinPath(fromFile: string, specifier: string): string | null {
  const parts = specifier.startsWith("/") ? [] : fromFile.split("/").slice(0, -1);
  for (const segment of specifier.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else {
      parts.push(segment);
    }
  }
  return parts.join("/");
}

/**
 * What an import of `specifier` in `fromFile` is: a project file; a package, left to the caller's import map; an
 * external URL or server path, left as written for the browser; or missing, with the message to show at the import.
 * `/x` names a project file from the project root when one matches, and a path on the server otherwise (`/npm/…`).
 */
export type ResolvedImport =
  | { kind: "project"; file: string }
  | { kind: "package" }
  | { kind: "external" }
  | { kind: "missing"; message: string };

/**
 * Resolves one import against the project's file names.
 * @example resolveImport("index.tsx", "./App", new Set(["App.tsx"])) // { kind: "project", file: "App.tsx" }
 * @example resolveImport("index.tsx", "./Nope", new Set()) // { kind: "missing", message: 'Cannot find "./Nope": …' }
 */
export function resolveImport(fromFile: string, specifier: string, files: ReadonlySet<string>): ResolvedImport {
  const kind = specifierKind(specifier);
  if (kind === "package") return { kind: "package" };
  if (kind === "url") return { kind: "external" };
  const file = resolveSpecifier(fromFile, specifier, files);
  if (file !== null) return { kind: "project", file };
  if (specifier.startsWith("/")) return { kind: "external" };
  const tried = `${RESOLVE_EXTENSIONS.join(", ")} and /index.*`;
  return { kind: "missing", message: `Cannot find "${specifier}": no project file matches it (tried ${specifier} with ${tried})` };
}

/**
 * The project file a relative (or root-absolute) specifier in `fromFile` names, or null when none matches.
 * @example resolveSpecifier("index.tsx", "./components", new Set(["components/index.ts"])) // "components/index.ts"
 */
export function resolveSpecifier(fromFile: string, specifier: string, files: ReadonlySet<string>): string | null {
  const base = joinPath(fromFile, specifier);
  if (base === null) return null;
  if (base !== "" && files.has(base)) return base;
  if (base !== "" && !specifier.endsWith("/")) {
    for (const ext of RESOLVE_EXTENSIONS) if (files.has(base + ext)) return base + ext;
    const written = /\.[a-z]+$/.exec(base)?.[0];
    for (const ext of (written && SOURCE_FOR_OUTPUT[written]) || []) {
      const candidate = base.slice(0, -written!.length) + ext;
      if (files.has(candidate)) return candidate;
    }
  }
  const folder = base === "" ? "" : base + "/";
  for (const ext of RESOLVE_EXTENSIONS) if (files.has(folder + "index" + ext)) return folder + "index" + ext;
  return null;
}
