/**
 * A user's bundler on the packed tarball (test-support/package.ts): a Vite app (`import "spike"`, nothing configured) and
 * an esbuild app (`import "spike/spike-editor.js"`, plus README's one step: copy the workers and the font next to the
 * bundle) each build, and Debian's Chromium loads the build from a plain static server: the editor takes real keystrokes,
 * Monaco's workers load, and the TypeScript worker answers (a type error gets its red squiggle).
 */
import assert from "node:assert/strict";
import { copyFileSync, readdirSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as esbuild from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { build as viteBuild, type Plugin } from "vite";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.mjs";
import { editorReady, screenshots } from "../test-support/browser.js";
import { installTarball, packedTarball, serveStatic, tempApp, timings } from "../test-support/package.js";

const WAIT = { timeout: 30_000 };
const started = Date.now();
const shot = screenshots("package-apps");

/** The page every app serves: one local-mode editor with a typed file, and a record of what is registered. */
const page = (script: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>app</title>
<link rel="icon" href="data:,"><script type="module" src="${script}"></script>
<style>body { margin: 24px; font-family: system-ui; } spike-editor { --spike-editor-height: 200px; }</style></head>
<body><spike-editor><script type="text/plain" data-file="index.tsx">const n: number = 1;
</script></spike-editor></body></html>`;

/** Which spike tags a page has defined. */
const DEFINED = `window.spikeTags = () => ["spike-room", "spike-editor", "spike-preview", "spike-chat", "spike-tabs", "spike-console", "spike-playground", "spike-versions"].filter((t) => customElements.get(t));`;

const packageJson = (name: string) => JSON.stringify({ name, private: true, type: "module" });
const apps: string[] = [];
const servers: Server[] = [];
let browser: Browser;
let viteOrigin: string;
let esbuildOrigin: string;
let bareEsbuildOrigin: string;
let pkgDirs: Record<string, string>;

/** Seconds a step took, recorded beside the tarball's own timings. */
async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await step();
  } finally {
    timings[label] = (Date.now() - t) / 1000;
  }
}

/** A Vite plugin that records the files it resolved from a package named spike, to prove they are the tarball's. */
function recordSpikeFiles(seen: Set<string>): Plugin {
  return {
    name: "record-spike-files",
    load(id) {
      if (id.includes("/spike/dist/")) seen.add(id);
      return null;
    },
  };
}

const viteFiles = new Set<string>();
let esbuildInputs: string[] = [];

before(async () => {
  const tarball = packedTarball();
  const vite = tempApp("vite-app", {
    "package.json": packageJson("vite-app"),
    "index.html": page("./main.js"),
    "main.js": `import "spike";\n${DEFINED}\n`,
  });
  const esb = tempApp("esbuild-app", {
    "package.json": packageJson("esbuild-app"),
    "main.js": `import "spike/spike-editor.js";\n${DEFINED}\n`,
    // Imports the classes and registers nothing: the page records what that left defined.
    "classes.js": `import * as classes from "spike/classes";\n${DEFINED}\nwindow.classNames = Object.keys(classes).sort();\n`,
    "out/index.html": page("./main.js"),
    "out/classes.html": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>classes</title><link rel="icon" href="data:,">
<script type="module" src="./classes.js"></script></head><body><spike-editor></spike-editor></body></html>`,
  });
  apps.push(vite, esb);
  pkgDirs = { vite: installTarball(tarball, vite), esbuild: installTarball(tarball, esb) };

  await timed("vite build", () =>
    viteBuild({ root: vite, configFile: false, logLevel: "error", plugins: [recordSpikeFiles(viteFiles)], build: { outDir: "dist" } }),
  );
  const result = await timed("esbuild build", () =>
    esbuild.build({
      absWorkingDir: esb,
      entryPoints: ["main.js", "classes.js"],
      bundle: true,
      format: "esm",
      splitting: true,
      minify: true,
      outdir: "out",
      metafile: true,
      logLevel: "error",
    }),
  );
  esbuildInputs = Object.keys(result.metafile.inputs).filter((input) => input.includes("spike/"));

  // The same esbuild output, served once without README's copy step and once with it.
  const bare = join(esb, "bare");
  await esbuild.build({ absWorkingDir: esb, entryPoints: ["main.js"], bundle: true, format: "esm", splitting: true, outdir: "bare", logLevel: "error" });
  copyFileSync(join(esb, "out/index.html"), join(bare, "index.html"));
  const chunks = join(pkgDirs.esbuild!, "dist/chunks");
  for (const file of ["editor.worker.js", "ts.worker.js", "codicon.ttf"]) copyFileSync(join(chunks, file), join(esb, "out", file));

  for (const [dir, set] of [
    [join(vite, "dist"), (o: string) => (viteOrigin = o)],
    [join(esb, "out"), (o: string) => (esbuildOrigin = o)],
    [bare, (o: string) => (bareEsbuildOrigin = o)],
  ] as const) {
    const { server, origin } = await serveStatic(dir);
    servers.push(server);
    set(origin);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  for (const server of servers) server.close();
  for (const app of apps) rmSync(app, { recursive: true, force: true });
  const steps = Object.entries(timings).map(([step, s]) => `${step} ${s.toFixed(1)} s`);
  console.log(`package app tests: ${[...steps, `total ${((Date.now() - started) / 1000).toFixed(1)} s`].join(", ")}`);
});

interface Observed {
  page: Page;
  /** Console errors and page errors. */
  errors: string[];
  /** Requests that failed or answered 4xx/5xx. */
  failed: string[];
  /** Script URLs of the workers the page started. */
  workers: string[];
}

async function open(url: string): Promise<Observed> {
  const page = await browser.newPage({ viewport: { width: 900, height: 300 } });
  const seen: Observed = { page, errors: [], failed: [], workers: [] };
  page.on("pageerror", (error) => seen.errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && seen.errors.push(message.text()));
  page.on("requestfailed", (request) => seen.failed.push(`${request.url()} ${request.failure()?.errorText}`));
  page.on("response", (response) => response.status() >= 400 && seen.failed.push(`${response.url()} ${response.status()}`));
  page.on("worker", (worker) => seen.workers.push(worker.url()));
  await page.goto(url);
  return seen;
}

/** Type a type error after the inline file's last line, with real keystrokes, and wait for the TypeScript worker's squiggle. */
async function typeAnError(page: Page): Promise<void> {
  await page.locator("spike-editor .view-lines").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("const s: string = n;");
  await page.waitForFunction(
    () => document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll(".squiggly-error").length > 0,
    null,
    WAIT,
  );
}

/** The editor works as in the site build: keystrokes land, both workers start and answer, the codicon font loads. */
async function assertWorkingEditor(seen: Observed, name: string): Promise<void> {
  const { page } = seen;
  await editorReady(page);
  await typeAnError(page);
  const text = await page.evaluate(() => document.querySelector("spike-editor")!.shadowRoot!.querySelector(".view-lines")!.textContent);
  assert.match(text!.replace(/\u00a0/g, " "), /const s: string = n;/);
  // The font Monaco's icons use: a face that failed to load would resolve to no faces.
  assert.equal(await page.evaluate(async () => (await document.fonts.load("16px codicon")).length), 1);
  await shot(page, name);
  assert.equal(seen.workers.filter((url) => /editor\.worker[^/]*\.js$/.test(url)).length, 1, seen.workers.join(", "));
  assert.equal(seen.workers.filter((url) => /ts\.worker[^/]*\.js$/.test(url)).length, 1, seen.workers.join(", "));
  // The app's static host is no spike server: the editor asks it once for a typings index (404), and nothing else fails.
  assert.deepEqual(seen.failed.filter((line) => !/\/npm\/typings\.json (404|net::ERR_ABORTED)$/.test(line)), []);
  assert.deepEqual(seen.errors.filter((e) => !/Lit is in dev mode|typings\.json.*404|status of 404/.test(e)), []);
}

test("a Vite app (`import \"spike\"`, no config) builds from the tarball and shows a working editor whose workers load", async () => {
  const files = [...viteFiles];
  assert.ok(files.length > 0 && files.every((file) => file.startsWith(pkgDirs.vite!)), "Vite bundled the tarball's files");
  const emitted = readdirSync(join(apps[0]!, "dist/assets"));
  for (const asset of [/^editor\.worker-.+\.js$/, /^ts\.worker-.+\.js$/, /^codicon-.+\.ttf$/]) {
    assert.ok(emitted.some((file) => asset.test(file)), `Vite emitted ${asset}: ${emitted.join(", ")}`);
  }
  const seen = await open(`${viteOrigin}/`);
  try {
    await assertWorkingEditor(seen, "vite");
    assert.deepEqual(await seen.page.evaluate(() => (window as any).spikeTags()), ["spike-room", "spike-editor", "spike-preview", "spike-chat", "spike-tabs", "spike-console", "spike-playground", "spike-versions"]);
  } finally {
    await seen.page.close();
  }
});

test("an esbuild app with the workers and font copied next to its bundle shows a working editor; spike-editor.js registers only <spike-editor>", async () => {
  assert.ok(esbuildInputs.length > 0 && esbuildInputs.every((input) => input.startsWith("node_modules/spike/dist/")), esbuildInputs.join(", "));
  const seen = await open(`${esbuildOrigin}/`);
  try {
    await assertWorkingEditor(seen, "esbuild");
    assert.deepEqual(await seen.page.evaluate(() => (window as any).spikeTags()), ["spike-editor"]);
  } finally {
    await seen.page.close();
  }
});

test("without that copy step, the esbuild app's editor shows but its workers fail to load (the step is needed)", async () => {
  const seen = await open(`${bareEsbuildOrigin}/`);
  try {
    await editorReady(seen.page);
    await seen.page.locator("spike-editor .view-lines").click();
    await seen.page.keyboard.type("x");
    const deadline = Date.now() + WAIT.timeout;
    const bothFailed = () => ["editor", "ts"].every((w) => seen.failed.some((f) => f.endsWith(`/${w}.worker.js 404`)));
    while (!bothFailed() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(seen.failed.some((f) => /\/editor\.worker\.js 404$/.test(f)), seen.failed.join("\n"));
    assert.ok(seen.failed.some((f) => /\/ts\.worker\.js 404$/.test(f)), seen.failed.join("\n"));
  } finally {
    await seen.page.close();
  }
});

test("spike/classes exports the classes and registers no tag", async () => {
  const seen = await open(`${esbuildOrigin}/classes.html`);
  try {
    await seen.page.waitForFunction(() => Array.isArray((window as any).classNames), null, WAIT);
    assert.deepEqual(await seen.page.evaluate(() => (window as any).classNames), ["RoomElement", "SpikeChat", "SpikeConsole", "SpikeEditor", "SpikePlayground", "SpikePreview", "SpikeRoom", "SpikeTabs", "SpikeVersions"]);
    assert.deepEqual(await seen.page.evaluate(() => (window as any).spikeTags()), []);
    assert.deepEqual(seen.errors, []);
  } finally {
    await seen.page.close();
  }
});
