#!/usr/bin/env node
/**
 * Embed weight in Chromium: what a page with one editor + preview, and with twenty, costs a reader before they touch it,
 * for spike (each loading mode), playground-elements and sandpack-client, in one run: JavaScript and total bytes (gzip)
 * until the network is quiet, requests, WebSockets, time to the first highlighted code, and time to the first preview
 * paint, cold (fresh context) and warm (the same page again, HTTP cache kept).
 *
 *   node bench/embed-weight.mjs [--runs 3] [--targets spike-click,spike-lazy,playground,sandpack] [--json]
 *
 * Every page is served by loopback static servers with the same caching (pages no-cache, everything else max-age=600).
 * See bench/README.md for the method and what cannot be measured offline.
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { openContext } from "./embed/measure.mjs";
import { playgroundPage, sandpackPage, spikePage } from "./embed/pages.mjs";
import { bundlePlaygroundElements, npmImportMap } from "./preview/playground.mjs";
import { ensureBuildInChild } from "./preview/spike.mjs";
import { CONTENT_TYPES, startStaticServer } from "./preview/static-server.mjs";
import { onCleanup, runBench, summarize, table, versionOf } from "./support.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SITE = path.join(ROOT, "dist", "site");
const TARGETS = ["spike-click", "spike-lazy", "playground", "sandpack"];
const CACHE = { cache: "public, max-age=600" };

function parseArgs(argv) {
  const opts = { runs: 3, targets: TARGETS, json: false, maxSeconds: 600 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--runs") opts.runs = Math.max(1, Number(argv[++i]) | 0);
    else if (flag === "--targets") opts.targets = argv[++i].split(",");
    else if (flag === "--max-seconds") opts.maxSeconds = Number(argv[++i]);
    else if (flag === "--json") opts.json = true;
    else throw new Error(`unknown option ${flag}; usage: node bench/embed-weight.mjs [--runs 3] [--targets ${TARGETS.join(",")}] [--json]`);
  }
  const unknown = opts.targets.filter((t) => !TARGETS.includes(t));
  if (unknown.length) throw new Error(`unknown target ${unknown.join(", ")}; targets: ${TARGETS.join(", ")}`);
  return opts;
}

/** esbuild bundles of the peers' client code, as a page would ship them. */
async function bundleSandpackClient() {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    stdin: { contents: `export { loadSandpackClient } from "@codesandbox/sandpack-client";`, resolveDir: ROOT, loader: "js" },
    bundle: true, format: "esm", minify: true, target: "es2022", write: false, logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

/**
 * The servers: the host (pages, spike's files at the root, the peers' bundles) on 127.0.0.1:A, and the sandbox on port B:
 * spike's preview frame and npm set as localhost:B (another site, as a spike server hands out), playground-elements'
 * service worker as 127.0.0.1:B (another origin, same site).
 * spike's elements read `/api/config` from the origin spike.js came from, as they do from a spike server.
 */
async function startServers() {
  const sandbox = await startStaticServer("sandbox", { "/pg/": path.join(ROOT, "node_modules", "playground-elements"), "/": SITE }, CACHE);
  const sandboxOrigin = `http://localhost:${sandbox.port}`;
  const pgBundle = await bundlePlaygroundElements();
  const spBundle = await bundleSandpackClient();
  const pages = {};
  const host = await startStaticServer(
    "host",
    {
      "/__page/": (rest) => (pages[rest] ? { body: pages[rest], type: CONTENT_TYPES[".html"] } : null),
      "/api/config": () => ({ body: JSON.stringify({ previewOrigin: sandboxOrigin }), type: CONTENT_TYPES[".json"] }),
      "/pg/__bundle.js": () => ({ body: pgBundle, type: CONTENT_TYPES[".js"] }),
      "/pg/": path.join(ROOT, "node_modules", "playground-elements"),
      "/sandpack/__bundle.js": () => ({ body: spBundle, type: CONTENT_TYPES[".js"] }),
      "/": SITE,
    },
    CACHE,
  );
  const hostOrigin = `http://127.0.0.1:${host.port}`;
  // playground-elements' sandbox must be same-site (another port): Chromium denies a cross-site frame its service worker.
  const pgOrigin = `http://127.0.0.1:${sandbox.port}`;
  const playground = { sandboxBase: `${pgOrigin}/pg/`, cdnBase: `${pgOrigin}/cdn`, importMap: npmImportMap(pgOrigin) };
  for (const count of [1, 20]) {
    pages[`spike-click-${count}.html`] = spikePage(count, "click");
    pages[`spike-lazy-${count}.html`] = spikePage(count, "lazy");
    pages[`playground-${count}.html`] = playgroundPage(count, playground);
    // No internet: sandpack's hosted bundler cannot load; a loopback 404 stands in for it (see bench/README.md).
    pages[`sandpack-${count}.html`] = sandpackPage(count, { bundlerURL: `${sandboxOrigin}/sandpack-bundler/` });
  }
  return { url: (target, count) => `${hostOrigin}/__page/${target}-${count}.html` };
}

async function main(opts) {
  const log = (line) => console.log(line);
  const cpus = os.cpus();
  log("embed-weight: what one and twenty embeds cost before interaction, spike vs playground-elements vs sandpack-client");
  log(`machine: ${cpus.length} CPUs, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const build = ensureBuildInChild();
  if (!build.ok) throw new Error(`the build failed: ${build.output}`);
  const servers = await startServers();
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  onCleanup(() => browser.close());
  log(`browser: Chromium ${browser.version()}; playground-elements ${versionOf("playground-elements")}, sandpack-client ${versionOf("@codesandbox/sandpack-client")}`);
  log(`plan: ${opts.runs} cold loads (fresh context) + 1 warm load each, per target and page, rounds alternating targets\n`);

  const samples = new Map();
  const add = (key, sample) => samples.set(key, [...(samples.get(key) ?? []), sample]);
  for (let run = 0; run < opts.runs; run++) {
    for (const count of [1, 20]) {
      const order = [...opts.targets.slice(run % opts.targets.length), ...opts.targets.slice(0, run % opts.targets.length)];
      for (const target of order) {
        const ctx = await openContext(browser);
        await ctx.load(servers.url(target, count));
        const cold = { ...ctx.summary(), code: await ctx.firstReport("code", 1000), paint: await ctx.firstReport("preview", 1000, "paint") };
        await ctx.load(servers.url(target, count));
        const warm = await ctx.firstReport("preview", 1000, "paint");
        add(`${target}-${count}`, { ...cold, warm, errors: ctx.state.errors.length });
        await ctx.close();
      }
    }
  }
  report(samples, opts, log);
  log(`\nload average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}

/** One row per target and page: medians of the cold runs (bytes do not vary between runs). */
function report(samples, opts, log) {
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : "n/a");
  const rows = [];
  for (const count of [1, 20]) {
    for (const target of opts.targets) {
      const list = samples.get(`${target}-${count}`) ?? [];
      const median = (key) => summarize(list.map((s) => s[key])).p50;
      rows.push([
        target, count, kb(median("jsGzip")), kb(median("allGzip")), median("requests"), list.some((s) => s.monaco) ? "yes" : "no",
        median("sockets"), ms(median("code")), ms(median("paint")), ms(median("warm")), list.reduce((n, s) => n + s.errors, 0),
      ]);
    }
  }
  log(table(["target", "embeds", "JS gzip", "all gzip", "requests", "Monaco", "sockets", "first code", "preview cold", "preview warm", "page errors"], rows, ["l"]));
  log("\nBytes and requests: everything the page and its frames and workers fetched until the network was quiet for 1.5 s after load,");
  log("gzip -6 of each body. first code: highlighted code on screen; preview: the app's first paint in a preview frame; n/a: not within 1 s of quiet.");
  log("sandpack-client has no editor (its page shows the code in a plain <pre>), and its bundler is hosted by CodeSandbox: offline it cannot load,");
  log("so its row is the client's own weight only.");
  if (opts.json) log(JSON.stringify(Object.fromEntries(samples), null, 2));
}

const opts = parseArgs(process.argv.slice(2));
await runBench("embed-weight", opts.maxSeconds, () => main(opts));
