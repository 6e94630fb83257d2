/**
 * <spike-chat> end to end: the built site (dist/site) served by the real Worker + CodeRoom under workerd, the real OpenAI SDK
 * in the Durable Object pointed at a loopback fake (workers/fake-providers.ts) that speaks OpenAI's streaming wire format,
 * and Debian's Chromium typing into the element. Screenshots go to test-results/.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { startFakeOpenAI, type FakeProvider } from "../workers/fake-providers.js";
import { copySite, screenshots } from "../test-support/browser.js";
import { connectClient, startTestWorker, waitUntil, type TestWorker } from "../workers/test-support.js";
import * as Y from "yjs";
import { appendUserMessage, chatOf, readChat } from "../core/chat.js";

const WAIT = { timeout: 30_000 };

/** A snapshot of dist/site plus the fixture page, so a concurrent `npm run build` cannot disturb the Worker. */
const SITE = copySite("spike-chat-e2e");

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>chat</title><link rel="icon" href="data:,">
<script type="module" src="/spike.js"></script>
<style>body { margin: 16px; font-family: system-ui; } spike-chat { --spike-chat-height: 520px; max-width: 640px; }</style>
<script>
  window.events = [];
  addEventListener("spike-message", (e) => window.events.push(e.detail));
</script>
<script type="module">
  await customElements.whenDefined("spike-chat");
  const params = new URLSearchParams(location.search);
  const chat = document.createElement("spike-chat");
  if (params.get("room")) chat.room = params.get("room");
  if (params.get("model")) chat.model = params.get("model");
  if (params.get("author")) chat.author = params.get("author");
  document.body.append(chat);
</script>
</head><body></body></html>`;

/** Editor, preview and chat on one room: the assistant's edit must reach all three. */
const PLAYGROUND_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>playground</title><link rel="icon" href="data:,">
<script type="module" src="/spike.js"></script>
<script type="module">
  await customElements.whenDefined("spike-chat");
  const room = new URLSearchParams(location.search).get("room");
  for (const tag of ["spike-editor", "spike-preview", "spike-chat"]) {
    const element = document.createElement(tag);
    element.room = room;
    document.body.append(element);
  }
</script>
</head><body></body></html>`;

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
  mkdirSync(join(SITE, "__chat-e2e"), { recursive: true });
  writeFileSync(join(SITE, "__chat-e2e/chat.html"), PAGE);
  writeFileSync(join(SITE, "__chat-e2e/playground.html"), PLAYGROUND_PAGE);
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

type ChatPage = Page & { errors: string[]; dialogs: string[] };

async function open(query: string): Promise<ChatPage> {
  const page = (await browser.newPage({ viewport: { width: 700, height: 580 } })) as ChatPage;
  page.errors = [];
  page.dialogs = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  page.on("dialog", (dialog) => {
    page.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`${worker.url.origin}/__chat-e2e/chat.html?${query}`);
  await page.locator("spike-chat").waitFor(WAIT);
  return page;
}

const room = (name: string) => `chat-e2e-${name}-${Date.now().toString(36)}`;

/** Type into the chat's textarea and press Enter. */
async function ask(page: Page, text: string): Promise<void> {
  await page.locator("spike-chat textarea").fill(text);
  await page.locator("spike-chat textarea").press("Enter");
}

/** The newest assistant message once its status is `status`. */
async function reply(page: Page, status: string) {
  const message = page.locator(`spike-chat article.assistant[data-status=${status}]`).last();
  await message.waitFor(WAIT);
  return message;
}

async function getFile(room: string, name: string): Promise<string> {
  const response = await fetch(new URL(`/live/${room}/files/${name}`, worker.url));
  assert.equal(response.status, 200);
  return response.text();
}

const shot = screenshots("spike-chat");

test("without a room the chat says it needs one", async () => {
  const page = await open("");
  try {
    assert.match(await page.locator("spike-chat [part=messages]").innerText(), /Chat needs a room/);
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

test("an edit reply changes the file; Undo restores it", async () => {
  const name = room("edit");
  const put = await fetch(new URL(`/live/${name}/files/styles.css`, worker.url), { method: "PUT", body: "button { color: blue; }\n" });
  assert.equal(put.status, 200, await put.text());
  const page = await open(`room=${name}`);
  try {
    openai.script({
      text: "Done:\n\n```edit:styles.css\n<<<<<<< SEARCH\nbutton { color: blue; }\n=======\nbutton { color: red; }\n>>>>>>> REPLACE\n```\n",
    });
    await ask(page, "make it red");
    const done = await reply(page, "done");
    const undo = done.locator("button.undo");
    await undo.waitFor(WAIT);
    assert.match(await done.locator(".actions").innerText(), /Edited styles\.css/);
    assert.equal(await done.locator("figure.edit figcaption").innerText(), "Edit styles.css");
    assert.equal(await getFile(name, "styles.css"), "button { color: red; }\n");
    await shot(page, "edit");
    await undo.click();
    await done
      .locator(".undone", { hasText: "Undone: styles.css" })
      .waitFor(WAIT)
      .catch(async (error) => {
        throw new Error(`no undo note; status bar: ${await page.locator("spike-chat [part=status]").innerText()}`, { cause: error });
      });
    assert.equal(await getFile(name, "styles.css"), "button { color: blue; }\n");
    assert.equal(await done.locator("button.undo").count(), 0);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("an edit reply re-renders the preview and the editor on the same room; Undo brings them back", async () => {
  const name = room("preview");
  const app = 'export default function App() {\n  return <h1 id="title">Hello</h1>;\n}\n';
  const put = await fetch(new URL(`/live/${name}/files/index.tsx`, worker.url), { method: "PUT", body: app });
  assert.equal(put.status, 200, await put.text());
  const page = (await browser.newPage({ viewport: { width: 900, height: 1200 } })) as ChatPage;
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  try {
    await page.goto(`${worker.url.origin}/__chat-e2e/playground.html?room=${name}`);
    const title = page.frameLocator("spike-preview iframe").locator("#title");
    await title.filter({ hasText: /^Hello$/ }).waitFor(WAIT);

    openai.script({
      text: 'Sure:\n\n```edit:index.tsx\n<<<<<<< SEARCH\n  return <h1 id="title">Hello</h1>;\n=======\n  return <h1 id="title">Hello from the assistant</h1>;\n>>>>>>> REPLACE\n```\n',
    });
    await ask(page, "greet from the assistant");
    const done = await reply(page, "done");
    await title.filter({ hasText: "Hello from the assistant" }).waitFor(WAIT);
    await page.locator("spike-editor .view-lines", { hasText: "Hello from the assistant" }).waitFor(WAIT);

    await done.locator("button.undo").click();
    await title.filter({ hasText: /^Hello$/ }).waitFor(WAIT);
    assert.equal(await getFile(name, "index.tsx"), app);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
