#!/usr/bin/env node
/**
 * Preview latency in Chromium: from a real keystroke in the editor to the preview frame's DOM showing the edit, for
 * `<spike-editor>` + `<spike-preview>` and for playground-elements (`<playground-file-editor>` + `<playground-preview>`)
 * on the same 300-line React TSX project, plus cold start (navigation start to the app's first appearance in the frame).
 *
 *   node bench/preview-latency.mjs [--edits 200] [--warmup 20] [--cold-runs 3] [--targets spike,playground] [--json]
 *
 * See bench/README.md for the method. Everything listens on / connects to loopback only, and stops at the end.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { APP_LINES, MARKER_BASE, MARKER_ID, PLAYGROUND_HTML, PLAYGROUND_MAIN, appSource } from "./preview-app.mjs";
import { cleanupAll, onCleanup, sleep, table as alignedTable, versionOf, withTimeout } from "./support.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const HOST = "127.0.0.1";
const PLAYGROUND_DIR = path.join(ROOT, "node_modules", "playground-elements");
const NPM_DIR = path.join(ROOT, "dist", "site", "npm");
/** Typed characters cycle through these; every keystroke appends one to the marker string. */
const TYPED = "abcdefghijklmnopqrstuvwxyz";

// ---- options ---------------------------------------------------------------------------------------------------------

const HELP = `usage: node bench/preview-latency.mjs [options]
  --edits 200              measured keystrokes per target (one at a time; the next waits for the preview)
  --warmup 20              unmeasured keystrokes per target before them
  --cold-runs 3            page loads per target in a fresh browser context (empty cache, no service worker)
  --rounds 4               the measured edits are cut into this many rounds alternating between targets
  --pause-ms 50            idle time after the preview showed an edit, before the next keystroke
  --edit-timeout-ms 10000  an edit not shown within this is counted as lost
  --targets spike,playground
  --wait-spike-seconds 0   wait this long for <spike-preview> (elements/spike-preview.ts + dist/site/preview/frame.html)
  --max-seconds 480        hard stop for the whole run (cleans up, exits 1)
  --json                   also print the raw results as JSON
  BENCH_DEBUG=1 in the environment prints the pages' console messages, frame navigations and failed requests`;

function parseArgs(argv) {
  const opts = {
    edits: 200,
    warmup: 20,
    coldRuns: 3,
    rounds: 4,
    pauseMs: 50,
    editTimeoutMs: 10_000,
    targets: ["spike", "playground"],
    waitSpikeSeconds: 0,
    maxSeconds: 480,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    const num = () => {
      const v = Number(value());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${flag} needs a non-negative number`);
      return v;
    };
    switch (flag) {
      case "--edits": opts.edits = Math.max(1, Math.floor(num())); break;
      case "--warmup": opts.warmup = Math.floor(num()); break;
      case "--cold-runs": opts.coldRuns = Math.floor(num()); break;
      case "--rounds": opts.rounds = Math.max(1, Math.floor(num())); break;
      case "--pause-ms": opts.pauseMs = num(); break;
      case "--edit-timeout-ms": opts.editTimeoutMs = num(); break;
      case "--wait-spike-seconds": opts.waitSpikeSeconds = num(); break;
      case "--max-seconds": opts.maxSeconds = num(); break;
      case "--targets":
        opts.targets = value().split(",").map((s) => s.trim());
        if (opts.targets.length === 0 || opts.targets.some((t) => !["spike", "playground"].includes(t))) {
          throw new Error("--targets: some of spike,playground");
        }
        break;
      case "--json": opts.json = true; break;
      case "-h":
      case "--help":
        console.log(HELP);
        process.exit(0);
      default:
        throw new Error(`unknown option ${argv[i]}\n${HELP}`);
    }
  }
  return opts;
}

// ---- cleanup: everything started registers its stop here, run on success, error, signal or watchdog ----------------




// ---- static servers (node http on 127.0.0.1) ------------------------------------------------------------------------

const CONTENT_TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/** A file under `dir` for a URL path below a mount point, or null (no traversal out of `dir`). */
function fileUnder(dir, rest) {
  const file = path.resolve(dir, `.${path.posix.normalize(`/${decodeURIComponent(rest)}`)}`);
  if (file !== dir && !file.startsWith(dir + path.sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/**
 * Start a loopback HTTP server. `routes` maps a path prefix to a directory or to a function (rest) -> {body, type} | null.
 * Every answer allows any origin (the preview frames load modules cross-origin) and is not cached by the browser, so a
 * fresh context is really cold.
 */
async function startStaticServer(name, routes) {
  const counts = { requests: 0, notFound: new Map() };
  const server = createServer((req, res) => {
    counts.requests++;
    const url = new URL(req.url, "http://x");
    const headers = { "access-control-allow-origin": "*", "cache-control": "no-cache" };
    for (const [prefix, target] of Object.entries(routes)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const rest = url.pathname.slice(prefix.length);
      if (typeof target === "function") {
        const answer = target(rest, url);
        if (answer) {
          res.writeHead(200, { ...headers, "content-type": answer.type });
          res.end(req.method === "HEAD" ? undefined : answer.body);
          return;
        }
      } else {
        const file = fileUnder(target, rest);
        if (file) {
          res.writeHead(200, { ...headers, "content-type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream" });
          res.end(req.method === "HEAD" ? undefined : readFileSync(file));
          return;
        }
      }
    }
    counts.notFound.set(url.pathname, (counts.notFound.get(url.pathname) ?? 0) + 1);
    res.writeHead(404, { ...headers, "content-type": "text/plain" });
    res.end("not found");
  });
  const sockets = new Set();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, resolve);
  });
  const stop = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  onCleanup(stop);
  return { name, port: server.address().port, counts };
}

// ---- the playground-elements side --------------------------------------------------------------------------------------

/**
 * playground-elements as a page would ship it: its three elements bundled by esbuild into one module served at
 * /pg/__bundle.js, beside the package's own files, so `new URL("./playground-typescript-worker.js", import.meta.url)`
 * finds the TypeScript worker it starts.
 */
async function bundlePlaygroundElements() {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    stdin: {
      contents: ["playground-project.js", "playground-file-editor.js", "playground-preview.js"]
        .map((file) => `import "playground-elements/${file}";`)
        .join("\n"),
      resolveDir: ROOT,
      loader: "js",
    },
    bundle: true,
    format: "esm",
    minify: true,
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

/** `/npm/...` modules of the offline set (contract C2, built into dist/site/npm by scripts/build-npm.mjs), as an import map on `origin`. */
function npmImportMap(origin) {
  const file = path.join(NPM_DIR, "importmap.json");
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: the offline npm set was not built`);
  const { imports } = JSON.parse(readFileSync(file, "utf8"));
  return { imports: Object.fromEntries(Object.entries(imports).map(([k, v]) => [k, new URL(v, origin).href])) };
}

/**
 * Two loopback servers: the host page and playground-elements on 127.0.0.1:A, and the sandbox (service worker, its proxy
 * page, the React modules, and an always-404 stand-in for the CDN the TypeScript worker asks for type declarations) on
 * localhost:B, a different site, as playground-elements advises and as spike's preview frame is.
 */
async function startPlayground(app) {
  const bundle = await bundlePlaygroundElements();
  const sandbox = await startStaticServer("playground sandbox", {
    "/pg/": PLAYGROUND_DIR,
    "/npm/": NPM_DIR,
  });
  const sandboxOrigin = `http://${HOST}:${sandbox.port}`;
  const config = {
    files: {
      "index.html": { content: PLAYGROUND_HTML },
      "main.tsx": { content: PLAYGROUND_MAIN, hidden: true },
      "index.tsx": { content: app.source, selected: true },
    },
    importMap: npmImportMap(sandboxOrigin),
  };
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>playground-elements preview bench</title>
<link rel="icon" href="data:,">
<style>body { margin: 16px; font-family: system-ui; } playground-file-editor, playground-preview { height: 420px; border: 1px solid #ccc; }</style>
<script type="module">
  import "/pg/__bundle.js";
  const project = document.getElementById("project");
  project.sandboxBaseUrl = ${JSON.stringify(`${sandboxOrigin}/pg/`)};
  // No internet: the TypeScript worker's type-declaration fetches get a fast 404 from the sandbox server instead of unpkg.
  project.cdnBaseUrl = ${JSON.stringify(`${sandboxOrigin}/cdn`)};
  project.config = ${JSON.stringify(config).replace(/</g, "\\u003c")};
</script></head><body>
<playground-project id="project"></playground-project>
<playground-file-editor project="project" filename="index.tsx"></playground-file-editor>
<playground-preview project="project"></playground-preview>
</body></html>`;
  const host = await startStaticServer("playground host", {
    "/pg/__bundle.js": () => ({ body: bundle, type: CONTENT_TYPES[".js"] }),
    "/pg/": PLAYGROUND_DIR,
    "/": (rest) => (rest === "" || rest === "index.html" ? { body: page, type: CONTENT_TYPES[".html"] } : null),
  });
  return {
    name: "playground",
    title: `playground-elements ${versionOf("playground-elements")}`,
    url: `http://${HOST}:${host.port}/`,
    editorSelector: "playground-file-editor .cm-content",
    servers: [host, sandbox],
    describe:
      `host http://${HOST}:${host.port}, sandbox ${sandboxOrigin} (another origin, same site: Chromium here denies a ` +
      `cross-site frame its service worker); React from the offline /npm set (dist/site/npm) on the sandbox origin`,
  };
}

// ---- the spike side ----------------------------------------------------------------------------------------------------

/** Why spike's half cannot run yet, or null when `<spike-preview>` and its frame are built. */
function spikeMissing() {
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
 */
async function startSpike(app) {
  const { unstable_startWorker } = await import("wrangler");
  const { devRegistry } = await import("../scripts/dev-registry.mjs");
  process.env.XDG_CONFIG_HOME ??= path.join(ROOT, ".wrangler", "config");
  process.env.XDG_CACHE_HOME ??= path.join(ROOT, ".wrangler", "cache");
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
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
    describe: `main Worker ${url.origin} (wrangler ${versionOf("wrangler")}, workerd), a copy of dist/site as its assets; preview frame on ${previewOrigin} (another site: its own renderer process)`,
  };
}

// ---- measuring in the browser -------------------------------------------------------------------------------------------

/**
 * Runs in every document of a context before its own scripts. In the top page: the time of every trusted keydown, in the
 * capture phase on window (before the editor sees it). In frames: a MutationObserver that reports each new text of the
 * marker element, and the next animation frame after it. Times are `performance.timeOrigin + performance.now()`: epoch
 * milliseconds with sub-ms resolution, comparable between the host page and a cross-origin frame in another process.
 * Frames also report when the edit arrived: a "spike:update" message (spike) or a new document (playground-elements).
 */
function probeScript(markerId) {
  const now = () => performance.timeOrigin + performance.now();
  if (window === window.top) {
    window.__benchKeys = [];
    window.addEventListener("keydown", (e) => e.isTrusted && window.__benchKeys.push({ key: e.key, t: now() }), true);
    return;
  }
  // When the frame got the edit: spike posts it as a "spike:update" message; playground-elements loads a new document.
  const send = (report) => typeof window.__benchMarker === "function" && window.__benchMarker(report);
  send({ kind: "arrived", t: now(), how: "document" });
  window.addEventListener("message", (e) => e.data?.type === "spike:update" && send({ kind: "arrived", t: now(), how: "message" }), true);
  let last = null;
  const check = () => {
    const el = document.getElementById(markerId);
    if (!el || el.textContent === last) return;
    const text = (last = el.textContent);
    const t = now();
    if (typeof window.__benchMarker !== "function") return;
    window.__benchMarker({ kind: "dom", text, t });
    requestAnimationFrame(() => window.__benchMarker({ kind: "raf", text, t: now() }));
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
}

/** A fresh browser context on a target's page, with the probes installed. */
async function openPage(browser, target) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
  const closeContext = onCleanup(() => context.close());
  const session = {
    context,
    page: null,
    frame: null,
    reports: [], // { kind, text, t }
    waiters: new Set(),
    errors: [],
    async close() {
      closeContext();
      await context.close().catch(() => {});
    },
  };
  await context.exposeBinding("__benchMarker", (source, report) => {
    // The frame showing the marker, for clock calibration (playground-elements also has a service-worker proxy frame).
    if (report.kind === "dom") session.frame = source.frame;
    session.reports.push(report);
    for (const waiter of session.waiters) waiter(report);
  });
  await context.addInitScript(probeScript, MARKER_ID);
  session.page = await context.newPage();
  session.page.on("pageerror", (error) => session.errors.push(`pageerror: ${error.message}`));
  session.page.on("console", (m) => {
    if (m.type() === "error") session.errors.push(`console: ${m.text()}`);
    if (process.env.BENCH_DEBUG) console.log(`  [${target.name} console.${m.type()}] ${m.text()}`);
  });
  if (process.env.BENCH_DEBUG) {
    session.page.on("framenavigated", (f) => console.log(`  [${target.name} frame] ${f.url()}`));
    session.page.on("requestfailed", (r) => console.log(`  [${target.name} failed] ${r.url()} ${r.failure()?.errorText}`));
  }
  return session;
}

/** The first report of `kind` matching `predicate` (checking ones already received), or a timeout error. */
function waitReport(session, kind, predicate, timeoutMs, what) {
  const found = session.reports.find((r) => r.kind === kind && predicate(r));
  if (found) return Promise.resolve(found);
  let waiter;
  return withTimeout(
    new Promise((resolve) => {
      waiter = (r) => r.kind === kind && predicate(r) && resolve(r);
      session.waiters.add(waiter);
    }),
    timeoutMs,
    what,
  ).finally(() => session.waiters.delete(waiter));
}

/**
 * Offset of the frame's clock against the host page's, in ms (frame - host), from host/frame/host readings through the
 * DevTools protocol: the round trip with the smallest gap bounds the error to half of it. Chromium derives timeOrigin
 * from a per-process wall-clock sample, so two processes can differ slightly.
 */
async function clockOffset(page, frame, rounds = 15) {
  const read = () => performance.timeOrigin + performance.now();
  let best = null;
  for (let i = 0; i < rounds; i++) {
    const h0 = await page.evaluate(read);
    const f = await frame.evaluate(read);
    const h1 = await page.evaluate(read);
    if (!best || h1 - h0 < best.uncertainty * 2) best = { offset: f - (h0 + h1) / 2, uncertainty: (h1 - h0) / 2 };
  }
  // Correct only an offset the readings can tell from zero; otherwise the correction would add up to +/- uncertainty of noise.
  return { ...best, applied: Math.abs(best.offset) > best.uncertainty ? best.offset : 0 };
}

/** Load the page in a fresh context; time from the host's navigation start to the marker's first appearance in the frame. */
async function coldLoad(browser, target, timeoutMs) {
  const session = await openPage(browser, target);
  const firstDom = waitReport(session, "dom", () => true, timeoutMs, `${target.name}: first preview render`);
  await session.page.goto(target.url, { waitUntil: "commit", timeout: timeoutMs });
  const dom = await firstDom;
  const raf = await waitReport(session, "raf", (r) => r.text === dom.text, 5000, "first frame").catch(() => null);
  const navigationStart = await session.page.evaluate(() => performance.timeOrigin);
  const clock = await clockOffset(session.page, session.frame, 5);
  return {
    session,
    coldMs: dom.t - clock.applied - navigationStart,
    coldPaintMs: raf ? raf.t - clock.applied - navigationStart : NaN,
    firstText: dom.text,
  };
}

/** Click into the editor and put the cursor before the closing quote of `const MARKER = "edit:";`. */
async function placeCursor(session, target, app) {
  const { page } = session;
  const editor = page.locator(target.editorSelector).first();
  await editor.waitFor({ state: "visible", timeout: 60_000 });
  await editor.click();
  await page.keyboard.press("Control+Home");
  for (let i = 1; i < app.markerLine; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await sleep(200);
  await page.evaluate(() => (window.__benchKeys = []));
}

/** One keystroke: its latency (keydown in the host to the marker showing it in the frame), or null when lost. */
async function oneEdit(session, target, opts) {
  const ch = TYPED[session.typed.length % TYPED.length];
  session.typed += ch;
  const want = MARKER_BASE + session.typed;
  const shown = waitReport(session, "dom", (r) => r.text === want, opts.editTimeoutMs, "edit");
  const painted = waitReport(session, "raf", (r) => r.text === want, opts.editTimeoutMs + 1000, "edit paint");
  painted.catch(() => {});
  await session.page.keyboard.press(ch);
  let dom;
  try {
    dom = await shown;
  } catch {
    return null;
  }
  const raf = await painted.catch(() => null);
  const keys = await session.page.evaluate(() => window.__benchKeys.splice(0));
  const key = keys.find((k) => k.key === ch);
  if (!key) throw new Error(`${target.name}: no keydown of "${ch}" was seen in the host page (got ${JSON.stringify(keys)})`);
  const offset = session.clock?.applied ?? 0;
  // The last arrival before the DOM showed the edit is the one that carried it (playground first loads about:blank).
  const arrived = session.reports.filter((r) => r.kind === "arrived" && r.t - offset >= key.t && r.t <= dom.t).at(-1);
  // Reports older than this edit are no longer needed.
  session.reports = session.reports.filter((r) => r.t >= dom.t);
  return {
    dom: dom.t - offset - key.t,
    paint: raf ? raf.t - offset - key.t : NaN,
    arrived: arrived ? arrived.t - offset - key.t : NaN,
  };
}

// ---- statistics and output -----------------------------------------------------------------------------------------

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function summarize(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    min: sorted[0] ?? NaN,
    max: sorted.at(-1) ?? NaN,
    mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN,
  };
}

function fmt(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return "-";
  return v.toFixed(digits);
}

function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "-";
  return `${(a / b).toFixed(3)}x`;
}



/** First column left, the rest right. */
const table = (headers, rows) => alignedTable(headers, rows, ["l"]);

function split(total, parts) {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

function report(results, opts, skipped) {
  const out = [];
  const get = (name) => results.find((r) => r.name === name);
  const spike = get("spike");
  const pg = get("playground");
  const cols = results.map((r) => r.title);
  const both = spike && pg;
  const rows = [];
  const metricRows = (label, pick, digits = 1) => {
    const values = results.map(pick);
    const row = [label, ...values.map((v) => fmt(v, digits))];
    if (both) row.push(ratio(pick(spike), pick(pg)));
    rows.push(row);
  };
  out.push("");
  out.push(
    `== Warm edit latency (ms): keydown in the host page -> the preview frame's DOM shows the edit; ${opts.edits} edits ` +
      `after ${opts.warmup} warm-up ==`,
  );
  for (const q of ["p50", "p95", "p99", "max", "mean"]) metricRows(`${q}`, (r) => r.latency[q]);
  metricRows("p50 to next frame", (r) => r.paint.p50);
  metricRows("p95 to next frame", (r) => r.paint.p95);
  metricRows("split p50: keydown -> frame gets edit", (r) => r.arrived.p50);
  metricRows("split p50: frame gets edit -> DOM", (r) => r.rendered.p50);
  metricRows("split p95: keydown -> frame gets edit", (r) => r.arrived.p95);
  metricRows("split p95: frame gets edit -> DOM", (r) => r.rendered.p95);
  rows.push(["samples / lost", ...results.map((r) => `${r.latency.count} / ${r.lost}`), ...(both ? [""] : [])]);
  out.push(table(["", ...cols, ...(both ? ["spike/playground"] : [])], rows));

  out.push("");
  out.push(`== Cold start (ms): host navigation start -> the app's marker first in the preview frame; fresh context each ==`);
  const coldRows = [];
  const coldRow = (label, pick) => {
    const row = [label, ...results.map((r) => fmt(pick(r), 0))];
    if (both) row.push(ratio(pick(spike), pick(pg)));
    coldRows.push(row);
  };
  coldRow("median (DOM)", (r) => r.cold.p50);
  coldRow("median (next frame)", (r) => r.coldPaint.p50);
  coldRow("min", (r) => r.cold.min);
  coldRow("max", (r) => r.cold.max);
  coldRows.push(["runs", ...results.map((r) => r.coldRuns.map((v) => v.toFixed(0)).join(", ") || "-"), ...(both ? [""] : [])]);
  out.push(table(["", ...cols, ...(both ? ["spike/playground"] : [])], coldRows));

  out.push("");
  out.push("== Details ==");
  for (const r of results) {
    out.push(`${r.title}: ${r.describe}`);
    out.push(
      `  clock offset frame-host ${fmt(r.clock.offset, 3)} ms (+/- ${fmt(r.clock.uncertainty, 3)}), ` +
        `${r.clock.applied ? `corrected by ${fmt(r.clock.applied, 3)} ms` : "not distinguishable from 0, not corrected"}; ` +
        `warm page's first render ${fmt(r.warmColdMs, 0)} ms; page errors ${r.errors.length}` +
        (r.errors.length ? `: ${r.errors.slice(0, 3).join(" | ")}` : ""),
    );
    if (r.notFound) out.push(`  404s from its servers: ${r.notFound}`);
  }
  for (const s of skipped) out.push(`${s.name}: NOT MEASURED: ${s.reason}`);
  out.push("");
  const target = (r) =>
    r ? `${r.title}: p50 ${fmt(r.latency.p50)} ms (${r.latency.p50 < 16.7 ? "meets" : "misses"}), p95 ${fmt(r.latency.p95)} ms (${r.latency.p95 < 50 ? "meets" : "misses"})` : "";
  out.push(`targets for context: p50 < 16.7 ms (one 60 Hz frame), p95 < 50 ms, faster than playground-elements.`);
  for (const r of results) out.push(`  ${target(r)}`);
  if (both) {
    out.push(`  spike/playground p50 ${ratio(spike.latency.p50, pg.latency.p50)}, p95 ${ratio(spike.latency.p95, pg.latency.p95)}`);
  }
  for (const s of skipped) out.push(`  ${s.name}: could not run (${s.reason})`);
  out.push(`load average now ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  return out.join("\n");
}

// ---- main ---------------------------------------------------------------------------------------------------------------

/** Run `ensureBuild` in a child: it exits its process on a failed build, which must not end the playground half. */
function ensureBuildInChild() {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["-e", "import('./scripts/ensure-build.mjs').then((m) => m.ensureBuild())"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 300_000,
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
  return { ok: result.status === 0, output, ms: performance.now() - started };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const log = (line) => console.log(line);
  const cpus = os.cpus();
  const app = appSource();
  log("preview-latency: keystroke in the editor -> preview DOM, spike vs playground-elements, in Chromium");
  log(
    `machine: ${cpus.length} CPUs (${cpus[0]?.model?.trim() ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GB, node ${process.version}, ` +
      `load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  log(
    `project: one ${APP_LINES}-line React TSX component (${app.source.length} chars); each edit types one letter into ` +
      `\`const MARKER = "${MARKER_BASE}";\` (line ${app.markerLine}), which the app renders in #${MARKER_ID}`,
  );

  const skipped = [];
  const targets = [];
  if (opts.targets.includes("spike") && opts.waitSpikeSeconds > 0) {
    const until = performance.now() + opts.waitSpikeSeconds * 1000;
    while (spikeMissing() && performance.now() < until) await sleep(5000);
  }
  if (opts.targets.includes("spike") || opts.targets.includes("playground")) {
    const build = ensureBuildInChild();
    log(`build: ensure-build ${build.ok ? "ok" : "FAILED"} in ${(build.ms / 1000).toFixed(1)} s${build.output ? `: ${build.output.replace(/\n/g, " / ")}` : ""}`);
    if (!build.ok && opts.targets.includes("spike")) skipped.push({ name: "spike", reason: "the build failed (see above)" });
  }
  if (opts.targets.includes("playground")) {
    try {
      targets.push(await startPlayground(app));
    } catch (error) {
      skipped.push({ name: "playground", reason: error.message });
    }
  }
  if (opts.targets.includes("spike") && !skipped.some((s) => s.name === "spike")) {
    const missing = spikeMissing();
    if (missing) skipped.push({ name: "spike", reason: `<spike-preview> is not built yet (${missing})` });
    else {
      try {
        targets.push(await startSpike(app));
      } catch (error) {
        skipped.push({ name: "spike", reason: `the Worker did not start: ${error.message}` });
      }
    }
  }
  for (const t of targets) log(`${t.title}: ${t.describe}`);

  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  onCleanup(() => browser.close());
  log(`browser: Chromium ${browser.version()} headless (${CHROMIUM_PATH}), playwright-core ${versionOf("playwright-core")}, React ${versionOf("react")}`);
  log(`plan: per target ${opts.coldRuns} cold loads, then one page: ${opts.warmup} warm-up + ${opts.edits} measured edits in ${opts.rounds} rounds alternating targets, ${opts.pauseMs} ms idle after each`);
  log("");

  const runs = [];
  for (const target of targets) {
    const run = { target, coldRuns: [], coldPaintRuns: [], latency: [], paint: [], arrived: [], rendered: [], lost: 0, errors: [] };
    try {
      for (let i = 0; i < opts.coldRuns; i++) {
        const cold = await coldLoad(browser, target, 60_000);
        run.coldRuns.push(cold.coldMs);
        run.coldPaintRuns.push(cold.coldPaintMs);
        run.errors.push(...cold.session.errors);
        await cold.session.close();
        log(`${target.name}: cold load ${i + 1}: ${cold.coldMs.toFixed(0)} ms to first render ("${cold.firstText}")`);
      }
      const warm = await coldLoad(browser, target, 60_000);
      run.session = warm.session;
      run.warmColdMs = warm.coldMs;
      warm.session.typed = "";
      await placeCursor(warm.session, target, app);
      for (let i = 0; i < opts.warmup; i++) {
        const r = await oneEdit(warm.session, target, opts);
        if (!r && i === 0) {
          const shot = path.join(ROOT, "test-results", `preview-latency-${target.name}.png`);
          mkdirSync(path.dirname(shot), { recursive: true });
          await warm.session.page.screenshot({ path: shot }).catch(() => {});
          throw new Error(`the first keystroke never showed in the preview (screenshot: ${path.relative(ROOT, shot)})`);
        }
        await sleep(opts.pauseMs);
      }
      // Calibrate against the frame that shows the current text (playground replaces its frame document on every edit).
      warm.session.clock = await clockOffset(warm.session.page, warm.session.frame);
      run.clock = warm.session.clock;
      log(`${target.name}: ready, warm-up done; frame clock offset ${fmt(run.clock.offset, 3)} ms (+/- ${fmt(run.clock.uncertainty, 3)})`);
      runs.push(run);
    } catch (error) {
      skipped.push({ name: target.name, reason: error.message });
      run.session?.errors && log(`${target.name} page errors: ${run.session.errors.slice(0, 5).join(" | ")}`);
      await run.session?.close();
    }
  }

  const chunks = split(opts.edits, opts.rounds);
  for (let round = 0; round < opts.rounds; round++) {
    const order = runs.map((_, i) => runs[(i + round) % runs.length]);
    for (const run of order) {
      const t0 = performance.now();
      const before = run.latency.length;
      for (let i = 0; i < chunks[round]; i++) {
        const r = await oneEdit(run.session, run.target, opts);
        if (r) {
          run.latency.push(r.dom);
          run.paint.push(r.paint);
          run.arrived.push(r.arrived);
          run.rendered.push(r.dom - r.arrived);
        } else run.lost++;
        await sleep(opts.pauseMs);
      }
      const s = summarize(run.latency.slice(before));
      log(`${run.target.name}: round ${round + 1}: ${chunks[round]} edits in ${((performance.now() - t0) / 1000).toFixed(1)} s, p50 ${fmt(s.p50)} p95 ${fmt(s.p95)} ms`);
    }
  }

  const results = runs.map((run) => ({
    name: run.target.name,
    title: run.target.title,
    describe: run.target.describe,
    latency: summarize(run.latency),
    paint: summarize(run.paint),
    arrived: summarize(run.arrived),
    rendered: summarize(run.rendered),
    lost: run.lost,
    cold: summarize(run.coldRuns),
    coldPaint: summarize(run.coldPaintRuns),
    coldRuns: run.coldRuns,
    warmColdMs: run.warmColdMs,
    clock: run.clock,
    errors: [...new Set([...run.errors, ...run.session.errors])],
    notFound: run.target.servers
      .flatMap((s) => [...s.counts.notFound].map(([p, n]) => `${p}${n > 1 ? ` x${n}` : ""}`))
      .slice(0, 8)
      .join(", "),
    samples: opts.json ? { latency: run.latency, paint: run.paint, arrived: run.arrived } : undefined,
  }));
  for (const run of runs) await run.session.close();
  log(report(results, opts, skipped));
  if (opts.json) log(`\n${JSON.stringify({ opts, results, skipped }, null, 2)}`);
}

const opts0 = (() => {
  try {
    return parseArgs(process.argv.slice(2));
  } catch {
    return { maxSeconds: 480 };
  }
})();
const watchdog = setTimeout(async () => {
  console.error(`\npreview-latency: hard time limit of ${opts0.maxSeconds} s reached, stopping everything`);
  await cleanupAll();
  process.exit(1);
}, opts0.maxSeconds * 1000);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    console.error(`\npreview-latency: ${signal}, stopping everything`);
    await cleanupAll();
    process.exit(130);
  });
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  console.error(`preview-latency failed: ${error?.stack ?? error}`);
  exitCode = 1;
} finally {
  await cleanupAll();
  clearTimeout(watchdog);
}
process.exit(exitCode);
