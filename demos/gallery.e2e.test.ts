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
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, screenshots } from "../test-support/browser.js";
import { WAIT, openPage, typeAndSeePreview, workingPair } from "../test-support/gallery-e2e.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

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

/** A page of the gallery at `path`, recording its console errors. */
const open = (path: string) => openPage(browser, `${origin}${path}`);

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
      // Storybook is a gallery of its own, every story checked by stories/storybook.e2e.test.ts.
      if (url.pathname.startsWith("/storybook/")) continue;
      pages.set(url.pathname, description);
    }
    return [...pages].map(([path, description]) => ({ path, description }));
  } finally {
    await page.close();
  }
}

test("every page the index links works: no console error, its source on demand, type in its editor and its preview follows", async (t) => {
  const pages = await galleryPages();
  // The pages this branch ships; others (added later) are tried the same way once the index links them.
  for (const path of ["/", "/drop-in.html", "/blog.html", "/twenty.html", "/react.html", "/playground.html", "/theming.html", "/sign-in.html", "/chat.html", "/apps.html", "/headless.html"]) {
    assert.ok(pages.some((page) => page.path === path), `the index links ${path}`);
  }
  for (const { path, description } of pages) {
    if (path !== "/") assert.ok(description.length > 10, `${path} has a one-line description on the index`);
    await t.test(path, async () => {
      const page = await open(path);
      try {
        const name = path === "/" ? "index" : path.replace(/^\/|\.html$/g, "").replace(/\//g, "-");
        const pair = await workingPair(page);
        await page.evaluate(() => scrollTo(0, 0));
        await shot(page, `${name}-light`);
        await page.emulateMedia({ colorScheme: "dark" });
        await shot(page, `${name}-dark`);
        await typeAndSeePreview(page, pair, `gallery-check-${name}`);

        // View source: the page's own HTML, fetched when asked for.
        await page.locator("a[href='#source']").first().click();
        const source = page.locator("#source code");
        await source.filter({ hasText: "<!doctype html>" }).waitFor(WAIT);
        const served = await (await fetch(`${origin}${path}`)).text();
        assert.equal(await source.textContent(), served);
        if (path === "/") await shot(page, "index-source-dark");

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
    await typeAndSeePreview(page, await workingPair(page), "typed-into-my-room");
    const session = await (await fetch(`${origin}/live/${room}/session.json`)).json();
    assert.match(session.files["index.tsx"], /typed-into-my-room/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

