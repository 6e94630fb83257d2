#!/usr/bin/env node
/**
 * Preview latency in Chromium: from a real keystroke in the editor to the preview frame's DOM showing the edit, for
 * `<spike-editor>` + `<spike-preview>` and for playground-elements (`<playground-file-editor>` + `<playground-preview>`)
 * on the same 300-line React TSX project, plus cold start (navigation start to the app's first appearance in the frame).
 *
 *   node bench/preview-latency.mjs [--edits 200] [--warmup 20] [--cold-runs 3] [--targets spike,playground] [--cold-only] [--timeline] [--json]
 *
 * See bench/README.md for the method. Everything listens on / connects to loopback only, and stops at the end.
 */
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { APP_LINES, MARKER_BASE, MARKER_ID, appSource } from "./preview-app.mjs";
import { clockOffset, coldLoad, oneEdit, placeCursor } from "./preview/browser.mjs";
import { formatTimeline, repeatReport, repeatVisit } from "./preview/cold-path.mjs";
import { parseArgs } from "./preview/options.mjs";
import { startPlayground } from "./preview/playground.mjs";
import { fmt, report } from "./preview/report.mjs";
import { ensureBuildInChild, spikeMissing, startSpike } from "./preview/spike.mjs";
import { onCleanup, runBench, sleep, splitEvenly, summarize, versionOf } from "./support.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

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
    const run = { target, coldRuns: [], coldPaintRuns: [], repeatRuns: [], repeatPaintRuns: [], latency: [], paint: [], arrived: [], rendered: [], lost: 0, errors: [] };
    try {
      for (let i = 0; i < opts.coldRuns; i++) {
        const timeline = opts.timeline && i === 0;
        const cold = await coldLoad(browser, target, 60_000, { timeline });
        run.coldRuns.push(cold.coldMs);
        run.coldPaintRuns.push(cold.coldPaintMs);
        const repeat = await repeatVisit(cold.session, target, 60_000, { timeline });
        run.repeatRuns.push(repeat.ms);
        run.repeatPaintRuns.push(repeat.paintMs);
        run.errors.push(...cold.session.errors);
        await cold.session.close();
        log(`${target.name}: cold load ${i + 1}: ${cold.coldMs.toFixed(0)} ms to first render ("${cold.firstText}"); repeat visit ${repeat.ms.toFixed(0)} ms`);
        if (cold.rows) log(formatTimeline(`${target.name}: cold load ${i + 1}`, cold.rows));
        if (repeat.rows) log(formatTimeline(`${target.name}: repeat visit ${i + 1}`, repeat.rows));
      }
      if (opts.coldOnly) {
        runs.push(run);
        continue;
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

  const chunks = splitEvenly(opts.edits, opts.rounds);
  for (let round = 0; round < (opts.coldOnly ? 0 : opts.rounds); round++) {
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
    repeatRuns: run.repeatRuns,
    repeatPaintRuns: run.repeatPaintRuns,
    warmColdMs: run.warmColdMs,
    clock: run.clock ?? { offset: NaN, uncertainty: NaN, applied: 0 },
    errors: [...new Set([...run.errors, ...(run.session?.errors ?? [])])],
    notFound: run.target.servers
      .flatMap((s) => [...s.counts.notFound].map(([p, n]) => `${p}${n > 1 ? ` x${n}` : ""}`))
      .slice(0, 8)
      .join(", "),
    samples: opts.json ? { latency: run.latency, paint: run.paint, arrived: run.arrived } : undefined,
  }));
  for (const run of runs) await run.session?.close();
  log(report(results, opts, skipped));
  log(repeatReport(results));
  if (opts.json) log(`\n${JSON.stringify({ opts, results, skipped }, null, 2)}`);
}
const opts0 = (() => {
  try {
    return parseArgs(process.argv.slice(2));
  } catch {
    return { maxSeconds: 480 };
  }
})();
await runBench("preview-latency", opts0.maxSeconds, main);
