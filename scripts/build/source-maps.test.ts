/**
 * The source maps of the builds as written: every file spike.js loads links a map that carries the project's current
 * sources; Monaco's maps name its files without their text; no file of the site is over what Workers static assets take;
 * the npm package ships each module's map. Needs `npm run build` first (npm test builds the site when stale; the package
 * is built by test-support/package.ts when stale). The browser side: source-maps.e2e.test.ts.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { installTarball, packedTarball, tempApp } from "../../test-support/package.js";
import { SPIKE_JS, staticClosure } from "../size-report.mjs";
import { ASSET_LIMIT, checkAssetSizes, projectSourcePath } from "./source-maps.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The map `file` links (its last line), parsed; fails when there is none. */
function linkedMap(file: string): { mapFile: string; payload: SourceMapPayload } {
  const code = readFileSync(file, "utf8");
  const link = /\/\/# sourceMappingURL=(\S+)\n?$/.exec(code);
  assert.ok(link, `${file} links no source map`);
  assert.equal(link[1], `${path.basename(file)}.map`, `${file} links a map beside it`);
  const mapFile = path.join(path.dirname(file), link[1]!);
  const payload = JSON.parse(readFileSync(mapFile, "utf8")) as SourceMapPayload;
  new SourceMap(payload); // throws on a malformed map
  return { mapFile, payload };
}

/** Each source of a map as a path inside the project, with its text as the map carries it. */
function sourcesOf(mapFile: string, payload: SourceMapPayload): { source: string; content: string | null }[] {
  return payload.sources.map((source, i) => ({
    source: path.relative(ROOT, path.resolve(path.dirname(mapFile), source)).split(path.sep).join("/"),
    content: payload.sourcesContent?.[i] ?? null,
  }));
}

test("every file spike.js loads links its map, which carries the current sources of elements/ and names packages under node_modules/", () => {
  const own: string[] = [];
  for (const file of staticClosure(SPIKE_JS)) {
    const { mapFile, payload } = linkedMap(file);
    for (const { source, content } of sourcesOf(mapFile, payload)) {
      assert.ok(!source.startsWith(".."), `${mapFile} names ${source}, outside the project`);
      assert.ok(existsSync(source), `${mapFile} names ${source}, which does not exist`);
      if (source.startsWith("node_modules/")) continue;
      assert.equal(content, readFileSync(source, "utf8"), `${mapFile} carries ${source} as it is now`);
      own.push(source);
    }
  }
  assert.ok(own.includes("elements/spike-editor.ts") && own.includes("elements/register/spike-editor.ts"), own.join(", "));
});

test("Monaco's maps name its files without their text; no file of the site is over the 25 MiB of a Workers static asset", async () => {
  const monaco = readdirSync("dist/cdn/chunks").find((file) => file.startsWith("monaco-entry-") && file.endsWith(".js"));
  assert.ok(monaco, "no monaco-entry chunk");
  for (const file of [`dist/cdn/chunks/${monaco}`, "dist/cdn/ts.worker.js"]) {
    const { mapFile, payload } = linkedMap(file);
    const sources = sourcesOf(mapFile, payload);
    const fromMonaco = sources.filter(({ source }) => source.startsWith("node_modules/monaco-editor/"));
    assert.ok(fromMonaco.length > 0, `${file}'s map names Monaco's files`);
    assert.deepEqual(fromMonaco.filter(({ content }) => content !== null), [], `${file}'s map leaves Monaco's text out`);
  }
  await checkAssetSizes(path.join(ROOT, "dist/site"));

  // The figures, for the record: the site with and without its maps, and the largest map against the limit.
  const files = readdirSync("dist/site", { recursive: true, encoding: "utf8" }).map((f) => path.join("dist/site", f)).filter((f) => statSync(f).isFile());
  const maps = files.filter((f) => f.endsWith(".map")).map((f) => ({ f, size: statSync(f).size }));
  const total = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const mapBytes = maps.reduce((sum, m) => sum + m.size, 0);
  const largest = maps.sort((a, b) => b.size - a.size)[0]!;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  console.log(`  dist/site: ${mb(total)} with ${maps.length} maps (${mb(mapBytes)}), ${mb(total - mapBytes)} without; largest ${largest.f} ${mb(largest.size)} of ${mb(ASSET_LIMIT)}`);
});

test("checkAssetSizes names a file over the limit and passes one at it", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "asset-sizes-"));
  try {
    // Sparse files: the sizes without the bytes.
    writeFileSync(path.join(dir, "at-limit.js.map"), "");
    truncateSync(path.join(dir, "at-limit.js.map"), ASSET_LIMIT);
    await checkAssetSizes(dir);
    writeFileSync(path.join(dir, "over.js.map"), "");
    truncateSync(path.join(dir, "over.js.map"), ASSET_LIMIT + 1);
    await assert.rejects(checkAssetSizes(dir), /over\.js\.map is 25\.0 MiB: over the 25\.0 MiB a Workers static asset may have/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a source under a node_modules outside the project is named as the project's own node_modules; project paths stay", () => {
  const map = path.join(ROOT, "dist/cdn/chunks/x.js.map");
  const linked = path.relative(path.dirname(map), "/elsewhere/checkout/node_modules/lit-html/lit-html.js");
  assert.equal(projectSourcePath(linked, map), "../../../node_modules/lit-html/lit-html.js");
  assert.equal(projectSourcePath("../../../elements/spike-editor.ts", map), "../../../elements/spike-editor.ts");
  assert.equal(projectSourcePath("../../../node_modules/yjs/dist/yjs.mjs", map), "../../../node_modules/yjs/dist/yjs.mjs");
});

test("the npm package ships each module's map, carrying the element sources", () => {
  const app = tempApp("source-maps");
  try {
    const pkg = installTarball(packedTarball(), app);
    const scripts = readdirSync(path.join(pkg, "dist"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js") && !f.startsWith("types"));
    assert.ok(scripts.length > 10, scripts.join(", "));
    for (const script of scripts) assert.ok(existsSync(path.join(pkg, "dist", `${script}.map`)), `dist/${script}.map is not in the package`);
    const { mapFile, payload } = linkedMap(path.join(pkg, "dist/spike-editor.js"));
    const names = payload.sources.map((source) => path.relative(pkg, path.resolve(path.dirname(mapFile), source)));
    // The sources are not in the package (dist/ only): the map carries their text.
    const editor = payload.sources[names.indexOf("elements/register/spike-editor.ts")];
    assert.ok(editor !== undefined, names.join(", "));
    assert.equal(payload.sourcesContent[payload.sources.indexOf(editor)], readFileSync("elements/register/spike-editor.ts", "utf8"));
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});
