/**
 * `npm run dev` as a contributor runs it, in a temporary copy of the project: an element edit reaches an open page by
 * itself, a type error is printed while the server keeps serving, a build error keeps the last good build; and what a
 * dev build has (DEV_MODE code, lit's dev build, the live-reload tag) a production build does not.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { until } from "../test-support/wait.js";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.mjs";
import { freePort } from "./free-port.mjs";

/** What a dev run needs of the project; node_modules is linked, dist/ is built by the run itself. */
const PROJECT = ["core", "elements", "demos", "integrations", "scripts", "workers", "test-support", "rollup.config.mjs", "package.json", "tsconfig.json", "tsconfig.base.json", "wrangler.jsonc"];
const copy = mkdtempSync(join(tmpdir(), "spike-dev-"));
for (const path of PROJECT) cpSync(path, join(copy, path), { recursive: true });
symlinkSync(realpathSync("node_modules"), join(copy, "node_modules"));
// A page of the stack that loads the element bundle, and nothing slow (no Monaco: the editor waits for a click).
writeFileSync(
  join(copy, "demos/dev-fixture.html"),
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>dev</title><link rel="icon" href="data:,">
<script type="module" src="/spike.js"></script>
</head><body><spike-editor loading="click"></spike-editor></body></html>`,
);

const running = new Set<ChildProcess>();
let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  // SIGTERM: dev.mjs stops rollup and passes it on to wrangler (through start.mjs) and tsc.
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          const force = setTimeout(() => (child.kill("SIGKILL"), resolve()), 15_000);
          child.once("exit", () => (clearTimeout(force), resolve()));
          child.kill("SIGTERM");
        }),
    ),
  );
  rmSync(copy, { recursive: true, force: true });
});

function dev(port: number) {
  const child = spawn(process.execPath, ["scripts/dev.mjs"], {
    cwd: copy,
    env: { ...process.env, PORT: String(port), SPIKE_LIVE_RELOAD_PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => (running.delete(child), resolve(code))));
  return { child, exited, output: () => output };
}

test("an element edit reloads the open page with the new bundle; a type error is printed and a build error keeps the last build", { timeout: 600_000 }, async () => {
  const port = await freePort();
  const run = dev(port);
  try {
    await editReloadsThePage(run, port);
  } catch (error) {
    console.log(run.output());
    throw error;
  }
});

async function editReloadsThePage(run: ReturnType<typeof dev>, port: number) {
  const base = `http://localhost:${port}`;
  const alive = () => run.child.exitCode === null;
  const printed = (pattern: RegExp) => () => {
    assert.ok(alive(), `npm run dev stopped:\n${run.output()}`);
    return pattern.test(run.output());
  };
  // The first build is a full one (about 30 s on a quiet machine, minutes on a loaded one).
  await until(printed(/\[wrangler\]\s+spike: ready on/), "the stack to be ready", 600_000);
  assert.match(run.output(), /^\[rollup\]\s+first build in [\d.]+ s/m);
  const get = (path: string) => fetch(`${base}${path}`, { signal: AbortSignal.timeout(30_000) });
  const fixture = await (await get("/dev-fixture")).text();
  assert.match(fixture, /<script src="http:\/\/127\.0\.0\.1:\d+\/live-reload\.js"><\/script>/, "a dev build's page loads the live-reload client");
  assert.match(await (await get("/spike.js")).text(), /^export /m);
  // What the production build must not have (last test) is in the dev build.
  const devCode = builtCode(join(copy, "dist/dev/cdn"));
  assert.match(devCode, /is not a room id/, "the DEV_MODE room id check");
  assert.match(devCode, /Lit is in dev mode/, "lit's dev build");

  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  await page.goto(`${base}/dev-fixture`);
  await page.waitForFunction(() => document.documentElement.dataset.spikeLiveReload === "open", null, { timeout: 30_000 });
  await page.evaluate(() => ((window as { beforeEdit?: boolean }).beforeEdit = true));

  // An element source changes: the served bundle runs the new code in the page, which reloaded by itself.
  const token = `edit-${Date.now()}`;
  const before = run.output().length;
  appendFileSync(join(copy, "elements/spike-editor.ts"), `(globalThis as { spikeDevProbe?: string }).spikeDevProbe = "${token}";\n`);
  const edited = Date.now();
  let reloadStarted = 0;
  page.on("request", (request) => request.isNavigationRequest() && !reloadStarted && (reloadStarted = Date.now()));
  await until(() => /\[reload\]\s+rebuilt in [\d.]+ s: .* changed; told 1 open page\n/.test(run.output().slice(before)), "the rebuild to reach the page", 300_000);
  const served = Date.now();
  // The page starts reloading by itself once the new bundle is served; under load, running it may take longer.
  await until(() => reloadStarted > 0, "the page to reload", 10_000);
  await page.waitForFunction(
    (expected) => !(window as { beforeEdit?: boolean }).beforeEdit && (window as { spikeDevProbe?: string }).spikeDevProbe === expected,
    token,
    { timeout: 60_000 },
  );
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`edit to served: ${seconds(served - edited)}; edit to reload: ${seconds(reloadStarted - edited)}; to the new code running: ${seconds(Date.now() - edited)}`);

  // A type error (valid JavaScript once types are stripped) is printed by the elements' tsc, and the stack keeps serving.
  console.log("type error: written");
  appendFileSync(join(copy, "elements/internal/palette.ts"), `export const devTypeProbe: number = "not a number";\n`);
  await until(printed(/\[tsc elements\]\s+elements\/internal\/palette\.ts\(\d+,\d+\): error TS2322/), "the type error to be printed", 300_000);
  assert.deepEqual(await (await get("/api/health")).json(), { ok: true, version: "0.1.0" });
  console.log("type error: printed, stack serving");

  // A syntax error fails the build, which says so; the last good build stays served and the server keeps running.
  const source = readFileSync(join(copy, "elements/spike-editor.ts"), "utf8");
  const failedBefore = run.output().length;
  writeFileSync(join(copy, "elements/spike-editor.ts"), `${source}export const = ;\n`);
  await until(() => /\[rollup\]\s+build failed \(the last good build is still served\): elements\/spike-editor\.ts/.test(run.output().slice(failedBefore)), "the build error to be printed", 300_000);
  console.log("build error: printed");
  await page.reload();
  assert.equal(await page.evaluate(() => (window as { spikeDevProbe?: string }).spikeDevProbe), token);
  assert.deepEqual(await (await get("/api/health")).json(), { ok: true, version: "0.1.0" });
  assert.ok(alive());

  run.child.kill("SIGTERM");
  assert.equal(await run.exited, 0);
}

test("npm run dev on a port in use says so before building anything", async () => {
  const blocker = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => blocker.once("listening", r));
  const { port } = blocker.address() as { port: number };
  try {
    const run = dev(port);
    assert.equal(await run.exited, 1);
    assert.match(run.output(), /port \d+ is in use/);
    assert.doesNotMatch(run.output(), /\[rollup\]/);
  } finally {
    blocker.close();
  }
});

test("a production build has no dev-only code: no DEV_MODE checks, no lit dev build, no live-reload tag", () => {
  assert.ok(existsSync("dist/cdn/spike.js"), "dist/cdn is missing: npm test builds it first");
  const code = builtCode("dist/cdn");
  assert.ok(code.length > 100_000);
  assert.doesNotMatch(code, /is not a room id/, "the DEV_MODE room id check is dropped");
  assert.doesNotMatch(code, /Lit is in dev mode/, "lit's production build");
  for (const page of readdirSync("dist/site").filter((file) => file.endsWith(".html"))) {
    assert.doesNotMatch(readFileSync(join("dist/site", page), "utf8"), /live-reload/, page);
  }
});

/** The JavaScript of a CDN build (dist/cdn or dist/dev/cdn), without the npm set it copies in. */
function builtCode(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".js") && !file.startsWith("npm"))
    .map((file) => readFileSync(join(dir, file), "utf8"))
    .join("\n");
}
