/**
 * Which esbuild loader reads a project file, and how an import like `./App` finds `App.tsx`: the extension rules of a
 * TypeScript project with `moduleResolution: "bundler"` (extensionless imports, `.js` naming a `.ts` file, folder index files).
 */
import type { Loader } from "./esbuild.js";

/**
 * Loaders by file extension. `.js` goes through the JSX loader because playground projects put JSX in `.js` files as
 * often as in `.jsx` ones, and plain JavaScript parses the same under it.
 */
const LOADERS: Readonly<Record<string, Loader>> = {
  tsx: "tsx",
  ts: "ts",
  mts: "ts",
  cts: "ts",
  jsx: "jsx",
  js: "jsx",
  mjs: "jsx",
  cjs: "jsx",
  css: "css",
  json: "json",
};

/**
 * The loader of a file name, or undefined when the extension is not one the transpiler knows.
 * @example loaderOf("components/App.tsx") // "tsx"; loaderOf("notes.md") // undefined
 */
export function loaderOf(file: string): Loader | undefined {
  const dot = file.lastIndexOf(".");
  if (dot < 0 || dot < file.lastIndexOf("/")) return undefined;
  return LOADERS[file.slice(dot + 1).toLowerCase()];
}

/** Extensions tried, in order, after an extensionless import (TypeScript's order, then JavaScript, then data). */
const APPENDED = [".tsx", ".ts", ".jsx", ".js", ".mjs", ".json", ".css"];
/** TypeScript lets `./x.js` name `x.ts` or `x.tsx` (what the emitted file will be called). */
const SWAPPED: Readonly<Record<string, string[]>> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};
const INDEX = ["index.tsx", "index.ts", "index.jsx", "index.js"];

/**
 * The project file a relative import resolves to, or undefined. `importer` is the importing file's name.
 * @example resolveProjectImport("./App", "index.tsx", (f) => f === "App.tsx") // "App.tsx"
 */
export function resolveProjectImport(specifier: string, importer: string, exists: (file: string) => boolean): string | undefined {
  const base = joinPath(importer.slice(0, importer.lastIndexOf("/") + 1), specifier);
  if (base === undefined) return undefined;
  const candidates = [base];
  for (const ext of APPENDED) candidates.push(base + ext);
  const ext = /\.[a-z]+$/i.exec(base)?.[0]?.toLowerCase();
  for (const swapped of (ext && SWAPPED[ext]) || []) candidates.push(base.slice(0, -ext!.length) + swapped);
  for (const index of INDEX) candidates.push(base ? `${base}/${index}` : index);
  return candidates.find((file) => file !== "" && exists(file));
}

/** `dir` + a relative path, with `.` and `..` applied; undefined when it climbs out of the project. */
function joinPath(dir: string, relative: string): string | undefined {
  const parts: string[] = [];
  for (const part of (dir + relative).split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}
