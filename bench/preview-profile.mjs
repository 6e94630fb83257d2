#!/usr/bin/env node
/**
 * Where the time of one keystroke goes, from a Chromium trace: spike's editor + preview on the preview bench's 300-line
 * app (bench/preview-app.mjs), real keystrokes, and a browser-wide trace (both renderer processes: the host page and the
 * cross-site preview frame) with V8's CPU sampler on. Each edit is split at marks the script leaves in both documents:
 * keydown (host) -> the update message arrives (frame) -> the marker text in the DOM (frame) -> the next animation frame,
 * and each half's main-thread CPU time (the DevTools protocol's sampler in each process) is attributed to Monaco, Yjs, the builder, the frame runtime, React, ... by the
 * script its samples ran in (bench/preview/trace.mjs).
 *
 *   node bench/preview-profile.mjs [--edits 30] [--warmup 10] [--trace out.json]
 *
 * Everything listens on / connects to loopback only, and stops at the end. See bench/README.md.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { MARKER_BASE, MARKER_ID, appSource } from "./preview-app.mjs";
import { coldLoad, oneEdit, placeCursor } from "./preview/browser.mjs";
import { fmt } from "./preview/report.mjs";
import { ensureBuildInChild, startSpike } from "./preview/spike.mjs";
import { processesOf, profileSamples, readTrace, splitEdit } from "./preview/trace.mjs";
import { onCleanup, runBench, sleep, summarize, table } from "./support.mjs";

const HELP = `usage: node bench/preview-profile.mjs [options]
  --edits 30        traced keystrokes (one at a time; the next waits for the preview)
  --warmup 10       untraced keystrokes before them (JIT, caches)
  --pause-ms 50     idle time after each edit showed
  --hires           sample every 0.1 ms instead of 0.5 ms (finer attribution, more overhead)
  --top 12          how many functions to list per half
  --trace <file>    also write the raw trace (open it in Chrome DevTools' Performance panel or ui.perfetto.dev)
  --max-seconds 240 hard stop`;

/** Chromium trace categories: tasks, events, user timing marks, and V8's sampler at its fine interval. */
const CATEGORIES = [
  "toplevel",
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "blink.user_timing",
  "v8.execute",
];

function parseArgs(argv) {
  const opts = { edits: 30, warmup: 10, pauseMs: 50, hires: false, top: 12, trace: null, maxSeconds: 240, editTimeoutMs: 10_000 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--edits": opts.edits = Math.max(1, Number(value())); break;
      case "--warmup": opts.warmup = Number(value()); break;
      case "--pause-ms": opts.pauseMs = Number(value()); break;
      case "--trace": opts.trace = value(); break;
      case "--hires": opts.hires = true; break;
      case "--top": opts.top = Number(value()); break;
      case "--max-seconds": opts.maxSeconds = Number(value()); break;
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

/**
 * Marks for the trace, installed in every document before its scripts: in the host, every trusted keydown (capture
 * phase on window, before the editor) and each update it sends; in the frame, each update that arrives, each new marker
 * text and the animation frame after it.
 */
function markScript(markerId) {
  if (window === window.top) {
    addEventListener("keydown", (e) => e.isTrusted && performance.mark(`profile:keydown ${e.key}`), true);
    // The preview channel posts its first update to `iframe.contentWindow`, the others on a MessagePort: the last read of
    // the one or post on the other before the frame gets an update is its send.
    const post = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (data, ...rest) {
      if (data?.type === "spike:update") performance.mark("profile:send");
      return post.call(this, data, ...rest);
    };
    const descriptor = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, "contentWindow");
    Object.defineProperty(HTMLIFrameElement.prototype, "contentWindow", {
      ...descriptor,
      get() {
        performance.mark("profile:send");
        return descriptor.get.call(this);
      },
    });
    return;
  }
  // Updates after the first come on a MessagePort that came with it (elements/internal/preview-channel.ts).
  const mark = (e) => e.data?.type === "spike:update" && performance.mark("profile:message");
  addEventListener("message", (e) => (mark(e), e.ports?.[0]?.addEventListener("message", mark)), true);
  let last = null;
  new MutationObserver(() => {
    const text = document.getElementById(markerId)?.textContent;
    if (text === undefined || text === last) return;
    last = text;
    performance.mark(`profile:dom ${text}`);
    requestAnimationFrame(() => performance.mark(`profile:raf ${text}`));
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

/** Median of each category over the edits (an edit without a category counts 0 there), largest first. */
function medianByCategory(rows) {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return names
    .map((name) => [name, summarize(rows.map((r) => r[name] ?? 0)).p50, summarize(rows.map((r) => r[name] ?? 0)).mean])
    .filter(([, , mean]) => mean >= 0.05)
    .sort((a, b) => b[2] - a[2]);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const log = (line) => console.log(line);
  const app = appSource();
  log("preview-profile: where one keystroke's time goes, keydown -> preview DOM, spike, in a Chromium trace");
  log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, ${os.cpus().length} CPUs`);
  const build = ensureBuildInChild();
  if (!build.ok) throw new Error(`the build failed: ${build.output}`);
  const target = await startSpike(app);
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  onCleanup(() => browser.close());
  log(`Chromium ${browser.version()}; ${opts.warmup} warm-up edits, then ${opts.edits} traced`);

  const { session } = await coldLoad(browser, target, 60_000, { extraProbe: [markScript, MARKER_ID] });
  session.typed = "";
  await placeCursor(session, target, app);
  for (let i = 0; i < opts.warmup; i++) {
    if (!(await oneEdit(session, target, opts))) throw new Error("a warm-up edit never showed in the preview");
    await sleep(opts.pauseMs);
  }

  // The DevTools protocol's sampler in each document's process (the page and the cross-site frame are separate targets).
  const profilers = [];
  for (const target of [session.page, session.frame]) {
    const cdp = await session.context.newCDPSession(target);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: opts.hires ? 100 : 500 });
    await cdp.send("Profiler.start");
    profilers.push(cdp);
  }
  await browser.startTracing(undefined, { categories: CATEGORIES });
  const edits = [];
  let lost = 0;
  for (let i = 0; i < opts.edits; i++) {
    const key = "abcdefghijklmnopqrstuvwxyz"[session.typed.length % 26];
    const r = await oneEdit(session, target, opts);
    if (r) edits.push({ key, text: MARKER_BASE + session.typed });
    else lost++;
    await sleep(opts.pauseMs);
  }
  const buffer = await browser.stopTracing();
  const [hostProfile, frameProfile] = await Promise.all(profilers.map(async (cdp) => (await cdp.send("Profiler.stop")).profile));
  await session.close();
  if (opts.trace) writeFileSync(opts.trace, buffer);
  const json = JSON.parse(buffer.toString("utf8"));
  const pids = processesOf(json);
  const trace = readTrace(json, [...profileSamples(hostProfile, pids.host), ...profileSamples(frameProfile, pids.frame)]);
  const splits = edits.map((edit) => splitEdit(trace, edit)).filter(Boolean);
  log(`traced ${edits.length} edits (${lost} lost), ${splits.length} split; ${trace.samples.length} CPU samples; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  if (splits.length === 0) throw new Error("no edit could be split (marks missing from the trace)");

  const row = (name, values) => {
    const s = summarize(values);
    return [name, fmt(s.p50), fmt(s.p95), fmt(s.mean)];
  };
  log("\nkeydown -> DOM, split at the frame's receipt of the update (ms):");
  log(
    table(
      ["part", "p50", "p95", "mean"],
      [
        row("keydown -> frame gets the update", splits.map((s) => s.toFrame)),
        row("  keydown -> host posts the update", splits.map((s) => s.toSend)),
        row("  host posts -> frame gets it", splits.map((s) => s.toFrame - s.toSend)),
        row("  host main thread busy in it", splits.map((s) => s.hostBusy)),
        row("frame gets the update -> DOM", splits.map((s) => s.inFrame)),
        row("  frame main thread busy in it", splits.map((s) => s.frameBusy)),
        row("keydown -> DOM", splits.map((s) => s.total)),
        row("DOM -> next animation frame", splits.map((s) => s.toPaint)),
      ],
      ["l", "r", "r", "r"],
    ),
  );
  const cpuTable = (title, rows) => {
    log(`\n${title} (CPU ms per edit by where the samples ran; p50 and mean over edits):`);
    log(table(["where", "p50", "mean"], medianByCategory(rows).map(([n, p50, mean]) => [n, fmt(p50, 2), fmt(mean, 2)]), ["l", "r", "r"]));
  };
  cpuTable("host main thread, keydown -> frame gets the update", splits.map((s) => s.hostCpu));
  cpuTable("frame main thread, update -> DOM", splits.map((s) => s.frameCpu));
  cpuTable("host main thread meanwhile (update -> DOM)", splits.map((s) => s.hostAfter));
  const topFunctions = (title, rows) => {
    log(`\n${title}: the functions with the most self time (mean ms per edit; minified names in the bundle's chunks):`);
    const top = medianByCategory(rows).slice(0, opts.top);
    log(table(["function", "mean"], top.map(([n, , mean]) => [n, fmt(mean, 2)]), ["l", "r"]));
  };
  topFunctions("host, keydown -> frame gets the update", splits.map((s) => s.hostFunctions));
  topFunctions("frame, update -> DOM", splits.map((s) => s.frameFunctions));

  // The edit at the median keydown -> DOM, task by task: where the waits between tasks are.
  const median = [...splits].sort((a, b) => a.total - b.total)[Math.floor(splits.length / 2)];
  log(`\nthe median edit (${fmt(median.total)} ms), main-thread tasks from 0.5 ms before keydown (ms from keydown):`);
  for (const [where, tasks] of [["host", median.hostTasks], ["frame", median.frameTasks]]) {
    for (const t of tasks) log(`  ${where.padEnd(5)} +${fmt(t.at, 2).padStart(6)}  ${fmt(t.ms, 2).padStart(6)} ms  ${t.top}`);
  }
  log(`  frame gets the update at +${fmt(median.toFrame, 2)}, DOM at +${fmt(median.total, 2)}`);
}

const opts0 = (() => {
  try {
    return parseArgs(process.argv.slice(2));
  } catch {
    return { maxSeconds: 240 };
  }
})();
await runBench("preview-profile", opts0.maxSeconds, main);
