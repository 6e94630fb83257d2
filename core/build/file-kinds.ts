/**
 * What a project file is, by its extension, and the module a file that is not a script becomes. The page build
 * (core/build/transpile.ts) and the transpiler Worker (workers/transpiler/project-plugin.ts) both read these, so a file is
 * the same kind of module in `<spike-preview>` and in `/live/<room>/index.js`.
 */
import { cssModuleCode } from "./css.js";
import { jsonModuleCode } from "./json.js";
import type { BuildError } from "./types.js";

/**
 * A file's kind. The script kinds are named like esbuild's loaders of the same syntax: `ts` (no JSX, where `<T>x` is a
 * cast), `tsx`, and `jsx` for plain JavaScript, which playground projects write JSX in as often as not. Every script is
 * an ES module, `.cjs`/`.cts` included: neither the preview frame nor the bundle gives them `module`, `exports` or `require`.
 */
export type FileKind = "ts" | "tsx" | "jsx" | "css" | "json" | "text";

const KINDS: Readonly<Record<string, FileKind>> = {
  ".ts": "ts",
  ".mts": "ts",
  ".cts": "ts",
  ".tsx": "tsx",
  ".js": "jsx",
  ".jsx": "jsx",
  ".mjs": "jsx",
  ".cjs": "jsx",
  ".css": "css",
  ".json": "json",
};

/**
 * The kind of file `file`; `text` for any extension not listed above (its module exports its text).
 * @example fileKindOf("components/App.tsx") // "tsx"; fileKindOf("legacy.cjs") // "jsx"; fileKindOf("notes.md") // "text"
 */
export function fileKindOf(file: string): FileKind {
  const extension = /\.[^./]+$/.exec(file)?.[0].toLowerCase();
  return (extension && KINDS[extension]) || "text";
}

/**
 * True for the kinds that are JavaScript or TypeScript source.
 * @example isScriptKind(fileKindOf("a.cts")) // true; isScriptKind("css") // false
 */
export function isScriptKind(kind: FileKind): kind is "ts" | "tsx" | "jsx" {
  return kind === "ts" || kind === "tsx" || kind === "jsx";
}

/**
 * The ES module of a file that is not a script: CSS applies itself (css.ts), JSON exports its value (json.ts), anything
 * else exports its text. The transpiler Worker passes CSS it has minified; the page passes it as written.
 * @example assetModuleCode("data.json", '{"a": 1}') // { code: 'const data = JSON.parse(…); export default data; …' }
 */
export function assetModuleCode(
  file: string,
  source: string,
): { code: string; error?: undefined } | { code?: undefined; error: BuildError } {
  const kind = fileKindOf(file);
  if (kind === "css") return { code: cssModuleCode(file, source) };
  if (kind === "json") return jsonModuleCode(file, source);
  return { code: `export default ${JSON.stringify(source)};\n` };
}
