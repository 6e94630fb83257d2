/**
 * Source maps for every rollup build of the elements (the CDN and site build, the npm package): a `.map` beside each
 * file, linked by its `//# sourceMappingURL=` comment, carrying the sources themselves (`sourcesContent`), since neither
 * the site nor the package ships the TypeScript. Monaco's sources (and the TypeScript compiler inside its worker) are
 * mapped but not copied in: with them the two largest maps weigh 19 and 15 MB (24 MB of it Monaco's text), close to the
 * 25 MiB a Workers static asset may have; without, 5.7 and 4.8 MB; monaco-editor publishes that text as it is. Source
 * paths are written as if node_modules were the project's own, so a build reads the same from every checkout (a linked
 * node_modules would otherwise show up as `../../../elsewhere/...`).
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { root } from "./rollup-plugins.mjs";

/**
 * A source's path relative to the map, rewritten so a module under any `node_modules/` outside the project reads as the
 * project's own `node_modules/`. Paths inside the project are left as rollup wrote them.
 * @example projectSourcePath("../../../main/node_modules/lit/index.js", "/repo/dist/cdn/spike.js.map") // "../../node_modules/lit/index.js"
 */
export function projectSourcePath(relativeSourcePath, sourcemapPath) {
  const mapDir = path.dirname(sourcemapPath);
  const absolute = path.resolve(mapDir, relativeSourcePath);
  const inProject = path.relative(root, absolute);
  if (!inProject.startsWith("..") || !absolute.includes(`${path.sep}node_modules${path.sep}`)) return relativeSourcePath;
  const fromPackages = absolute.slice(absolute.lastIndexOf(`${path.sep}node_modules${path.sep}`) + 1);
  return path.relative(mapDir, path.join(root, fromPackages)).split(path.sep).join("/");
}

/** Sources whose text a map leaves out (they stay in `sources`, so frames still name their file and line). */
const WITHOUT_CONTENT = /(^|\/)node_modules\/monaco-editor\//;

/** An output plugin that drops the text of WITHOUT_CONTENT sources from the maps rollup emitted. */
function omitMonacoSources() {
  return {
    name: "spike-omit-monaco-sources",
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== "asset" || !isSourceMap(file.fileName)) continue;
        const map = JSON.parse(String(file.source));
        if (!map.sources.some((source) => WITHOUT_CONTENT.test(source))) continue;
        map.sourcesContent = map.sources.map((source, i) => (WITHOUT_CONTENT.test(source) ? null : map.sourcesContent?.[i] ?? null));
        file.source = JSON.stringify(map);
      }
    },
  };
}

/**
 * The output options that make rollup write the maps; spread into each build's `output`.
 * @example output: { dir: "dist/cdn", format: "es", ...sourceMapOutput() }
 */
export const sourceMapOutput = () => ({
  sourcemap: true,
  sourcemapPathTransform: projectSourcePath,
  plugins: [omitMonacoSources()],
});

/** True for a source map file, which size reports and budgets leave out (browsers fetch one only for DevTools). */
export const isSourceMap = (file) => file.endsWith(".map");

/** The most a Workers static asset may weigh (https://developers.cloudflare.com/workers/platform/limits/#static-assets). */
export const ASSET_LIMIT = 25 * 1024 * 1024;

/**
 * Fail the build when a file of `dir` is over ASSET_LIMIT, which `wrangler deploy` would refuse: the maps of Monaco's
 * bundles are the largest files of the site and grow with each Monaco.
 * @example await checkAssetSizes("dist/site") // throws "dist/site/ts.worker.js.map is 26.1 MiB: over …"
 */
export async function checkAssetSizes(dir) {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const { size } = await stat(file);
    if (size > ASSET_LIMIT) {
      const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
      throw new Error(`${path.relative(root, file)} is ${mib(size)}: over the ${mib(ASSET_LIMIT)} a Workers static asset may have`);
    }
  }
}
