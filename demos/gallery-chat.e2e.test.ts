/**
 * The gallery's chat page (demos/chat.html) with a provider configured, end to end: the built site served by the real
 * Worker with OPENAI_BASE_URL pointing at a loopback fake of OpenAI's API (workers/fake-providers.ts, its real streaming
 * wire format), in Debian's Chromium. A question typed with real keys reaches the provider with the room's code, and the
 * streamed answer shows in the page's chat and in a second reader's. Screenshot: test-results/gallery-chat-answered.png.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, screenshots } from "../test-support/browser.js";
import { startFakeOpenAI, type FakeProvider } from "../workers/fake-providers.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";
import { WAIT, openPage } from "../test-support/gallery-e2e.js";

const SITE = copySite("spike-gallery-chat-e2e", "chat.html");
const shot = screenshots("gallery");
const ANSWER = "Add a reset button next to the vote: it sets the count back to zero.";

let openai: FakeProvider;
let worker: TestWorker;
let browser: Browser;
let origin: string;

before(async () => {
  openai = await startFakeOpenAI({ replies: [{ text: ANSWER }] });
  worker = await startTestWorker({ assets: SITE, vars: { OPENAI_BASE_URL: openai.baseURL, OPENAI_API_KEY: openai.apiKey } });
  origin = `http://localhost:${worker.url.port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  await openai?.close();
  rmSync(SITE, { recursive: true, force: true });
});

test("the chat page: a question typed in its chat reaches the provider with the room's code, and both readers see the answer", async () => {
  const asker = await openPage(browser, `${origin}/chat.html`);
  const watcher = await openPage(browser, `${origin}/chat.html`);
  try {
    await asker.bringToFront();
    const input = asker.locator("spike-chat textarea");
    await input.click(WAIT);
    await asker.keyboard.type("Please add a reset button");
    await asker.keyboard.press("Enter");
    for (const page of [asker, watcher]) {
      await page.bringToFront();
      await page.locator("spike-chat article.assistant[data-status=done]").filter({ hasText: "reset button next to the vote" }).waitFor(WAIT);
    }
    const sent = JSON.stringify(openai.requests.at(-1)?.body ?? {});
    assert.match(sent, /Please add a reset button/);
    assert.match(sent, /Tabs or spaces\?/, "the room's code goes with the question");
    await asker.bringToFront();
    await asker.locator("spike-chat").scrollIntoViewIfNeeded();
    await shot(asker, "chat-answered");
    assert.deepEqual(asker.errors, []);
    assert.deepEqual(watcher.errors, []);
  } finally {
    await asker.close();
    await watcher.close();
  }
});
