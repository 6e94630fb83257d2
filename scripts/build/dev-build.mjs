/**
 * What rollup.config.mjs does differently for `npm run dev` (scripts/dev.mjs): Monaco built once, apart from the
 * elements, so a rebuild after an element edit takes seconds (Monaco is 9.8 MB of the element build's output, and a watch
 * rebuild re-renders every module of the builds it runs); the live-reload tag in the demo pages. Production builds use
 * none of this.
 */
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { root } from "./rollup-plugins.mjs";

/** The modules elements/internal/monaco-entry.ts takes from Monaco (and Monaco's CSS collector), by output name. */
const MONACO_MODULES = {
  "register-all": "monaco-editor/features/register.all",
  "typescript-definitions": "monaco-editor/languages/definitions/typescript/register",
  "editor-api": "monaco-editor/editor/editor.api",
  "typescript-features": "monaco-editor/languages/features/typescript/register",
  // Monaco's CSS modules register their text here and the editor reads it: one copy, in the Monaco build.
  "monaco-styles": path.join(root, "elements/internal/monaco-styles.ts"),
};
const MONACO_DIR = "dev-monaco";

/**
 * The dev Monaco build: each module monaco-entry.ts imports, as its own entry under `<outDir>/dev-monaco/` (shared code
 * in chunks beside them: one Monaco). Rollup watches only our sources, so it is built once per `npm run dev`.
 * @example export default [devMonacoBuild({ outDir, plugins: plugins(), onwarn }), elementBuild];
 */
export function devMonacoBuild({ outDir, plugins, onwarn }) {
  return {
    input: MONACO_MODULES,
    preserveEntrySignatures: "strict",
    // Built once per run: rollup's watch mode need not keep Monaco's syntax trees.
    cache: false,
    output: { dir: path.join(outDir, MONACO_DIR), format: "es", entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js", assetFileNames: "[name]-[hash][extname]" },
    plugins,
    onwarn,
  };
}

/**
 * The element build's side: an import that resolves to one of MONACO_MODULES (y-monaco's deep import too, through the
 * alias) becomes an external import of its file in dev-monaco/, written relative to the importing chunk.
 */
export function devMonacoExternal({ outDir }) {
  const names = new Map();
  return {
    name: "spike-dev-monaco-external",
    async buildStart() {
      const importer = path.join(root, "elements/internal/monaco-entry.ts");
      for (const [name, source] of Object.entries(MONACO_MODULES)) {
        const resolved = await this.resolve(source, importer, { skipSelf: true });
        if (!resolved) this.error(`cannot resolve ${source}`);
        names.set(resolved.id, name);
      }
    },
    async resolveId(source, importer, options) {
      if (!importer) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      const name = resolved && names.get(resolved.id);
      return name ? { id: path.join(outDir, MONACO_DIR, `${name}.js`), external: true } : null;
    },
  };
}

/**
 * Each demo page in `siteDir` loads the live-reload client from `src` (scripts/live-reload.mjs): an external script, which
 * the pages' CSP allows from loopback, where an inline one would need its hash.
 */
export async function addLiveReloadTag(siteDir, src) {
  for (const file of (await readdir(path.join(root, "demos"))).filter((name) => name.endsWith(".html"))) {
    const page = path.join(siteDir, file);
    const html = await readFile(page, "utf8");
    await writeFile(page, html.replace(/<\/head>/i, () => `<script src="${src}"></script>\n</head>`));
  }
}
