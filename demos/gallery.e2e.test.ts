/**
 * The gallery end to end: the built site (dist/site, `npm run build`) served by the real Worker under workerd, in Debian's
 * Chromium. The pages come from the index's own links, so a page is covered as soon as the index links it. On each one:
 * zero console errors (page and frames), a "View source" that shows the page's own HTML, and its working element passes a
 * real interaction: the editor of its `[data-try]` block (else its first editor) gets real keystrokes, and the preview of
 * that block shows what was typed. Screenshots of every page, light and dark: test-results/gallery-<page>-<scheme>.png.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, screenshots } from "../test-support/browser.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };
const SITE = copySite("spike-gallery-e2e", "gallery.js");
const shot = screenshots("gallery");

let worker: TestWorker;
let browser: Browser;
/** The pages on localhost, so the preview frame (127.0.0.1) is on another site, as deployed. */
let origin: string;

before(async () => {
  worker = await startTestWorker({ assets: SITE });
  origin = `http://localhost:${worker.url.port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

/** A page with every console error and uncaught exception it (or any of its frames) produced. */
type GalleryPage = Page & { errors: string[] };

async function open(path: string): Promise<GalleryPage> {
  const page = (await browser.newPage({ viewport: { width: 1200, height: 900 } })) as GalleryPage;
  page.errors = [];
  page.on("console", (message) => void (message.type() === "error" && page.errors.push(`console: ${message.text()} (${message.location().url})`)));
  page.on("pageerror", (error) => page.errors.push(`uncaught: ${error.message}`));
  await page.goto(`${origin}${path}`);
  return page;
}

/** The gallery pages the index links to (same origin, in the order shown), the index itself first. */
async function galleryPages(): Promise<{ path: string; description: string }[]> {
  const page = await open("/");
  try {
    const links = await page.$$eval("main a[href]", (anchors) =>
      anchors.map((a) => ({ href: (a as HTMLAnchorElement).href, description: a.parentElement?.textContent?.replace(a.textContent ?? "", "").trim() ?? "" })),
    );
    const pages = new Map<string, string>([["/", "the index"]]);
    for (const { href, description } of links) {
      const url = new URL(href);
      if (url.origin !== origin || url.hash || pages.has(url.pathname)) continue;
      pages.set(url.pathname, description);
    }
    return [...pages].map(([path, description]) => ({ path, description }));
  } finally {
    await page.close();
  }
}

/** Scroll `element` into view and load it the way a reader would: a click on its button when it waits for one. */
async function bringLive(element: Locator): Promise<void> {
  await element.scrollIntoViewIfNeeded(WAIT);
  const clickMode = await element.evaluate((el) => el.getAttribute("loading") === "click" && !(el as unknown as { isLive: boolean }).isLive);
  if (clickMode) await element.locator("[part=activate]").click(WAIT);
  // (No named functions in page code: the test's transpiler would wrap them in a helper the page does not have.)
  await element.page().waitForFunction((el) => (el as unknown as { isLive: boolean }).isLive, await element.elementHandle(WAIT), WAIT);
}

/** Wait until the editor shows Monaco bound to its file. */
async function monacoReady(editor: Locator): Promise<void> {
  const handle = await editor.elementHandle(WAIT);
  await editor.page().waitForFunction(
    (el) => !!el!.shadowRoot?.querySelector(".monaco-editor .view-lines") && !!el!.shadowRoot?.querySelector<HTMLElement>("[part=loading]")?.hidden,
    handle,
    WAIT,
  );
}

/** The text of the preview frame's body once it includes `needle` (the frame is found anew each time: it may be replaced). */
async function previewShows(preview: Locator, needle: string): Promise<void> {
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

/**
 * Type a statement at the end of the try block's editor with real keys (Escape closes Monaco's suggestions before the
 * call's brackets) and wait for the preview to show its output.
 */
async function typeAndSeePreview(page: Page, marker: string): Promise<void> {
  const block = (await page.locator("[data-try]").count()) > 0 ? page.locator("[data-try]").first() : page.locator("body");
  // CSS locators pierce shadow roots: a playground's inner editor and preview count.
  const editor = block.locator("spike-editor").first();
  const preview = block.locator("spike-preview").first();
  assert.equal(await editor.count(), 1, "the page has an editor to try");
  assert.equal(await preview.count(), 1, "the page has a preview to try");
  await bringLive(editor);
  await monacoReady(editor);
  await bringLive(preview);
  await editor.locator(".view-lines").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("document.body.append");
  await page.keyboard.press("Escape");
  await page.keyboard.type(`("${marker}");`);
  await previewShows(preview, marker);
}

test("every page the index links works: no console error, its source on demand, type in its editor and its preview follows", async (t) => {
  const pages = await galleryPages();
  // The pages this branch ships; others (added later) are tried the same way once the index links them.
  for (const path of ["/", "/drop-in.html", "/blog.html", "/twenty.html", "/react.html", "/playground.html", "/theming.html", "/sign-in.html", "/chat.html"]) {
    assert.ok(pages.some((page) => page.path === path), `the index links ${path}`);
  }
  for (const { path, description } of pages) {
    if (path !== "/") assert.ok(description.length > 10, `${path} has a one-line description on the index`);
    await t.test(path, async () => {
      const page = await open(path);
      try {
        const name = path === "/" ? "index" : path.replace(/^\/|\.html$/g, "").replace(/\//g, "-");
        await typeAndSeePreview(page, `gallery-check-${name}`);
        await page.evaluate(() => scrollTo(0, 0));
        await shot(page, `${name}-light`);
        await page.emulateMedia({ colorScheme: "dark" });
        await shot(page, `${name}-dark`);

        // View source: the page's own HTML, fetched when asked for.
        await page.locator("a[href='#source']").first().click();
        const source = page.locator("#source code");
        await source.filter({ hasText: "<!doctype html>" }).waitFor(WAIT);
        const served = await (await fetch(`${origin}${path}`)).text();
        assert.equal(await source.textContent(), served);

        assert.deepEqual(page.errors, [], `console errors on ${path}`);
      } finally {
        await page.close();
      }
    });
  }
});

test("the sign-in page says what is missing when the server has no Clerk configuration, and its room still works", async () => {
  const page = await open("/sign-in.html");
  try {
    const notice = page.locator("#not-configured");
    await notice.waitFor({ state: "visible", ...WAIT });
    assert.match(await notice.innerText(), /CLERK_PUBLISHABLE_KEY.*CLERK_JWT_KEY/s);
    assert.equal(await page.locator("#make-private").isDisabled(), true);
    // The page opened a room of its own and put its name in the address bar, so the link can be shared.
    const room = new URL(page.url()).searchParams.get("room") ?? "";
    assert.match(room, /^private-[0-9a-f-]{13}$/);
    assert.equal(await page.locator("spike-room").evaluate((el) => (el as unknown as { room: string }).room), room);
    await typeAndSeePreview(page, "typed-into-my-room");
    const session = await (await fetch(`${origin}/live/${room}/session.json`)).json();
    assert.match(session.files["index.tsx"], /typed-into-my-room/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
