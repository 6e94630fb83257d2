/**
 * Types for npm imports in <spike-editor>, end to end and offline: the built bundle (dist/site) on the real Worker with no
 * NPM_UPSTREAM, so every typing comes from the offline /npm/ set; real mouse hovers and keystrokes in Debian's Chromium,
 * read back from Monaco's suggest widget (with its details), its problem navigator (F8) and error squiggles.
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

/** The text of the editor's element matching `selector` once it matches `expected` (Monaco renders these widgets in the shadow root). */
async function widgetText(page: Page, selector: string, expected: RegExp, timeout = WAIT.timeout): Promise<string> {
  const handle = await page.waitForFunction(
    ([selector, source, flags]) => {
      const text = document.querySelector("spike-editor")!.shadowRoot!.querySelector(selector)?.textContent ?? "";
      return new RegExp(source, flags).test(text) ? text : null;
    },
    [selector, expected.source, expected.flags] as const,
    { timeout },
  );
  return (await handle.jsonValue()) as string;
}

/** Wait for `count` error squiggles or more, then open the problem navigator (F8) and read its message. */
async function problemAfter(page: Page, count: number, expected: RegExp): Promise<string> {
  await page.waitForFunction((n) => document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll(".squiggly-error").length >= n, count, WAIT);
  await page.keyboard.press("F8");
  const text = await widgetText(page, ".marker-widget", expected);
  await page.keyboard.press("Escape");
  return text;
}

const squiggles = (page: Page) => page.evaluate(() => document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll(".squiggly-error").length);

test("offline: hovering useState shows its signature, completion offers it, useStat and an unknown package are flagged, valid code is clean", async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 480 } });
  const npmRequests: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/npm/")) npmRequests.push(url.pathname);
  });
  try {
    await page.goto(`${worker.url.origin}/__e2e-types/react.html`);
    await editorReady(page);

    // Hover: the mouse over `useState` in the code shows its signature from @types/react.
    const word = await page.evaluate(() => {
      const lines = document.querySelector("spike-editor")!.shadowRoot!.querySelector(".view-lines")!;
      const walker = document.createTreeWalker(lines, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf("useState");
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + "useState".length);
        const box = range.getBoundingClientRect();
        return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      }
      throw new Error("no useState on screen");
    });
    for (let tried = 0; ; tried++) {
      await page.mouse.move(0, 0);
      await page.mouse.move(word.x, word.y, { steps: 4 });
      const shown = await widgetText(page, ".monaco-hover", /useState<S>/).catch(() => "");
      if (shown) {
        assert.match(shown, /function useState<S>\(initialState: S \| \(\(\) => S\)\): \[S, (React\.)?Dispatch<(React\.)?SetStateAction<S>>\]/);
        break;
      }
      assert.ok(tried < 5, "hovering useState never showed its signature");
    }
    await shot(page, "hover-useState");
    await page.mouse.move(0, 0);

    // Completion: typing `useS` offers useState, and its details show the signature from @types/react.
    await page.locator("spike-editor .view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("const other = useS");
    // Asked again (Ctrl+Space) until the worker, still reading the typings on a busy machine, answers with useState.
    const row = page.locator("spike-editor .suggest-widget .monaco-list-row", { hasText: /^useState/ }).first();
    for (let asked = 0; !(await row.isVisible()); asked++) {
      assert.ok(asked < 15, "useState was never offered");
      await page.keyboard.press("Escape");
      await page.keyboard.press("Control+Space");
      await row.waitFor({ state: "visible", timeout: 2_000 }).catch(() => {});
    }
    // Ctrl+Space on an open list toggles the selected item's details ("Show More"): press it until they show, since an
    // earlier press in the loop above may have toggled them already.
    let signature = "";
    for (let pressed = 0; !signature; pressed++) {
      assert.ok(pressed < 4, "the suggestion's details never showed useState's signature");
      await page.keyboard.press("Control+Space");
      signature = await widgetText(page, ".suggest-details", /useState<S>/, 3_000).catch(() => "");
    }
    assert.match(signature, /function useState<S>\(initialState: S \| \(\(\) => S\)\): \[S, (React\.)?Dispatch<(React\.)?SetStateAction<S>>\]/);
    await shot(page, "completion-useState");
    await page.keyboard.press("Escape");

    // Valid code with JSX, an untyped package of the set and another project file: no error but the half-typed `useS`.
    // Diagnostics follow an edit after a pause: wait for them to settle on the one error, then check nothing else is flagged.
    await page.waitForFunction(() => document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll(".squiggly-error").length === 1, null, WAIT).catch(() => {});
    assert.equal(await squiggles(page), 1, "the valid project has no error squiggles besides the line being typed");
    const typings = npmRequests.filter((path) => /\.d\.[cm]?ts$/.test(path));
    assert.ok(typings.some((path) => /^\/npm\/@types\/react@[^/]+\/index\.d\.ts$/.test(path)), "react's typings came from the offline set");
    assert.ok(typings.some((path) => path.startsWith("/npm/csstype@")), "and csstype, which they import");
    assert.ok(!typings.some((path) => /zustand|nanoid|clsx|react-dom/.test(path)), `only imported packages: ${typings.join(", ")}`);

    // A typo: `useStat` is underlined, and the problem says why.
    await page.keyboard.type("tat(1);");
    assert.match(await problemAfter(page, 1, /useStat/), /Cannot find name 'useStat'\. Did you mean 'useState'\?/);
    await shot(page, "useStat-marker");

    // Once types are there, "Cannot find module" is shown again: for a package that exists nowhere offline.
    await page.keyboard.press("Control+Home");
    await page.keyboard.type('import pad from "left-pad-nowhere";\n');
    await page.keyboard.press("Control+Home");
    assert.match(await problemAfter(page, 2, /left-pad-nowhere/), /Cannot find module 'left-pad-nowhere'/);
  } finally {
    await page.close();
  }
});
