/**
 * <spike-playground> end to end: the built bundle served by the real Worker under workerd, in Debian's Chromium, with real
 * keys, mouse drags and (on an emulated 375x812 phone) touch swipes through CDP. One page load per scenario, several
 * checks on each: the inline files reach the editor and the preview, the separator moves by keyboard and by drag, the
 * layouts switch without re-creating the elements, parts are re-exported, axe finds nothing in each layout and in dark,
 * and on a phone the playground is stacked, fits the screen and lets a swipe scroll the page. Screenshots of each layout
 * go to test-results/spike-playground-*.png.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { CDPSession, Page } from "playwright-core";
import { assertAccessible as assertAccessibleIn } from "../test-support/axe.js";
import { screenshots } from "../test-support/browser.js";
import { COUNTER, FIXTURE_PATH, WAIT, frameText, previewFrame, previewStack } from "../test-support/preview-e2e.js";

const FILES = `
  <script type="text/plain" data-file="index.tsx">${COUNTER}</script>
  <script type="text/plain" data-file="notes.ts">export const notes = "second file";</script>`;

/** Page text around the playground, so the page is taller than the screen and can scroll. */
const PROSE = Array.from({ length: 12 }, (_, i) => `<p>Paragraph ${i + 1} of the article around the playground.</p>`).join("");

const PAGES: Record<string, string> = {
  "local.html": `<style>
      spike-playground::part(preview-frame) { outline: 3px solid rgb(1, 2, 3); }
      spike-playground::part(separator) { color: rgb(4, 5, 6); }
    </style>
    <button id="before">before</button>
    <spike-playground loading="eager">${FILES}</spike-playground>
    <button id="after">after</button>`,
  // A room (?room=) seeded from the inline files, with the chat, in the tabs layout.
  "room.html": `<script type="module">
      await customElements.whenDefined("spike-playground");
      const playground = document.createElement("spike-playground");
      Object.assign(playground, { room: new URLSearchParams(location.search).get("room"), layout: "tabs", chat: true, loading: "eager" });
      playground.innerHTML = document.getElementById("files").innerHTML;
      document.body.append(playground);
    </script>
    <template id="files">${FILES}</template>`,
  // A phone: an article with a playground in the middle (layout from ?layout=, stacked below 640 px unless ?stack-below=).
  "mobile.html": `<meta name="viewport" content="width=device-width, initial-scale=1">
    <h1>Article</h1>${PROSE}
    <spike-playground loading="eager">${FILES}</spike-playground>
    ${PROSE}
    <script type="module">
      const params = new URLSearchParams(location.search);
      const playground = document.querySelector("spike-playground");
      if (params.has("layout")) playground.setAttribute("layout", params.get("layout"));
      if (params.has("stack-below")) playground.setAttribute("stack-below", params.get("stack-below"));
    </script>`,
};

const stack = previewStack("spike-playground-e2e", { pages: PAGES });
const shot = screenshots("spike-playground");

/** axe over the playground and everything in it, with zero violations. */
const assertAccessible = (page: Page, state: string) => assertAccessibleIn(page, state, "spike-playground");

/** Open a fixture page at a desktop size; page errors are collected. */
async function open(path: string, viewport = { width: 1100, height: 760 }): Promise<Page & { errors: string[] }> {
  const page = (await stack.browser.newPage({ viewport })) as Page & { errors: string[] };
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  await page.goto(`${stack.worker.url.origin}/${FIXTURE_PATH}/${path}`);
  return page;
}

/** Wait until the playground's editor shows Monaco on a file whose text includes `needle`. */
async function editorShows(page: Page, needle: string): Promise<void> {
  await page.waitForFunction(
    (needle) => {
      const editor = document.querySelector("spike-playground")?.shadowRoot?.querySelector("spike-editor")?.shadowRoot;
      const loading = editor?.querySelector<HTMLElement>("[part=loading]");
      return !!loading?.hidden && (editor!.querySelector(".view-lines")?.textContent ?? "").replace(/\u00a0/g, " ").includes(needle);
    },
    needle,
    WAIT,
  );
}

/** The separator's value and the code pane's share of the row, in percent. */
function splitState(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector("spike-playground")!.shadowRoot!;
    const main = root.querySelector(".main")!.getBoundingClientRect();
    const code = root.querySelector("[part=code]")!.getBoundingClientRect();
    return {
      value: Number(root.querySelector("[role=separator]")!.getAttribute("aria-valuenow")),
      share: Math.round((code.width / main.width) * 100),
    };
  });
}

/** What has the keyboard focus, looking into the playground's shadow root: its `part`, or the element's tag. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const inner = document.querySelector("spike-playground")!.shadowRoot!.activeElement;
    return inner?.getAttribute("part") ?? inner?.localName ?? document.activeElement?.id ?? "";
  });
}

/** The panes shown (not display: none), by part, and the tab list's tabs. */
function shown(page: Page) {
  return page.evaluate(() => {
    // (No named functions in here: the test's transpiler would wrap them in a helper the page does not have.)
    const root = document.querySelector("spike-playground")!.shadowRoot!;
    const preview = root.querySelector("spike-preview")!;
    return {
      layout: document.querySelector("spike-playground")!.currentLayout,
      panes: ["code", "separator", "console", "chat"].filter((part) => (root.querySelector(`[part=${part}]`)?.getClientRects().length ?? 0) > 0),
      preview: preview.getClientRects().length > 0,
      tabs: [...root.querySelectorAll("[role=tab]")].map((tab) => `${tab.textContent!.trim()}${tab.getAttribute("aria-selected") === "true" ? "*" : ""}`),
    };
  });
}

test("split: the inline files run in the preview and open in the editor; the separator moves by keyboard and by drag", async () => {
  const page = await open("local.html");
  try {
    const frame = await previewFrame(page);
    assert.equal(await frameText(frame, "#title", /Hello1/), "Hello1");
    await editorShows(page, 'const title = "Hello" + 1');
    assert.deepEqual(await shown(page), { layout: "split", panes: ["code", "separator", "console"], preview: true, tabs: [] });

    // Parts are re-exported under the inner element's name; the playground's own are there as named.
    const styled = await page.evaluate(() => {
      const root = document.querySelector("spike-playground")!.shadowRoot!;
      const iframe = root.querySelector("spike-preview")!.shadowRoot!.querySelector("iframe")!;
      return { frame: getComputedStyle(iframe).outlineColor, separator: getComputedStyle(root.querySelector("[part=separator]")!).color };
    });
    assert.deepEqual(styled, { frame: "rgb(1, 2, 3)", separator: "rgb(4, 5, 6)" });

    // Keyboard only: back from the button after the playground to the separator, then move it.
    await page.focus("#after");
    for (let i = 0; i < 12 && (await focused(page)) !== "separator"; i++) await page.keyboard.press("Shift+Tab");
    assert.equal(await focused(page), "separator");
    assert.deepEqual(await splitState(page), { value: 50, share: 50 });
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    assert.deepEqual(await splitState(page), { value: 40, share: 40 });
    await page.keyboard.press("Shift+ArrowRight");
    assert.deepEqual(await splitState(page), { value: 60, share: 60 });
    await page.keyboard.press("End");
    assert.deepEqual(await splitState(page), { value: 80, share: 80 });
    await page.keyboard.press("Home");
    assert.deepEqual(await splitState(page), { value: 20, share: 20 });

    // Drag it with the mouse from 20% to 65% of the row, across where the preview's iframe is.
    const box = await page.evaluate(() => {
      const root = document.querySelector("spike-playground")!.shadowRoot!;
      const [main, separator] = [".main", "[part=separator]"].map((s) => root.querySelector(s)!.getBoundingClientRect().toJSON() as DOMRect);
      return { main: main!, separator: separator! };
    });
    const y = box.separator.top + box.separator.height / 2;
    await page.mouse.move(box.separator.left + box.separator.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(box.main.left + box.main.width * 0.65, y, { steps: 12 });
    await page.mouse.up();
    const dragged = await splitState(page);
    assert.ok(Math.abs(dragged.value - 65) <= 1 && Math.abs(dragged.share - 65) <= 1, JSON.stringify(dragged));
    // After the drag the preview takes clicks again.
    await frame.click("#count");
    assert.equal(await frameText(frame, "#count", /1 times/), "Clicked 1 times");
    await shot(page, "split");
    await assertAccessible(page, "playground, split");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("layouts switch in place (the same editor and preview), tabs by click and arrow keys, stacked in one column, and dark", async () => {
  const page = await open("local.html");
  try {
    const frame = await previewFrame(page);
    await frameText(frame, "#title", /Hello1/);
    await editorShows(page, "useState");
    await page.evaluate(() => {
      const root = document.querySelector("spike-playground")!.shadowRoot!;
      (window as any).inner = [root.querySelector("spike-editor"), root.querySelector("spike-preview")];
    });
    const setLayout = (layout: string) => page.evaluate((layout) => document.querySelector("spike-playground")!.setAttribute("layout", layout), layout);

    await setLayout("tabs");
    assert.deepEqual(await shown(page), { layout: "tabs", panes: ["code"], preview: false, tabs: ["Code*", "Preview", "Console"] });
    await editorShows(page, "useState");
    await shot(page, "tabs");
    await assertAccessible(page, "playground, tabs, code");
    await page.locator("spike-playground [role=tab]", { hasText: "Preview" }).click();
    assert.deepEqual(await shown(page), { layout: "tabs", panes: [], preview: true, tabs: ["Code", "Preview*", "Console"] });
    assert.equal(await frameText(frame, "#title", /Hello1/), "Hello1");
    await page.keyboard.press("ArrowRight");
    assert.deepEqual(await shown(page), { layout: "tabs", panes: ["console"], preview: false, tabs: ["Code", "Preview", "Console*"] });
    assert.equal(await focused(page), "view");
    await page.keyboard.press("Home");
    assert.deepEqual((await shown(page)).tabs, ["Code*", "Preview", "Console"]);
    await page.keyboard.press("ArrowLeft");
    assert.deepEqual((await shown(page)).tabs, ["Code", "Preview", "Console*"]);
    await assertAccessible(page, "playground, tabs, console");

    await setLayout("stacked");
    assert.deepEqual(await shown(page), { layout: "stacked", panes: ["code", "console"], preview: true, tabs: [] });
    const order = await page.evaluate(() => {
      const root = document.querySelector("spike-playground")!.shadowRoot!;
      return ["spike-editor", "spike-preview", "[part=console]"].map((s) => Math.round(root.querySelector(s)!.getBoundingClientRect().top));
    });
    assert.ok(order[0]! < order[1]! && order[1]! < order[2]!, `editor, preview, console top to bottom: ${order}`);
    await shot(page, "stacked");
    await assertAccessible(page, "playground, stacked");

    // Anything else counts as split; the elements inside were never re-created.
    await setLayout("grid");
    assert.equal((await shown(page)).layout, "split");
    const same = await page.evaluate(() => {
      const root = document.querySelector("spike-playground")!.shadowRoot!;
      const [editor, preview] = (window as any).inner;
      return editor === root.querySelector("spike-editor") && preview === root.querySelector("spike-preview");
    });
    assert.ok(same, "the editor and preview survive layout changes");

    // A file picked in the file tabs (their spike-file-select) and a console link (spike-navigate) move the editor.
    await page.evaluate(() => {
      const tabs = document.querySelector("spike-playground")!.shadowRoot!.querySelector("spike-tabs")!;
      tabs.dispatchEvent(new CustomEvent("spike-file-select", { detail: { file: "notes.ts" }, bubbles: true, composed: true }));
    });
    await editorShows(page, "second file");
    await setLayout("tabs");
    await page.locator("spike-playground [role=tab]", { hasText: "Console" }).click();
    const navigated = await page.evaluate(() => {
      const console = document.querySelector("spike-playground")!.shadowRoot!.querySelector("spike-console")!;
      const event = new CustomEvent("spike-navigate", { detail: { file: "index.tsx", line: 3, column: 1 }, bubbles: true, composed: true, cancelable: true });
      console.dispatchEvent(event);
      return event.defaultPrevented;
    });
    assert.ok(navigated, "the playground handles the link itself");
    assert.deepEqual((await shown(page)).tabs, ["Code*", "Preview", "Console"]);
    await editorShows(page, "useState");
    assert.equal(await page.evaluate(() => document.querySelector("spike-playground")!.getAttribute("file")), "index.tsx");

    await setLayout("split");
    await page.evaluate(() => document.querySelector("spike-playground")!.setAttribute("theme", "dark"));
    const background = await page.evaluate(() => getComputedStyle(document.querySelector("spike-playground")!.shadowRoot!.querySelector("[part=base]")!).backgroundColor);
    assert.equal(background, "rgb(30, 30, 30)");
    await shot(page, "dark");
    await assertAccessible(page, "playground, split, dark");
    await setLayout("tabs");
    await shot(page, "tabs-dark");
    await assertAccessible(page, "playground, tabs, dark");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("on a room, the inline files seed it and run; with `chat`, the tabs layout has a Chat view", async () => {
  const room = `playground-e2e-${Date.now().toString(36)}`;
  const page = await open(`room.html?room=${room}`);
  try {
    assert.deepEqual((await shown(page)).tabs, ["Code*", "Preview", "Console", "Chat"]);
    await editorShows(page, "useState");
    await page.locator("spike-playground [role=tab]", { hasText: "Preview" }).click();
    const frame = await previewFrame(page);
    assert.equal(await frameText(frame, "#title", /Hello1/), "Hello1");
    const session = await (await fetch(new URL(`/live/${room}/session.json`, stack.worker.url))).json();
    assert.deepEqual(Object.keys(session.files).sort(), ["index.tsx", "notes.ts"]);
    await page.locator("spike-playground [role=tab]", { hasText: "Chat" }).click();
    await page.locator("spike-playground spike-chat [part=input]").waitFor(WAIT);
    assert.deepEqual((await shown(page)).panes, ["chat"]);
    await shot(page, "tabs-chat");
    await assertAccessible(page, "playground, tabs, chat");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

/** A 375x812 phone with touch, as Chromium emulates it. */
async function openPhone(path: string): Promise<{ page: Page & { errors: string[] }; cdp: CDPSession }> {
  const context = await stack.browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = (await context.newPage()) as Page & { errors: string[] };
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  await page.goto(`${stack.worker.url.origin}/${FIXTURE_PATH}/${path}`);
  return { page, cdp: await context.newCDPSession(page) };
}

/** Swipe a finger up by `distance` px from (x, y), as real touch input (CDP), and return how far the page scrolled. */
async function swipeUp(page: Page, cdp: CDPSession, x: number, y: number, distance = 240): Promise<number> {
  const before = await page.evaluate(() => scrollY);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y }] });
  for (let i = 1; i <= 12; i++) {
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x, y: y - (distance * i) / 12 }] });
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  // The page scrolls over several frames after the finger lifts: wait for it to start, then to stand still.
  await page.waitForFunction((before) => scrollY > before, before, { timeout: 5_000 }).catch(() => {});
  let last = -1;
  for (let still = 0; still < 4; ) {
    await page.waitForTimeout(50);
    const now = await page.evaluate(() => scrollY);
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last - before;
}

/** The rightmost edge of the playground and of every part in it (and in the elements inside), and the page's scroll width. */
function overflow(page: Page) {
  return page.evaluate(() => {
    // The playground, its parts and each part of the elements inside (not Monaco's own layers, which it clips).
    let right = document.querySelector("spike-playground")!.getBoundingClientRect().right;
    const roots: ShadowRoot[] = [document.querySelector("spike-playground")!.shadowRoot!];
    for (let root = roots.pop(); root; root = roots.pop()) {
      for (const el of root.querySelectorAll("[part], spike-tabs, spike-editor, spike-preview, spike-console, spike-chat")) {
        const rect = el.getBoundingClientRect();
        if (rect.width > 0) right = Math.max(right, rect.right);
        if (el.shadowRoot) roots.push(el.shadowRoot);
      }
    }
    return { right: Math.round(right), scrollWidth: document.documentElement.scrollWidth };
  });
}

/** Where an inner element is on screen (its centre), after scrolling it into view. */
async function centreOf(page: Page, selector: string): Promise<{ x: number; y: number; height: number; width: number }> {
  return page.evaluate((selector) => {
    const el = document.querySelector("spike-playground")!.shadowRoot!.querySelector(selector)!;
    el.scrollIntoView({ block: "start" });
    scrollBy(0, -80);
    const r = el.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: Math.min(r.top + r.height / 2, innerHeight - 300), height: r.height, width: r.width };
  }, selector);
}

test("on a 375x812 touch phone the playground is stacked with editor and preview, fits the screen, and swipes scroll the page", async () => {
  const { page, cdp } = await openPhone("mobile.html");
  try {
    // Chromium does not run frames of another site that are off screen (the frame's waits would never tick).
    await page.evaluate(() => document.querySelector("spike-playground")!.shadowRoot!.querySelector("spike-preview")!.scrollIntoView());
    const frame = await previewFrame(page);
    assert.equal(await frameText(frame, "#title", /Hello1/), "Hello1");
    await editorShows(page, "useState");
    assert.deepEqual(await shown(page), { layout: "stacked", panes: ["code", "console"], preview: true, tabs: [] });
    const sizes = await page.evaluate(() => {
      const root = document.querySelector("spike-playground")!.shadowRoot!;
      return ["spike-editor", "spike-preview"].map((s) => {
        const r = root.querySelector(s)!.getBoundingClientRect();
        return { width: Math.round(r.width), tall: r.height >= 200 };
      });
    });
    const width = await page.evaluate(() => Math.round(document.querySelector("spike-playground")!.getBoundingClientRect().width));
    assert.deepEqual(sizes, [
      { width: width - 2, tall: true },
      { width: width - 2, tall: true },
    ]);
    const { right, scrollWidth } = await overflow(page);
    assert.ok(right <= 375 && scrollWidth === 375, `right edge ${right}, scroll width ${scrollWidth}`);

    // Swipes over the editor, the preview and the console scroll the page.
    for (const target of ["spike-editor", "spike-preview", "[part=console]"]) {
      const at = await centreOf(page, target);
      const scrolled = await swipeUp(page, cdp, at.x, at.y);
      assert.ok(scrolled > 50, `a swipe over ${target} scrolled the page by ${scrolled} px`);
    }
    await page.evaluate(() => document.querySelector("spike-playground")!.scrollIntoView());
    await shot(page, "mobile-stacked");
    await assertAccessible(page, "playground, phone, stacked");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test("on a 375 px phone with stacking turned off, the tabs and split layouts still fit the screen", async () => {
  for (const layout of ["tabs", "split"]) {
    const { page } = await openPhone(`mobile.html?layout=${layout}&stack-below=0`);
    try {
      await editorShows(page, "useState");
      assert.equal((await shown(page)).layout, layout);
      const { right, scrollWidth } = await overflow(page);
      assert.ok(right <= 375 && scrollWidth === 375, `${layout}: right edge ${right}, scroll width ${scrollWidth}`);
      await page.evaluate(() => document.querySelector("spike-playground")!.scrollIntoView());
      await shot(page, `mobile-${layout}`);
      assert.deepEqual(page.errors, []);
    } finally {
      await page.context().close();
    }
  }
});
