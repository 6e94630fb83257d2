/**
 * The CDN build (dist/cdn) from a plain static server, the way a public npm CDN serves the package
 * (`/npm/spike@<version>/dist/cdn/spike.js`): a page on another origin loads spike.js, and a local editor and preview
 * work with no spike server at all (Monaco's workers, the preview frame and the npm modules all come from the script's
 * own folder). With a server, a room embed on the same kind of page works too. Needs `npm run build` first.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, editorReady, screenshots, typeAfter } from "../test-support/browser.js";
import { frameText, previewFrame } from "../test-support/preview-e2e.js";
import { serveStatic, type StaticServer } from "../test-support/static-server.js";
import { fetchSession, startTestWorker, until, type TestWorker } from "../workers/test-support.js";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
/** Where the build sits on the static host: a folder, not the root, as on jsDelivr. */
const CDN_PATH = `/npm/spike@${version}/dist/cdn/`;
const shot = screenshots("cdn-static-host");

let browser: Browser;
/** The static host of dist/cdn (127.0.0.1) and the host of the page (localhost): two origins, two sites. */
let cdn: StaticServer;
let pages: StaticServer;
const pageHtml: Record<string, { html: string }> = {};

/** A page with nothing but an entry of the build from the static host (spike.js by default) and `body`. */
function page(name: string, body: string, entry = "spike.js"): string {
  pageHtml[`/${name}`] = {
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title><link rel="icon" href="data:,">
<script type="module" src="${cdn.origin}${CDN_PATH}${entry}"></script>
<style>spike-editor, spike-preview { --spike-editor-height: 240px; --spike-preview-height: 240px; }</style>
</head><body>${body}</body></html>`,
  };
  return `${pages.origin}/${name}`;
}

const LOCAL_APP = `<script type="text/plain" data-file="index.tsx">
import { useState } from "react";
import clsx from "clsx";

export default function App() {
  const [n, setN] = useState(0);
  return <button id="app" className={clsx("b", { on: n > 0 })} onClick={() => setN(n + 1)}>{"Hi"} {n}</button>;
}
</script>`;

before(async () => {
  cdn = await serveStatic({ [CDN_PATH]: "dist/cdn" }, "127.0.0.1");
  pages = await serveStatic(pageHtml, "localhost");
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await cdn?.close();
  await pages?.close();
});

/** Open a page, collecting console errors and uncaught errors. */
async function open(url: string): Promise<Page & { errors: string[] }> {
  const tab = (await browser.newPage({ viewport: { width: 1000, height: 600 } })) as Page & { errors: string[] };
  tab.errors = [];
  tab.on("console", (message) => message.type() === "error" && tab.errors.push(message.text()));
  tab.on("pageerror", (error) => tab.errors.push(error.message));
  await tab.goto(url);
  return tab;
}

test("a local editor and preview from a static host on another origin work with no spike server; Monaco's workers load", async () => {
  const url = page(
    "local.html",
    `<spike-editor project="demo"></spike-editor><spike-preview project="demo">${LOCAL_APP}</spike-preview>`,
  );
  const tab = await open(url);
  try {
    const frame = await previewFrame(tab);
    // The frame comes from the script's folder on the static host, sandboxed to an opaque origin.
    assert.equal(frame.url().split("#")[0], `${cdn.origin}${CDN_PATH}preview/frame.html`);
    assert.equal(await tab.locator("spike-preview iframe").getAttribute("sandbox"), "allow-scripts allow-forms");
    assert.equal(await frameText(frame, "#app", /Hi 0/), "Hi 0");

    await editorReady(tab);
    await tab.locator("spike-editor .view-lines").click();
    await typeAfter(tab, '"Hi', " there");
    assert.equal(await frameText(frame, "#app", /Hi there 0/), "Hi there 0");
    await frame.click("#app");
    assert.equal(await frameText(frame, "#app", /Hi there 1/), "Hi there 1");

    // Both Monaco workers started (from the static host) and the TypeScript service answers: a type error is marked.
    const workers = [`${CDN_PATH}editor.worker.js`, `${CDN_PATH}ts.worker.js`];
    await until(() => workers.every((path) => cdn.requests.includes(path)), "both workers fetched", 30_000);
    await tab.locator("spike-editor .view-lines").click(); // the click in the frame took the focus
    await tab.keyboard.press("Control+End");
    await tab.keyboard.type('\nexport const wrong: number = "no";');
    await tab.waitForFunction(
      () => document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll(".squiggly-error").length > 0,
      null,
      { timeout: 30_000 },
    );
    await shot(tab, "local");

    // Everything came from the script's folder: no /api/config, nothing at the static host's root.
    assert.deepEqual(cdn.requests.filter((path) => !path.startsWith(CDN_PATH)), []);
    assert.ok(cdn.requests.includes(`${CDN_PATH}npm/importmap.json`));
    assert.ok(cdn.requests.some((path) => path.startsWith(`${CDN_PATH}npm/react-dom@`)), "react-dom from the build's npm/");
    assert.ok(cdn.requests.some((path) => path.startsWith(`${CDN_PATH}chunks/`)), "hashed chunks");
    assert.deepEqual(tab.errors, []);
  } finally {
    await tab.close();
  }
});

test("one element's entry (spike-preview.js) defines only that element", async () => {
  const url = page("one.html", "", "spike-preview.js");
  const tab = await open(url);
  try {
    await tab.waitForFunction(() => customElements.get("spike-preview"), null, { timeout: 30_000 });
    const defined = await tab.evaluate(() => ["spike-room", "spike-editor", "spike-preview", "spike-chat"].map((t) => !!customElements.get(t)));
    assert.deepEqual(defined, [false, false, true, false]);
  } finally {
    await tab.close();
  }
});

test("with a spike server, a room embed on a page that loads spike.js from the static host syncs through the server", async () => {
  const site = copySite("cdn-static-host-e2e");
  let worker: TestWorker | undefined;
  try {
    worker = await startTestWorker({ assets: site });
    const server = `http://localhost:${worker.url.port}`;
    const room = `cdn-static-${Date.now().toString(36)}`;
    const url = page(
      "room.html",
      `<spike-editor room="${room}" server="${server}">${LOCAL_APP}</spike-editor>
       <spike-preview room="${room}" server="${server}"></spike-preview>`,
    );
    const tab = await open(url);
    try {
      const frame = await previewFrame(tab);
      // A room's frame comes from the server's preview origin, as on any page.
      assert.equal(new URL(frame.url()).origin, `http://127.0.0.1:${worker.url.port}`);
      assert.equal(await frameText(frame, "#app", /Hi 0/), "Hi 0");
      await editorReady(tab);
      await tab.locator("spike-editor .view-lines").click();
      await typeAfter(tab, '"Hi', " room");
      assert.equal(await frameText(frame, "#app", /Hi room 0/), "Hi room 0");
      await until(async () => (await fetchSession(worker!, room)).files["index.tsx"]?.includes('"Hi room"') ?? false, "the room has the edit", 15_000);
      await shot(tab, "room");
      assert.deepEqual(tab.errors, []);
    } finally {
      await tab.close();
    }
  } finally {
    await worker?.dispose();
    rmSync(site, { recursive: true, force: true });
  }
});
