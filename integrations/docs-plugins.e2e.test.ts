/**
 * The docs-site plugins end to end: the fixture page (integrations/fixtures/spike-fences.md) rendered by each plugin,
 * served by the real Worker beside the built spike.js, in Debian's Chromium. Without JavaScript the code shows highlighted
 * in Monaco's colours (spike.css); with it, the lite view shows the same code in the same colours, a reader types in the
 * local embed and its preview follows, the room-backed embed seeds its empty room with the fence's code, and two fences
 * that share a project make one program.
 * Screenshots: test-results/docs-plugins-*.png.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { editorReady, screenshots, typeAfter } from "../test-support/browser.js";
import { FIXTURE_MARKDOWN, RENDERERS } from "../test-support/docs-sites.js";
import { frameText, previewFrame, previewStack, FIXTURE_PATH, WAIT } from "../test-support/preview-e2e.js";

/** Each plugin's rendering of the fixture, as the body of a page that links spike.css (the page loads /spike.js). */
const PAGES: Record<string, string> = {};
for (const [name, render] of Object.entries(RENDERERS)) {
  PAGES[`${name}.html`] = `<link rel="stylesheet" href="/spike.css"><main style="max-width: 860px; margin: auto">${await render(FIXTURE_MARKDOWN)}</main>`;
}
const ROOM_CODE = /```tsx spike room=docs-fixture[^\n]*\n([\s\S]*?)```/.exec(FIXTURE_MARKDOWN)![1]!;

const stack = previewStack("spike-docs-plugins-e2e", { pages: PAGES });
const shot = screenshots("docs-plugins");

async function open(name: string, javaScriptEnabled = true): Promise<Page & { errors: string[] }> {
  const context = await stack.browser.newContext({ viewport: { width: 1000, height: 900 }, javaScriptEnabled, colorScheme: "light" });
  const page = (await context.newPage()) as Page & { errors: string[] };
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  page.on("console", (message) => void (message.type() === "error" && page.errors.push(message.text())));
  await page.goto(`${stack.worker.url.origin}/${FIXTURE_PATH}/${name}.html`);
  return page;
}

/** Text and colour of each coloured token of the nth editor's code: the light-DOM `<pre>`, or the lite view's. */
function tokens(page: Page, index: number, where: "page" | "lite"): Promise<[string, string][]> {
  return page.evaluate(
    ([index, where]) => {
      const editor = document.querySelectorAll("spike-editor")[index]!;
      const pre = where === "page" ? editor.querySelector("pre[data-file]") : editor.shadowRoot!.querySelector("pre[part=code]");
      return [...pre!.querySelectorAll("span")].map((span) => [span.textContent!, getComputedStyle(span).color] as [string, string]);
    },
    [index, where] as const,
  );
}

/** Monaco's light theme (vs), per token class. */
const MONACO_LIGHT: Record<string, string> = {
  "t-keyword": "rgb(0, 0, 255)",
  "t-string": "rgb(163, 21, 21)",
  "t-comment": "rgb(0, 128, 0)",
  "t-type": "rgb(0, 128, 128)",
  "t-number": "rgb(9, 134, 88)",
  "t-regexp": "rgb(128, 0, 0)",
};

/** The nth editor's tokens as the plugin wrote them, each with the colour Monaco gives its class. */
async function inMonacoColours(page: Page, index: number): Promise<[string, string][]> {
  const spans = await page.evaluate(
    (index) => [...document.querySelectorAll("spike-editor")[index]!.querySelectorAll("pre[data-file] span")].map((s) => [s.textContent!, s.className]),
    index,
  );
  return spans.map(([text, kind]) => [text!, MONACO_LIGHT[kind!] ?? `no colour for ${kind}`]);
}

for (const name of Object.keys(RENDERERS)) {
  test(`${name}: without JavaScript, each embed shows its code highlighted in Monaco's colours, where the editor will be`, async () => {
    const page = await open(name, false);
    try {
      for (const index of [0, 1, 2, 3, 4]) assert.deepEqual(await tokens(page, index, "page"), await inMonacoColours(page, index));
      const first = await tokens(page, 0, "page");
      assert.deepEqual(first.slice(0, 3), [
        ["export", "rgb(0, 0, 255)"],
        ["default", "rgb(0, 0, 255)"],
        ["function", "rgb(0, 0, 255)"],
      ]);
      assert.deepEqual(first.find(([text]) => text === '"docs"'), ['"docs"', "rgb(163, 21, 21)"]);
      const editor = page.locator("spike-editor").first();
      const box = await editor.boundingBox();
      const height = await editor.evaluate((el) => parseFloat(getComputedStyle(el).getPropertyValue("--spike-editor-height")));
      assert.ok(height > 0 && box?.height === height, `the editor's box is already its final height (${height}px): ${JSON.stringify(box)}`);
      await shot(page, `${name}-no-js`);
    } finally {
      await page.context().close();
    }
  });

  test(`${name}: a page built from the HTML works: the lite view has the same colours, typing changes the preview, a room embed seeds its room, fences share a project`, async () => {
    const page = await open(name);
    try {
      await page.waitForFunction(() => customElements.get("spike-editor") && customElements.get("spike-preview"), null, WAIT);
      // The click-mode embed is still lite: its view shows the plugin's code, token for token, in the same colours.
      const lite = page.locator("spike-editor").nth(2);
      await lite.scrollIntoViewIfNeeded();
      await page.waitForFunction(() => document.querySelectorAll("spike-editor")[2]!.shadowRoot?.querySelector("pre[part=code] span"), null, WAIT);
      assert.equal(await lite.evaluate((el) => (el as unknown as { isLive: boolean }).isLive), false);
      assert.deepEqual(await tokens(page, 2, "lite"), await inMonacoColours(page, 2));

      // The local embed: the reader edits, the preview follows.
      await page.locator("spike-editor").first().scrollIntoViewIfNeeded();
      const frame = await previewFrame(page, 0);
      await frameText(frame, "#greeting", /^Hello from the docs$/);
      await editorReady(page, 0);
      await page.locator("spike-editor").first().locator(".view-lines").click();
      await typeAfter(page, "Hello", " there");
      assert.equal(await frameText(frame, "#greeting", /^Hello there from the docs$/), "Hello there from the docs");

      // The room-backed embed (eager) seeded the empty room with its fence's code, and its preview runs it.
      await page.locator("spike-preview").nth(1).scrollIntoViewIfNeeded();
      const shared = await previewFrame(page, 1);
      assert.equal(await frameText(shared, "#shared", /a < b/), "a < b && c > d");
      const session = (await (await fetch(new URL("/live/docs-fixture/session.json", stack.worker.url))).json()) as { files: Record<string, string> };
      assert.equal(session.files["index.tsx"], ROOM_CODE);

      // Two fences on one project: the entry imports the other fence's module.
      await page.locator("spike-preview").nth(2).scrollIntoViewIfNeeded();
      assert.equal(await frameText(await previewFrame(page, 2), "#label", /another/), "from another fence");

      await page.locator("spike-editor").first().scrollIntoViewIfNeeded();
      await shot(page, name);
      assert.deepEqual(page.errors, []);
    } finally {
      await page.context().close();
    }
  });
}
