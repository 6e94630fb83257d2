/**
 * What the <spike-preview> end-to-end test files share (elements/spike-preview-*.e2e.test.ts): the fixture pages, the
 * stack each file starts (a copy of the built site with the pages, the real Worker serving it, Chromium), and helpers
 * that open the pages and read the preview's frame.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before } from "node:test";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";
import { copySite, writeFixturePages } from "./browser.js";

export const WAIT = { timeout: 30_000 };

/** Where the fixture pages go inside a test file's site copy (served as /__preview-e2e/<name>). */
export const FIXTURE_PATH = "__preview-e2e";

export const COUNTER = `
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

export const FIXTURES: Record<string, string> = {
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
export const FIXTURE_HEAD = `<style>
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

/**
 * The helpers that need the test file's browser and Worker, read through `context` when called (both start in `before`).
 * @example const { open, putFile } = previewPages(() => ({ browser, worker }));
 */
export function previewPages(context: () => { browser: Browser; worker: TestWorker }) {
  /** Open a fixture page; uncaught page errors are collected for the test to assert on. */
  async function open(path: string): Promise<Page & { errors: string[] }> {
    const { browser, worker } = context();
    const page = (await browser.newPage({ viewport: { width: 1000, height: 340 } })) as Page & { errors: string[] };
    page.errors = [];
    page.on("pageerror", (error) => page.errors.push(error.message));
    await page.goto(`${worker.url.origin}/${FIXTURE_PATH}/${path}`);
    return page;
  }

  /** Replace a room's file through the headless HTTP API (the same Yjs path an editor's edits take). */
  async function putFile(room: string, name: string, text: string): Promise<void> {
    const { worker } = context();
    const response = await fetch(new URL(`/live/${room}/files/${name}`, worker.url), { method: "PUT", body: text });
    assert.equal(response.status, 200, await response.text());
  }

  return { open, putFile };
}

/**
 * A test file's stack, started before its tests and stopped after them: a copy of dist/site (so a concurrent build, which
 * makes wrangler reload and drop requests, cannot disturb it) with `pages` (default: FIXTURES) under FIXTURE_PATH, the
 * real Worker serving it under workerd, and Chromium. `prefix` names the copy; `needs` is a file the copy must have.
 * @example const stack = previewStack("spike-preview-refresh-e2e"); … const page = await stack.open("room.html");
 */
export function previewStack(prefix: string, { needs = "preview/frame.html", pages = FIXTURES }: { needs?: string; pages?: Record<string, string> } = {}) {
  const site = copySite(prefix, needs);
  let worker: TestWorker | undefined;
  let browser: Browser | undefined;
  before(async () => {
    writeFixturePages(join(site, FIXTURE_PATH), pages, FIXTURE_HEAD);
    worker = await startTestWorker({ assets: site });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await worker?.dispose();
    rmSync(site, { recursive: true, force: true });
  });
  const started = () => {
    if (!worker || !browser) throw new Error("the preview stack starts in before()");
    return { worker, browser };
  };
  return {
    get worker(): TestWorker {
      return started().worker;
    },
    get browser(): Browser {
      return started().browser;
    },
    ...previewPages(started),
  };
}

/** The nth preview's frame, once its runtime has rendered something. */
export async function previewFrame(page: Page, index = 0): Promise<Frame> {
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
export async function frameText(frame: Frame, selector: string, expected: RegExp): Promise<string> {
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
export function frameOverlay(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const overlay = document.querySelector("spike-error-overlay")?.shadowRoot?.querySelector<HTMLElement>(".overlay");
    return overlay && !overlay.hidden ? overlay.innerText : "";
  });
}

/**
 * An app that imports the image asset `./<file>` as `binding`, shows it, and writes its size and first pixel into the
 * preview's `body[data-pixel]` ("width,height,r,g,b"), read through a canvas: what a test checks to know the preview
 * shows that very image. The import is the first line.
 * @example await put(room, "files/index.tsx", imagePixelApp("logo.png", "logo"));
 */
export function imagePixelApp(file: string, binding: string): string {
  return `import ${binding} from "./${file}";
const img = document.createElement("img");
img.crossOrigin = "anonymous";
img.onload = () => {
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const context = canvas.getContext("2d")!;
  context.drawImage(img, 0, 0);
  const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
  document.body.dataset.pixel = [img.naturalWidth, img.naturalHeight, r, g, b].join(",");
};
img.src = ${binding};
document.getElementById("root")!.append(img);
`;
}
