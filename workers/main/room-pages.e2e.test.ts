/**
 * Room pages in Debian's Chromium, served by the real Worker under workerd (127.0.0.1) from a copy of the built site:
 * `/live/<room>` opens the room's playground, and keystrokes in its editor reach the preview and the room; the chromeless
 * `/live/<room>/embed` works inside an iframe of a page on another origin (a static server on localhost), with its query
 * options applied, and a read-only embed shows the room's code but takes no edits. No console errors on any of them.
 * Screenshots go to test-results/room-pages-*.png. Needs `npm run build` first.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/chromium.mjs";
import { copySite, screenshots } from "../../test-support/browser.js";
import { serveStatic, type StaticServer } from "../../test-support/static-server.js";
import { startTestWorker, uniqueRooms, until, type TestWorker } from "../test-support.js";

const WAIT = { timeout: 60_000 };
const SITE = copySite("room-pages-e2e", "preview/frame.html");
const shot = screenshots("room-pages");
const nextRoom = uniqueRooms("room-page");

let worker: TestWorker;
let browser: Browser;
/** The third-party site framing the embeds: localhost, another origin (and site) than the Worker's 127.0.0.1. */
let host: StaticServer;
const hostPages: Record<string, { html: string }> = {};

before(async () => {
  worker = await startTestWorker({ assets: SITE });
  host = await serveStatic(hostPages, "localhost");
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await host?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

/** Open `url` in a new page, collecting console errors and uncaught errors. */
async function open(url: string, viewport = { width: 1200, height: 760 }): Promise<Page & { errors: string[] }> {
  const page = (await browser.newPage({ viewport })) as Page & { errors: string[] };
  page.errors = [];
  page.on("console", (message) => message.type() === "error" && page.errors.push(`${message.text()} (${message.location().url})`));
  page.on("pageerror", (error) => page.errors.push(error.message));
  await page.goto(url);
  return page;
}

/** A page on the host site with a heading and `body` (an iframe). */
function hostPage(name: string, body: string): string {
  hostPages[`/${name}`] = {
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title><link rel="icon" href="data:,"></head>
<body style="margin: 16px; font-family: system-ui"><h1>A blog on another site</h1>${body}</body></html>`,
  };
  return `${host.origin}/${name}`;
}

/** The iframe `/oembed` gives a consumer for the room page `url`, as a CMS would paste it. */
async function oembedHtml(url: string): Promise<string> {
  const response = await fetch(new URL(`/oembed?url=${encodeURIComponent(url)}&format=json`, worker.url));
  assert.equal(response.status, 200);
  return ((await response.json()) as { html: string }).html;
}

/** The frame (the page itself, or an iframe in it) whose URL includes `part`. */
async function frameWith(page: Page, part: string): Promise<Frame> {
  let found: Frame | undefined;
  await until(() => (found = page.frames().find((frame) => frame.url().includes(part))) !== undefined, `a frame at ${part}`, WAIT.timeout);
  return found!;
}

/** The lines the playground's editor shows, top to bottom, once Monaco shows one that includes `needle`. */
async function editorLines(frame: Frame, needle: string): Promise<string[]> {
  const handle = await frame.waitForFunction(
    (needle) => {
      const editor = document.querySelector("spike-playground")?.shadowRoot?.querySelector("spike-editor")?.shadowRoot;
      if (!editor?.querySelector<HTMLElement>("[part=loading]")?.hidden) return null;
      const lines = [...editor.querySelectorAll<HTMLElement>(".view-line")]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((line) => (line.textContent ?? "").replace(/\u00a0/g, " "));
      return lines.some((line) => line.includes(needle)) ? lines : null;
    },
    needle,
    WAIT,
  );
  return (await handle.jsonValue()) as string[];
}

/** Type `text` with real keystrokes right after `marker` in the playground's editor in `frame` (focused by a click). */
async function typeAfter(page: Page, frame: Frame, marker: string, text: string): Promise<void> {
  const lines = await editorLines(frame, marker);
  const row = lines.findIndex((line) => line.includes(marker));
  await frame.locator("spike-playground spike-editor .view-lines").click();
  await page.keyboard.press("Control+Home");
  for (let i = 0; i < row; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Home");
  await page.keyboard.press("Home"); // twice: the first stops at the indentation
  const column = lines[row]!.indexOf(marker) + marker.length;
  for (let i = 0; i < column; i++) await page.keyboard.press("ArrowRight");
  await page.keyboard.type(text);
}

/** The preview's `<h1>` once it matches `expected`. */
async function previewHeading(page: Page, expected: RegExp): Promise<string> {
  const preview = await frameWith(page, "/preview/frame");
  await preview.waitForFunction((source) => new RegExp(source).test(document.querySelector("h1")?.textContent ?? ""), expected.source, WAIT);
  return (await preview.textContent("h1")) ?? "";
}

/** The room's entry file as the server has it, once it includes `needle`. */
async function roomEntry(room: string, needle: string): Promise<string> {
  let text = "";
  await until(async () => {
    const response = await fetch(new URL(`/live/${room}/index.tsx`, worker.url));
    text = response.ok ? await response.text() : "";
    return text.includes(needle);
  }, `the room to hold "${needle}"`, WAIT.timeout);
  return text;
}

test("/live/<room>: the room's playground with chat; typing in the editor changes the preview and the room", async () => {
  const room = nextRoom();
  const page = await open(`${worker.url.origin}/live/${room}`);
  try {
    const main = page.mainFrame();
    await editorLines(main, "Hello from spike");
    assert.equal(await previewHeading(page, /^Hello from spike$/), "Hello from spike");
    assert.deepEqual(
      await page.evaluate(() => [...document.querySelector("spike-playground")!.shadowRoot!.querySelectorAll("spike-chat")].length),
      1,
    );
    await typeAfter(page, main, "Hello from spike", ", live");
    assert.equal(await previewHeading(page, /^Hello from spike, live$/), "Hello from spike, live");
    assert.match(await roomEntry(room, "Hello from spike, live"), /<h1>Hello from spike, live<\/h1>/);
    await shot(page, "room");
    // The embed snippet, shown on demand, is the iframe of this room's embed.
    await page.getByText("Embed this room").click();
    assert.match(await page.locator("details pre").innerText(), new RegExp(`^<iframe src="${worker.url.origin}/live/${room}/embed" `));
    await shot(page, "room-embed-snippet");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("/live/<room>/embed in an iframe on another origin (as oEmbed gives it): the options apply, typing changes the preview and the room", async () => {
  const room = nextRoom();
  const page = await open(hostPage("embed.html", await oembedHtml(`${worker.url.origin}/live/${room}/embed?layout=split&theme=dark`)));
  try {
    const embed = await frameWith(page, `/live/${room}/embed`);
    assert.notEqual(new URL(embed.url()).origin, new URL(page.url()).origin);
    await editorLines(embed, "Hello from spike");
    assert.deepEqual(
      await embed.evaluate(() => {
        const playground = document.querySelector("spike-playground")!;
        return { theme: playground.theme, layout: playground.currentLayout, chat: !!playground.shadowRoot!.querySelector("spike-chat") };
      }),
      { theme: "dark", layout: "split", chat: false },
    );
    assert.equal(await previewHeading(page, /^Hello from spike$/), "Hello from spike");
    await typeAfter(page, embed, "Hello from spike", " (embedded)");
    assert.equal(await previewHeading(page, /embedded/), "Hello from spike (embedded)");
    assert.match(await roomEntry(room, "(embedded)"), /<h1>Hello from spike \(embedded\)<\/h1>/);
    await shot(page, "embed-dark");
    assert.deepEqual(page.errors, []);

    // The same room, read-only in the tabs layout: the code is there, keystrokes change nothing.
    const src = `${worker.url.origin}/live/${room}/embed?readonly&layout=tabs&theme=light`;
    const readonly = await open(hostPage("readonly.html", `<iframe src="${src}" title="spike room" width="1000" height="520"></iframe>`));
    try {
      const frame = await frameWith(readonly, `/live/${room}/embed`);
      await editorLines(frame, "Hello from spike (embedded)");
      assert.equal(await frame.evaluate(() => document.querySelector("spike-playground")!.currentLayout), "tabs");
      await typeAfter(readonly, frame, "Hello from spike", "XYZ");
      // Monaco answers a keystroke in a read-only editor with this message: the keys did arrive, and were refused.
      await frame.getByText("This room is read-only for you").first().waitFor(WAIT);
      await shot(readonly, "embed-readonly");
      assert.ok(!(await editorLines(frame, "Hello from spike")).some((line) => line.includes("XYZ")), "a read-only embed took an edit");
      assert.doesNotMatch(await roomEntry(room, "(embedded)"), /XYZ/);
      assert.deepEqual(readonly.errors, []);
    } finally {
      await readonly.close();
    }
  } finally {
    await page.close();
  }
});

test("/live/<room> on a phone: the playground is stacked and nothing is wider than the screen", async () => {
  const room = nextRoom();
  const page = await open(`${worker.url.origin}/live/${room}`, { width: 375, height: 812 });
  try {
    await editorLines(page.mainFrame(), "Hello from spike");
    assert.equal(await previewHeading(page, /^Hello from spike$/), "Hello from spike");
    const fit = await page.evaluate(() => ({
      layout: document.querySelector("spike-playground")!.currentLayout,
      wider: document.documentElement.scrollWidth > window.innerWidth,
    }));
    assert.deepEqual(fit, { layout: "stacked", wider: false });
    await shot(page, "room-phone");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
