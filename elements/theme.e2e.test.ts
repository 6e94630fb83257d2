/**
 * The one theme mechanism of the elements (elements/internal/palette.ts, resolved by elements/internal/room-frame.ts), end
 * to end: the built bundle served by the real Worker under workerd, read as computed styles in Debian's Chromium. Each
 * element takes `theme` from its own attribute, else from its <spike-room>, else `prefers-color-scheme`.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, writeFixturePages } from "../test-support/browser.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };

const SITE = copySite("spike-theme-e2e");
const FIXTURE_DIR = join(SITE, "__theme-e2e");

/** The palette's status bar colour per scheme (`--_bar`), and its error colour (`--_danger`). */
const BAR = { light: "rgb(246, 248, 250)", dark: "rgb(37, 37, 38)" };
const DANGER = { light: "rgb(207, 34, 46)", dark: "rgb(255, 123, 114)" };

const APP = `<script type="text/plain" data-file="index.tsx">export default function App() { return <p id="app">the app</p>; }</script>`;
const BROKEN = `<script type="text/plain" data-file="index.tsx">export default function App() { return <p>; }</script>`;

const FIXTURES: Record<string, string> = {
  // Row 1: each element says theme="dark" itself. Row 2: a <spike-room theme="dark"> says it for them, but one chat
  // says light. The chats need a room to draw their composer.
  "elements.html": `<div class="row">
      <spike-editor theme="dark">${APP}</spike-editor>
      <spike-preview theme="dark">${APP}</spike-preview>
      <spike-chat theme="dark" room="theme-own"></spike-chat>
    </div>
    <spike-room theme="dark">
      <div class="row">
        <spike-editor>${APP}</spike-editor>
        <spike-preview>${APP}</spike-preview>
        <spike-chat room="theme-inherited"></spike-chat>
        <spike-chat room="theme-inherited" theme="light"></spike-chat>
      </div>
    </spike-room>`,
  "preview.html": `<div class="row">
      <spike-preview id="broken">${BROKEN}</spike-preview>
      <spike-preview id="app">${APP}</spike-preview>
    </div>`,
};

const HEAD = `<style>
  body { margin: 16px; font-family: system-ui; background: #888; }
  .row { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin-bottom: 12px; }
  spike-editor, spike-preview, spike-chat { --spike-editor-height: 220px; --spike-preview-height: 220px; --spike-chat-height: 220px; }
</style>`;

let worker: TestWorker;
let browser: Browser;

before(async () => {
  writeFixturePages(FIXTURE_DIR, FIXTURES, HEAD);
  worker = await startTestWorker({ assets: SITE });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

async function open(path: string, colorScheme: "light" | "dark"): Promise<Page & { errors: string[] }> {
  const page = (await browser.newPage({ viewport: { width: 1300, height: 520 }, colorScheme })) as Page & { errors: string[] };
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  await page.goto(new URL(`/__theme-e2e/${path}`, worker.url).href);
  return page;
}

/** Each spike element's drawn colours: status bar background, base colour scheme, and the text colour of its base. */
function colours(page: Page, selector = "spike-editor, spike-preview, spike-chat") {
  return page.evaluate((selector) => {
    return [...document.querySelectorAll(selector)].map((el) => {
      const root = el.shadowRoot!;
      const base = getComputedStyle(root.querySelector("[part=base]")!);
      return { bar: getComputedStyle(root.querySelector("[part=status]")!).backgroundColor, scheme: base.colorScheme };
    });
  }, selector);
}

/** Wait until the status bar of the element matching `selector` has background `colour`. */
async function barTurns(page: Page, selector: string, colour: string): Promise<void> {
  await page.waitForFunction(
    ([selector, colour]) => getComputedStyle(document.querySelector(selector)!.shadowRoot!.querySelector("[part=status]")!).backgroundColor === colour,
    [selector, colour] as const,
    WAIT,
  );
}

function shot(page: Page, name: string): Promise<Buffer> {
  mkdirSync("test-results", { recursive: true });
  return page.screenshot({ path: `test-results/theme-${name}.png` });
}

test('theme="dark" draws all three elements dark, said by each element or by its <spike-room>; its own theme wins', async () => {
  const page = await open("elements.html", "light");
  try {
    // Everything drawn: Monaco in both editors, the app in both previews, the chats connected.
    await page.locator("spike-editor .monaco-editor").nth(1).waitFor(WAIT);
    for (const i of [0, 1]) await page.frameLocator(`spike-preview >> nth=${i} >> iframe`).locator("#app").waitFor(WAIT);
    await page.locator("spike-chat [part=status]").getByText("Connected").first().waitFor(WAIT);

    const dark = { bar: BAR.dark, scheme: "dark" };
    const light = { bar: BAR.light, scheme: "light" };
    assert.deepEqual(await colours(page), [dark, dark, dark, dark, dark, dark, light]);
    assert.equal(await page.locator("spike-editor .monaco-editor.vs-dark").count(), 2, "Monaco in its dark theme");
    await shot(page, "dark");

    // The <spike-room>'s theme changes: the elements that take it follow; those with their own keep it.
    await page.evaluate(() => (document.querySelector<any>("spike-room").theme = "light"));
    await barTurns(page, "spike-room spike-chat", BAR.light);
    assert.deepEqual(await colours(page), [dark, dark, dark, light, light, light, light]);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("theme=auto (the default) follows prefers-color-scheme, also when the page's scheme changes", async () => {
  const page = await open("preview.html", "dark");
  try {
    await page.frameLocator("#app iframe").locator("#app").waitFor(WAIT);
    assert.deepEqual(await colours(page), Array(2).fill({ bar: BAR.dark, scheme: "dark" }));
    await page.emulateMedia({ colorScheme: "light" });
    await barTurns(page, "#app", BAR.light);
    assert.deepEqual(await colours(page), Array(2).fill({ bar: BAR.light, scheme: "light" }));
  } finally {
    await page.close();
  }
});

test("<spike-preview>'s status bar and build error overlay follow its theme; the app in the frame keeps a light page", async () => {
  const page = await open("preview.html", "light");
  try {
    await page.evaluate(() => document.querySelectorAll("spike-preview").forEach((el) => el.setAttribute("theme", "dark")));
    const overlay = page.locator("#broken [part=error]");
    await overlay.waitFor({ state: "visible", ...WAIT });
    const frame = page.frameLocator("#app iframe");
    await frame.locator("#app").waitFor(WAIT);
    assert.deepEqual(await colours(page), Array(2).fill({ bar: BAR.dark, scheme: "dark" }));
    const drawn = await overlay.evaluate((el) => ({
      title: getComputedStyle(el.querySelector(".title")!).color,
      text: getComputedStyle(el.querySelector("pre")!).color,
    }));
    assert.deepEqual(drawn, { title: DANGER.dark, text: "rgb(230, 237, 243)" });
    // The app is the user's page, not the element's chrome: it draws on white as a fresh page would, and is not told
    // the element's theme (its prefers-color-scheme is the visitor's, light here).
    const behind = await page.locator("#app [part=base]").evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(behind, "rgb(255, 255, 255)");
    assert.equal(await frame.locator("body").evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches), false);
    await shot(page, "preview-dark");

    await page.evaluate(() => document.querySelectorAll("spike-preview").forEach((el) => el.setAttribute("theme", "light")));
    await barTurns(page, "#broken", BAR.light);
    assert.equal(await overlay.evaluate((el) => getComputedStyle(el.querySelector(".title")!).color), DANGER.light);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
