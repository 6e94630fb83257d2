#!/usr/bin/env node
/**
 * Monaco type acquisition in Chromium: the time from opening a page with the React demo's editor (demos/react.html's
 * index.tsx, as a local project) to the first correct hover over `useState` (its signature from @types/react), cold (a fresh
 * browser context: no HTTP cache) and warm (the same page again), and the bytes of typings the page fetched (/npm/*.d.ts,
 * package.json and the index). Served offline by the real Worker (workerd, no NPM_UPSTREAM) from the built dist/site.
 *
 *   node --import tsx bench/types.mjs [--runs 5] [--json]
 *
 * The hover is a real one: the mouse moves onto `useState` in the code, and off and on again each second until Monaco's
 * hover widget shows the signature (Monaco waits 300 ms after the mouse stops). Target: under 1 s cold on the offline set.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { startTestWorker } from "../workers/test-support.ts";
import { onCleanup, runBench, summarize, table, versionOf } from "./support.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SIGNATURE = /useState<S>\(initialState: S \| \(\(\) => S\)\)/;

function parseArgs(argv) {
  const opts = { runs: 5, json: false, maxSeconds: 300 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runs") opts.runs = Number(argv[++i]);
    else if (argv[i] === "--json") opts.json = true;
    else throw new Error(`unknown argument ${argv[i]} (usage: node bench/types.mjs [--runs 5] [--json])`);
  }
  return opts;
}

/** The React demo's editor as a local project: its index.tsx and styles.css, from demos/react.html. */
function demoPage() {
  const html = readFileSync(path.join(ROOT, "demos/react.html"), "utf8");
  const files = [...html.matchAll(/<script type="text\/plain" data-file="([^"]+)">([\s\S]*?)<\/script>/g)];
  if (files.length === 0) throw new Error("demos/react.html has no inline files");
  const scripts = files.map(([, name, text]) => `<script type="text/plain" data-file="${name}">${text}</script>`).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>types bench</title><link rel="icon" href="data:,">
<script type="module" src="/spike.js"></script>
<style>spike-editor { --spike-editor-height: 480px; }</style></head>
<body><spike-editor file="index.tsx" loading="eager">${scripts}</spike-editor></body></html>`;
}

/** Open the page in `context`; ms from navigation to the first hover showing useState's signature, and typings bytes. */
async function measure(context, url) {
  const page = await context.newPage();
  let bytes = 0;
  let files = 0;
  page.on("requestfinished", async (request) => {
    if (!/\/npm\/(?:.*\.d\.[cm]?ts|.*\/package\.json|typings\.json|_types\/.*)$/.test(new URL(request.url()).pathname)) return;
    const sizes = await request.sizes().catch(() => null);
    if (sizes && sizes.responseBodySize > 0) (bytes += sizes.responseBodySize), (files += 1); // -1 or 0: from the HTTP cache
  });
  const started = Date.now();
  await page.goto(url);
  await page.locator("spike-editor .view-lines").waitFor({ state: "visible", timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector("spike-editor")?.shadowRoot?.querySelector("[part=loading]")?.hidden, null, { timeout: 60_000 });
  const editorMs = Date.now() - started;
  const word = await page.evaluate(() => {
    const lines = document.querySelector("spike-editor").shadowRoot.querySelector(".view-lines");
    const walker = document.createTreeWalker(lines, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent.indexOf("useState");
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + "useState".length);
      const box = range.getBoundingClientRect();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    }
    return null;
  });
  if (!word) throw new Error("the demo's code has no useState on screen");
  const hover = () => page.evaluate(() => document.querySelector("spike-editor")?.shadowRoot?.querySelector(".monaco-hover:not(.hidden)")?.textContent ?? "");
  for (;;) {
    // Monaco asks the TS worker on a hover; before the typings are in, it answers `any` (or nothing): move off and on again.
    await page.mouse.move(0, 0);
    await page.mouse.move(word.x, word.y, { steps: 2 });
    // Monaco shows a hover 300 ms after the mouse stops (its hover.delay); watch for up to 1 s before trying again.
    const shown = await page
      .waitForFunction((source) => new RegExp(source).test(document.querySelector("spike-editor")?.shadowRoot?.querySelector(".monaco-hover:not(.hidden)")?.textContent ?? ""), SIGNATURE.source, { timeout: 1_000, polling: 20 })
      .then(() => true, () => false);
    if (shown) break;
    if (Date.now() - started > 60_000) throw new Error(`no signature after 60 s (last: ${JSON.stringify((await hover()).slice(0, 200))})`);
  }
  const ms = Date.now() - started;
  await page.waitForLoadState("networkidle");
  await page.close();
  return { ms, editorMs, bytes, files };
}

async function main(opts) {
  const site = mkdtempSync(path.join(os.tmpdir(), "spike-types-bench-"));
  onCleanup(() => rmSync(site, { recursive: true, force: true }));
  // A private copy of the built site with the page beside it (wrangler reads the asset manifest at start-up).
  const { cpSync } = await import("node:fs");
  cpSync(path.join(ROOT, "dist/site"), site, { recursive: true, filter: (source) => !source.startsWith(path.join(ROOT, "dist/site/v")) });
  writeFileSync(path.join(site, "types-bench.html"), demoPage());
  const worker = await startTestWorker({ assets: site });
  onCleanup(() => worker.dispose());
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  onCleanup(() => browser.close());
  const url = `${worker.url.origin}/types-bench.html`;

  const cold = [];
  const warm = [];
  for (let run = 0; run < opts.runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 600 } });
    cold.push(await measure(context, url));
    warm.push(await measure(context, url));
    await context.close();
  }
  const report = {
    monaco: versionOf("monaco-editor"),
    typesReact: versionOf("@types/react"),
    cores: os.cpus().length,
    load: os.loadavg()[0].toFixed(1),
    cold: summarize(cold.map((r) => r.ms)),
    warm: summarize(warm.map((r) => r.ms)),
    coldEditor: summarize(cold.map((r) => r.editorMs)),
    warmEditor: summarize(warm.map((r) => r.editorMs)),
    coldTypingsBytes: cold[0].bytes,
    coldTypingsFiles: cold[0].files,
    warmTypingsBytes: warm[0].bytes,
  };
  if (opts.json) return console.log(JSON.stringify(report, null, 2));
  console.log(`types: open the React demo's editor -> first correct hover over useState (monaco-editor ${report.monaco}, @types/react ${report.typesReact}; ${report.cores} cores, load ${report.load})`);
  const row = (name, s) => [name, s.count, s.p50, s.p95, s.min, s.max].map(String);
  console.log(table(["", "runs", "p50 ms", "p95 ms", "min ms", "max ms"], [row("cold", report.cold), row("warm", report.warm), row("cold, editor shown", report.coldEditor), row("warm, editor shown", report.warmEditor)], "lrrrrr"));
  console.log(`typings fetched, cold: ${report.coldTypingsFiles} files, ${(report.coldTypingsBytes / 1024).toFixed(1)} KB over the wire; warm: ${(report.warmTypingsBytes / 1024).toFixed(1)} KB`);
}

const opts = parseArgs(process.argv.slice(2));
await runBench("types", opts.maxSeconds, () => main(opts));
