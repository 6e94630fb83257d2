/**
 * The renderer Worker ("spike-renderer"): a room's app in a headless browser (@cloudflare/puppeteer on the Browser Rendering
 * binding BROWSER), as a PNG or a PDF. Only the main Worker calls it, through its RENDERER service binding
 * (workers/main/render-routes.ts, which also caches the results in R2):
 *   POST /render {format, code, react, width, height, theme, caption?} -> 200 image/png | application/pdf
 * Refusals are JSON `{error}`: 400/413 a bad body, 422 the app threw, 429 too many renders for one client (header
 * `x-spike-client-ip`), 503 no browser or every render slot busy, 504 the app did not paint in time (a `while (true)`).
 * Bounded: at most RENDER_MAX_CONCURRENCY renders per isolate (default 2), RENDER_MAX_PER_IP per client (default 1), each
 * ended after RENDER_TIMEOUT_MS (default 15000) by closing its browser, whatever the page is doing.
 */
import puppeteer, { type Browser, type BrowserWorker } from "@cloudflare/puppeteer";
import { Hono } from "hono";
import { sendErrorReport, type ErrorReportEnv } from "../platform/error-reports.js";
import { CLIENT_IP_HEADER, NO_BROWSER, RenderInputError, renderInput, type RenderRequest } from "./render-input.js";
import { DONE_GLOBAL, pageScript, shellHtml } from "./render-page.js";

/** Bindings and variables of the renderer Worker (workers/renderer/wrangler.jsonc). */
export interface RendererEnv extends ErrorReportEnv {
  /** Browser Rendering; under wrangler dev, the machine's Chromium (README "Renderer"). */
  BROWSER: BrowserWorker;
  RENDER_TIMEOUT_MS?: string;
  RENDER_MAX_CONCURRENCY?: string;
  RENDER_MAX_PER_IP?: string;
}

const app = new Hono<{ Bindings: RendererEnv }>();

app.onError(function rendererErrors(error, c) {
  if (error instanceof RenderInputError) return c.json({ error: error.message }, error.status);
  console.error(JSON.stringify({ level: "error", route: c.req.routePath, message: error.message, stack: error.stack }));
  const requestId = c.req.header("x-request-id") ?? null;
  sendErrorReport(c.env, error, { worker: "spike-renderer", route: `${c.req.method.slice(0, 16)} ${c.req.routePath}`, requestId });
  return c.json({ error: "internal error" }, 500);
});
app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));

/** Renders running in this isolate, in all and per client IP. */
let running = 0;
const runningPerIp = new Map<string, number>();

app.post("/render", async (c) => {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new RenderInputError("the body must be JSON");
  }
  const input = renderInput(body);
  const limits = limitsOf(c.env);
  const ip = c.req.header(CLIENT_IP_HEADER) ?? "unknown";
  if ((runningPerIp.get(ip) ?? 0) >= limits.perIp) {
    return c.json({ error: `at most ${limits.perIp} render(s) at a time per client; retry when the last one is done` }, 429, { "retry-after": "1" });
  }
  if (running >= limits.concurrency) {
    return c.json({ error: `the renderer is busy (${limits.concurrency} renders at a time); retry shortly` }, 503, { "retry-after": "1" });
  }
  running++;
  runningPerIp.set(ip, (runningPerIp.get(ip) ?? 0) + 1);
  try {
    const result = await render(c.env.BROWSER, input, limits.timeoutMs);
    if (!result.ok) return c.json({ error: result.error }, result.status);
    const type = input.format === "png" ? "image/png" : "application/pdf";
    return c.body(result.bytes, 200, { "content-type": type, "x-spike-render-ms": String(result.ms) });
  } finally {
    running--;
    const left = (runningPerIp.get(ip) ?? 1) - 1;
    if (left > 0) runningPerIp.set(ip, left);
    else runningPerIp.delete(ip);
  }
});

app.all("/render", (c) => c.json({ error: `method ${c.req.method} not allowed` }, 405));

export default app satisfies ExportedHandler<RendererEnv>;

type RenderResult = { ok: true; bytes: Uint8Array<ArrayBuffer>; ms: number } | { ok: false; status: 422 | 503 | 504; error: string };

/** The renderer's limits from its variables, each falling back to its default when unset or not a positive integer. */
function limitsOf(env: RendererEnv): { timeoutMs: number; concurrency: number; perIp: number } {
  const positive = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    timeoutMs: positive(env.RENDER_TIMEOUT_MS, 15_000),
    concurrency: positive(env.RENDER_MAX_CONCURRENCY, 2),
    perIp: positive(env.RENDER_MAX_PER_IP, 1),
  };
}

/**
 * One render in a browser of its own, closed afterwards whatever happened. Every step races one deadline: a page that never
 * answers (its thread stuck in the app's loop) cannot hold the request, as closing the browser ends its process.
 */
async function render(binding: BrowserWorker, input: RenderRequest, timeoutMs: number): Promise<RenderResult> {
  const started = Date.now();
  let browser: Browser;
  try {
    browser = await puppeteer.launch(binding);
  } catch (error) {
    console.error(JSON.stringify({ level: "error", message: `browser launch failed: ${(error as Error).message}` }));
    return { ok: false, status: 503, error: NO_BROWSER };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), Math.max(0, timeoutMs - (Date.now() - started)))));
  let step = "opening a page";
  const work = (async (): Promise<RenderResult> => {
    const page = await browser.newPage();
    step = "setting up the page";
    await page.setViewport({ width: input.width, height: input.height, deviceScaleFactor: 1 });
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: input.theme }]);
    await page.setContent(shellHtml(input.theme), { waitUntil: "load" });
    step = "running the app";
    await page.evaluate(pageScript(input));
    const done = (await page.waitForFunction(`window.${DONE_GLOBAL}`, { polling: 50, timeout: 0 })).jsonValue() as Promise<{ ok: boolean; message?: string }>;
    const outcome = await done;
    if (!outcome.ok) return { ok: false, status: 422, error: `the app failed while rendering: ${outcome.message ?? "unknown error"}` };
    step = input.format === "png" ? "taking the screenshot" : "printing the PDF";
    const bytes =
      input.format === "png"
        ? await page.screenshot({ type: "png" })
        : await page.pdf({ printBackground: true, width: `${input.width}px`, height: `${input.height}px` });
    return { ok: true, bytes: new Uint8Array(bytes), ms: Date.now() - started };
  })();
  try {
    const result = await Promise.race([work, deadline]);
    if (result === "timeout") {
      work.catch(() => {});
      return { ok: false, status: 504, error: `the app did not finish rendering within ${timeoutMs} ms (does it loop forever?); stopped while ${step}` };
    }
    return result;
  } finally {
    clearTimeout(timer);
    // Closing ends the browser's process, and with it a page stuck in the app's loop; bounded too, so a browser that does
    // not answer cannot keep the request.
    await Promise.race([browser.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000))]);
  }
}
