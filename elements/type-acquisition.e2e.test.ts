/**
 * Types for npm imports in <spike-editor>, end to end and offline: the built bundle (dist/site) on the real Worker with no
 * NPM_UPSTREAM, so every typing comes from the offline /npm/ set; real mouse hovers and keystrokes in Debian's Chromium,
 * read back from Monaco's hover widget, suggest widget and error squiggles.
 */
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { editorReady, screenshots, writeFixturePages } from "../test-support/browser.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };
const FIXTURE_DIR = "dist/site/__e2e-types";
const shot = screenshots("type-acquisition");

// Valid code using react (with JSX), a package of the set without typings (canvas-confetti) and another project file.
const FIXTURES = {
  "react.html": `<spike-editor>
<script type="text/plain" data-file="index.tsx">import { useState } from "react";
import confetti from "canvas-confetti";
import { label } from "./label";

export default function Counter() {
  const [count, setCount] = useState(0);
  return <button onClick={() => { setCount(count + 1); confetti(); }}>{label(count)}</button>;
}
</script>
<script type="text/plain" data-file="label.ts">export const label = (n: number): string => \`Clicked \${n} times\`;</script>
</spike-editor>`,
};
const FIXTURE_HEAD = `<style>body { margin: 24px; font-family: system-ui; } spike-editor { --spike-editor-height: 360px; }</style>`;

let worker: TestWorker;
let browser: Browser;

before(async () => {
  assert.ok(existsSync("dist/site/npm/typings.json"), "dist/site/npm/typings.json is missing: run `npm run build` first");
  writeFixturePages(FIXTURE_DIR, FIXTURES, FIXTURE_HEAD);
  worker = await startTestWorker({ assets: "dist/site" });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(FIXTURE_DIR, { recursive: true, force: true });
});

/** The text of Monaco's visible hover widget once it contains `expected`. */
async function hoverText(page: Page, expected: RegExp): Promise<string> {
  const hover = page.locator("spike-editor .monaco-hover:not(.hidden)").first();
  await hover.waitFor({ state: "visible", ...WAIT });
  await page.waitForFunction(
    ([source, flags]) => new RegExp(source, flags).test(document.querySelector("spike-editor")!.shadowRoot!.querySelector(".monaco-hover:not(.hidden)")?.textContent ?? ""),
    [expected.source, expected.flags] as const,
    WAIT,
  );
  return hover.innerText();
}

/** Move the mouse away so the next hover opens afresh. */
async function unhover(page: Page): Promise<void> {
  await page.mouse.move(5, 5);
  await page.locator("spike-editor .monaco-hover:not(.hidden)").waitFor({ state: "hidden", ...WAIT }).catch(() => {});
}

/**
 * Put the mouse on the `nth` (0-based, in reading order) occurrence of `word` on screen: Monaco's token spans hold words with
 * their spaces (" useState "), so the word's own box is measured with a Range over its text.
 */
async function hoverWord(page: Page, word: string, nth = 0): Promise<void> {
  const point = await page.evaluate(
    ([word, nth]) => {
      const lines = [...document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll<HTMLElement>(".view-line")].sort(
        (a, b) => parseFloat(a.style.top) - parseFloat(b.style.top),
      );
      const boxes: DOMRect[] = [];
      for (const line of lines) {
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent!.replace(/\u00a0/g, " ");
          const at = text.search(new RegExp(`\\b${word}\\b`));
          if (at >= 0) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + word.length);
            boxes.push(range.getBoundingClientRect());
          }
        }
      }
      const box = boxes[nth];
      return box ? { x: box.x + box.width / 2, y: box.y + box.height / 2 } : null;
    },
    [word, nth] as const,
  );
  assert.ok(point, `"${word}" #${nth} is not on screen`);
  await page.mouse.move(point.x, point.y);
}

const squiggles = (page: Page) => page.evaluate(() => document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll(".squiggly-error").length);

test("offline: hover on useState shows its signature, completion offers it, useStat and an unknown package are flagged", async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 480 } });
  const npmRequests: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/npm/")) npmRequests.push(url.pathname);
  });
  try {
    await page.goto(`${worker.url.origin}/__e2e-types/react.html`);
    await editorReady(page);

    // Hover over the imported useState: its signature from @types/react.
    await hoverWord(page, "useState");
    const signature = await hoverText(page, /useState<S>/);
    assert.match(signature, /function useState<S>\(initialState: S \| \(\(\) => S\)\): \[S, (React\.)?Dispatch<(React\.)?SetStateAction<S>>\]/);
    await shot(page, "hover-useState");
    await unhover(page);

    // Valid code with JSX, an untyped package of the set and another project file: no error anywhere.
    assert.equal(await squiggles(page), 0, "the valid project has no error squiggles");
    const typings = npmRequests.filter((path) => /\.d\.[cm]?ts$/.test(path));
    assert.ok(typings.some((path) => /^\/npm\/@types\/react@[^/]+\/index\.d\.ts$/.test(path)), "react's typings came from the offline set");
    assert.ok(typings.some((path) => path.startsWith("/npm/csstype@")), "and csstype, which they import");
    assert.ok(!typings.some((path) => /zustand|nanoid|clsx|react-dom/.test(path)), `only imported packages: ${typings.join(", ")}`);

    // Completion: typing `useS` offers useState.
    await page.locator("spike-editor .view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("const other = useS");
    const suggest = page.locator("spike-editor .suggest-widget .monaco-list-row", { hasText: /^useState/ }).first();
    await suggest.waitFor({ state: "visible", ...WAIT });
    await page.keyboard.press("Escape");

    // A typo: `useStat` is underlined, and its hover says why.
    await page.keyboard.type("tat(1);");
    await page.waitForFunction(() => document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll(".squiggly-error").length > 0, null, WAIT);
    await hoverWord(page, "useStat");
    assert.match(await hoverText(page, /useStat/), /Cannot find name 'useStat'\. Did you mean 'useState'\?/);
    await shot(page, "useStat-marker");
    await unhover(page);

    // Once types are there, "Cannot find module" is shown again: for a package that exists nowhere offline.
    await page.keyboard.press("Control+Home");
    await page.keyboard.type('import pad from "left-pad-nowhere";\n');
    await page.waitForFunction(() => document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll(".squiggly-error").length > 1, null, WAIT);
    await hoverWord(page, "left-pad-nowhere");
    assert.match(await hoverText(page, /Cannot find module/), /Cannot find module 'left-pad-nowhere'/);
  } finally {
    await page.close();
  }
});
