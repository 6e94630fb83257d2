/**
 * bench/renderer.mjs: `GET /live/<room>/screenshot.png` cold (a new key: the bundle goes to the renderer Worker, which
 * launches a browser, renders the app and takes the screenshot) versus from the R2 cache (same room and options), through
 * the real main, transpiler and renderer Workers under wrangler dev / workerd, the BROWSER binding running Debian's
 * Chromium through scripts/browser-shim.mjs.
 *   node bench/renderer.mjs [--rounds 5] [--max-seconds 300]
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { onCleanup, runBench, summarize, table, useLocalWranglerState, versionOf, withTimeout } from "./support.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const rounds = option("rounds", 5);
const maxSeconds = option("max-seconds", 300);

const APP = `import { useState } from "react";
export default function App() {
  const [count] = useState(3);
  return <main style={{ padding: 24 }}><h1 style={{ color: "#0969da" }}>Hello from spike</h1><p>{count} renders</p></main>;
}
`;

async function startStack() {
  const { unstable_startWorker } = await import("wrangler");
  const { devRegistry } = await import("../scripts/dev-registry.mjs");
  const { installBrowserShim } = await import("../scripts/browser-shim.mjs");
  useLocalWranglerState();
  process.env.XDG_CACHE_HOME && installBrowserShim(process.env.XDG_CACHE_HOME);
  if (!existsSync(path.join(ROOT, "dist/site/npm/importmap.json"))) throw new Error("dist/site is not built: npm run build first");
  const dev = { registry: devRegistry(), server: { hostname: "127.0.0.1", port: 0 }, inspector: false, persist: false, watch: false, logLevel: "error" };
  let url;
  for (const config of ["workers/transpiler/wrangler.jsonc", "workers/renderer/wrangler.jsonc", "wrangler.jsonc"]) {
    const main = config === "wrangler.jsonc";
    const worker = await unstable_startWorker({ config: path.join(ROOT, config), dev, ...(main ? { assets: path.join(ROOT, "dist/site") } : {}) });
    onCleanup(() => worker.dispose());
    await withTimeout(worker.ready, 60_000, `wrangler start of ${config}`);
    url = new URL(await worker.url);
  }
  return url;
}

/** One GET, timed to its last byte; throws unless it is a PNG with the expected cache state. */
async function screenshot(base, width, expectCache) {
  const started = performance.now();
  const response = await fetch(new URL(`/live/bench-render/screenshot.png?width=${width}&height=400`, base));
  const bytes = await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`screenshot ${width}: ${response.status} ${Buffer.from(bytes).toString()}`);
  if (response.headers.get("x-spike-cache") !== expectCache) throw new Error(`screenshot ${width}: expected a cache ${expectCache}`);
  return ms;
}

await runBench("renderer", maxSeconds, async () => {
  const base = await startStack();
  const put = await fetch(new URL("/live/bench-render/files/index.tsx", base), { method: "PUT", body: APP });
  if (!put.ok) throw new Error(`PUT index.tsx: ${put.status}`);
  // Warm-up: the first request also builds the bundle (transpiler, KV) and starts the renderer's isolate.
  await screenshot(base, 600, "miss");
  const cold = [];
  const cached = [];
  for (let i = 0; i < rounds; i++) {
    const width = 601 + i; // a width never asked before: a new key, so a real render
    cold.push(await screenshot(base, width, "miss"));
    cached.push(await screenshot(base, width, "hit"));
  }
  const row = (label, values) => {
    const s = summarize(values);
    return [label, s.count, s.p50.toFixed(0), s.p95.toFixed(0), s.min.toFixed(0), s.max.toFixed(0)];
  };
  console.log(`renderer bench: screenshot.png 6xx x 400 of a small React app, ${rounds} rounds (wrangler ${versionOf("wrangler")}, Chromium through the browser shim)`);
  console.log(table(["", "n", "p50 ms", "p95 ms", "min ms", "max ms"], [row("cold (browser render)", cold), row("from R2 cache", cached)], ["l"]));
});
