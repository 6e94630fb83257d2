/**
 * Which esbuild loader reads a project file: core/build/file-kinds.ts decides what each file is, for the page and for this
 * Worker alike, and its kinds are named after esbuild's loaders.
 */
import { fileKindOf } from "../../core/build/file-kinds.js";
import type { Loader } from "./esbuild.js";

/**
 * The loader of a file name, or undefined when the extension is not one the transpiler knows.
 * @example loaderOf("components/App.tsx") // "tsx"; loaderOf("legacy.cjs") // "jsx"; loaderOf("notes.md") // undefined
 */
export function loaderOf(file: string): Loader | undefined {
  const kind = fileKindOf(file);
  return kind === "text" ? undefined : kind;
}
