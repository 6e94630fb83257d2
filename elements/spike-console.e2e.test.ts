/**
 * <spike-console> end to end beside a real <spike-editor> and <spike-preview> on one local project, in Debian's Chromium
 * against the real Worker under workerd: what the previewed code logs shows by level, `console.log({ a: 1 })` opens to
 * `a: 1` on a click, a runtime error's file:line link moves the editor's caret to that line (in another file), the link's
 * `spike-navigate` can be taken over, the filters, Clear, the `max-lines` cap, and axe in each state (logs, errors,
 * filtered, empty, dark). Screenshots go to test-results/.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { assertAccessible } from "../test-support/axe.js";
import { editorReady, screenshots } from "../test-support/browser.js";
import { WAIT, previewFrame, previewStack } from "../test-support/preview-e2e.js";

const PAGE = `<div class="row">
    <spike-editor project="demo" file="index.tsx" loading="eager"></spike-editor>
    <spike-preview project="demo" loading="eager">
      <script type="text/plain" data-file="index.tsx">
        import { explode } from "./explode";

        console.log({ a: 1, nested: { b: [1, 2] } });
        console.warn("careful");

        export default function App() {
          return (
            <main>
              <button id="boom" onClick={() => explode("clicked")}>Boom</button>
              <button id="flood" onClick={() => { for (let i = 0; i < 30; i++) console.log("line", i); }}>Flood</button>
            </main>
          );
        }
      </script>
      <script type="text/plain" data-file="explode.ts">
        export function explode(why: string): never {
          throw new Error("exploded: " + why);
        }
      </script>
    </spike-preview>
  </div>
  <spike-console project="demo" max-lines="20"></spike-console>
  <script>
    // What Monaco shows (it draws spaces as no-break spaces).
    window.editorText = () => document.querySelector("spike-editor").shadowRoot.querySelector(".view-lines")?.textContent.replace(/\u00a0/g, " ") ?? "";
    window.navigations = [];
    addEventListener("spike-navigate", (e) => window.navigations.push(e.detail));
  </script>`;

const stack = previewStack("spike-console-e2e", { needs: "spike-console.js", pages: { "console.html": PAGE } });
const shot = screenshots("spike-console");

declare const editorText: () => string;

/** The console's kept lines as `level text` strings. */
function lines(page: Page): Promise<string[]> {
  return page.evaluate(() => document.querySelector("spike-console")!.lines.map((l) => `${l.level} ${l.text}`));
}

/** The editor's file and the line number Monaco marks as the caret's. */
function caret(page: Page): Promise<{ file: string; line: string | undefined; focused: boolean }> {
  return page.evaluate(() => {
    const editor = document.querySelector("spike-editor")!;
    const root = editor.shadowRoot!;
    return {
      file: editor.file,
      line: root.querySelector(".line-numbers.active-line-number")?.textContent?.trim(),
      focused: document.activeElement === editor && !!root.activeElement?.closest(".monaco-editor"),
    };
  });
}

test("the console shows the preview's logs; an object expands; a runtime error's link moves the editor's caret to its line", async () => {
  const page = await stack.open("console.html");
  await page.setViewportSize({ width: 1000, height: 600 });
  const consoleEl = page.locator("spike-console");
  try {
    await previewFrame(page);
    await editorReady(page);
    await consoleEl.locator("[part~=tree]").first().waitFor(WAIT);
    const logged = await lines(page);
    assert.ok(logged.includes("log { a: 1, nested: { b: [1, 2] } }"), JSON.stringify(logged));
    assert.ok(logged.includes("warn careful"), JSON.stringify(logged));
    await assertAccessible(page, "console with logs", "spike-console");

    // A real click on the object's summary opens it: its entries render, `a: 1` first.
    const tree = consoleEl.locator("[part~=tree]").first();
    assert.equal(await tree.locator("summary").innerText(), "{a: 1, nested: {…}}");
    await tree.locator("summary").click();
    const entries = tree.locator(":scope > ul > li");
    await entries.first().waitFor(WAIT);
    assert.equal(await entries.first().innerText(), "a: 1");
    // Nested trees open the same way.
    assert.equal(await entries.nth(1).locator("summary").innerText(), "nested: {b: Array(2)}");
    await entries.nth(1).locator("summary").click();
    await entries.nth(1).locator("li").first().waitFor(WAIT);
    assert.match(await entries.nth(1).innerText(), /^nested: \{b: Array\(2\)\}\s+b: \(2\) \[1, 2\]$/);
    await assertAccessible(page, "console with an object open", "spike-console");

    // A runtime error in another file: its link opens that file in the editor with the caret on the line that threw.
    const frame = await previewFrame(page);
    await frame.click("#boom");
    const errorLine = consoleEl.locator("[part~=line-error]").filter({ hasText: "exploded: clicked" });
    await errorLine.waitFor(WAIT);
    assert.match(await errorLine.innerText(), /Runtime error/);
    const link = errorLine.locator(":scope > [part=link]");
    assert.equal((await link.innerText()).trim(), "explode.ts:2");
    // Announced once, politely: errors only.
    assert.match(await consoleEl.locator("[role=status]").innerText(), /Runtime error in explode\.ts line 2: Error: exploded: clicked|Runtime error in explode\.ts line 2: exploded: clicked/);
    await assertAccessible(page, "console with a runtime error", "spike-console");
    await shot(page, "runtime-error");
    assert.deepEqual((await caret(page)).file, "index.tsx");
    await link.click();
    await page.waitForFunction(() => document.querySelector("spike-editor")!.file === "explode.ts", null, WAIT);
    await page.waitForFunction(() => editorText().includes("throw new Error"), null, WAIT);
    await page.waitForFunction(() => document.querySelector("spike-editor")!.shadowRoot!.querySelector(".active-line-number")?.textContent?.trim() === "2", null, WAIT);
    assert.deepEqual(await caret(page), { file: "explode.ts", line: "2", focused: true });
    assert.deepEqual(await page.evaluate(() => (window as any).navigations), [{ file: "explode.ts", line: 2, column: 9 }]);
    // (Column 9: V8 places `throw new Error(…)` at `new`.) The caret is really there: a keystroke lands on line 2.
    await page.keyboard.press("End");
    await page.keyboard.type(" // here");
    await page.waitForFunction(() => editorText().includes("Error(\"exploded: \" + why); // here"), null, WAIT);

    // Each keystroke re-ran index.tsx, logging again. A listener that takes the navigation over keeps the console from
    // moving the editor.
    const logLink = consoleEl.locator("[part~=line-log]").filter({ hasText: "nested" }).last().locator(":scope > [part=link]");
    assert.equal((await logLink.innerText()).trim(), "index.tsx:3");
    await page.evaluate(() => addEventListener("spike-navigate", (e) => e.preventDefault(), { once: true }));
    await logLink.click();
    assert.equal(await page.evaluate(() => (window as any).navigations.length), 2);
    assert.equal((await caret(page)).file, "explode.ts");
    await logLink.click();
    await page.waitForFunction(() => document.querySelector("spike-editor")!.shadowRoot!.querySelector(".active-line-number")?.textContent?.trim() === "3" && document.querySelector("spike-editor")!.file === "index.tsx", null, WAIT);
    assert.deepEqual(await caret(page), { file: "index.tsx", line: "3", focused: true });
    // The click's error was uncaught in the frame (as in any app); nothing else went wrong.
    assert.deepEqual(page.errors, ["exploded: clicked"]);
  } finally {
    await page.close();
  }
});

test("filters hide a level, the cap keeps the newest lines and says how many went, Clear empties it, build errors link their line; axe light and dark", async () => {
  const page = await stack.open("console.html");
  await page.setViewportSize({ width: 1000, height: 600 });
  const consoleEl = page.locator("spike-console");
  try {
    const frame = await previewFrame(page);
    await consoleEl.locator("[part~=line-warn]").first().waitFor(WAIT);

    // Levels: the Warnings button hides warnings (aria-pressed says so) and shows them again.
    const warnings = consoleEl.locator("[part~=filter-warn]");
    assert.match(await warnings.innerText(), /Warnings\s*1/);
    await warnings.click();
    assert.equal(await warnings.getAttribute("aria-pressed"), "false");
    assert.equal(await consoleEl.locator("[part~=line-warn]").count(), 0);
    assert.ok((await consoleEl.locator("[part~=line-log]").count()) > 0);
    await assertAccessible(page, "console with warnings filtered out", "spike-console");
    await warnings.click();
    await consoleEl.locator("[part~=line-warn]").first().waitFor(WAIT);

    // The cap: 30 more lines into a console that keeps 20.
    await frame.click("#flood");
    await page.waitForFunction(() => document.querySelector("spike-console")!.lines.at(-1)?.text === "line 29", null, WAIT);
    const kept = await lines(page);
    assert.equal(kept.length, 20);
    assert.deepEqual(kept.slice(-20), Array.from({ length: 20 }, (_, i) => `log line ${i + 10}`));
    const dropped = await page.evaluate(() => document.querySelector("spike-console")!.dropped);
    assert.ok(dropped >= 12, `dropped ${dropped}`);
    assert.equal(await consoleEl.locator("[part=dropped]").innerText(), `${dropped} older lines dropped (keeping 20)`);
    assert.equal(await consoleEl.locator("[part~=line]").count(), 20);
    await shot(page, "capped");

    // Dark.
    await consoleEl.evaluate((el) => el.setAttribute("theme", "dark"));
    await consoleEl.locator("[part=base].dark").waitFor(WAIT);
    await assertAccessible(page, "console, dark, with lines", "spike-console");
    await shot(page, "dark");

    // Clear: nothing left, the empty state says so, and it passes axe light and dark.
    await consoleEl.locator("[part=clear]").click();
    await consoleEl.locator("[part=empty]").waitFor(WAIT);
    assert.equal(await consoleEl.locator("[part=empty]").innerText(), "Nothing logged yet");
    assert.deepEqual(await lines(page), []);
    assert.equal(await consoleEl.locator("[part=dropped]").count(), 0);
    await assertAccessible(page, "console, dark, empty", "spike-console");
    await consoleEl.evaluate((el) => el.removeAttribute("theme"));
    await assertAccessible(page, "console, light, empty", "spike-console");
    // Logging goes on after a clear.
    await frame.click("#flood");
    await page.waitForFunction(() => document.querySelector("spike-console")!.lines.length === 20, null, WAIT);

    // A build error (a stray parenthesis typed at the end of index.tsx) is an error line whose link names its line.
    await editorReady(page);
    await page.locator("spike-editor .view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type(")");
    const buildError = consoleEl.locator("[part~=line-error]").filter({ hasText: "Build error" });
    await buildError.waitFor(WAIT);
    const event = await page.evaluate(() => (window as any).events.findLast((e: any) => e.type === "spike-error"));
    assert.equal(event.kind, "build");
    assert.equal((await buildError.locator(":scope > [part=link]").innerText()).trim(), `index.tsx:${event.line}`);
    assert.match(await consoleEl.locator("[role=status]").innerText(), new RegExp(`^Build error in index\\.tsx line ${event.line}: `));
    await assertAccessible(page, "console with a build error", "spike-console");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
