/**
 * What the gallery's end-to-end tests share (demos/gallery*.e2e.test.ts): a page that records its console errors, and a
 * page's working pair, its `[data-try]` editor and preview, loaded the way a reader loads them, typed into with real keys.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";

/** How long a page gets for what a test waits on (Monaco, a socket, a preview render). */
export const WAIT = { timeout: 30_000 };

/** A page with every console error and uncaught exception it (or any of its frames) produced. */
export type GalleryPage = Page & { errors: string[] };

/**
 * A new page of `browser` (1200x900), or of a context (its own viewport), at `url`, recording its console errors.
 * @example const page = await openPage(browser, `${origin}/blog.html`); … assert.deepEqual(page.errors, []);
 */
export async function openPage(browser: Browser | BrowserContext, url: string): Promise<GalleryPage> {
  const page = ("newContext" in browser ? await browser.newPage({ viewport: { width: 1200, height: 900 } }) : await browser.newPage()) as GalleryPage;
  page.errors = [];
  page.on("console", (message) => void (message.type() === "error" && page.errors.push(`console: ${message.text()} (${message.location().url})`)));
  page.on("pageerror", (error) => page.errors.push(`uncaught: ${error.message}`));
  await page.goto(url);
  return page;
}

/** Scroll `element` into view and load it the way a reader would: a click on its button when it waits for one. */
export async function bringLive(element: Locator): Promise<void> {
  await element.scrollIntoViewIfNeeded(WAIT);
  const clickMode = await element.evaluate((el) => el.getAttribute("loading") === "click" && !(el as unknown as { isLive: boolean }).isLive);
  if (clickMode) await element.locator("[part=activate]").click(WAIT);
  // (No named functions in page code: the test's transpiler would wrap them in a helper the page does not have.)
  await element.page().waitForFunction((el) => (el as unknown as { isLive: boolean }).isLive, await element.elementHandle(WAIT), WAIT);
}

/** Wait until the editor shows Monaco bound to its file. */
export async function monacoReady(editor: Locator): Promise<void> {
  const handle = await editor.elementHandle(WAIT);
  await editor.page().waitForFunction(
    (el) => !!el!.shadowRoot?.querySelector(".monaco-editor .view-lines") && !!el!.shadowRoot?.querySelector<HTMLElement>("[part=loading]")?.hidden,
    handle,
    WAIT,
  );
}

/** The text of the preview frame's body once it includes `needle` (the frame is found anew each time: it may be replaced). */
export async function previewShows(preview: Locator, needle: string): Promise<void> {
  const deadline = Date.now() + WAIT.timeout;
  let seen = "(no frame yet)";
  while (Date.now() < deadline) {
    const iframe = await preview.locator("iframe").elementHandle({ timeout: 1_000 }).catch(() => null);
    const frame = await iframe?.contentFrame();
    if (frame?.url().includes("/preview/frame")) {
      seen = await frame.evaluate(() => document.body.innerText).catch((error: Error) => `(${error.message})`);
      if (seen.includes(needle)) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the preview never showed ${JSON.stringify(needle)}; it shows ${JSON.stringify(seen)}`);
}

/** The page's working pair, loaded: the editor and preview of its `[data-try]` block, else its first ones. */
export async function workingPair(page: Page): Promise<{ editor: Locator; preview: Locator }> {
  const block = (await page.locator("[data-try]").count()) > 0 ? page.locator("[data-try]").first() : page.locator("body");
  // CSS locators pierce shadow roots: a playground's inner editor and preview count.
  const editor = block.locator("spike-editor").first();
  const preview = block.locator("spike-preview").first();
  assert.equal(await editor.count(), 1, "the page has an editor to try");
  assert.equal(await preview.count(), 1, "the page has a preview to try");
  await bringLive(editor);
  await monacoReady(editor);
  await bringLive(preview);
  return { editor, preview };
}

/**
 * Type a statement at the end of the editor's file with real keys (Escape closes Monaco's suggestions before the call's
 * brackets) and wait for the preview to show its output.
 */
export async function typeAndSeePreview(page: Page, { editor, preview }: { editor: Locator; preview: Locator }, marker: string): Promise<void> {
  await editor.locator(".view-lines").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("document.body.append");
  await page.keyboard.press("Escape");
  await page.keyboard.type(`("${marker}");`);
  await previewShows(preview, marker);
}

