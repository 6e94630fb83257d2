/**
 * <spike-preview> end to end, rendering and editing: /api/config, keystrokes in <spike-editor> re-rendering the frame,
 * a local multi-file project with CSS and an npm package, build and runtime errors in the overlay, switching rooms,
 * import cycles, and inline files. Isolation and robustness (endless loops, the sandbox, floods, missing packages) are
 * in spike-preview-isolation.e2e.test.ts; the fixtures and helpers both use are in test-support/preview-e2e.ts.
 *
 * The built site (dist/site: spike.js, the preview frame, the offline npm modules) is served by the real Worker under
 * workerd, in Debian's Chromium. The page is on 127.0.0.1 and the frame on localhost (another site, as /api/config
 * says); edits are real keystrokes in <spike-editor>, and the frame's DOM is read through Playwright's frame handle.
 * Screenshots of each state go to test-results/.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { editorReady, screenshots } from "../test-support/browser.js";
import { WAIT, frameOverlay, frameText, previewFrame, previewStack } from "../test-support/preview-e2e.js";

const stack = previewStack("spike-preview-rendering-e2e", { needs: "preview/frame.js" });

const { open, putFile } = stack;

const shot = screenshots("spike-preview");

test("GET /api/config names the other loopback site as the preview origin, readable from any page", async () => {
  const response = await fetch(new URL("/api/config", stack.worker.url));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
  assert.deepEqual(await response.json(), {
    previewOrigin: `http://localhost:${stack.worker.url.port}`,
    clerkPublishableKey: null,
    aiModels: ["gpt-4o-mini", "gpt-4.1-mini", "claude-haiku-4-5"],
  });
  const frame = await fetch(new URL("/preview/frame.js", stack.worker.url));
  assert.equal(frame.status, 200);
  assert.equal(frame.headers.get("x-content-type-options"), "nosniff");
  assert.match(frame.headers.get("content-security-policy") ?? "", /script-src 'self' blob:/);
});

test("typing in the editor re-renders the React app in the frame, which keeps working", async () => {
  const room = `preview-e2e-${Date.now().toString(36)}`;
  const page = await open(`room.html?room=${room}`);
  try {
    const frame = await previewFrame(page);
    assert.equal(new URL(frame.url()).origin, `http://localhost:${stack.worker.url.port}`);
    assert.equal(await frameText(frame, "#title", /Hello1/), "Hello1");
    await frame.click("#count");
    await frame.click("#count");
    assert.equal(await frameText(frame, "#count", /2 times/), "Clicked 2 times");

    await editorReady(page);
    await page.locator("spike-editor .view-lines").click();
    // The file ends `const title = "Hello" + 1` and a newline: end of file, then back onto that line.
    await page.keyboard.press("Control+End");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.type("23");
    assert.equal(await frameText(frame, "#title", /Hello123/), "Hello123");
    assert.ok(await page.evaluate(() => (window as any).events.some((e: any) => e.type === "spike-render" && e.mode === "react")));
    await frame.click("#count");
    assert.match(await frameText(frame, "#count", /Clicked \d+ times/), /Clicked \d+ times/);
    assert.match(await page.locator("spike-preview [part=status]").innerText(), /index\.tsx\s+Live/);
    await shot(page, "room");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a local multi-file project with CSS and an npm package renders styled; CSS edits and the entry attribute apply", async () => {
  const page = await open("local.html");
  try {
    const frame = await previewFrame(page);
    await frameText(frame, "#badge", /styled/);
    const style = () =>
      frame.evaluate(() => {
        const s = getComputedStyle(document.getElementById("badge")!);
        return { color: s.color, letterSpacing: s.letterSpacing, borderRadius: s.borderRadius };
      });
    assert.deepEqual(await style(), { color: "rgb(200, 30, 40)", letterSpacing: "2px", borderRadius: "999px" });

    // The editor shares the preview's local project (same `project`); point it at the stylesheet and type a rule.
    await page.locator("spike-editor").evaluate((el) => el.setAttribute("file", "styles.css"));
    await page.waitForFunction(
      () => document.querySelector("spike-editor")!.shadowRoot!.querySelector(".view-lines")?.textContent?.includes(".wide"),
      null,
      WAIT,
    );
    await page.locator("spike-editor .view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("#badge { color: rgb(0, 128, 0); }");
    await frame.waitForFunction(() => getComputedStyle(document.getElementById("badge")!).color === "rgb(0, 128, 0)", null, WAIT);
    assert.equal(await frame.evaluate(() => document.querySelectorAll("style[data-spike-file]").length), 1);
    await shot(page, "local-css");

    await page.locator("spike-preview").evaluate((el) => el.setAttribute("entry", "other.tsx"));
    assert.equal(await frameText(frame, "#other", /the other entry/), "the other entry");
    assert.match(await page.locator("spike-preview [part=status]").innerText(), /other\.tsx/);
    await page.locator("spike-preview").evaluate((el) => el.removeAttribute("entry"));
    await frameText(frame, "#badge", /styled/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a syntax error shows the overlay at its line; the next valid edit clears it; runtime errors point at file:line", async () => {
  const room = `preview-e2e-syntax-${Date.now().toString(36)}`;
  const page = await open(`room.html?room=${room}`);
  try {
    const frame = await previewFrame(page);
    await frameText(frame, "#title", /Hello1/);
    await editorReady(page);
    await page.locator("spike-editor .view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.type(")");
    const overlay = page.locator("spike-preview [part=error]");
    await overlay.waitFor({ state: "visible", ...WAIT });
    assert.match(await overlay.innerText(), /index\.tsx:13:\d+/);
    const buildError = await page.evaluate(() => (window as any).events.find((e: any) => e.type === "spike-error"));
    assert.equal(buildError.kind, "build");
    assert.equal(buildError.file, "index.tsx");
    assert.equal(buildError.line, 13);
    // The last good render stays underneath.
    assert.equal(await frame.textContent("#title"), "Hello1");
    await shot(page, "syntax-error");

    await page.keyboard.press("Backspace");
    await overlay.waitFor({ state: "hidden", ...WAIT });
    await frameText(frame, "#title", /Hello1/);

    // A runtime error thrown while the module runs: the frame's overlay names the file and line.
    await page.keyboard.type('; throw new Error("boom")');
    await frame.waitForFunction(
      () => /boom/.test(document.querySelector("spike-error-overlay")?.shadowRoot?.textContent ?? ""),
      null,
      WAIT,
    );
    assert.match(await frameOverlay(frame), /index\.tsx:13:\d+/);
    const runtime = await page.evaluate(() => (window as any).events.findLast((e: any) => e.type === "spike-error"));
    assert.deepEqual([runtime.kind, runtime.file, runtime.line], ["runtime", "index.tsx", 13]);
    // The status bar renders on the element's next update after the event: wait for it, then read it.
    const status = page.locator("spike-preview [part=status]");
    await status.filter({ hasText: /Error in index\.tsx:13/ }).waitFor(WAIT);
    assert.match(await status.innerText(), /Error in index\.tsx:13/);
    await shot(page, "runtime-error");

    for (let i = 0; i < '; throw new Error("boom")'.length; i++) await page.keyboard.press("Backspace");
    await frame.waitForFunction(() => !document.querySelector("spike-error-overlay")?.shadowRoot?.querySelector(".overlay:not([hidden])"), null, WAIT);
    await frameText(frame, "#title", /Hello1/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("changing the room attribute switches the preview to the other room", async () => {
  const [a, b] = [`preview-e2e-a-${Date.now().toString(36)}`, `preview-e2e-b-${Date.now().toString(36)}`];
  await putFile(a, "index.tsx", 'export default () => <p id="which">room a</p>;\n');
  await putFile(b, "index.tsx", 'export default () => <p id="which">room b</p>;\n');
  const page = await open(`preview.html?room=${a}`);
  try {
    let frame = await previewFrame(page);
    await frameText(frame, "#which", /room a/);
    await page.locator("spike-preview").evaluate((el, room) => el.setAttribute("room", room), b);
    frame = await previewFrame(page);
    await frameText(frame, "#which", /room b/);
    // A live edit through the headless API reaches the preview too.
    await putFile(b, "index.tsx", 'export default () => <p id="which">room b, edited</p>;\n');
    await frameText(frame, "#which", /edited/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("modules that import each other (a cycle) run, and keep running after an edit to one of them", async () => {
  const room = `preview-e2e-cycle-${Date.now().toString(36)}`;
  await putFile(room, "a.ts", 'import { name } from "./index";\nexport const label = () => `label of ${name}`;\n');
  await putFile(
    room,
    "index.tsx",
    'import { label } from "./a";\nexport const name = "cycle";\nexport default function App() { return <p id="cycle">{label()}</p>; }\n',
  );
  const page = await open(`preview.html?room=${room}`);
  try {
    const frame = await previewFrame(page);
    await frameText(frame, "#cycle", /label of cycle/);
    await putFile(room, "a.ts", 'import { name } from "./index";\nexport const label = () => `new label of ${name}`;\n');
    await frameText(frame, "#cycle", /new label of cycle/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("with no room a preview runs its own inline files (a module without a default export just runs); so does one created later", async () => {
  const page = await open("solo.html");
  try {
    const frame = await previewFrame(page);
    assert.equal(await frameText(frame, "#plain", /plain module/), "plain module");
    await page.waitForFunction(() => (window as any).events.some((e: any) => e.type === "spike-render"), null, WAIT);
    const events = await page.evaluate(() => (window as any).events);
    const logged = events.find((e: any) => e.type === "spike-console");
    assert.deepEqual(logged.args, ["ran", '{ greeting: "plain module" }']);
    assert.deepEqual(
      [logged.level, logged.file, logged.line, logged.values.map((v: any) => [v.type, v.text])],
      ["info", "index.tsx", 6, [["string", "ran"], ["object", '{greeting: "plain module"}']]],
    );
    assert.equal(events.find((e: any) => e.type === "spike-render").mode, "module");

    await page.evaluate(() => {
      const preview = document.createElement("spike-preview");
      preview.innerHTML = '<script type="text/plain" data-file="index.tsx">export default () => <b id="late">late</b>;<\/script>';
      document.querySelector(".row")!.append(preview);
    });
    assert.equal(await frameText(await previewFrame(page, 1), "#late", /late/), "late");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
