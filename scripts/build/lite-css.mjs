/**
 * A rollup plugin that writes `spike.css` (link it in a page's <head>) from elements/internal/lite-css.ts's LITE_CSS, the
 * same rules spike.js injects, so the two never differ.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as esbuild from "esbuild";
import { root } from "./rollup-plugins.mjs";

/** LITE_CSS, read from its module (which imports nothing). */
export async function liteCss() {
  const source = await readFile(path.join(root, "elements/internal/lite-css.ts"), "utf8");
  const { code } = await esbuild.transform(source, { loader: "ts", format: "esm" });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
  return mod.LITE_CSS;
}

/** Emit `spike.css` beside the bundle. */
export function liteStylesheet() {
  return {
    name: "spike-lite-stylesheet",
    async generateBundle() {
      this.emitFile({ type: "asset", fileName: "spike.css", source: await liteCss() });
    },
  };
}
