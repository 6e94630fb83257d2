/**
 * <spike-chat> end to end, the conversation: asking, a reply streaming in (seen by every page on the room), Cancel, errors
 * and "is typing". The built site (dist/site) served by the real Worker + CodeRoom under workerd, the real OpenAI SDK in the
 * Durable Object pointed at a loopback fake (workers/fake-providers.ts) that speaks OpenAI's streaming wire format, and
 * Debian's Chromium typing into the element. Screenshots go to test-results/. What a reply may render:
 * spike-chat-rendering.e2e.test.ts; edits and Undo: spike-chat-edits.e2e.test.ts.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { startFakeOpenAI, type FakeProvider } from "../workers/fake-providers.js";
import { copySite } from "../test-support/browser.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";
import { WAIT, ask, openChat, reply, room, shot, writeChatPages } from "../test-support/chat-e2e.js";

/** A snapshot of dist/site plus the fixture page, so a concurrent `npm run build` cannot disturb the Worker. */
const SITE = copySite("spike-chat-e2e");

const MARKDOWN_REPLY = [
  "## Making the button red",
  "",
  "Set the **color** in `styles.css`:",
  "",
  "```css",
  "button { color: red; }",
  "```",
  "",
  "- one *small* change",
  "- [docs](https://developer.mozilla.org/)",
].join("\n");

let worker: TestWorker;
let openai: FakeProvider;
let browser: Browser;

before(async () => {
  writeChatPages(SITE);
  openai = await startFakeOpenAI();
  worker = await startTestWorker({ assets: SITE, vars: { OPENAI_BASE_URL: openai.baseURL, OPENAI_API_KEY: openai.apiKey } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  await openai?.close();
  rmSync(SITE, { recursive: true, force: true });
});

/** Open the chat page on this file's Worker with `query`. */
const open = (query: string) => openChat(browser, worker, query);

test("without a room the chat says it needs one", async () => {
  const page = await open("");
  try {
    // The chat loads its live part first (it is in view: loading="lazy"), which then says so.
    await page.locator("spike-chat [part=messages]", { hasText: "Chat needs a room" }).waitFor({ timeout: 15_000 });
    assert.equal(await page.locator("spike-chat textarea").count(), 0);
  } finally {
    await page.close();
  }
});

test("a question streams a markdown reply in, token by token, seen by a second page too", async () => {
  const name = room("stream");
  const page = await open(`room=${name}&author=Ada`);
  const other = await open(`room=${name}&author=Bob`);
  try {
    openai.script({ text: MARKDOWN_REPLY, chunkSize: 4, delayMs: 25 });
    await ask(page, "How do I make the button red?");
    const user = page.locator("spike-chat article.user").last();
    await user.waitFor(WAIT);
    assert.match(await user.innerText(), /Ada[\s\S]*How do I make the button red\?/);

    // Part of the reply is there while it is still streaming, with a Cancel button.
    const streaming = await reply(page, "streaming");
    await page.waitForFunction(
      () => (document.querySelector("spike-chat")!.shadowRoot!.querySelector("article.assistant .body")?.textContent ?? "").length > 0,
      null,
      WAIT,
    );
    assert.equal(await streaming.locator("button.cancel").count(), 1);
    await shot(page, "streaming");

    const done = await reply(page, "done");
    assert.equal(await done.locator("h2").innerText(), "Making the button red");
    assert.equal(await done.locator("strong").innerText(), "color");
    assert.equal((await done.locator("pre > code").innerText()).trim(), "button { color: red; }");
    assert.equal(await done.locator("li").count(), 2);
    assert.equal(await done.locator("a").getAttribute("rel"), "noopener noreferrer nofollow");
    assert.equal(await done.locator("button.cancel").count(), 0);
    await shot(page, "markdown");

    // The other page got the same reply through the room.
    const seen = await reply(other, "done");
    assert.equal((await seen.locator("pre > code").innerText()).trim(), "button { color: red; }");

    const events = await page.evaluate(() => (window as any).events as { id: string; role: string }[]);
    assert.deepEqual(events.map((e) => e.role), ["user", "assistant"]);
    assert.ok(events.every((e) => typeof e.id === "string" && e.id.length > 0));
    const request = openai.requests.at(-1)!;
    assert.equal(request.body?.["model"], "gpt-4o-mini");
    assert.deepEqual(page.errors, []);
    assert.deepEqual(other.errors, []);
  } finally {
    await page.close();
    await other.close();
  }
});

test("Cancel stops a streaming reply, keeping its text so far", async () => {
  const page = await open(`room=${room("cancel")}`);
  try {
    openai.script({ kind: "hold", text: "I will keep talking" });
    await ask(page, "talk forever");
    const streaming = await reply(page, "streaming");
    await streaming.locator(".body", { hasText: "keep talking" }).waitFor(WAIT);
    await streaming.locator("button.cancel").click();
    const cancelled = await reply(page, "cancelled");
    assert.match(await cancelled.innerText(), /I will keep talking[\s\S]*Cancelled\./);
    assert.equal(await cancelled.locator("button.cancel").count(), 0);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a rejected question shows the server's error text", async () => {
  const page = await open(`room=${room("bad")}&model=no-such-model`);
  try {
    await ask(page, "hello");
    const status = page.locator("spike-chat [part=status] .status.is-error");
    await status.waitFor(WAIT);
    assert.match(await status.innerText(), /model/i);
    assert.equal(await page.locator("spike-chat article").count(), 0);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a provider error fails the reply with a readable message", async () => {
  const page = await open(`room=${room("fail")}`);
  try {
    openai.script({ kind: "error", status: 429 });
    await ask(page, "are you there?");
    const failed = await reply(page, "error");
    assert.match(await failed.locator(".error").innerText(), /429|rate/i);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("typing shows as 'is typing' to the other people in the room", async () => {
  const name = room("typing");
  const page = await open(`room=${name}`);
  const other = await open(`room=${name}`);
  try {
    await page.locator("spike-chat textarea").waitFor(WAIT);
    await other.locator("spike-chat textarea").waitFor(WAIT);
    // Both connected before typing, so the awareness update reaches the other page.
    for (const p of [page, other]) await p.locator("spike-chat [part=status] .status", { hasText: "Connected" }).waitFor(WAIT);
    await page.locator("spike-chat textarea").pressSequentially("Hel");
    await other.locator("spike-chat [part=status]", { hasText: /is typing/ }).waitFor(WAIT);
  } finally {
    await page.close();
    await other.close();
  }
});
