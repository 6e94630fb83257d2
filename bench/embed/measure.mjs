/**
 * One page load of the embed-weight bench in Chromium: what it downloads until the network is quiet (bytes gzip, by kind),
 * its WebSockets, when highlighted code first shows, and when the preview first paints the app.
 */
import { gzipSync } from "node:zlib";
import { onCleanup, sleep } from "../support.mjs";
import { CODE_WORD, MARKER_ID } from "./pages.mjs";

/**
 * Runs in every document before its own scripts. Top page: on every animation frame, until found, look for highlighted
 * code: the deepest element (through shadow roots) whose text has `word` and whose spans show at least two colours.
 * Frames: report the app's marker element the first time it is in the DOM, and the animation frame after (its paint).
 * Times are epoch ms (`timeOrigin + now()`), comparable across processes to within about a millisecond.
 */
function probe({ word, markerId }) {
  const now = () => performance.timeOrigin + performance.now();
  const send = (report) => typeof window.__embedReport === "function" && window.__embedReport(report);
  if (window !== window.top) {
    const check = () => {
      if (!document.getElementById(markerId)) return false;
      const t = now();
      requestAnimationFrame(() => send({ kind: "preview", t, paint: now() }));
      return true;
    };
    const observer = new MutationObserver(() => check() && observer.disconnect());
    observer.observe(document, { childList: true, subtree: true });
    return;
  }
  const children = (node) => [...(node.shadowRoot ? node.shadowRoot.children : []), ...node.children];
  const visible = (el) => el.getBoundingClientRect().height > 0;
  /** Whether the word is in el's text, its shadow root's, or those of any shadow root below it. */
  const has = (el) =>
    el.textContent.includes(word) ||
    [el, ...el.querySelectorAll("*")].some((e) => e.shadowRoot && [...e.shadowRoot.children].some(has));
  /** The deepest visible element (through shadow roots) whose text has the word. */
  const deepest = (node) => {
    for (const child of children(node)) {
      if (!visible(child) || !has(child)) continue;
      return deepest(child) ?? child;
    }
    return null;
  };
  /** From there up a few levels: a block whose spans show at least two colours is highlighted code. */
  const highlighted = () => {
    let block = deepest(document.body);
    for (let level = 0; block && level < 4; level++) {
      const colours = new Set([...block.querySelectorAll("span")].slice(0, 300).map((s) => getComputedStyle(s).color));
      if (colours.size >= 2) return true;
      block = block.parentElement ?? block.getRootNode().host ?? null;
    }
    return false;
  };
  const frame = () => {
    if (document.body && highlighted()) send({ kind: "code", t: now() });
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/**
 * A browser context for one target: every response's body (gzip size) and kind, every WebSocket, and the probes' reports.
 * @example const ctx = await openContext(browser); await ctx.load(url); ctx.summary();
 */
export async function openContext(browser, { viewport = { width: 1000, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  const forget = onCleanup(() => context.close());
  const state = { responses: [], sockets: [], reports: [], inFlight: 0, lastActivity: 0, navigationStart: 0, errors: [] };
  await context.exposeBinding("__embedReport", (_source, report) => state.reports.push(report));
  await context.addInitScript(probe, { word: CODE_WORD, markerId: MARKER_ID });
  context.on("request", () => {
    state.inFlight++;
    state.lastActivity = Date.now();
  });
  const settled = () => {
    state.inFlight = Math.max(0, state.inFlight - 1);
    state.lastActivity = Date.now();
  };
  context.on("requestfailed", settled);
  context.on("requestfinished", async (request) => {
    try {
      const response = await request.response();
      const body = response && response.status() < 300 ? await response.body().catch(() => null) : null;
      const type = response?.headers()["content-type"] ?? "";
      state.responses.push({
        url: request.url(),
        js: /javascript|ecmascript/.test(type) || request.resourceType() === "script",
        bytes: body?.length ?? 0,
        gzip: body ? gzipSync(body).length : 0,
      });
    } finally {
      settled();
    }
  });
  const page = await context.newPage();
  page.on("websocket", (ws) => state.sockets.push(ws.url()));
  page.on("pageerror", (error) => state.errors.push(error.message));
  return {
    page,
    state,
    /** Navigate and wait until the network has been idle for `quietMs` (at most `timeoutMs`). */
    async load(url, { quietMs = 1500, timeoutMs = 60_000 } = {}) {
      state.responses = [];
      state.sockets = [];
      state.reports = [];
      await page.goto(url, { waitUntil: "load", timeout: timeoutMs });
      state.navigationStart = await page.evaluate(() => performance.timeOrigin);
      const until = Date.now() + timeoutMs;
      while (Date.now() < until && (state.inFlight > 0 || Date.now() - state.lastActivity < quietMs)) await sleep(100);
    },
    /** Wait up to `ms` for a probe report of `kind`; its time after navigation start, or NaN. */
    async firstReport(kind, ms = 30_000, field = "t") {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const report = state.reports.find((r) => r.kind === kind);
        if (report) return report[field] - state.navigationStart;
        await sleep(25);
      }
      return NaN;
    },
    /** What this load downloaded. */
    summary() {
      const sum = (list, key) => list.reduce((total, r) => total + r[key], 0);
      const js = state.responses.filter((r) => r.js);
      return {
        requests: state.responses.length,
        jsGzip: sum(js, "gzip"),
        allGzip: sum(state.responses, "gzip"),
        monaco: state.responses.some((r) => /monaco|editor\.worker|ts\.worker/.test(r.url)),
        sockets: state.sockets.length,
      };
    },
    async close() {
      forget();
      await context.close().catch(() => {});
    },
  };
}
