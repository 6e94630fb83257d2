/**
 * The offline npm set in a real browser (Debian's Chromium): a page on the Worker loads /npm/importmap.json, installs it as
 * an import map, and renders a React + react-dom/client + zustand + clsx component from /npm/ with no other network at
 * all; once from the same origin, once from another origin (CORS), as the preview frame does.
 */
import assert from "node:assert/strict";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/chromium.mjs";
import { buildNpmModules } from "../../scripts/build-npm.mjs";
import { startTestWorker, type TestWorker } from "../test-support.js";

const WAIT = { timeout: 30_000 };

/** The page: import map from `?npm=<origin>` (default: its own origin), then the app as a module. */
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>npm modules</title><link rel="icon" href="data:,">
<script>
  const base = new URLSearchParams(location.search).get("npm") || location.origin;
  window.appLoaded = fetch(base + "/npm/importmap.json")
    .then((response) => response.json())
    .then(({ imports }) => {
      const map = document.createElement("script");
      map.type = "importmap";
      map.textContent = JSON.stringify({ imports: Object.fromEntries(Object.entries(imports).map(([k, v]) => [k, new URL(v, base).href])) });
      document.head.append(map);
      return import("./app.js");
    })
    .then(() => "ok", (error) => String(error && error.stack || error));
</script></head><body><div id="root"></div></body></html>`;

/** Hooks from react, a store from zustand (its own import of react must be the same React, or the hook throws). */
const APP = `import { useState, version } from "react";
import { jsx, jsxs } from "react/jsx-runtime";
import { createRoot } from "react-dom/client";
import clsx from "clsx";
import { nanoid } from "nanoid";
import { create } from "zustand";

const useClicks = create((set) => ({ clicks: 0, click: () => set((state) => ({ clicks: state.clicks + 1 })) }));

function Counter() {
  const [count, setCount] = useState(0);
  const clicks = useClicks((state) => state.clicks);
  const click = useClicks((state) => state.click);
  const onClick = () => { setCount(count + 1); click(); };
  return jsxs("button", { id: "counter", className: clsx("counter", { odd: count % 2 === 1 }), onClick, children: ["count ", count, ", store ", clicks] });
}

createRoot(document.getElementById("root")).render(jsx(Counter, {}));
window.npmInfo = { reactVersion: version, id: nanoid() };
`;

let site: string;
let npmWorker: TestWorker;
let hostWorker: TestWorker;
let browser: Browser;

before(async () => {
  await buildNpmModules(); // no-op when dist/site/npm is fresh
  // A copy of the built set plus the fixture page: the test never writes into dist/site, which other tests serve.
  site = await mkdtemp(join(tmpdir(), "spike-npm-browser-"));
  await cp("dist/site/npm", join(site, "npm"), { recursive: true });
  await writeFile(join(site, "page.html"), PAGE);
  await writeFile(join(site, "app.js"), APP);
  npmWorker = await startTestWorker({ assets: site });
  hostWorker = await startTestWorker({ assets: site });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await hostWorker?.dispose();
  await npmWorker?.dispose();
  if (site) await rm(site, { recursive: true, force: true });
});

/** Open the page, render, click once; returns what the page requested and any errors it logged. */
async function renderCounter(pageUrl: URL, allowedOrigins: string[]) {
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  try {
    await page.goto(pageUrl.href);
    assert.equal(await page.evaluate(() => (window as unknown as { appLoaded: Promise<string> }).appLoaded), "ok");
    const counter = page.locator("#counter");
    await counter.waitFor(WAIT);
    assert.equal(await counter.textContent(), "count 0, store 0");
    await counter.click();
    await page.waitForFunction(() => document.querySelector("#counter")?.textContent === "count 1, store 1", null, WAIT);
    assert.equal(await counter.getAttribute("class"), "counter odd");
    const info = await page.evaluate(() => (window as unknown as { npmInfo: { reactVersion: string; id: string } }).npmInfo);
    assert.match(info.id, /^[\w-]{21}$/);
    assert.deepEqual(errors, []);
    const offsite = requests.filter((url) => !allowedOrigins.includes(new URL(url).origin));
    assert.deepEqual(offsite, [], "no request left the two loopback Workers");
    return { requests, info };
  } finally {
    await page.close();
  }
}

test("react + react-dom/client from /npm/ render and update a component, same origin, offline", async () => {
  const { requests, info } = await renderCounter(new URL("/page.html", npmWorker.url), [npmWorker.url.origin]);
  assert.ok(requests.some((url) => /\/npm\/react-dom@[^/]+\/client\.js$/.test(url)));
  // One React: every module of the set asked for react by the same URL, so the browser loaded it once.
  assert.equal(requests.filter((url) => /\/npm\/react@[^/]+\/index\.js$/.test(url)).length, 1);
  assert.match(info.reactVersion, /^\d+\.\d+\.\d+/);
});

test("a page on another origin loads the same modules through CORS", async () => {
  const pageUrl = new URL(`/page.html?npm=${encodeURIComponent(npmWorker.url.origin)}`, hostWorker.url);
  const { requests } = await renderCounter(pageUrl, [hostWorker.url.origin, npmWorker.url.origin]);
  const fromNpmWorker = requests.filter((url) => url.startsWith(`${npmWorker.url.origin}/npm/`));
  assert.ok(fromNpmWorker.length >= 5, `modules came from the npm Worker: ${fromNpmWorker.join(", ")}`);
});
