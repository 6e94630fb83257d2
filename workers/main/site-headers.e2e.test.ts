/**
 * The demo pages under their Content-Security-Policy (dist/site/_headers, written by rollup.config.mjs) in Chromium:
 * the React demo's editor, cross-origin preview frame and inline script all work with no CSP violation, while an
 * injected inline script is refused. Needs `npm run build` first (like the element e2e tests).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/chromium.mjs";
import { startTestWorker, until as waitFor, type TestWorker } from "../test-support.js";

const WAIT = { timeout: 30_000 };

let worker: TestWorker;
let browser: Browser;
/** The page on localhost, so the preview frame (127.0.0.1, see config-route.ts) is on another site, as deployed. */
let origin: string;

before(async () => {
  assert.ok(existsSync("dist/site/_headers"), "dist/site/_headers is missing: run `npm run build` first");
  worker = await startTestWorker({ assets: "dist/site" });
  origin = `http://localhost:${worker.url.port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
});

/** Open a page, recording CSP violations (from the page's own event) and console errors. */
async function open(path: string): Promise<{ page: Page; violations: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const violations: string[] = [];
  const errors: string[] = [];
  await page.exposeFunction("__reportViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __reportViolation(text: string): void }).__reportViolation(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sample})`,
      );
    });
  });
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${origin}${path}`);
  return { page, violations, errors };
}

test("pages carry their CSP, frame-ancestors *, nosniff and a referrer policy; the preview frame its own", async () => {
  for (const path of ["/", "/react"]) {
    const response = await fetch(`${origin}${path}`);
    assert.equal(response.status, 200, path);
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'self'/, path);
    assert.match(csp, /object-src 'none'/, path);
    assert.match(csp, /frame-ancestors \*/, path);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
    assert.equal(response.headers.get("referrer-policy"), "strict-origin-when-cross-origin", path);
  }
  const frame = await fetch(`${origin}/preview/frame.html`);
  assert.match(frame.headers.get("content-security-policy") ?? "", /frame-ancestors \*/);
  assert.equal(frame.headers.get("x-content-type-options"), "nosniff");
  assert.equal(frame.headers.get("referrer-policy"), "no-referrer");
  const script = await fetch(`${origin}/spike.js`);
  assert.equal(script.headers.get("x-content-type-options"), "nosniff");
  assert.equal(script.headers.get("access-control-allow-origin"), "*");
});

test("the React demo works under its CSP: Monaco, the cross-origin preview, the page's inline script; injected code is refused", async () => {
  const { page, violations, errors } = await open("/react");
  try {
    // Monaco rendered the file (its workers start from blob: URLs) and the socket is connected.
    await page.waitForFunction(() => {
      const editor = document.querySelector("spike-editor") as (HTMLElement & { status?: string }) | null;
      return editor?.status === "connected" && !!editor.shadowRoot?.querySelector(".monaco-editor .view-lines");
    }, null, WAIT);
    // The preview frame (another origin) rendered the app; clicking its button logs, and the page's inline script
    // (allowed by its hash) shows the line.
    const frame = await waitForFrame(page);
    await frame.locator("button").first().click(WAIT);
    await page.waitForFunction(() => /count is now/.test(document.getElementById("console")?.textContent ?? ""), null, WAIT);

    assert.deepEqual(violations, [], "no CSP violation from the page's own code");
    assert.deepEqual(errors.filter((e) => /Content Security Policy|Refused to/i.test(e)), [], "no CSP console errors");

    // The policy is really enforced: an inline script the page did not ship does not run and is reported.
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__injected = true;";
      document.body.append(script);
    });
    await waitFor(() => violations.length > 0, "the injected script's violation");
    assert.deepEqual(violations, ["script-src-elem blocked inline ()"]);
    assert.equal(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected), undefined);
    await page.screenshot({ path: "test-results/site-headers-react-demo-csp.png" });
  } finally {
    await page.close();
  }
});

test("the index demo loads its editors under its CSP with no violation", async () => {
  const { page, violations } = await open("/");
  try {
    await page.waitForFunction(() => {
      const editor = document.querySelector("spike-editor") as (HTMLElement & { status?: string }) | null;
      return editor?.status === "connected" && !!editor.shadowRoot?.querySelector(".monaco-editor .view-lines");
    }, null, WAIT);
    assert.deepEqual(violations, []);
  } finally {
    await page.close();
  }
});

async function waitForFrame(page: Page) {
  const deadline = Date.now() + WAIT.timeout;
  while (Date.now() < deadline) {
    // A frame that has not navigated yet has no URL (lite elements add their frames as they load).
    const frame = page.frames().find((f) => URL.canParse(f.url()) && new URL(f.url()).pathname.startsWith("/preview/frame"));
    if (frame && (await frame.locator("button").count().catch(() => 0)) > 0) return frame;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the preview frame never rendered a button");
}
