/**
 * `/image <prompt>` in <spike-chat>, end to end: real keystrokes in Debian's Chromium, the built bundle served by the real
 * Worker under workerd, the real `replicate` SDK there pointed at the loopback Replicate fake (workers/fake-replicate.ts)
 * and the room's assets in R2. The chat shows progress, then the picture; the app imports the new asset by relative path
 * and the preview paints its pixels; a failed prediction shows its reason.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { PNG } from "pngjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, screenshots, writeFixturePages } from "../test-support/browser.js";
import { imagePixelApp, previewFrame } from "../test-support/preview-e2e.js";
import { startFakeReplicate, type FakeReplicate } from "../workers/fake-replicate.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };

const FIXTURES = {
  // A chat and a preview on room ?room=.
  "room.html": `<script type="module">
    await customElements.whenDefined("spike-chat");
    const room = new URLSearchParams(location.search).get("room");
    const chat = Object.assign(document.createElement("spike-chat"), { room });
    const preview = Object.assign(document.createElement("spike-preview"), { room });
    document.querySelector(".row").append(chat, preview);
  </script><div class="row"></div>`,
};
const HEAD = `<style>body { margin: 16px; font-family: system-ui; } .row { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
  spike-chat, spike-preview { --spike-chat-height: 420px; --spike-preview-height: 420px; }</style>`;

/** The app: shows `./red-square.png` and writes its size and first pixel into the page. */
const APP = imagePixelApp("red-square.png", "picture");

const site = copySite("spike-chat-image-e2e", "preview/frame.html");
const shot = screenshots("spike-chat-image");
let worker: TestWorker;
let replicate: FakeReplicate;
let browser: Browser;

function png(width: number, height: number, [r, g, b]: [number, number, number]): Uint8Array {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) image.data.set([r, g, b, 255], i * 4);
  return new Uint8Array(PNG.sync.write(image));
}

before(async () => {
  writeFixturePages(join(site, "__chat-image-e2e"), FIXTURES, HEAD);
  replicate = await startFakeReplicate();
  worker = await startTestWorker({ assets: site, vars: { REPLICATE_API_TOKEN: replicate.token, REPLICATE_BASE_URL: replicate.baseURL } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  await replicate?.close();
  rmSync(site, { recursive: true, force: true });
});

async function open(room: string): Promise<Page & { errors: string[] }> {
  const page = (await browser.newPage({ viewport: { width: 1100, height: 480 } })) as Page & { errors: string[] };
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  await page.goto(`${worker.url.origin}/__chat-image-e2e/room.html?room=${room}`);
  await page.locator("spike-chat textarea:not([disabled])").waitFor(WAIT);
  return page;
}

/** Type a line in the chat's textarea with real keystrokes and press Enter. */
async function say(page: Page, text: string): Promise<void> {
  const input = page.locator("spike-chat textarea");
  await input.click();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

test("/image <prompt> shows progress, then the picture; the app imports the asset and the preview paints it", async () => {
  const room = "chat-image";
  // Polled three times after the create: the progress line is on screen while the page waits.
  replicate.script({ image: png(24, 16, [220, 20, 20]), polls: 3 });
  const page = await open(room);
  try {
    await say(page, "/image Red square");
    await page.locator("spike-chat [part=image-progress]").waitFor(WAIT);
    assert.match((await page.locator("spike-chat [part~=image]").textContent()) ?? "", /Red square/);
    assert.equal(await page.locator("spike-chat textarea").inputValue(), "", "the command left the textarea");
    const result = page.locator("spike-chat [part=image-result]");
    await result.waitFor(WAIT);
    assert.match((await result.getAttribute("src")) ?? "", /\/live\/chat-image\/assets\/red-square\.png\?v=[0-9a-f]{64}$/);
    await page.waitForFunction(() => {
      const img = document.querySelector("spike-chat")!.shadowRoot!.querySelector<HTMLImageElement>("[part=image-result]");
      return !!img && img.complete && img.naturalWidth > 0;
    }, null, WAIT);
    assert.deepEqual(await result.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]), [24, 16]);
    assert.equal(await page.locator("spike-chat [part=image-progress]").count(), 0);
    assert.match((await page.locator("spike-chat figcaption").textContent()) ?? "", /import picture from "\.\/red-square\.png";/);
    // No chat question was sent: the command never reached the assistant.
    const chat = (await (await fetch(new URL(`/live/${room}/chat`, worker.url))).json()) as { messages: unknown[] };
    assert.deepEqual(chat.messages, []);

    const written = await fetch(new URL(`/live/${room}/files/index.tsx`, worker.url), { method: "PUT", body: APP });
    assert.equal(written.status, 200, await written.text());
    const frame = await previewFrame(page);
    await frame.waitForFunction(() => !!document.body.dataset.pixel, undefined, WAIT);
    assert.equal(await frame.evaluate(() => document.body.dataset.pixel), "24,16,220,20,20");
    await shot(page, "result");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a failed prediction shows its reason in the chat, and nothing is stored", async () => {
  const room = "chat-image-failed";
  replicate.script({ kind: "fail", error: "NSFW content detected. Try a different prompt.", polls: 1 });
  const page = await open(room);
  try {
    await say(page, "/image something odd");
    const error = page.locator("spike-chat [part=image-error]");
    await error.waitFor(WAIT);
    assert.equal(
      await error.textContent(),
      "Could not generate the image: the prediction failed on Replicate: NSFW content detected. Try a different prompt.",
    );
    assert.equal(await page.locator("spike-chat [part=image-result]").count(), 0);
    await shot(page, "failed");
    const assets = await fetch(new URL(`/live/${room}/assets`, worker.url));
    // The command creates the room (its chat connected); its asset list stays empty.
    if (assets.status === 200) assert.deepEqual(((await assets.json()) as { assets: unknown[] }).assets, []);
    else assert.equal(assets.status, 404);
  } finally {
    await page.close();
  }
});
