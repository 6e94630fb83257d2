/**
 * `/v/<version>/…` on the real Worker in workerd: this version's pinned copy (static assets) is immutable and the same
 * bytes as dist/cdn; the latest `/spike.js` is cached briefly; an older version published into R2 by
 * scripts/publish-cdn.mjs (into a local state, as `npm start` uses) is served from there after the server moved on, and
 * a page in Chromium that pins it gets a working editor and preview from it alone; an unknown version is a 404 naming
 * the versions here; bad version strings and paths are a 400 that reaches nothing. Needs `npm run build` first.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/chromium.mjs";
import { copySite, editorReady, typeAfter } from "../../test-support/browser.js";
import { frameText, previewFrame } from "../../test-support/preview-e2e.js";
import { serveStatic } from "../../test-support/static-server.js";
import { startTestWorker, type TestWorker } from "../test-support.js";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
const IMMUTABLE = "public, max-age=31536000, immutable";
const OLD = "0.0.9";

let site: string;
let state: string;
let worker: TestWorker;
/** The second publish of OLD, made before the Worker starts (two runtimes must not share one local state). */
let republished: { status: number | null; output: string };

/** Publish dist/cdn as `v` into the local state `dir` with the real script; its exit status and output. */
function publish(v: string, dir: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, ["scripts/publish-cdn.mjs", "--version", v, "--persist-to", dir], { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

before(async () => {
  site = copySite("cdn-versions", "spike.js", { pinned: true });
  state = mkdtempSync(join(tmpdir(), "cdn-versions-state-"));
  const published = publish(OLD, state);
  assert.equal(published.status, 0, published.output);
  republished = publish(OLD, state);
  worker = await startTestWorker({ assets: site, persistDir: state });
});

after(async () => {
  await worker?.dispose();
  for (const dir of [site, state]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => fetch(new URL(path, worker.url), init);
const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());

describe("this version", () => {
  test(`/v/${version}/spike.js answers with immutable cache headers, CORS and the same bytes as dist/cdn/spike.js`, async () => {
    for (const file of ["spike.js", "spike-editor.js", "editor.worker.js", "preview/frame.js", "npm/importmap.json"]) {
      const response = await get(`/v/${version}/${file}`);
      assert.equal(response.status, 200, file);
      assert.equal(response.headers.get("cache-control"), IMMUTABLE, file);
      assert.equal(response.headers.get("access-control-allow-origin"), "*", file);
      assert.deepEqual(await bytes(response), readFileSync(join("dist/cdn", file)), file);
    }
    const chunk = readdirSync("dist/cdn/chunks").find((name) => name.endsWith(".js"))!;
    const response = await get(`/v/${version}/chunks/${chunk}`);
    assert.equal(response.headers.get("cache-control"), IMMUTABLE);
    assert.deepEqual(await bytes(response), readFileSync(join("dist/cdn/chunks", chunk)));
  });

  test("the pinned preview frame carries the frame's CSP", async () => {
    const response = await get(`/v/${version}/preview/frame.js`);
    assert.match(response.headers.get("content-security-policy") ?? "", /script-src 'self' blob:/);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  });

  test("/spike.js is the moving latest: the same bytes, cached briefly; hashed chunks at the root are immutable", async () => {
    const response = await get("/spike.js");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("cache-control"), "public, max-age=300");
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.deepEqual(await bytes(response), readFileSync("dist/cdn/spike.js"));
    for (const file of ["spike-room.js", "spike-chat.js", "ts.worker.js"]) {
      assert.equal((await get(`/${file}`)).headers.get("cache-control"), "public, max-age=300", file);
    }
    const chunk = readdirSync("dist/cdn/chunks").find((name) => name.endsWith(".js"))!;
    assert.equal((await get(`/chunks/${chunk}`)).headers.get("cache-control"), IMMUTABLE);
  });

  test("a file this version does not have is a 404 that says so", async () => {
    const response = await get(`/v/${version}/nope.js`);
    assert.equal(response.status, 404);
    assert.match(((await response.json()) as { error: string }).error, new RegExp(`"nope.js" is not a file of spike ${version.replace(/\./g, "\\.")}`));
  });
});

describe("older versions", () => {
  test(`a version published to R2 (${OLD}) is still served, immutable, byte for byte, once the server runs a newer one`, async () => {
    for (const file of ["spike.js", "preview/frame.html", "npm/importmap.json"]) {
      const response = await get(`/v/${OLD}/${file}`);
      assert.equal(response.status, 200, file);
      assert.equal(response.headers.get("cache-control"), IMMUTABLE, file);
      assert.equal(response.headers.get("access-control-allow-origin"), "*", file);
      assert.deepEqual(await bytes(response), readFileSync(join("dist/cdn", file)), file);
    }
    assert.match((await get(`/v/${OLD}/spike.js`)).headers.get("content-type") ?? "", /^text\/javascript/);
    const etag = (await get(`/v/${OLD}/spike.js`)).headers.get("etag")!;
    const again = await get(`/v/${OLD}/spike.js`, { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
  });

  test("an older version's preview frame from R2 carries the frame's CSP, as this version's does", async () => {
    const response = await get(`/v/${OLD}/preview/frame.html`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(response.headers.get("content-security-policy") ?? "", /script-src 'self' blob:.*object-src 'none'/);
    assert.equal(response.headers.get("referrer-policy"), "no-referrer");
  });

  test(`a page pinned to ${OLD} gets a working local editor and preview, every file from /v/${OLD}/`, async () => {
    const pinned = `http://127.0.0.1:${worker.url.port}/v/${OLD}/`;
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pinned</title><link rel="icon" href="data:,">
<script type="module" src="${pinned}spike.js"></script></head><body>
<spike-editor project="p"></spike-editor><spike-preview project="p"><script type="text/plain" data-file="index.tsx">
export default function App() { return <p id="out">{"v"}</p>; }
</script></spike-preview></body></html>`;
    const pages = await serveStatic({ "/": { html } }, "localhost");
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      const spikeRequests: string[] = [];
      tab.on("pageerror", (error) => errors.push(error.message));
      tab.on("console", (message) => message.type() === "error" && errors.push(message.text()));
      // Requests of the page, its workers and its frame, as the browser context sees them.
      tab.context().on("request", (request) => request.url().includes(`:${worker.url.port}/`) && spikeRequests.push(request.url()));
      await tab.goto(`${pages.origin}/`);
      const frame = await previewFrame(tab);
      assert.equal(frame.url().split("#")[0], `${pinned}preview/frame.html`);
      assert.equal(await frameText(frame, "#out", /^v$/), "v");
      await editorReady(tab);
      await tab.locator("spike-editor .view-lines").click();
      await typeAfter(tab, '{"v', "0.0.9");
      assert.equal(await frameText(frame, "#out", /v0\.0\.9/), "v0.0.9");
      assert.ok(spikeRequests.some((url) => url.endsWith("/ts.worker.js")), "Monaco's TypeScript worker loaded");
      assert.ok(spikeRequests.some((url) => url.includes("/npm/react-dom@")), "react-dom from the pinned npm set");
      assert.deepEqual(spikeRequests.filter((url) => !url.startsWith(pinned)), []);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await pages.close();
    }
  });

  test("publishing a version again is refused: an embed that names it never changes", () => {
    assert.equal(republished.status, 1);
    assert.match(republished.output, new RegExp(`v/${OLD.replace(/\./g, "\\.")}/ is already published`));
  });

  test("an unknown version is a 404 whose message names the versions this server has", async () => {
    const response = await get("/v/9.9.9/spike.js");
    assert.equal(response.status, 404);
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    const body = (await response.json()) as { error: string; versions: string[] };
    assert.deepEqual(body.versions, [version, OLD]);
    assert.equal(body.error, `spike 9.9.9 is not on this server; it has ${version}, ${OLD}`);
  });
});

test("bad version strings and paths are a 400 (or no route) and reach no file outside the build", async () => {
  const bad = [
    "/v/latest/spike.js",
    "/v/1.2/spike.js",
    "/v/01.2.3.4/spike.js",
    // (`/v/%2e%2e/spike.js` is `/spike.js` by the URL standard: the client normalizes it before sending.)
    "/v/%2e%2e%2fspike.js",
    "/v/..%2f..%2fwrangler.jsonc",
    `/v/${version}/..%2f..%2fpackage.json`,
    `/v/${OLD}/..%2f..%2fpackage.json`,
    `/v/${OLD}/%2e%2e/%2e%2e/wrangler.jsonc`,
    `/v/${OLD}/chunks%5c..%5c..%5cpackage.json`,
    `/v/${OLD}/spike.js%00`,
    `/v/${OLD}//spike.js`,
    `/v/${OLD}/`,
    "/v/%E0%A4%A/spike.js",
    `/v/${"9".repeat(500)}/spike.js`,
    "/v/1.0.0-<script>/spike.js",
  ];
  for (const path of bad) {
    const response = await get(path);
    const text = await response.text();
    assert.ok(response.status === 400 || response.status === 404, `${path}: ${response.status}`);
    assert.doesNotMatch(text, /compatibility_date|"devDependencies"|customElements\.define/, path);
    if (response.status === 400) assert.match(JSON.parse(text).error, /invalid|malformed|too long/, path);
  }
  assert.equal((await get(`/v/${OLD}/spike.js`, { method: "POST" })).status, 405);
});
