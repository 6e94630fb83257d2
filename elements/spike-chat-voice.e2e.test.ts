/**
 * <spike-chat>'s microphone end to end: Debian's Chromium with a fake microphone (a generated tone, permission granted
 * without a prompt), MediaRecorder in the element, `POST /api/transcribe` on the real Worker, and the real OpenAI SDK
 * there pointed at the loopback fake's transcription endpoint (workers/fake-providers.ts).
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite } from "../test-support/browser.js";
import { startFakeOpenAI, type FakeProvider } from "../workers/fake-providers.js";
import { sleep, startTestWorker, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };
const FAKE_MEDIA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"];

/** A snapshot of dist/site plus the fixture page, so a concurrent `npm run build` cannot disturb the Worker. */
const SITE = copySite("spike-chat-voice-e2e");

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>voice</title><link rel="icon" href="data:,">
<script type="module" src="/spike.js"></script>
<script type="module">
  await customElements.whenDefined("spike-chat");
  const chat = document.createElement("spike-chat");
  chat.room = new URLSearchParams(location.search).get("room");
  document.body.append(chat);
</script>
</head><body></body></html>`;

let worker: TestWorker;
let keyless: TestWorker;
let openai: FakeProvider;
let browser: Browser;

before(async () => {
  mkdirSync(join(SITE, "__voice-e2e"), { recursive: true });
  writeFileSync(join(SITE, "__voice-e2e/voice.html"), PAGE);
  openai = await startFakeOpenAI();
  [worker, keyless] = await Promise.all([
    startTestWorker({ assets: SITE, vars: { OPENAI_BASE_URL: openai.baseURL, OPENAI_API_KEY: openai.apiKey } }),
    startTestWorker({ assets: SITE }),
  ]);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...FAKE_MEDIA_ARGS] });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  await keyless?.dispose();
  await openai?.close();
  rmSync(SITE, { recursive: true, force: true });
});

async function open(target: TestWorker): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${target.url.origin}/__voice-e2e/voice.html?room=voice-${Date.now().toString(36)}`);
  await page.locator("spike-chat textarea").waitFor(WAIT);
  return page;
}

/** Click the microphone, speak (the fake device's tone) for a second, click again. */
async function record(page: Page): Promise<void> {
  const mic = page.locator("spike-chat [part=mic]");
  assert.equal(await mic.getAttribute("aria-pressed"), "false");
  await mic.click();
  await page.locator('spike-chat [part=mic][aria-pressed="true"]').waitFor(WAIT);
  await sleep(1000);
  await mic.click();
}

test("the microphone records, and the transcription lands in the textarea unsent", async () => {
  const page = await open(worker);
  try {
    await page.locator("spike-chat textarea").fill("Please");
    openai.script({ text: "make the heading blue" });
    await record(page);
    await page.waitForFunction(() => document.querySelector("spike-chat")!.shadowRoot!.querySelector("textarea")!.value.includes("blue"), null, WAIT);
    assert.equal(await page.locator("spike-chat textarea").inputValue(), "Please make the heading blue");
    const request = openai.requests.findLast((r) => r.path === "/v1/audio/transcriptions");
    const file = request?.body?.["file"] as { type: string; size: number } | undefined;
    assert.equal(file?.type, "audio/webm", "Chromium's MediaRecorder records webm");
    assert.ok(file.size > 0, "the recording is not empty");
    assert.equal(await page.locator("spike-chat article").count(), 0, "nothing was sent");
    assert.equal(await page.locator("spike-chat [part=mic]").getAttribute("aria-pressed"), "false");
  } finally {
    await page.close();
  }
});

test("without OPENAI_API_KEY the status line says which variable to set", async () => {
  const page = await open(keyless);
  try {
    await record(page);
    await page.locator("spike-chat .status.is-error", { hasText: "OPENAI_API_KEY" }).waitFor(WAIT);
    assert.equal(await page.locator("spike-chat textarea").inputValue(), "");
  } finally {
    await page.close();
  }
});
