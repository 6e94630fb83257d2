/**
 * <spike-editor> for keyboard, screen reader, reduced-motion and touch users, end to end: the built bundle (a private copy
 * of dist/site) served by the real Worker under workerd, driven in Debian's Chromium with real keystrokes, and on a
 * 375x812 touch device (Chromium's mobile emulation) with touch events sent through the DevTools protocol. What a screen
 * reader would say is read from Chromium's accessibility tree. Screenshots go to test-results/a11y-keyboard-*.png.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type CDPSession, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { assertAccessible } from "../test-support/axe.js";
import { copySite, editorReady, screenshots, writeFixturePages } from "../test-support/browser.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };
const SITE = copySite("a11y-keyboard");
const APP = `export function App() {\n  return <p>Hello</p>;\n}\n`;
/** Long enough that its last line sits low in the editor, where a soft keyboard would cover it. */
const LONG_APP = `${APP}${Array.from({ length: 8 }, (_, i) => `// note ${i + 1}`).join("\n")}\n`;
const SPACER = `<p style="height: 900px; margin: 0">Text above and below the embeds.</p>`;

const FIXTURES: Record<string, string> = {
  "keyboard.html": `<button id="before">Before</button>
    <spike-editor loading="eager"><script type="text/plain" data-file="index.tsx">${APP}</script></spike-editor>
    <button id="after">After</button>
    <spike-chat loading="eager" room="a11y-motion" style="display: none"></spike-chat>`,
  "mobile.html": `<h1>Reading on a phone</h1>
    <spike-editor id="live" loading="eager"><script type="text/plain" data-file="index.tsx">${LONG_APP}</script></spike-editor>
    ${SPACER}
    <spike-editor id="lite" loading="click"><script type="text/plain" data-file="index.tsx">${APP}</script></spike-editor>
    ${SPACER}${SPACER}`,
};
const HEAD = `<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 16px; font-family: system-ui; } spike-editor { --spike-editor-height: 260px; }</style>`;

let worker: TestWorker;
let origin: string;
let browser: Browser;
const shot = screenshots("a11y-keyboard");

before(async () => {
  writeFixturePages(join(SITE, "__a11y"), FIXTURES, HEAD);
  worker = await startTestWorker({ assets: SITE });
  origin = worker.url.origin;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

/** What has the focus: an id on the page, or `editor` for Monaco's editing surface inside the first <spike-editor>. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (active?.localName !== "spike-editor") return active?.id || active?.localName || "";
    return active.shadowRoot!.activeElement?.matches(".native-edit-context, textarea.inputarea") ? "editor" : "spike-editor (elsewhere)";
  });
}

/** The focused node as Chromium's accessibility tree has it: what a screen reader announces on focus. */
async function focusedNode(cdp: CDPSession): Promise<{ role: string; name: string; description: string }> {
  const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as {
    nodes: { role?: { value: string }; name?: { value: string }; description?: { value: string }; properties?: { name: string; value: { value: unknown } }[] }[];
  };
  // The document counts as focused too: the focused node is the last one (the deepest).
  const node = nodes.findLast((n) => n.properties?.some((p) => p.name === "focused" && p.value.value === true));
  assert.ok(node, "a focused node in the accessibility tree");
  return { role: node.role?.value ?? "", name: node.name?.value ?? "", description: node.description?.value ?? "" };
}

/** The text of `selector` in the first <spike-editor>'s shadow root, "" when hidden or absent. */
function visibleText(page: Page, selector: string): Promise<string> {
  return page.evaluate((s) => {
    const el = document.querySelector("spike-editor")!.shadowRoot!.querySelector<HTMLElement>(s);
    return el && !el.hidden && el.getClientRects().length > 0 ? el.innerText.replace(/\u00a0/g, " ") : "";
  }, selector);
}

/** The polite live region of the keyboard hint (what a screen reader says when Tab's meaning changes). */
function announcement(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector("spike-editor")!.shadowRoot!.querySelector(".visually-hidden[aria-live]")?.textContent ?? "");
}

function editorText(page: Page): Promise<string> {
  return page.evaluate(() =>
    [...document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll<HTMLElement>(".view-line")]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((l) => l.textContent!.replace(/\u00a0/g, " "))
      .join("\n"),
  );
}

test("keyboard only: Tab enters the editor, the way out is shown and announced, Esc then Tab (or Ctrl+M) leaves it", async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 500 } });
  const cdp = await page.context().newCDPSession(page);
  try {
    await page.goto(`${origin}/__a11y/keyboard.html`);
    await editorReady(page);
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "before");
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "editor", "Tab goes from the button into the editor");
    assert.match(await visibleText(page, "[part=hint]"), /Press Esc then Tab to leave the editor/);
    assert.match(await visibleText(page, "[part=keys]"), /Esc, Tab: leave/);
    const node = await focusedNode(cdp);
    assert.equal(node.name, "Code editor: index.tsx");
    assert.match(node.description, /Press Esc then Tab to leave the editor, or Ctrl\+M to make Tab move focus/);
    await assertAccessible(page, "editor focused from the keyboard, hint shown", "spike-editor");
    await shot(page, "hint");

    // Tab alone stays in the editor and indents (that is what it is for); the hint goes once the reader types.
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "editor");
    await page.waitForFunction(() => document.querySelector("spike-editor")!.shadowRoot!.querySelector(".view-line")!.textContent!.length > 20, null, WAIT);
    assert.match(await editorText(page), /^\s+export function App/);
    assert.equal(await visibleText(page, "[part=hint]"), "");

    // Escape arms Tab for one press: it is announced, and Tab leaves to the next focusable element.
    await page.keyboard.press("Escape");
    assert.equal(await announcement(page), "Press Tab to leave the editor");
    assert.match(await visibleText(page, "[part=hint]"), /Press Tab to leave the editor/);
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "after", "Esc then Tab leaves the editor");
    assert.match(await editorText(page), /^\s+export function App/, "the Tab that left inserted nothing");
    assert.equal(await visibleText(page, "[part=keys]"), "", "the status bar note goes with the focus");

    // Shift+Tab comes back; Escape followed by another key leaves Tab indenting.
    await page.keyboard.press("Shift+Tab");
    assert.equal(await focused(page), "editor");
    assert.match(await visibleText(page, "[part=hint]"), /Press Esc then Tab/);
    await page.keyboard.press("Escape");
    await page.keyboard.press("End");
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "editor", "Escape then another key does not arm Tab");

    // Ctrl+M: Tab moves focus until pressed again, announced each time.
    await page.keyboard.press("Control+m");
    assert.equal(await announcement(page), "Tab moves focus out of the editor");
    assert.match(await visibleText(page, "[part=keys]"), /Tab moves focus/);
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "after");
    await page.keyboard.press("Shift+Tab");
    assert.equal(await focused(page), "editor");
    await page.keyboard.press("Shift+Tab");
    assert.equal(await focused(page), "before", "Shift+Tab leaves backwards while Tab moves focus");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Control+m");
    assert.equal(await announcement(page), "Tab inserts a tab");
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "editor");

    // A pointer user gets no hint.
    await page.locator("#after").focus();
    await page.locator("spike-editor .view-lines").click();
    assert.equal(await focused(page), "editor");
    assert.equal(await visibleText(page, "[part=hint]"), "");
  } finally {
    await page.close();
  }
});

test("prefers-reduced-motion: the caret does not blink and nothing animates", async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 500 }, reducedMotion: "reduce" });
  try {
    await page.goto(`${origin}/__a11y/keyboard.html`);
    await editorReady(page);
    // Monaco's caret blinks only in a focused editor.
    await page.locator("spike-editor .view-lines").click();
    // Monaco blinks its caret from script, hiding the caret every half second: record whenever it does.
    await page.evaluate(() => {
      const layer = document.querySelector("spike-editor")!.shadowRoot!.querySelector<HTMLElement>(".cursors-layer")!;
      const w = window as unknown as { caretHidden: number };
      w.caretHidden = 0;
      new MutationObserver(() => {
        if ([...layer.querySelectorAll<HTMLElement>(".cursor")].some((caret) => caret.style.visibility === "hidden")) w.caretHidden++;
      }).observe(layer, { attributes: true, subtree: true });
    });
    const motion = () =>
      page.evaluate(() => {
        const editor = document.querySelector("spike-editor")!.shadowRoot!;
        const chat = document.querySelector("spike-chat")!.shadowRoot!;
        return {
          spinner: getComputedStyle(editor.querySelector(".spinner")!).animationName,
          chat: [...chat.querySelectorAll("*")].map((el) => getComputedStyle(el).animationName).filter((name) => name !== "none"),
        };
      });
    assert.deepEqual(await motion(), { spinner: "none", chat: [] });
    await new Promise((resolve) => setTimeout(resolve, 1500)); // three of Monaco's blink intervals
    assert.equal(await page.evaluate(() => (window as unknown as { caretHidden: number }).caretHidden), 0, "the caret never blinked");
    // The control: without the preference the caret blinks and the spinner turns.
    await page.emulateMedia({ reducedMotion: "no-preference" });
    await page.waitForFunction(() => (window as unknown as { caretHidden: number }).caretHidden > 0, null, WAIT);
    assert.equal((await motion()).spinner, "spin");
  } finally {
    await page.close();
  }
});

test("on a 375x812 touch screen, swiping over an editor or a lite embed scrolls the page; a tap edits; the caret stays above the keyboard", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const scrollY = () => page.evaluate(() => Math.round(scrollY));
  /** A finger dragged up from `fromY` to `toY` at `x` (viewport px), then lifted; resolves once the page stops scrolling. */
  const swipe = async (x: number, fromY: number, toY: number) => {
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y: fromY }] });
    for (let i = 1; i <= 10; i++) {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x, y: fromY + ((toY - fromY) * i) / 10 }] });
    }
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    let last = -1;
    for (let still = 0; still < 5; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const now = await scrollY();
      still = now === last ? still + 1 : 0;
      last = now;
    }
  };
  const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
  try {
    await page.goto(`${origin}/__a11y/mobile.html`);
    await editorReady(page);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375, "nothing wider than the screen");

    const live = await box("#live");
    assert.equal(await scrollY(), 0);
    await swipe(live.x + live.width / 2, live.y + live.height - 20, live.y + 20);
    assert.ok((await scrollY()) > 100, `a swipe over the editor scrolled the page (scrollY ${await scrollY()})`);

    await page.evaluate(() => document.querySelector("#lite")!.scrollIntoView({ block: "center" }));
    const before = await scrollY();
    const lite = await box("#lite");
    await swipe(lite.x + 60, lite.y + lite.height - 20, lite.y + 20);
    assert.ok((await scrollY()) > before + 100, `a swipe over the lite embed scrolled the page (${before} -> ${await scrollY()})`);
    assert.equal(await page.evaluate(() => document.querySelector<HTMLElement & { isLive: boolean }>("#lite")!.isLive), false, "a swipe is not a tap");
    await shot(page, "mobile");

    // Tap to edit: a tap on the live editor's code puts the caret there and the soft keyboard would open.
    await page.evaluate(() => window.scrollTo(0, 0));
    const code = await box("#live");
    await page.touchscreen.tap(code.x + code.width / 2, code.y + 60);
    await page.waitForFunction(() => document.querySelector("#live")!.shadowRoot!.activeElement?.matches(".native-edit-context, textarea.inputarea"), null, WAIT);
    assert.equal(await visibleText(page, "[part=hint]"), "", "no keyboard hint for a tap");
    await page.keyboard.press("Control+End");

    // The soft keyboard takes the lower part of the screen (the visible viewport shrinks): the page scrolls the caret,
    // on the last line, from under it to above it.
    await page.evaluate(() => window.scrollTo(0, 0));
    const caretBottom = await page.evaluate(() => document.querySelector("#live")!.shadowRoot!.querySelector(".cursor")!.getBoundingClientRect().bottom);
    assert.ok(caretBottom > 260, `the caret (bottom ${caretBottom}) is where the keyboard will be`);
    await page.setViewportSize({ width: 375, height: 260 });
    await page.waitForFunction(
      () => {
        const caret = document.querySelector("#live")!.shadowRoot!.querySelector(".cursor")!.getBoundingClientRect();
        const viewport = visualViewport!;
        return caret.height > 0 && caret.top >= viewport.offsetTop && caret.bottom <= viewport.offsetTop + viewport.height;
      },
      null,
      WAIT,
    );
    await shot(page, "soft-keyboard");
  } finally {
    await context.close();
  }
});
