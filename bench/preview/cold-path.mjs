/**
 * Cold start and repeat visit for the preview bench: a second navigation in the same browser context (warm HTTP cache)
 * after the cold one, and a timeline of the cold path (every resource each document fetched, the preview messages, the
 * first render) from the Resource Timing entries of the host page and its frames, all on the host's navigation clock.
 */
import { fmt } from "./report.mjs";
import { clockOffset, waitReport } from "./browser.mjs";
import { summarize, table } from "../support.mjs";

/**
 * Runs in every document before its own scripts: the first arrival of each `spike:*` message, in the host page (from the
 * frame: `spike:ready`, `spike:rendered`) and in frames (from the host: `spike:update`, with how many modules and how
 * many characters of code it carried). Times are epoch milliseconds, like the other probes.
 */
function messageProbe() {
  const marks = (window.__benchColdMarks = []);
  const seen = new Set();
  const where = window === window.top ? "host" : "frame";
  window.addEventListener(
    "message",
    (event) => {
      const type = event.data?.type;
      if (typeof type !== "string" || !type.startsWith("spike:") || seen.has(type)) return;
      seen.add(type);
      const t = performance.timeOrigin + performance.now();
      const modules = event.data.modules && typeof event.data.modules === "object" ? Object.values(event.data.modules) : [];
      const chars = modules.reduce((sum, m) => sum + (typeof m?.code === "string" ? m.code.length : 0), 0);
      marks.push({ t, what: `${where} gets ${type}${modules.length ? ` (${modules.length} modules, ${chars} chars)` : ""}` });
    },
    true,
  );
}

/** Install the message probe in a fresh context, before its first page. */
export async function installMessageProbe(context) {
  await context.addInitScript(messageProbe);
}

/** Resource Timing of the document a frame (or the page) shows, as epoch times; null when it cannot be read. */
function readDocumentTiming() {
  const abs = (t) => performance.timeOrigin + t;
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource").map((r) => ({
    name: r.name,
    start: abs(r.startTime),
    end: abs(r.responseEnd),
    transferSize: r.transferSize,
    encodedBodySize: r.encodedBodySize,
    deliveryType: r.deliveryType ?? "",
  }));
  return {
    url: location.href,
    timeOrigin: performance.timeOrigin,
    responseEnd: nav ? abs(nav.responseEnd) : null,
    transferSize: nav?.transferSize ?? 0,
    encodedBodySize: nav?.encodedBodySize ?? 0,
    deliveryType: nav?.deliveryType ?? "",
    resources,
    marks: window.__benchColdMarks ?? [],
  };
}

/**
 * How a resource was delivered, as far as Resource Timing tells: `cache` (no bytes on the wire), `304` (revalidated),
 * `net` (downloaded), or `?` when a cross-origin answer without Timing-Allow-Origin hides its sizes.
 */
function delivery(r) {
  if (r.deliveryType === "cache") return "cache";
  if (r.transferSize === 0) return r.encodedBodySize > 0 ? "cache" : "?";
  return r.transferSize < r.encodedBodySize ? "304" : "net";
}

/** A URL short enough for a table row: the path (query and fragment dropped), its origin only when it is not the host's. */
function shortName(url, hostOrigin) {
  try {
    const u = new URL(url);
    if (u.protocol === "blob:") return "blob: (a project module)";
    const origin = u.origin === hostOrigin ? "" : u.host;
    const file = u.pathname.length > 60 ? `…${u.pathname.slice(-58)}` : u.pathname;
    return `${origin}${file}`;
  } catch {
    return url.slice(0, 60);
  }
}

/**
 * The cold path of the page a session shows: rows `{ start, end, where, what, how }` in ms after the host's navigation
 * start, sorted by start, ending with the first render the marker probe saw (`dom`, `raf`: epoch times, clock-corrected).
 */
export async function pathTimeline(session, { dom, raf }) {
  const { page } = session;
  const host = await page.evaluate(readDocumentTiming);
  const t0 = host.timeOrigin;
  const hostOrigin = new URL(host.url).origin;
  const rows = [];
  const add = (doc, where, offset = 0) => {
    const at = (t) => t - offset - t0;
    if (doc.responseEnd) rows.push({ start: at(doc.timeOrigin), end: at(doc.responseEnd), where, what: `${shortName(doc.url, hostOrigin)} (document)`, how: delivery(doc) });
    for (const r of doc.resources) {
      // The host's entry for the frame's document duplicates the frame's own navigation entry.
      if (where === "host" && rows.some((row) => row.what.startsWith(shortName(r.name, hostOrigin)))) continue;
      rows.push({ start: at(r.start), end: at(r.end), where, what: shortName(r.name, hostOrigin), how: delivery(r) });
    }
    for (const m of doc.marks) rows.push({ start: at(m.t), end: at(m.t), where, what: m.what, how: "" });
  };
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const doc = await frame.evaluate(readDocumentTiming).catch(() => null);
    if (!doc || !doc.url.startsWith("http")) continue;
    const clock = await clockOffset(page, frame, 3).catch(() => ({ applied: 0 }));
    add(doc, "frame", clock.applied);
  }
  add(host, "host");
  if (dom) rows.push({ start: dom - t0, end: dom - t0, where: "frame", what: "marker first in the frame's DOM", how: "" });
  if (raf) rows.push({ start: raf - t0, end: raf - t0, where: "frame", what: "next animation frame (first preview paint)", how: "" });
  return rows.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** A timeline as a printed table. Monaco's many files are summed into one row, so the preview's own path stays readable. */
export function formatTimeline(title, rows) {
  const monaco = rows.filter((r) => /monaco|editor\.(api|main)|\.worker\.js|codicon|tsMode|typescript/i.test(r.what));
  const shown = rows.filter((r) => !monaco.includes(r));
  if (monaco.length) {
    const start = Math.min(...monaco.map((r) => r.start));
    const end = Math.max(...monaco.map((r) => r.end));
    const hows = [...new Set(monaco.map((r) => r.how))].join("/");
    shown.push({ start, end, where: "host", what: `Monaco and its workers (${monaco.length} files, summed)`, how: hows });
    shown.sort((a, b) => a.start - b.start);
  }
  const body = table(
    ["start", "end", "ms", "where", "what", "how"],
    shown.map((r) => [fmt(r.start, 0), fmt(r.end, 0), r.end > r.start ? fmt(r.end - r.start, 0) : "", r.where, r.what, r.how]),
    ["r", "r", "r", "l", "l", "l"],
  );
  return `-- ${title} (ms after the host's navigation start; how: net / 304 / cache, ? = sizes hidden cross-origin) --\n${body}`;
}

/**
 * A second navigation to the target's page in the same context (the HTTP cache and the processes the cold load left):
 * the time from its navigation start to the marker first in the frame's DOM, the next animation frame, and its timeline.
 */
export async function repeatVisit(session, target, timeoutMs, { timeline = false } = {}) {
  const { page } = session;
  const before = Date.now();
  session.reports = [];
  const firstDom = waitReport(session, "dom", (r) => r.t >= before, timeoutMs, `${target.name}: first render on a repeat visit`);
  await page.goto(target.url, { waitUntil: "commit", timeout: timeoutMs });
  const dom = await firstDom;
  const raf = await waitReport(session, "raf", (r) => r.text === dom.text && r.t >= dom.t, 5000, "first frame").catch(() => null);
  const navigationStart = await page.evaluate(() => performance.timeOrigin);
  const clock = await clockOffset(page, session.frame, 5);
  const domAt = dom.t - clock.applied;
  const rafAt = raf ? raf.t - clock.applied : null;
  return {
    ms: domAt - navigationStart,
    paintMs: rafAt ? rafAt - navigationStart : NaN,
    rows: timeline ? await pathTimeline(session, { dom: domAt, raf: rafAt }) : null,
  };
}

/**
 * The repeat-visit table, beside the cold start, with the issue's goals: cold < 1 s and repeat < 300 ms (first paint).
 * @example console.log(repeatReport(results));
 */
export function repeatReport(results) {
  const out = ["", "== Repeat visit (ms): a second navigation in the same context (warm HTTP cache) -> the marker in the frame =="];
  const rows = [];
  for (const [label, pick] of [
    ["median (DOM)", (r) => summarize(r.repeatRuns).p50],
    ["median (next frame)", (r) => summarize(r.repeatPaintRuns).p50],
    ["min", (r) => summarize(r.repeatRuns).min],
    ["max", (r) => summarize(r.repeatRuns).max],
  ]) {
    rows.push([label, ...results.map((r) => fmt(pick(r), 0))]);
  }
  rows.push(["runs", ...results.map((r) => r.repeatRuns.map((v) => v.toFixed(0)).join(", ") || "-")]);
  out.push(table(["", ...results.map((r) => r.title)], rows, ["l"]));
  out.push("goals for context: first preview paint < 1000 ms cold, < 300 ms on a repeat visit.");
  for (const r of results) {
    const cold = r.coldPaint.p50;
    const repeat = summarize(r.repeatPaintRuns).p50;
    const verdict = (v, goal) => (Number.isFinite(v) ? (v < goal ? "meets" : "misses") : "not measured");
    out.push(`  ${r.title}: cold ${fmt(cold, 0)} ms (${verdict(cold, 1000)}), repeat ${fmt(repeat, 0)} ms (${verdict(repeat, 300)})`);
  }
  return out.join("\n");
}
