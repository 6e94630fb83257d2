/**
 * Measuring in the browser for the preview bench: probes installed in every document, a page per fresh context, the
 * frame/host clock offset, a cold load, and one timed keystroke.
 */
import { MARKER_BASE, MARKER_ID } from "../preview-app.mjs";
import { installMessageProbe, pathTimeline } from "./cold-path.mjs";
import { onCleanup, sleep, withTimeout } from "../support.mjs";

/** Typed characters cycle through these; every keystroke appends one to the marker string. */
const TYPED = "abcdefghijklmnopqrstuvwxyz";

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
  // After the first update, spike sends the rest on a MessagePort that came with it: listen there too (a listener added
  // before the runtime's own does not start the port, so the runtime still sees every message).
  const onUpdate = (e) => e.data?.type === "spike:update" && send({ kind: "arrived", t: now(), how: "message" });
  window.addEventListener("message", (e) => {
    onUpdate(e);
    e.ports?.[0]?.addEventListener("message", onUpdate);
  }, true);
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

/** A fresh browser context on a target's page, with the probes installed (and `extraProbe`, a [script, arg] pair, if given). */
async function openPage(browser, target, extraProbe) {
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
  if (extraProbe) await context.addInitScript(...extraProbe);
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
export function waitReport(session, kind, predicate, timeoutMs, what) {
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
export async function clockOffset(page, frame, rounds = 15) {
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

/**
 * Load the page in a fresh context; time from the host's navigation start to the marker's first appearance in the frame.
 * With `timeline`, also the cold path's timeline (bench/preview/cold-path.mjs); `extraProbe` is an init script for
 * openPage (bench/preview-profile.mjs marks the keystroke path with it).
 */
export async function coldLoad(browser, target, timeoutMs, { timeline = false, extraProbe } = {}) {
  const session = await openPage(browser, target, extraProbe);
  await installMessageProbe(session.context);
  const firstDom = waitReport(session, "dom", () => true, timeoutMs, `${target.name}: first preview render`);
  await session.page.goto(target.url, { waitUntil: "commit", timeout: timeoutMs });
  const dom = await firstDom;
  const raf = await waitReport(session, "raf", (r) => r.text === dom.text, 5000, "first frame").catch(() => null);
  const navigationStart = await session.page.evaluate(() => performance.timeOrigin);
  const clock = await clockOffset(session.page, session.frame, 5);
  const rows = timeline ? await pathTimeline(session, { dom: dom.t - clock.applied, raf: raf ? raf.t - clock.applied : null }) : null;
  return {
    session,
    coldMs: dom.t - clock.applied - navigationStart,
    coldPaintMs: raf ? raf.t - clock.applied - navigationStart : NaN,
    firstText: dom.text,
    rows,
  };
}

/** Click into the editor and put the cursor before the closing quote of `const MARKER = "edit:";`. */
export async function placeCursor(session, target, app) {
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
export async function oneEdit(session, target, opts) {
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
