/**
 * Lite embeds end to end, on the twenty-embeds demo (demos/twenty.html) served by the real Worker, in Debian's Chromium:
 * nothing heavy (Monaco, a room socket, a live part) loads before the reader reaches an embed; scrolling to a lazy editor
 * or clicking (or pressing Enter on) a click-mode one upgrades that one only; the highlighted code sits where Monaco's
 * lines will be; a page without JavaScript shows the inline sources as code. Screenshots: test-results/lite-*.png.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, editorReady, screenshots } from "../test-support/browser.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };
const SITE = copySite("spike-lite-e2e", "twenty.html");
const ROOM_TEXT = "// the room's own text\nexport const fromRoom = 42;\n";
const shot = screenshots("lite");

let worker: TestWorker;
let browser: Browser;

before(async () => {
  worker = await startTestWorker({ assets: SITE });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const put = await fetch(new URL("/live/twenty-demo/files/index.tsx", worker.url), { method: "PUT", body: ROOM_TEXT });
  assert.ok(put.ok, `seeding the room: ${put.status}`);
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

/** What a page fetched: every request URL and every WebSocket URL, from the browser's own events. */
interface Traffic {
  requests: string[];
  sockets: string[];
  /** Answers of 400 and above. */
  failed: string[];
}

async function openTwenty(colorScheme: "light" | "dark" = "light"): Promise<{ page: Page; traffic: Traffic }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 }, colorScheme });
  const traffic: Traffic = { requests: [], sockets: [], failed: [] };
  const errors: string[] = [];
  page.on("request", (request) => traffic.requests.push(request.url()));
  page.on("websocket", (socket) => traffic.sockets.push(socket.url()));
  page.on("response", (response) => void (response.status() >= 400 && traffic.failed.push(`${response.status()} ${response.url()}`)));
  page.on("pageerror", (error) => errors.push(error.message));
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto(new URL("/twenty.html", worker.url).href);
  await page.waitForFunction(() => customElements.get("spike-editor") && customElements.get("spike-preview"), null, WAIT);
  await page.waitForLoadState("networkidle");
  return { page, traffic };
}

/** Which embeds have loaded their live part, in page order. */
function liveEmbeds(page: Page): Promise<boolean[]> {
  return page.evaluate(() => [...document.querySelectorAll("spike-editor, spike-preview")].map((el) => (el as unknown as { isLive: boolean }).isLive));
}

const indexesOf = (flags: boolean[]) => flags.flatMap((live, i) => (live ? [i] : []));
const monacoRequests = (traffic: Traffic) => traffic.requests.filter((url) => /\/chunks\/monaco-entry-[^/]+\.js$/.test(url));
const HEAVY = /\/chunks\/(monaco-entry|editor-live|preview-live|chat-live|room-frame|yjs|build)-[^/]+\.js$|\/core\.js$/;

/** The index (among the page's embeds) of the first `selector` element after the first `skip`. */
function embedIndex(page: Page, selector: string, skip = 0): Promise<number> {
  return page.evaluate(
    ([selector, skip]) => {
      const all = [...document.querySelectorAll("spike-editor, spike-preview")];
      return all.indexOf(document.querySelectorAll(selector)[skip]!);
    },
    [selector, skip] as const,
  );
}

const embed = (page: Page, index: number): Locator => page.locator("spike-editor, spike-preview").nth(index);

/** The lite view's geometry: the code box, the first line's top and the line height (px). */
function liteBox(target: Locator) {
  return target.evaluate((el) => {
    const root = el.shadowRoot!;
    const box = root.querySelector(".lite-code")!.getBoundingClientRect();
    const pre = root.querySelector("pre")!;
    const style = getComputedStyle(pre);
    const host = el.getBoundingClientRect();
    return {
      host: host.height,
      top: box.top - host.top,
      height: box.height,
      firstLine: pre.getBoundingClientRect().top - host.top + parseFloat(style.paddingTop),
      lineHeight: parseFloat(style.lineHeight),
    };
  });
}

/** The loaded editor's geometry, measured the same way on Monaco's region and its first rendered line. */
function editorBox(target: Locator) {
  return target.evaluate((el) => {
    const root = el.shadowRoot!;
    const box = root.querySelector("[part=editor]")!.getBoundingClientRect();
    const lines = [...root.querySelectorAll<HTMLElement>(".view-line")].map((line) => line.getBoundingClientRect());
    const first = lines.sort((a, b) => a.top - b.top)[0]!;
    const host = el.getBoundingClientRect();
    return { host: host.height, top: box.top - host.top, height: box.height, firstLine: first.top - host.top, lineHeight: first.height };
  });
}

test("before interaction: no Monaco, no socket, no live part; every embed shows its code or a poster in its final size", async () => {
  const { page, traffic } = await openTwenty();
  try {
    assert.equal(await page.locator("spike-editor, spike-preview").count(), 20);
    assert.deepEqual(traffic.requests.filter((url) => HEAVY.test(url)), []);
    assert.deepEqual(traffic.sockets, []);
    assert.deepEqual(traffic.failed, []);
    assert.deepEqual(indexesOf(await liveEmbeds(page)), []);
    // The first editor's code is in its <pre>, highlighted, dedented, selectable.
    const first = page.locator("spike-editor").first();
    const pre = first.locator("pre[part=code]");
    assert.match(await pre.innerText(), /^import \{ useState \} from "react";\n\nexport default function Counter\(\) \{/);
    assert.equal(await pre.locator(".t-keyword").first().innerText(), "import");
    assert.equal(await pre.locator(".t-string").first().innerText(), '"react"');
    assert.notEqual(await pre.evaluate((el) => getComputedStyle(el).userSelect), "none");
    // Every embed already has the height the page gives it; the preview shows its Run poster.
    for (const height of await page.locator("spike-editor, spike-preview").evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height))) {
      assert.equal(height, 300);
    }
    assert.equal(await page.locator("spike-preview").first().getByRole("button", { name: "Run index.tsx" }).count(), 1);
    await shot(page, "twenty-light");
    assert.deepEqual((page as Page & { errors?: string[] }).errors, []);
  } finally {
    await page.close();
  }
});

test("scrolling to a lazy editor upgrades only that one, its code where Monaco's lines come; Monaco loads once", async () => {
  const { page, traffic } = await openTwenty();
  try {
    const index = await embedIndex(page, 'spike-editor[loading="lazy"]');
    const target = embed(page, index);
    const lite = await liteBox(target);
    await target.scrollIntoViewIfNeeded();
    await page.waitForFunction((i) => document.querySelectorAll<HTMLElement & { isLive: boolean }>("spike-editor, spike-preview")[i]!.isLive, index, WAIT);
    await editorReady(page, await target.evaluate((el) => [...document.querySelectorAll("spike-editor")].indexOf(el as never)));
    assert.deepEqual(indexesOf(await liveEmbeds(page)), [index]);
    const loaded = await editorBox(target);
    // Same box, same first line, same line height: within a few pixels, so nothing moves when Monaco arrives.
    assert.equal(loaded.host, lite.host);
    assert.ok(Math.abs(loaded.top - lite.top) <= 2 && Math.abs(loaded.height - lite.height) <= 2, JSON.stringify({ lite, loaded }));
    assert.ok(Math.abs(loaded.firstLine - lite.firstLine) <= 3, JSON.stringify({ lite, loaded }));
    assert.ok(Math.abs(loaded.lineHeight - lite.lineHeight) <= 1, JSON.stringify({ lite, loaded }));
    assert.equal(monacoRequests(traffic).length, 1);
    assert.deepEqual(traffic.sockets, []);
    await target.screenshot({ path: "test-results/lite-editor-loaded-light.png" });
  } finally {
    await page.close();
  }
});

test("a click-mode editor waits in view, then a click upgrades only that one (Monaco still fetched once)", async () => {
  const { page, traffic } = await openTwenty();
  try {
    const lazy = await embedIndex(page, 'spike-editor[loading="lazy"]');
    await embed(page, lazy).scrollIntoViewIfNeeded();
    await page.waitForFunction((i) => document.querySelectorAll<HTMLElement & { isLive: boolean }>("spike-editor, spike-preview")[i]!.isLive, lazy, WAIT);
    const index = await embedIndex(page, 'spike-editor[loading="click"]:not([project])');
    const target = embed(page, index);
    await target.scrollIntoViewIfNeeded();
    await page.waitForLoadState("networkidle");
    assert.deepEqual(indexesOf(await liveEmbeds(page)), [lazy], "in view, a click-mode editor stays lite");
    await target.screenshot({ path: "test-results/lite-editor-click-light.png" });
    await target.locator("pre[part=code]").click();
    await editorReady(page, await target.evaluate((el) => [...document.querySelectorAll("spike-editor")].indexOf(el as never)));
    assert.deepEqual(indexesOf(await liveEmbeds(page)), [lazy, index]);
    assert.equal(monacoRequests(traffic).length, 1);
  } finally {
    await page.close();
  }
});

test("keyboard: Tab to a click-mode editor's button, Enter loads it with the focus in the editor, typing edits it", async () => {
  const { page } = await openTwenty();
  try {
    const button = page.locator("spike-editor").first().getByRole("button", { name: "Click to edit index.tsx" });
    assert.equal(await button.innerText(), "Click to edit");
    // Real Tab presses from the top of the page reach it (the first embed is a click-mode editor).
    let focused = "";
    for (let i = 0; i < 10 && focused !== "Click to edit index.tsx"; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute("aria-label") ?? "");
    }
    assert.equal(focused, "Click to edit index.tsx");
    await page.keyboard.press("Enter");
    await editorReady(page, 0);
    await page.waitForFunction(() => document.querySelector("spike-editor")!.shadowRoot!.activeElement?.closest(".monaco-editor"), null, WAIT);
    await page.keyboard.type("typedFromTheKeyboard;\n");
    await page.waitForFunction(() => document.querySelector("spike-editor")!.shadowRoot!.querySelector(".view-lines")!.textContent!.includes("typedFromTheKeyboard;"), null, WAIT);
    assert.deepEqual(indexesOf(await liveEmbeds(page)), [0], "the preview beside it stays a poster");
  } finally {
    await page.close();
  }
});

test("a preview's Run button loads it and the project renders", async () => {
  const { page } = await openTwenty();
  try {
    const preview = page.locator("spike-preview").first();
    await preview.scrollIntoViewIfNeeded();
    await preview.screenshot({ path: "test-results/lite-preview-poster.png" });
    await preview.getByRole("button", { name: "Run index.tsx" }).click();
    await preview.locator("iframe").waitFor(WAIT);
    const frame = page.frameLocator("spike-preview >> nth=0 >> iframe");
    assert.equal(await frame.locator("button").innerText(WAIT), "Clicked 0 times");
    assert.deepEqual(indexesOf(await liveEmbeds(page)), [await embedIndex(page, "spike-preview")]);
    await preview.screenshot({ path: "test-results/lite-preview-running.png" });
  } finally {
    await page.close();
  }
});

test("room embeds: the lite view shows the room's file over HTTP, and the socket opens only when one loads", async () => {
  const { page, traffic } = await openTwenty("dark");
  try {
    const rooms = page.locator('spike-editor[room="twenty-demo"]');
    await rooms.first().scrollIntoViewIfNeeded();
    await page.waitForLoadState("networkidle");
    await page.waitForFunction(() => document.querySelector('spike-editor[room="twenty-demo"]')!.shadowRoot!.querySelector("pre")!.textContent!.includes("fromRoom"), null, WAIT);
    assert.deepEqual(traffic.sockets, []);
    await rooms.first().screenshot({ path: "test-results/lite-room-dark.png" });
    await rooms.last().scrollIntoViewIfNeeded();
    await page.waitForFunction(() => (document.querySelectorAll('spike-editor[room="twenty-demo"]')[1] as unknown as { isLive: boolean }).isLive, null, WAIT);
    await editorReady(page, await rooms.last().evaluate((el) => [...document.querySelectorAll("spike-editor")].indexOf(el as never)));
    assert.equal(traffic.sockets.length, 1);
    assert.match(traffic.sockets[0]!, /\/live\/twenty-demo\/ws/);
    await rooms.last().screenshot({ path: "test-results/lite-room-loaded-dark.png" });
  } finally {
    await page.close();
  }
});

test("dark lite view, and without JavaScript the inline sources read as code in boxes of the final size", async () => {
  const { page } = await openTwenty("dark");
  try {
    await page.locator("spike-editor").nth(1).screenshot({ path: "test-results/lite-editor-dark.png" });
  } finally {
    await page.close();
  }
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 760 } });
  const noJs = await context.newPage();
  try {
    await noJs.goto(new URL("/twenty.html", worker.url).href);
    const editor = noJs.locator("spike-editor").nth(1);
    assert.equal((await editor.boundingBox())!.height, 300);
    const source = editor.locator('script[type="text/plain"]');
    assert.ok((await source.boundingBox())!.height > 100, "the inline source is displayed");
    assert.match(await source.innerText(), /type GreetingProps/);
    assert.equal(await source.evaluate((el) => getComputedStyle(el).whiteSpace), "pre");
    await editor.screenshot({ path: "test-results/lite-no-js.png" });
  } finally {
    await context.close();
  }
});

test("a click-mode chat stays lite (no socket) until Open chat, then joins its room; send() loads it too", async () => {
  const { page, traffic } = await openTwenty();
  try {
    await page.evaluate(() => {
      const chats = ["click", "click"].map((loading) => Object.assign(document.createElement("spike-chat"), { room: "twenty-chat", loading }));
      document.querySelector("main")!.prepend(...chats);
    });
    const [first, second] = [page.locator("spike-chat").first(), page.locator("spike-chat").nth(1)];
    await first.getByRole("button", { name: "Open chat" }).waitFor(WAIT);
    await page.waitForLoadState("networkidle");
    assert.deepEqual(traffic.sockets, []);
    await first.screenshot({ path: "test-results/lite-chat-light.png" });
    await first.getByRole("button", { name: "Open chat" }).click();
    await first.locator("textarea").waitFor(WAIT);
    assert.equal(await second.evaluate((el) => (el as unknown as { isLive: boolean }).isLive), false);
    // send() on a lite chat loads it first (the server has no AI key here: the question is refused, and says why).
    await second.evaluate((el) => (el as unknown as { send(text: string): Promise<void> }).send("hello"));
    assert.equal(await second.evaluate((el) => (el as unknown as { isLive: boolean }).isLive), true);
    assert.equal(traffic.sockets.filter((url) => url.includes("/live/twenty-chat/ws")).length, 1, "the two chats share one socket");
  } finally {
    await page.close();
  }
});
