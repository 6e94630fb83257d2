/**
 * <spike-chat> end to end, what a reply may render: HTML stays inert, images are never fetched, and entries forged over
 * the room's socket never stop the good messages from showing. The real Worker + CodeRoom under workerd, the fake OpenAI
 * provider (workers/fake-providers.ts) and Debian's Chromium, as in spike-chat.e2e.test.ts. Screenshots go to test-results/.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { startFakeOpenAI, type FakeProvider } from "../workers/fake-providers.js";
import { copySite } from "../test-support/browser.js";
import { connectClient, startTestWorker, waitUntil, type TestWorker } from "../workers/test-support.js";
import * as Y from "yjs";
import { appendUserMessage, chatOf, readChat } from "../core/chat.js";
import { WAIT, ask, openChat, reply, room, shot, writeChatPages } from "../test-support/chat-e2e.js";

/** A snapshot of dist/site plus the fixture page, so a concurrent `npm run build` cannot disturb the Worker. */
const SITE = copySite("spike-chat-rendering-e2e");

const HOSTILE_REPLY = [
  "Here you go <img src=x onerror=alert(1)> and <script>window.pwned = 1</script>",
  "",
  '<a href="javascript:alert(2)" onclick="alert(3)">click</a> [md link](javascript:alert(4))',
  "",
  '<svg onload="alert(5)"></svg>',
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

test("HTML in a reply renders inert: no script, no event handlers, no javascript: links, no alert", async () => {
  const page = await open(`room=${room("xss")}`);
  try {
    openai.script({ text: HOSTILE_REPLY });
    await ask(page, "show me some html");
    const done = await reply(page, "done");
    const found = await page.evaluate(() => {
      const root = document.querySelector("spike-chat")!.shadowRoot!;
      const all = [...root.querySelectorAll("*")];
      return {
        scripts: root.querySelectorAll("script").length + document.querySelectorAll("body script").length,
        handlers: all.filter((el) => [...el.attributes].some((a) => a.name.startsWith("on"))).map((el) => el.outerHTML),
        jsLinks: all.filter((el) => /javascript:/i.test(el.getAttribute("href") ?? "")).length,
        imgs: root.querySelectorAll("article img, article svg").length,
        pwned: (window as any).pwned,
      };
    });
    assert.deepEqual(found, { scripts: 0, handlers: [], jsLinks: 0, imgs: 0, pwned: undefined });
    // The raw HTML is shown as text, so the reply still reads as the model wrote it.
    assert.match(await done.innerText(), /<img src=x onerror=alert\(1\)>/);
    await shot(page, "inert-html");
    assert.deepEqual(page.dialogs, []);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("an image in a reply is never fetched: its alt text shows as a link to click", async () => {
  // A loopback "tracker" that records every request it gets.
  const hits: string[] = [];
  const tracker = createServer((req, res) => {
    hits.push(req.url ?? "");
    res.setHeader("access-control-allow-origin", "*");
    res.end("ok");
  });
  await new Promise<void>((resolve) => tracker.listen(0, "127.0.0.1", resolve));
  const trackerOrigin = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}`;
  const page = await open(`room=${room("image")}`);
  const requested: string[] = [];
  page.on("request", (request) => request.url().startsWith(trackerOrigin) && requested.push(new URL(request.url()).pathname));
  try {
    openai.script({
      text: [
        `Here is the diagram: ![build pipeline](${trackerOrigin}/pixel.png?reader=1)`,
        "",
        `And by reference: ![second chart][chart]`,
        "",
        `[chart]: ${trackerOrigin}/chart.png`,
      ].join("\n"),
    });
    await ask(page, "draw me a diagram");
    const done = await reply(page, "done");
    // The markdown renderer has run (paragraphs, not the plain text shown before it loads).
    await done.locator(".body p", { hasText: "And by reference" }).waitFor(WAIT);

    // Anything the page requested before this fetch left before it: once the tracker has the sentinel, nothing else came.
    await page.evaluate((url) => fetch(url).then((r) => r.text()), `${trackerOrigin}/sentinel`);
    assert.deepEqual(requested, ["/sentinel"]);
    assert.deepEqual(hits, ["/sentinel"]);
    assert.equal(await page.evaluate(() => document.querySelector("spike-chat")!.shadowRoot!.querySelectorAll("img, picture, video, audio").length), 0);

    // The alt text is there, as a link that only a click would follow.
    const link = done.locator("a.image-link", { hasText: "build pipeline" });
    assert.equal(await link.getAttribute("href"), `${trackerOrigin}/pixel.png?reader=1`);
    assert.equal(await link.getAttribute("rel"), "noopener noreferrer nofollow");
    assert.equal(await done.locator("a.image-link", { hasText: "second chart" }).count(), 1);
    assert.match(await done.innerText(), /build pipeline[\s\S]*second chart/);
    await shot(page, "image-as-link");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
    tracker.closeAllConnections();
    await new Promise((resolve) => tracker.close(resolve));
  }
});

test("forged chat entries written over the socket never stop the good messages from rendering, also after a reload", async () => {
  const name = room("forged");
  const writer = connectClient(worker, name);
  const observer = connectClient(worker, name);
  const page = await open(`room=${name}`).catch(async (error) => {
    writer.destroy();
    observer.destroy();
    throw error;
  });
  try {
    await writer.synced();
    const { doc } = writer;
    const first = appendUserMessage(doc, { author: "Ada", text: "a good question", model: "gpt-4o-mini" });
    const forged: Record<string, unknown>[] = [
      { id: "time-huge", time: 1e20 },
      { id: "time-nan", time: NaN },
      { id: "time-minus-infinity", time: -Infinity },
      { id: "time-string", time: "yesterday" },
      { id: "author-number", author: 1234 },
      { id: "text-map", text: new Y.Map() },
      { id: "edits-junk", role: "assistant", edits: JSON.stringify([{ file: "a.ts", before: "", after: "x", failed: "not a list" }, 5, null]) },
      { id: "edits-not-json", role: "assistant", edits: "{{{" },
      { id: "x".repeat(100_000) },
      { id: "role-junk", role: { admin: true } },
      { id: "status-junk", status: "hacked" },
      { id: first, text: "an impostor of the first message", time: NaN },
    ];
    doc.transact(() => {
      for (const fields of forged) {
        const entry = new Y.Map<unknown>();
        const all: Record<string, unknown> = { role: "user", author: "Mallory", text: `forged ${String(fields.id).slice(0, 20)}`, model: "m", status: "done", time: Date.now(), ...fields };
        for (const [key, value] of Object.entries(all)) entry.set(key, value);
        chatOf(doc).push([entry]);
      }
      chatOf(doc).push([42, "text", null] as unknown as Y.Map<unknown>[]);
    });
    const last = appendUserMessage(doc, { author: "Bob", text: "a good follow-up", model: "gpt-4o-mini" });
    // What the room stored, as a fresh client reads it: the forged entries are in the array.
    const expected = forged.length + 3 + 2;
    await waitUntil(() => chatOf(observer.doc).length === expected, { timeoutMs: 15_000, what: "the forged entries to reach the room" });
    const readable = readChat(observer.doc).map((m) => m.id);
    assert.ok(readable.includes(first) && readable.includes(last));

    for (const round of ["live", "after a reload"]) {
      if (round !== "live") await page.reload();
      const good = page.locator(`spike-chat article[data-id="${last}"]`);
      await good.waitFor(WAIT).catch(async (error) => {
        throw new Error(`${round}: the last good message never rendered; errors: ${JSON.stringify(page.errors)}`, { cause: error });
      });
      const shown = await page.evaluate(() =>
        [...document.querySelector("spike-chat")!.shadowRoot!.querySelectorAll<HTMLElement>("article")].map((a) => a.dataset.id),
      );
      assert.deepEqual(shown, readable, `${round}: every readable message renders, in order`);
      assert.match(await good.innerText(), /Bob[\s\S]*a good follow-up/);
      // The first message's id was claimed again by a newer entry: that one is what the room acts on, and what shows.
      assert.match(await page.locator(`spike-chat article[data-id="${first}"]`).innerText(), /an impostor/);
      assert.equal(await page.locator('spike-chat article[data-id="time-huge"] time').count(), 0, "a time that is no date is not shown");
      assert.equal(await page.locator(`spike-chat article[data-id="${last}"] time`).count(), 1);
      assert.match(await page.locator('spike-chat article[data-id="edits-junk"]').innerText(), /Edited a\.ts/);
      assert.deepEqual(page.errors, [], round);
    }
    await shot(page, "forged-entries");
  } finally {
    await page.close();
    writer.destroy();
    observer.destroy();
  }
});
