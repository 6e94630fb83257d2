/**
 * The React 19, Vue 3 and Svelte 5 examples (integrations/examples/), built by Vite with each framework's real compiler,
 * type-checked by tsc, vue-tsc and svelte-check (and a wrong prop or event detail in a scratch copy fails each check), then
 * served by the real Worker under workerd and opened in Debian's Chromium: typing in one app's editor shows in the others',
 * and every app's preview renders the component the first one wrote.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, editorReady, screenshots } from "../test-support/browser.js";
import { previewFrame } from "../test-support/preview-e2e.js";
import { buildApp, scratchApp, typecheckApp, type Framework } from "../test-support/framework-apps.js";
import { fetchSession, startTestWorker, waitUntil, type TestWorker } from "../workers/test-support.js";

const FRAMEWORKS: Framework[] = ["react", "vue", "svelte"];
const WAIT = { timeout: 30_000 };

/** The Worker serves a snapshot of dist/site with the built apps under /__frameworks/<framework>/. */
const SITE = copySite("spike-frameworks-e2e");
const apps = Object.fromEntries(FRAMEWORKS.map((framework) => [framework, scratchApp(framework)])) as Record<Framework, string>;

/** Where the time goes, printed at the end. */
const timings: string[] = [];
async function timed<T>(label: string, work: () => T | Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings.push(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/**
 * Per app, a wrong property type and a wrong event detail: [file, the line as written, the line made wrong].
 * The checker must fail, naming both lines.
 */
const MISTAKES: Record<Framework, { file: string; edits: [string, string][] }> = {
  react: {
    file: "src/App.tsx",
    edits: [
      ["readonly={false}", 'readonly="no"'],
      ["setStatus(e.detail.status)", "setStatus(e.detail.text)"],
    ],
  },
  vue: {
    file: "src/App.vue",
    edits: [
      [':readonly="false"', ":readonly=\"'no'\""],
      ['@spike-status="onStatus"', '@spike-status="onChange"'],
    ],
  },
  svelte: {
    file: "src/App.svelte",
    edits: [
      ["readonly={false}", 'readonly="no"'],
      ["(status = e.detail.status)", "(status = e.detail.text)"],
    ],
  },
};

let worker: TestWorker | undefined;
let browser: Browser | undefined;

after(async () => {
  await browser?.close();
  await worker?.dispose();
  for (const dir of [SITE, ...Object.values(apps)]) rmSync(dir, { recursive: true, force: true });
  console.log(`where the time went:\n  ${timings.join("\n  ")}`);
});

for (const framework of FRAMEWORKS) {
  test(`the ${framework} example builds with Vite and its framework's compiler`, async () => {
    const out = join(SITE, "__frameworks", framework);
    await timed(`vite build ${framework}`, () => buildApp(apps[framework], out));
    const html = readFileSync(join(out, "index.html"), "utf8");
    assert.match(html, /<script type="module"[^>]* src="\.\/assets\/[^"]+\.js"/, "the page loads its built module");
  });

  test(`the ${framework} example type-checks its props and events, and a wrong prop or event detail fails the check`, async () => {
    const clean = await timed(`type-check ${framework}`, () => typecheckApp(framework, apps[framework]));
    assert.ok(clean.ok, clean.output);

    const { file, edits } = MISTAKES[framework];
    const path = join(apps[framework], file);
    let source = readFileSync(path, "utf8");
    const lines: number[] = [];
    for (const [right, wrong] of edits) {
      assert.equal(source.split(right).length, 2, `${file} has "${right}" once`);
      lines.push(source.slice(0, source.indexOf(right)).split("\n").length);
      source = source.replace(right, wrong);
    }
    writeFileSync(path, source);
    const broken = await timed(`type-check ${framework} (wrong)`, () => typecheckApp(framework, apps[framework]));
    assert.equal(broken.ok, false, `the checker accepted a wrong prop and event detail:\n${broken.output}`);
    for (const line of lines) {
      assert.match(broken.output, new RegExp(`${file.split("/").pop()!.replace(".", "\\.")}[(:]${line}[,:]`), `an error on line ${line}:\n${broken.output}`);
    }
  });
}

test("the React, Vue and Svelte apps edit one room: typing in one app's editor shows in the others' editors and previews", async () => {
  worker = await timed("start worker", () => startTestWorker({ assets: SITE }));
  browser = await timed("launch chromium", () => chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS }));
  const room = `frameworks-${Date.now().toString(36)}`;
  const server = worker.url.href;
  const shot = screenshots("frameworks");
  const pages = {} as Record<Framework, Page>;
  const errors: string[] = [];
  const typed: string[] = [];

  await timed("sync in chromium", async () => {
    for (const framework of FRAMEWORKS) {
      const page = await browser!.newPage({ viewport: { width: 1100, height: 600 } });
      page.on("pageerror", (error) => errors.push(`${framework}: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error" || /web worker/i.test(message.text())) errors.push(`${framework}: ${message.text()}`);
      });
      await page.goto(new URL(`/__frameworks/${framework}/index.html?room=${room}&server=${encodeURIComponent(server)}`, server).href);
      pages[framework] = page;
    }
    // One app at a time in front: a background tab of headless Chromium paints nothing.
    for (const framework of FRAMEWORKS) {
      const page = pages[framework];
      await page.bringToFront();
      await editorReady(page);
      await page.waitForFunction(editorShows, typed, WAIT);
      await page.locator("spike-editor .view-lines").click();
      await page.keyboard.press("Control+End");
      // The first app writes the component every preview renders; the others add comments.
      const line = typed.length ? `// typed in ${framework}` : `export default () => "rendered from ${framework}";`;
      await page.keyboard.type(`${line}\n`);
      typed.push(line);
    }
    const first = pages[FRAMEWORKS[0]!];
    await first.bringToFront();
    await first.waitForFunction(editorShows, typed, WAIT);
  });

  let stored = "";
  await waitUntil(
    async () => {
      stored = (await fetchSession(worker!, room)).files["index.tsx"] ?? "";
      return typed.every((line) => stored.includes(line));
    },
    { what: "the server to hold every app's line" },
  );
  for (const framework of FRAMEWORKS) {
    const page = pages[framework];
    await page.bringToFront();
    // The apps' status lines come from the elements' typed events (spike-status, spike-change).
    await page.waitForFunction(
      (length) => document.querySelector("#state")?.textContent === "connected" && document.querySelector("#length")?.textContent === String(length),
      stored.length,
      WAIT,
    );
    const frame = await previewFrame(page);
    await frame.waitForFunction((text) => document.body.innerText.includes(text), `rendered from ${FRAMEWORKS[0]}`, WAIT);
    await shot(page, framework);
  }
  assert.deepEqual(errors, []);
});

/** In the page: whether its editor shows every one of `lines` (Monaco draws spaces as no-break spaces). */
function editorShows(lines: string[]): boolean {
  const text = document.querySelector("spike-editor")?.shadowRoot?.querySelector(".view-lines")?.textContent ?? "";
  return lines.every((line) => text.replace(/\u00a0/g, " ").includes(line));
}
