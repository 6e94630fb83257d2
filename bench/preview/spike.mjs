/**
 * The spike side of the preview bench: the real main and transpiler Workers under wrangler dev / workerd, serving a
 * private copy of dist/site plus the bench page, and the build that must exist first.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { onCleanup, useLocalWranglerState, versionOf, withTimeout } from "../support.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const HOST = "127.0.0.1";

/** Why spike's half cannot run yet, or null when `<spike-preview>` and its frame are built. */
export function spikeMissing() {
  const needs = ["elements/spike-preview.ts", "dist/site/preview/frame.html", "dist/site/spike.js"];
  const missing = needs.filter((file) => !existsSync(path.join(ROOT, file)));
  return missing.length ? `missing ${missing.join(", ")}` : null;
}

/** The bench page: editor and preview on one local project, seeded from an inline file. */
function spikePage(app) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>spike preview bench</title><link rel="icon" href="data:,">
<script type="module" src="/spike.js"></script>
<style>body { margin: 16px; font-family: system-ui; } spike-editor { --spike-editor-height: 420px; } spike-preview { display: block; height: 420px; }</style>
</head><body>
<spike-editor project="bench" file="index.tsx">
<script type="text/plain" data-file="index.tsx">
${app.source}</script>
</spike-editor>
<spike-preview project="bench"></spike-preview>
</body></html>`;
}

/**
 * The real main Worker (and the transpiler Worker) under wrangler dev / workerd. Its assets are a private copy of dist/site
 * plus the bench page at /__bench/: wrangler reloads the runtime whenever its assets folder changes, which other builds
 * writing dist/site would otherwise do in the middle of a measurement (and the page never lands in the shared folder).
 * @example const target = await startSpike(appSource()); await page.goto(target.url);
 */
export async function startSpike(app) {
  const { unstable_startWorker } = await import("wrangler");
  const { devRegistry } = await import("../../scripts/dev-registry.mjs");
  useLocalWranglerState();
  const assets = mkdtempSync(path.join(os.tmpdir(), "spike-bench-assets-"));
  onCleanup(() => rmSync(assets, { recursive: true, force: true }));
  cpSync(path.join(ROOT, "dist", "site"), assets, { recursive: true });
  mkdirSync(path.join(assets, "__bench"), { recursive: true });
  writeFileSync(path.join(assets, "__bench", "index.html"), spikePage(app));
  const dev = { registry: devRegistry(), server: { hostname: HOST, port: 0 }, inspector: false, persist: false, watch: false, logLevel: "error" };
  const configs = [path.join(ROOT, "workers", "transpiler", "wrangler.jsonc"), path.join(ROOT, "wrangler.jsonc")].filter(existsSync);
  let url;
  for (const config of configs) {
    const main = config.endsWith(`${path.sep}wrangler.jsonc`) && path.dirname(config) === ROOT;
    const worker = await unstable_startWorker({ config, dev, ...(main ? { assets } : {}) });
    onCleanup(() => worker.dispose());
    await withTimeout(worker.ready, 60_000, `wrangler start of ${path.relative(ROOT, config)}`);
    url = new URL(await worker.url);
  }
  const previewOrigin = await fetch(`${url.origin}/api/config`)
    .then((response) => response.json())
    .then((config) => config.previewOrigin)
    .catch(() => "?");
  return {
    name: "spike",
    title: "spike",
    url: `${url.origin}/__bench/`,
    editorSelector: "spike-editor .monaco-editor .view-lines",
    servers: [],
    describe: `main Worker ${url.origin} (wrangler ${versionOf("wrangler")}, workerd), a copy of dist/site as its assets; a local project, so its preview frame comes from the bundle's folder on ${url.origin}, sandboxed to an opaque origin (a room's frame would be on ${previewOrigin})`,
  };
}

/** Run `ensureBuild` in a child: it exits its process on a failed build, which must not end the playground half. */
export function ensureBuildInChild() {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["-e", "import('./scripts/ensure-build.mjs').then((m) => m.ensureBuild())"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 300_000,
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
  return { ok: result.status === 0, output, ms: performance.now() - started };
}
