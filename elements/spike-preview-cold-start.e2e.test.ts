/**
 * <spike-preview>'s first render, end to end in Chromium against the real Worker (built dist/site under workerd): the
 * first build reaches the frame as one message with every module, the frame asks for no runtime script of its own and
 * preloads React, and a repeat visit to a room's preview takes /api/config from the HTTP cache. Correctness only: the
 * timings are in bench/preview-latency.mjs (--timeline).
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, writeFixturePages } from "../test-support/browser.js";
import { FIXTURE_HEAD, FIXTURE_PATH, FIXTURES, frameText, previewFrame } from "../test-support/preview-e2e.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

const SITE = copySite("spike-preview-cold-start-e2e", "preview/frame.html");

let worker: TestWorker;
let browser: Browser;

before(async () => {
  writeFixturePages(join(SITE, FIXTURE_PATH), FIXTURES, FIXTURE_HEAD);
  worker = await startTestWorker({ assets: SITE });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

/** In every frame: each `spike:update` the frame is sent, as the files it versions and the files it carries code for. */
function recordUpdates() {
  if (window === window.top) return;
  const updates: { versions: string[]; modules: string[] }[] = ((window as any).__updates = []);
  addEventListener(
    "message",
    (event) => {
      if (event.data?.type !== "spike:update") return;
      updates.push({ versions: Object.keys(event.data.versions).sort(), modules: Object.keys(event.data.modules).sort() });
    },
    true,
  );
}

test("a local project's first build reaches the frame as one message carrying every module; the frame fetches no frame.js and preloads React", async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 340 } });
  try {
    await context.addInitScript(recordUpdates);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const requested: string[] = [];
    page.on("request", (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(`${worker.url.origin}/${FIXTURE_PATH}/local.html`);
    const frame = await previewFrame(page);
    assert.equal(await frameText(frame, "#badge", /styled/), "styled");

    const updates = (await frame.evaluate(() => (window as any).__updates)) as { versions: string[]; modules: string[] }[];
    assert.ok(updates.length >= 1);
    assert.deepEqual(updates[0]!.versions, ["components/Badge.tsx", "index.tsx", "other.tsx", "styles.css"]);
    assert.deepEqual(updates[0]!.modules, updates[0]!.versions, "the first update carries the code of every file it names");

    assert.ok(requested.includes("/preview/frame.html"));
    assert.ok(!requested.includes("/preview/frame.js"), "the runtime is inline in frame.html");
    const preloaded = await frame.evaluate(() =>
      [...document.querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"]')].map((link) => new URL(link.href).pathname),
    );
    assert.equal(preloaded.length, 4);
    for (const [i, file] of ["/react@", "/react@", "/react-dom@", "/react-dom@"].entries()) assert.ok(preloaded[i]!.includes(file), preloaded[i]);
    assert.deepEqual(
      preloaded.map((p) => p.split("/").pop()),
      ["index.js", "jsx-runtime.js", "index.js", "client.js"],
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a repeat visit to a room's preview in the same browser takes /api/config from the HTTP cache and renders again", async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 340 } });
  try {
    const page = await context.newPage();
    const room = `cold-start-${Date.now().toString(36)}`;
    const url = `${worker.url.origin}/${FIXTURE_PATH}/room.html?room=${room}`;
    const configEntry = () =>
      page.evaluate(() => {
        const entry = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/api/config")) as PerformanceResourceTiming | undefined;
        return entry ? { transferSize: entry.transferSize, decodedBodySize: entry.decodedBodySize } : null;
      });

    await page.goto(url);
    let frame = await previewFrame(page);
    assert.equal(await frameText(frame, "#title", /Hello1/), "Hello1");
    const first = await configEntry();
    assert.ok(first && first.transferSize > 0, "the first visit fetched /api/config");

    await page.goto(url);
    frame = await previewFrame(page);
    assert.equal(new URL(frame.url()).origin, `http://localhost:${worker.url.port}`, "the frame on the origin /api/config names");
    assert.equal(await frameText(frame, "#title", /Hello1/), "Hello1");
    const again = await configEntry();
    assert.ok(again, "the page read /api/config");
    assert.equal(again.transferSize, 0, "from the HTTP cache: no bytes on the wire");
    assert.ok(again.decodedBodySize > 0);
  } finally {
    await context.close();
  }
});
