/**
 * <spike-preview> end to end: the built site (dist/site: spike.js, the preview frame, the offline npm modules) served by
 * the real Worker under workerd, in Debian's Chromium. The page is on 127.0.0.1 and the frame on localhost (another
 * site, as /api/config says); edits are real keystrokes in <spike-editor>, and the frame's DOM is read through
 * Playwright's frame handle. Screenshots of each state go to test-results/.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, editorReady, screenshots, writeFixturePages } from "../test-support/browser.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };

/**
 * The Worker serves a snapshot of dist/site plus the fixture pages, so a concurrent `npm run build` (which makes wrangler
 * reload and drop requests mid-test) cannot disturb it. Removed afterwards.
 */
const SITE = copySite("spike-preview-e2e", "preview/frame.js");
const FIXTURE_DIR = join(SITE, "__preview-e2e");

const COUNTER = `
  import { useState } from "react";

  export default function Counter() {
    const [count, setCount] = useState(0);
    return (
      <main>
        <h1 id="title">{title}</h1>
        <button id="count" onClick={() => setCount(count + 1)}>Clicked {count} times</button>
      </main>
    );
  }

  const title = "Hello" + 1`;

const FIXTURES: Record<string, string> = {
  // Editor and preview on one room (?room=), created by script once the bundle has defined them.
  "room.html": `<script type="module">
    await customElements.whenDefined("spike-preview");
    const room = new URLSearchParams(location.search).get("room");
    const editor = Object.assign(document.createElement("spike-editor"), { room });
    editor.innerHTML = \`<script type="text/plain" data-file="index.tsx">${COUNTER.replace(/`/g, "\\`")}<\\/script>\`;
    const preview = Object.assign(document.createElement("spike-preview"), { room });
    document.querySelector(".row").append(editor, preview);
  </script><div class="row"></div>`,
  // A local project shared by name: the editor edits styles.css, the preview carries the files.
  "local.html": `<div class="row">
    <spike-editor project="styled" file="index.tsx"></spike-editor>
    <spike-preview project="styled">
      <script type="text/plain" data-file="index.tsx">
        import { Badge } from "./components/Badge";
        import "./styles.css";

        export default function App() {
          return <Badge label="styled" />;
        }
      </script>
      <script type="text/plain" data-file="components/Badge.tsx">
        import clsx from "clsx";

        export function Badge({ label }: { label: string }) {
          return <p id="badge" className={clsx("badge", { wide: label.length > 3 })}>{label}</p>;
        }
      </script>
      <script type="text/plain" data-file="styles.css">
        .badge { color: rgb(200, 30, 40); padding: 4px 10px; border: 2px solid currentColor; border-radius: 999px; }
        .wide { letter-spacing: 2px; }
      </script>
      <script type="text/plain" data-file="other.tsx">
        export default function Other() { return <p id="other">the other entry</p>; }
      </script>
    </spike-preview>
  </div>`,
  // No room, no project: the preview's own inline files; a second preview is created later by script.
  "solo.html": `<div class="row"><spike-preview>
      <script type="text/plain" data-file="index.tsx">
        import { greeting } from "./greeting";
        const p = document.createElement("p");
        p.id = "plain";
        p.textContent = greeting;
        document.getElementById("root")!.append(p);
        console.info("ran", { greeting });
      </script>
      <script type="text/plain" data-file="greeting.ts">export const greeting: string = "plain module";</script>
    </spike-preview></div>`,
  // A preview alone on room ?room=, its files written by the test over HTTP.
  "preview.html": `<script type="module">
    await customElements.whenDefined("spike-preview");
    const room = new URLSearchParams(location.search).get("room");
    document.querySelector(".row").append(Object.assign(document.createElement("spike-preview"), { room }));
  </script><div class="row"></div>`,
};

/** What every fixture page adds to its head: the layout, and a record of the preview's events. */
const FIXTURE_HEAD = `<style>
  body { margin: 16px; font-family: system-ui; }
  .row { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
  spike-editor, spike-preview { --spike-editor-height: 260px; --spike-preview-height: 260px; }
</style>
<script>
  window.events = [];
  for (const type of ["spike-render", "spike-error", "spike-console"]) {
    addEventListener(type, (e) => window.events.push({ type, ...e.detail }));
  }
</script>`;

let worker: TestWorker;
let origin: string;
let browser: Browser;

before(async () => {
  writeFixturePages(FIXTURE_DIR, FIXTURES, FIXTURE_HEAD);
  worker = await startTestWorker({ assets: SITE });
  origin = worker.url.origin;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

/** Open a fixture page; uncaught page errors are collected for the test to assert on. */
async function open(path: string): Promise<Page & { errors: string[] }> {
  const page = (await browser.newPage({ viewport: { width: 1000, height: 340 } })) as Page & { errors: string[] };
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  await page.goto(`${origin}/__preview-e2e/${path}`);
  return page;
}

/** The nth preview's frame, once its runtime has rendered something. */
async function previewFrame(page: Page, index = 0): Promise<Frame> {
  const iframe = page.locator("spike-preview").nth(index).locator("iframe");
  await iframe.waitFor({ state: "attached", ...WAIT });
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    // Until the frame document loads, the iframe holds about:blank (and, across the process swap, maybe no frame).
    const frame = await (await iframe.elementHandle())!.contentFrame();
    if (frame?.url().includes("/preview/frame")) return frame;
    if (Date.now() > deadline) throw new Error(`the preview frame never loaded (at ${frame?.url()})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Text of `selector` inside the frame once it matches `expected`. */
async function frameText(frame: Frame, selector: string, expected: RegExp): Promise<string> {
  await frame
    .waitForFunction(
      ({ selector, source }) => new RegExp(source).test(document.querySelector(selector)?.textContent ?? ""),
      { selector, source: expected.source },
      WAIT,
    )
    .catch(async (error) => {
      const page = frame.page();
      const seen = await frame.evaluate(() => document.body.innerText).catch((e) => `(${e.message})`);
      const status = await page.locator("spike-preview [part=status]").first().innerText().catch(() => "?");
      const events = await page.evaluate(() => JSON.stringify((window as any).events.slice(-5))).catch(() => "?");
      throw new Error(`${selector} never matched ${expected}; frame shows ${JSON.stringify(seen)}, status ${JSON.stringify(status)}, events ${events}`, { cause: error });
    });
  return (await frame.textContent(selector)) ?? "";
}

/** The frame's error overlay text ("" when hidden). */
function frameOverlay(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const overlay = document.querySelector("spike-error-overlay")?.shadowRoot?.querySelector<HTMLElement>(".overlay");
    return overlay && !overlay.hidden ? overlay.innerText : "";
  });
}

/** Replace a room's file through the headless HTTP API (the same Yjs path an editor's edits take). */
async function putFile(room: string, name: string, text: string): Promise<void> {
  const response = await fetch(new URL(`/live/${room}/files/${name}`, worker.url), { method: "PUT", body: text });
  assert.equal(response.status, 200, await response.text());
}

const shot = screenshots("spike-preview");

test("GET /api/config names the other loopback site as the preview origin, readable from any page", async () => {
  const response = await fetch(new URL("/api/config", worker.url));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
  assert.deepEqual(await response.json(), {
    previewOrigin: `http://localhost:${worker.url.port}`,
    clerkPublishableKey: null,
    aiModels: ["gpt-4o-mini", "gpt-4.1-mini", "claude-haiku-4-5"],
  });
  const frame = await fetch(new URL("/preview/frame.js", worker.url));
  assert.equal(frame.status, 200);
  assert.equal(frame.headers.get("x-content-type-options"), "nosniff");
  assert.match(frame.headers.get("content-security-policy") ?? "", /script-src 'self' blob:/);
});

test("typing in the editor re-renders the React app in the frame, which keeps working", async () => {
  const room = `preview-e2e-${Date.now().toString(36)}`;
  const page = await open(`room.html?room=${room}`);
  try {
    const frame = await previewFrame(page);
    assert.equal(new URL(frame.url()).origin, `http://localhost:${worker.url.port}`);
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
    assert.match(await page.locator("spike-preview [part=status]").innerText(), /Error in index\.tsx:13/);
    await shot(page, "runtime-error");

    for (let i = 0; i < '; throw new Error("boom")'.length; i++) await page.keyboard.press("Backspace");
    await frame.waitForFunction(() => !document.querySelector("spike-error-overlay")?.shadowRoot?.querySelector(".overlay:not([hidden])"), null, WAIT);
    await frameText(frame, "#title", /Hello1/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("an endless loop in user code leaves the host page responsive and ends in a clear error", async () => {
  const room = `preview-e2e-loop-${Date.now().toString(36)}`;
  await putFile(room, "index.tsx", 'console.log("spinning");\nwhile (true) {}\nexport default function App() { return <p>never</p>; }\n');
  const page = await browser.newPage({ viewport: { width: 1000, height: 340 } });
  const spinning = new Promise<void>((resolve) => page.on("console", (m) => m.text() === "spinning" && resolve()));
  await page.goto(`${origin}/__preview-e2e/preview.html?room=${room}`);
  try {
    // The frame logs just before it starts looping. Its postMessage to the host only leaves once the loop ends (Blink
    // sends cross-process messages from a task), but DevTools hears the console call at once: that is our "it is looping".
    await spinning;
    const whileLooping = await page.evaluate(
      () =>
        new Promise<{ errors: number; title: string }>((resolve) =>
          requestAnimationFrame(() =>
            resolve({ errors: (window as any).events.filter((e: any) => e.type === "spike-error").length, title: document.title }),
          ),
        ),
    );
    assert.deepEqual(whileLooping, { errors: 0, title: "preview.html" });

    await page.waitForFunction(() => (window as any).events.some((e: any) => e.type === "spike-error"), null, WAIT);
    const error = await page.evaluate(() => (window as any).events.find((e: any) => e.type === "spike-error"));
    assert.equal(error.kind, "runtime");
    assert.match(error.message, /Infinite loop\? index\.tsx:2/);
    assert.equal(error.line, 2);
    const frame = await previewFrame(page);
    assert.match(await frameOverlay(frame), /Infinite loop\?/);
    await shot(page, "endless-loop");

    // The frame is alive afterwards: a fixed file renders.
    await putFile(room, "index.tsx", 'export default function App() { return <p id="ok">recovered</p>; }\n');
    await frameText(frame, "#ok", /recovered/);
  } finally {
    await page.close();
  }
});

test("the frame cannot read the host page, its cookies, or navigate it; forged messages are ignored", async () => {
  const room = `preview-e2e-isolation-${Date.now().toString(36)}`;
  await putFile(
    room,
    "index.tsx",
    `export default function App() {
  let doc = "readable";
  let nav = "navigated";
  try { doc = parent.document.title; } catch (error) { doc = "blocked"; }
  try { top!.location.href = "about:blank"; } catch (error) { nav = "blocked"; }
  return <p id="probe">{doc}|{document.cookie || "no cookies"}|{nav}</p>;
}
`,
  );
  const page = await open(`preview.html?room=${room}`);
  try {
    await page.evaluate(() => (document.cookie = "spike-secret=42; path=/"));
    assert.match(await page.evaluate(() => document.cookie), /spike-secret=42/);
    const frame = await previewFrame(page);
    assert.equal(await frameText(frame, "#probe", /\|/), "blocked|no cookies|blocked");
    assert.equal(await page.locator("spike-preview iframe").getAttribute("sandbox"), "allow-scripts allow-forms allow-same-origin");
    // The same from outside the user code, through the frame's own context.
    const fromFrame = await frame.evaluate(() => {
      let doc: string;
      try {
        doc = parent.document.cookie;
      } catch (error) {
        doc = (error as Error).name;
      }
      return { doc, cookie: document.cookie, origin: location.origin };
    });
    assert.deepEqual(fromFrame, { doc: "SecurityError", cookie: "", origin: `http://localhost:${worker.url.port}` });
    assert.equal(new URL(page.url()).pathname, "/__preview-e2e/preview");

    // A message that claims to come from the frame but does not (the host page posting to itself) is ignored.
    const before = await page.evaluate(() => (window as any).events.length);
    await page.evaluate(() => postMessage({ type: "spike:console", level: "log", args: ["forged"] }, "*"));
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
    assert.equal(await page.evaluate((n) => (window as any).events.slice(n).some((e: any) => e.args?.[0] === "forged"), before), false);
  } finally {
    await page.close();
  }
});

test("a preview that floods console.log and spike:ready is throttled by the host page, which stays responsive", async () => {
  const room = `preview-e2e-flood-${Date.now().toString(36)}`;
  const FLOOD = 5000;
  await putFile(
    room,
    "index.tsx",
    `// Counts the updates the host sends after this runs: each spike:ready the host acts on sends every module again.
(window as any).updatesSeen = 0;
addEventListener("message", (event) => {
  if (event.data?.type === "spike:update") (window as any).updatesSeen++;
});
// No loop statements, so the loop guard's time budget cannot cut the flood short on a slow machine.
Array.from({ length: ${FLOOD} }).forEach((_, i) => console.log("flood", i));
Array.from({ length: 500 }).forEach(() => parent.postMessage({ type: "spike:ready" }, "*"));
export default function App() { return <p id="flood">flooded</p>; }
`,
  );
  const page = await open(`preview.html?room=${room}`);
  try {
    const frame = await previewFrame(page);
    await frameText(frame, "#flood", /flooded/);
    // Every flood message is accounted for: passed on as a spike-console event, or counted in a "dropped" entry.
    const tally = () =>
      page.evaluate(() => {
        const consoles = (window as any).events.filter((e: any) => e.type === "spike-console");
        const delivered = consoles.filter((e: any) => e.args[0] === "flood").length;
        const summaries = consoles.map((e: any) => /^(\d+) console messages dropped/.exec(e.args[0] ?? "")).filter(Boolean);
        return { delivered, dropped: summaries.reduce((sum: number, m: any) => sum + Number(m[1]), 0), summaries: summaries.length };
      });
    await page
      .waitForFunction((total) => {
        const consoles = (window as any).events.filter((e: any) => e.type === "spike-console");
        const delivered = consoles.filter((e: any) => e.args[0] === "flood").length;
        const dropped = consoles.reduce((sum: number, e: any) => sum + Number(/^(\d+) console messages dropped/.exec(e.args[0] ?? "")?.[1] ?? 0), 0);
        return delivered + dropped === total;
      }, FLOOD, WAIT)
      .catch(async (error) => {
        throw new Error(`the flood was never fully accounted for: ${JSON.stringify(await tally())}`, { cause: error });
      });
    const { delivered, dropped, summaries } = await tally();
    assert.ok(delivered < FLOOD / 4, `the host passed on ${delivered} of ${FLOOD} console messages`);
    assert.ok(dropped > 0 && summaries >= 1 && summaries <= 10, `${dropped} dropped, summed up in ${summaries} entries`);
    assert.equal(
      (await page.evaluate(() => (window as any).events.find((e: any) => /dropped/.test(e.args?.[0] ?? ""))))?.level,
      "warn",
    );
    // The 500 spike:ready messages cost a handful of re-sends, not 500.
    const updatesSeen = await frame.evaluate(() => (window as any).updatesSeen as number);
    assert.ok(updatesSeen < 50, `the host re-sent the project ${updatesSeen} times`);

    // The host page answers, and the next edit renders.
    assert.equal(await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve("painted")))), "painted");
    await putFile(room, "index.tsx", 'export default function App() { return <p id="flood">after the flood</p>; }\n');
    assert.equal(await frameText(frame, "#flood", /after the flood/), "after the flood");
    await page.locator("spike-preview [part=status]", { hasText: "Live" }).waitFor(WAIT);
    await shot(page, "flood");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("an import of a package the server does not have shows the server's explanation at the import's line", async () => {
  const room = `preview-e2e-missing-${Date.now().toString(36)}`;
  await putFile(room, "index.tsx", 'import { useState } from "react";\nimport pad from "left-pad-nope";\n\nexport default function App() { return <p>{pad("x", 3)}</p>; }\n');
  const page = await open(`preview.html?room=${room}`);
  try {
    const frame = await previewFrame(page);
    await frame.waitForFunction(() => /left-pad-nope/.test(document.querySelector("spike-error-overlay")?.shadowRoot?.textContent ?? ""), null, WAIT);
    const text = await frameOverlay(frame);
    assert.match(text, /package "left-pad-nope" is not in the offline set/);
    assert.match(text, /index\.tsx:2:/);
    const error = await page.evaluate(() => (window as any).events.find((e: any) => e.type === "spike-error"));
    assert.deepEqual([error.kind, error.file, error.line], ["runtime", "index.tsx", 2]);
    await shot(page, "missing-package");
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
    assert.deepEqual(events.find((e: any) => e.type === "spike-console"), { type: "spike-console", level: "info", args: ["ran", '{ greeting: "plain module" }'] });
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
