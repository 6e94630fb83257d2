/**
 * <spike-preview> keeps component state across edits (core/build/refresh.ts registers components, the frame's
 * refresh.ts keeps their identity), and mounts afresh, never broken, when an edit cannot keep it: real clicks in the
 * preview frame and real keystrokes in <spike-editor>, in Debian's Chromium, against the real Worker under workerd.
 * Fixtures and helpers are those of spike-preview-rendering.e2e.test.ts (test-support/preview-e2e.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Frame, Page } from "playwright-core";
import { editorReady, screenshots } from "../test-support/browser.js";
import { frameOverlay, frameText, previewFrame, previewStack } from "../test-support/preview-e2e.js";

const stack = previewStack("spike-preview-refresh-e2e", { needs: "preview/frame.js" });

const { open } = stack;
const shot = screenshots("spike-preview-refresh");

/** The counter fixture (test-support/preview-e2e.ts COUNTER) in a fresh room, clicked `clicks` times. */
async function counterAt(clicks: number): Promise<{ page: Page & { errors: string[] }; frame: Frame }> {
  const page = await open(`room.html?room=refresh-e2e-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
  const frame = await previewFrame(page);
  await frameText(frame, "#title", /Hello1/);
  for (let i = 0; i < clicks; i++) await frame.click("#count");
  await frameText(frame, "#count", new RegExp(`Clicked ${clicks} times`));
  await editorReady(page);
  await page.locator("spike-editor .view-lines").click();
  return { page, frame };
}

test("a counter clicked to 3 stays at 3 after an edit to a label", async () => {
  const { page, frame } = await counterAt(3);
  try {
    // The file ends `const title = "Hello" + 1` and a newline: end of file, then back onto that line.
    await page.keyboard.press("Control+End");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.type("23");
    assert.equal(await frameText(frame, "#title", /Hello123/), "Hello123");
    assert.equal(await frame.textContent("#count"), "Clicked 3 times");
    // The kept state is live: the next click counts on from 3 in the new code.
    await frame.click("#count");
    assert.equal(await frameText(frame, "#count", /Clicked 4 times/), "Clicked 4 times");
    await shot(page, "kept");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a syntax error typed mid-edit keeps the preview and its state; the edit that completes it renders", async () => {
  const { page, frame } = await counterAt(2);
  try {
    await page.keyboard.press("Control+End");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.type(" +");
    await page.waitForFunction(() => (window as any).events.some((e: any) => e.type === "spike-error" && e.kind === "build"), null, { timeout: 30_000 });
    assert.equal(await frame.textContent("#count"), "Clicked 2 times", "the frame still runs the last good version");
    await page.keyboard.type(' "!"');
    assert.equal(await frameText(frame, "#title", /Hello1!/), "Hello1!");
    assert.equal(await frame.textContent("#count"), "Clicked 2 times");
    assert.equal(await frameOverlay(frame), "");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("an edit that changes the hooks a component calls mounts it afresh, and the preview keeps working", async () => {
  const { page, frame } = await counterAt(3);
  try {
    // Line 3 is `export default function Counter() {`: a new first hook goes at its end.
    await page.keyboard.press("Control+Home");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type('const [label] = useState("Clicked");');
    // Typed one key at a time: states in between (`useSt`, `useState(`) fail to build or to render, then recover.
    await frameText(frame, "#count", /Clicked 0 times/);
    assert.equal(await frameOverlay(frame), "");
    await frame.click("#count");
    assert.equal(await frameText(frame, "#count", /Clicked 1 times/), "Clicked 1 times");
    await shot(page, "remounted");
    assert.match(await page.locator("spike-preview [part=status]").innerText(), /Live/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
