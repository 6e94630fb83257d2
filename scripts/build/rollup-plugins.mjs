/**
 * The rollup plugins every build of the elements shares (the site and CDN build in rollup.config.mjs, the npm package):
 * one Monaco (y-monaco's deep import aliased), Monaco's CSS as modules the editor adopts into its shadow root, CommonJS
 * for sucrase's dependencies, TypeScript through esbuild.
 */
import commonjs from "@rollup/plugin-commonjs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import esbuild from "rollup-plugin-esbuild";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(import.meta.url);
/** monaco-editor's ESM folder (node_modules/monaco-editor/esm). */
export const monacoEsm = path.resolve(path.dirname(require.resolve("monaco-editor/editor/editor.api")), "../..");
const monacoStylesModule = path.join(root, "elements/internal/monaco-styles.ts");

/**
 * y-monaco 0.1.6 imports `monaco-editor/esm/vs/editor/editor.api.js`, which monaco-editor 0.57's exports map does not
 * resolve. Point it at the same file the exports map gives for `monaco-editor/editor/editor.api`, so there is one Monaco.
 */
export function monacoApiAlias() {
  return {
    name: "spike-monaco-api-alias",
    resolveId(source) {
      if (source === "monaco-editor/esm/vs/editor/editor.api.js") return `${monacoEsm}/vs/editor/editor.api.js`;
      return null;
    },
  };
}

/**
 * Monaco's ESM tree imports ~124 CSS files. Each becomes a module that hands its text to elements/internal/monaco-styles.ts,
 * so the editor can adopt it into its shadow root. Relative url()s (codicon.ttf) are emitted as assets.
 */
export function monacoCss() {
  return {
    name: "spike-monaco-css",
    async transform(code, id) {
      if (!id.endsWith(".css")) return null;
      const pieces = [];
      let last = 0;
      for (const match of code.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
        const target = match[2];
        if (/^(data:|https?:|#)/.test(target)) continue;
        const ref = this.emitFile({
          type: "asset",
          name: path.basename(target),
          source: await readFile(path.resolve(path.dirname(id), target)),
        });
        pieces.push(JSON.stringify(code.slice(last, match.index) + 'url("'), `import.meta.ROLLUP_FILE_URL_${ref}`, `'")'`);
        last = match.index + match[0].length;
      }
      pieces.push(JSON.stringify(code.slice(last)));
      return {
        code: `import { addMonacoStyles } from ${JSON.stringify(monacoStylesModule)};\naddMonacoStyles(${pieces.join(" + ")});\n`,
        map: { mappings: "" },
        moduleSideEffects: true,
      };
    },
  };
}

/**
 * The shared plugins, in order. `minify: false` for readable output (SPIKE_MINIFY=0). `dev: true` (`npm run dev` only)
 * keeps the code behind the `DEV_MODE` constant (elements/internal/dev-mode.d.ts) and takes lit's development build
 * (its "development" export condition: dev-mode warnings); every other build replaces DEV_MODE with false, so that
 * code is dropped, as lit drops its own.
 */
export const plugins = ({ minify = true, dev = false } = {}) => [
  monacoApiAlias(),
  // package.json's `sideEffects` is written for the published dist/ (and names the registering sources too, for other
  // bundlers); our own builds decide side effects from the code.
  nodeResolve({ browser: true, ignoreSideEffectsForRoot: true, exportConditions: dev ? ["development"] : [] }),
  // sucrase (core/build, run in the page by <spike-preview>) reaches CommonJS and UMD packages (ts-interface-checker, @jridgewell/*).
  commonjs(),
  monacoCss(),
  esbuild({ target: "es2022", minify, tsconfig: path.join(root, "tsconfig.json"), legalComments: "none", define: { DEV_MODE: String(dev) } }),
];

export const onwarn = (warning, warn) => {
  // Monaco's ESM uses `this` at module scope in a few UMD shims and has circular imports; neither is a problem.
  if (warning.code === "CIRCULAR_DEPENDENCY" || warning.code === "THIS_IS_UNDEFINED") return;
  warn(warning);
};

