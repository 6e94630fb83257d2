/**
 * The gallery's framework apps and headless demo, on the real Worker under workerd with Debian's Chromium: the React, Vue
 * and Svelte apps that scripts/build-gallery-apps.mjs built into dist/site/apps/ open from demos/apps.html and each
 * re-renders its preview from real keystrokes; demos/headless.mjs edits a room from node through `spike/core`, and
 * demos/headless.html shows its transcript live in the preview.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { FRAMEWORKS, galleryAppsAreStale } from "../scripts/build-gallery-apps.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { freePort } from "../scripts/free-port.mjs";
import { copySite, editorReady, screenshots } from "../test-support/browser.js";
import { previewFrame } from "../test-support/preview-e2e.js";
import { fetchSession, startTestWorker, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 60_000 };
const SITE = copySite("spike-gallery-apps", "apps/react/index.html");
const shot = screenshots("gallery-apps");

let worker: TestWorker;
let browser: Browser;
const errors: string[] = [];

before(async () => {
  worker = await startTestWorker({ assets: SITE });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

/** A new page whose errors (uncaught, console.error) are collected under `name`. */
async function openPage(name: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.on("pageerror", (error) => errors.push(`${name}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${name}: ${message.text()}`);
  });
  return page;
}

/** Replace everything in the page's first editor with `text`, typed with real keystrokes. */
async function retype(page: Page, text: string): Promise<void> {
  await page.locator("spike-editor .view-lines").first().click();
  await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
}

/** Wait until the page's preview shows `text`. */
async function previewShows(page: Page, text: string): Promise<void> {
  const frame = await previewFrame(page);
  await frame.waitForFunction((expected) => document.body.innerText.includes(expected), text, WAIT);
}

/** Run demos/headless.mjs with `args`; resolves with its exit status and output (never rejects). */
function runHeadless(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  // Asynchronously: the Worker's proxy runs in this process, so a synchronous child would wait on a server that cannot answer.
  return new Promise((resolve) => {
    execFile(process.execPath, ["demos/headless.mjs", ...args], { encoding: "utf8" }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

test("the build wrote each framework app into the site, and its sources for the gallery page", () => {
  assert.equal(galleryAppsAreStale(), false, "dist/site/apps is older than its inputs: ensure-build should have rebuilt it");
  const sources = JSON.parse(readFileSync(join(SITE, "apps/sources.json"), "utf8"));
  for (const framework of FRAMEWORKS) {
    const html = readFileSync(join(SITE, "apps", framework, "index.html"), "utf8");
    const entry = /<script type="module"[^>]* src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(entry && existsSync(join(SITE, "apps", framework, entry)), `apps/${framework}/index.html loads a built module`);
    assert.ok(Object.keys(sources[framework]).includes("vite.config.ts"), `sources.json has ${framework}'s files`);
  }
});

test("the gallery page's own editor and preview are on the apps' room: typing there re-renders its preview", async () => {
  const page = await openPage("apps.html");
  try {
    await page.goto(new URL("/apps.html", worker.url).href);
    await editorReady(page);
    await previewShows(page, "Hello from the apps' room");
    await retype(page, `export default () => <p>typed on the gallery page</p>;\n`);
    await previewShows(page, "typed on the gallery page");
    await shot(page, "apps-page");
  } finally {
    await page.close();
  }
  assert.deepEqual(errors, []);
});

for (const framework of FRAMEWORKS) {
  test(`the ${framework} app opens from the gallery page and its preview renders what is typed in its editor`, async () => {
    const page = await openPage(framework);
    try {
      await page.goto(new URL("/apps.html", worker.url).href);
      const source = page.locator(`pre[data-app-source="${framework}"]`);
      await page.locator(`#open-${framework}`).scrollIntoViewIfNeeded();
      await source.locator("..").locator("summary").click();
      await page.waitForFunction((name) => document.querySelector(`pre[data-app-source="${name}"]`)!.textContent!.includes("// vite.config.ts"), framework, WAIT);

      await page.locator(`#open-${framework}`).click();
      await page.waitForURL(`**/apps/${framework}/?room=demo-apps`, WAIT);
      await editorReady(page);
      const text = `rendered by the ${framework} app`;
      await retype(page, `export default () => <p id="out">${text}</p>;\n`);
      await previewShows(page, text);
      // The app's own status line, from the elements' typed events.
      await page.waitForFunction(() => document.querySelector("#state")?.textContent === "connected", undefined, WAIT);
      await shot(page, framework);
      assert.match((await fetchSession(worker, "demo-apps")).files["index.tsx"] ?? "", new RegExp(text));
    } finally {
      await page.close();
    }
    assert.deepEqual(errors, []);
  });
}

test("demos/headless.mjs edits a room from node, and demos/headless.html shows its transcript live; typing still re-renders", async () => {
  const page = await openPage("headless");
  try {
    await page.goto(new URL("/headless.html", worker.url).href);
    await editorReady(page);
    await previewShows(page, "Nobody has run demos/headless.mjs");
    await page.waitForFunction(() => document.querySelector("pre[data-source-url]")!.textContent!.includes("new RoomClient("), undefined, WAIT);
    assert.equal(await page.locator("[data-this-origin]").textContent(), new URL(worker.url).origin);

    const first = await runHeadless(["--server", worker.url.href, "--room", "demo-headless", "--timeout", "90"]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^joined room "demo-headless" on http:\/\/127\.0\.0\.1:\d+: 2 files \(index\.tsx, transcript\.json\)$/m);
    assert.match(first.stdout, /^confirmed: GET .*\/live\/demo-headless\/session\.json holds this transcript$/m);
    await previewShows(page, "Edited from node, run 1");
    await previewShows(page, 'joined room "demo-headless"');
    const stored = (await fetchSession(worker, "demo-headless")).files;
    const printed = first.stdout.split("\n").filter((line) => line && !line.startsWith("confirmed"));
    assert.deepEqual(JSON.parse(stored["transcript.json"]!).lines, printed, "the room's transcript is what the script printed");
    await shot(page, "headless-run-1");

    await retype(page, `export default () => <p>typed after the script</p>;\n`);
    await previewShows(page, "typed after the script");

    const second = await runHeadless(["--server", worker.url.href, "--room", "demo-headless"]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /^joined room "demo-headless" .*: 2 files/m);
    await previewShows(page, "Edited from node, run 2");
    await previewShows(page, "done, leaving the room");
    await shot(page, "headless-run-2");
  } finally {
    await page.close();
  }
  assert.deepEqual(errors, []);
});

test("demos/headless.mjs refuses a bad room id or server URL (exit 2) and says when the server cannot be reached (exit 1)", async () => {
  const badRoom = await runHeadless(["--room", "../etc"]);
  assert.equal(badRoom.status, 2);
  assert.match(badRoom.stderr, /--room "\.\.\/etc" is not a room id/);
  assert.match(badRoom.stderr, /^usage: node demos\/headless\.mjs/m);

  const badServer = await runHeadless(["--server", "ftp://127.0.0.1/"]);
  assert.equal(badServer.status, 2);
  assert.match(badServer.stderr, /--server must be an http\(s\) URL/);

  const closed = `http://127.0.0.1:${await freePort()}`;
  const down = await runHeadless(["--server", closed, "--timeout", "1"]);
  assert.equal(down.status, 1);
  assert.match(down.stderr, new RegExp(`could not sync room "demo-headless" with ${closed} within 1 s`));
});
