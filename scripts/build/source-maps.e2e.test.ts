/**
 * The site's source maps under the real Worker (workerd) and in Chromium: an error thrown through the built spike.js on a
 * page of another origin has a stack frame that, mapped with the map the Worker serves beside the file (read with
 * node:module's SourceMap), lands on the line of elements/*.ts that made the call; maps are served as JSON with the
 * headers of the file they map, from the static assets and from an older version published to R2 (scripts/publish-cdn.mjs).
 * Needs `npm run build` first (npm test builds when stale).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../chromium.mjs";
import { SPIKE_JS, staticClosure } from "../size-report.mjs";
import { serveStatic, type StaticServer } from "../../test-support/static-server.js";
import { startTestWorker, type TestWorker } from "../../workers/test-support.js";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
/** An older version, published into the Worker's local R2 from a few files of the build. */
const OLD = "0.0.1";

let worker: TestWorker;
let state: string;
let pages: StaticServer;
let browser: Browser;

before(async () => {
  state = mkdtempSync(path.join(tmpdir(), "source-maps-state-"));
  const old = mkdtempSync(path.join(tmpdir(), "source-maps-old-"));
  for (const file of ["spike.js", "spike.js.map", "spike-editor.js", "spike-editor.js.map"]) copyFileSync(path.join("dist/cdn", file), path.join(old, file));
  const publish = spawnSync(process.execPath, ["scripts/publish-cdn.mjs", "--version", OLD, "--dir", old, "--persist-to", state], { encoding: "utf8" });
  rmSync(old, { recursive: true, force: true });
  assert.equal(publish.status, 0, `${publish.stdout}${publish.stderr}`);
  worker = await startTestWorker({ assets: "dist/site", persistDir: state });
  // The page on localhost, spike.js from the Worker on 127.0.0.1: an embed on another site, as deployed.
  pages = await serveStatic(
    { "/embed": { html: `<!doctype html><script type="module" src="${new URL("/spike.js", worker.url)}"></script><spike-editor></spike-editor>` } },
    "localhost",
  );
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await pages?.close();
  await worker?.dispose();
  if (state) rmSync(state, { recursive: true, force: true });
});

/** The map a served script links with its `//# sourceMappingURL=` comment, fetched from the same server. */
async function linkedMap(scriptUrl: URL): Promise<{ url: URL; response: Response; payload: SourceMapPayload }> {
  const code = await (await fetch(scriptUrl)).text();
  const link = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code);
  assert.ok(link, `${scriptUrl.pathname} links no source map`);
  const url = new URL(link[1]!, scriptUrl);
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url.pathname}`);
  return { url, response, payload: (await response.json()) as SourceMapPayload };
}

test("a stack frame of an error thrown through the built spike.js maps back to the elements/*.ts line that made the call", async () => {
  const page = await browser.newPage();
  try {
    // The page refuses one tag, so registering it throws inside spike.js's own module code (elements/register/).
    await page.addInitScript(() => {
      const define = customElements.define.bind(customElements);
      customElements.define = (name, constructor, options) => {
        if (name === "spike-editor") throw new Error("this page refuses spike-editor");
        define(name, constructor, options);
      };
      addEventListener("error", (event) => ((window as unknown as { stack: string }).stack = (event.error as Error).stack ?? ""));
    });
    await page.goto(`${pages.origin}/embed`);
    const stack = String(await (await page.waitForFunction(() => (window as unknown as { stack?: string }).stack)).jsonValue());
    assert.match(stack, /this page refuses spike-editor/);

    // The first frame in the Worker's files: a module spike.js loads with it (spike.js itself only re-exports).
    const frame = [...stack.matchAll(/(http:\/\/[^\s()]+):(\d+):(\d+)/g)].find(([, url]) => new URL(url!).origin === worker.url.origin);
    assert.ok(frame, `no frame of the Worker's files in:\n${stack}`);
    const scriptUrl = new URL(frame[1]!);
    const loaded = staticClosure(SPIKE_JS).map((file) => `/${path.posix.relative(path.posix.dirname(SPIKE_JS), file)}`);
    assert.ok(loaded.includes(scriptUrl.pathname), `${scriptUrl.pathname} is not one of spike.js's files: ${loaded.join(", ")}`);

    const { url: mapUrl, payload } = await linkedMap(scriptUrl);
    // V8's stack lines and columns are 1-based; SourceMap's are 0-based.
    const entry = new SourceMap(payload).findEntry(Number(frame[2]) - 1, Number(frame[3]) - 1);
    assert.ok("originalSource" in entry, `no mapping at ${frame[0]}`);
    const source = new URL(entry.originalSource, mapUrl).pathname.slice(1);
    assert.equal(source, "elements/register/spike-editor.ts");
    // The map carries the source as it is in the repository, and the frame is the line that calls define.
    const text = payload.sourcesContent?.[payload.sources.indexOf(entry.originalSource)];
    assert.equal(text, readFileSync(source, "utf8"));
    assert.match(text!.split("\n")[entry.originalLine]!, /customElements\.define\("spike-editor", SpikeEditor\)/);
  } finally {
    await page.close();
  }
});

test("maps are served as JSON beside their files, with the CORS and caching of the file they map", async () => {
  const chunk = readdirSync("dist/site/chunks").find((file) => file.startsWith("room-element-") && file.endsWith(".js"));
  assert.ok(chunk, "no room-element chunk in dist/site/chunks");
  const scripts = ["/spike.js", "/spike-editor.js", "/ts.worker.js", `/chunks/${chunk}`, "/preview/frame.js", `/v/${version}/spike-editor.js`, `/v/${OLD}/spike-editor.js`];
  for (const script of scripts) {
    const scriptUrl = new URL(script, worker.url);
    const scriptResponse = await fetch(scriptUrl);
    await scriptResponse.arrayBuffer();
    const { url, response, payload } = await linkedMap(scriptUrl);
    assert.equal(url.pathname, `${script}.map`);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json\b/, script);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff", script);
    for (const header of ["access-control-allow-origin", "cache-control"]) {
      assert.equal(response.headers.get(header), scriptResponse.headers.get(header), `${header} of ${script}.map`);
    }
    assert.equal(payload.version, 3);
    assert.equal(payload.file, path.posix.basename(script));
  }
});

test("a map that does not exist is a 404, not the site's index page", async () => {
  const response = await fetch(new URL("/no-such-file.js.map", worker.url));
  await response.arrayBuffer();
  assert.equal(response.status, 404);
});
