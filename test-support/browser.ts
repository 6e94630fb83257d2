/**
 * What the end-to-end tests that drive Debian's Chromium share: a private copy of the built site, fixture pages that load the built bundle, waiting for an
 * editor to be ready, and screenshots under test-results/. (Which Chromium, and its flags: scripts/chromium.mjs.)
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";

/** How long a page gets for what a test waits on (Monaco, a socket, a preview render). */
const WAIT = { timeout: 30_000 };

/**
 * A private copy of the built site (dist/site) in a new temporary folder named after `prefix`, for one test file's Worker
 * to serve with its own fixture pages beside it; `needs` is the built file the test cannot run without. The pinned copy
 * of the build (v/<version>/, as big as the rest) is left out unless `pinned`: wrangler hashes every asset a Worker
 * starts with. Remove it in `after`.
 * @example const SITE = copySite("spike-room-e2e"); after(() => rmSync(SITE, { recursive: true, force: true }));
 */
export function copySite(prefix: string, needs = "spike.js", { pinned = false } = {}): string {
  assert.ok(existsSync(join("dist/site", needs)), `dist/site/${needs} is missing: run \`npm run build\` first`);
  const site = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const pinnedCopy = resolve("dist/site/v");
  cpSync("dist/site", site, { recursive: true, filter: (source) => pinned || resolve(source) !== pinnedCopy });
  return site;
}

/**
 * Write each fixture as a page `dir/<name>` that loads the bundle (`/spike.js`) as a module, then `head` (styles, event
 * recorders), with the fixture as its body. Served by the Worker itself, so /spike.js and the room sockets are the real ones.
 * @example writeFixturePages("dist/site/__e2e", { "empty.html": "<spike-editor></spike-editor>" }, "<style>body { margin: 0; }</style>");
 */
export function writeFixturePages(dir: string, pages: Record<string, string>, head = ""): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(pages)) {
    writeFileSync(
      join(dir, name),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title><link rel="icon" href="data:,">
<script type="module" src="/spike.js"></script>
${head}
</head><body>${body}</body></html>`,
    );
  }
}

/**
 * Wait until the nth `<spike-editor>` of the page shows Monaco and is bound to its file (its loading part is hidden).
 * @example await page.goto(url); await editorReady(page); await page.keyboard.type("x");
 */
export async function editorReady(page: Page, index = 0): Promise<void> {
  await page.waitForFunction(
    (i) => {
      const root = document.querySelectorAll("spike-editor")[i]?.shadowRoot;
      return !!root?.querySelector(".monaco-editor .view-lines") && root.querySelector<HTMLElement>("[part=loading]")!.hidden;
    },
    index,
    WAIT,
  );
}

/**
 * A function that saves a page's screenshot as `test-results/<prefix>-<name>.png`.
 * @example const shot = screenshots("spike-preview"); await shot(page, "counter");
 */
export function screenshots(prefix: string): (page: Page, name: string) => Promise<Buffer> {
  return (page, name) => {
    mkdirSync("test-results", { recursive: true });
    return page.screenshot({ path: `test-results/${prefix}-${name}.png` });
  };
}

/**
 * Type `text` with real keystrokes right after the first `marker` on screen in the first `<spike-editor>` (which must
 * have the focus): the caret gets there with arrow keys.
 * @example await page.locator("spike-editor .view-lines").click(); await typeAfter(page, '"Hi', " there");
 */
export async function typeAfter(tab: Page, marker: string, text: string): Promise<void> {
  const lines = await tab.evaluate(() =>
    [...document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll(".view-line")]
      .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
      .map((line) => line.textContent!.replace(/\u00a0/g, " ")),
  );
  const row = lines.findIndex((line) => line.includes(marker));
  assert.ok(row >= 0, `"${marker}" is not on screen: ${JSON.stringify(lines)}`);
  await tab.keyboard.press("Control+Home");
  for (let i = 0; i < row; i++) await tab.keyboard.press("ArrowDown");
  await tab.keyboard.press("Home");
  await tab.keyboard.press("Home"); // twice: the first stops at the indentation
  const column = lines[row]!.indexOf(marker) + marker.length;
  for (let i = 0; i < column; i++) await tab.keyboard.press("ArrowRight");
  await tab.keyboard.type(text);
}
