/**
 * `npm run dev`: the contributor's loop. Rollup in watch mode builds the elements, the CDN build and the preview frame's
 * runtime as dev builds (DEV_MODE on, lit's dev build) into dist/dev/; wrangler dev (through scripts/start.mjs) serves
 * that site and both Workers, reloading the Workers on their own edits; `tsc --watch` checks core, the Workers and the
 * elements beside them. One output, each line prefixed by the part that printed it. After a rebuild, once wrangler
 * serves the new files, every open page that loaded one of them reloads (scripts/live-reload.mjs). A type error is
 * printed and changes nothing else: esbuild builds without types, so the page still gets the edit.
 * Usage: npm run dev [PORT=8787] [SPIKE_LIVE_RELOAD_PORT=PORT+1, 0 for any free port]
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, watch as watchFolder } from "node:fs";
import { createConnection } from "node:net";
import { dirname, join, relative } from "node:path";
import { format } from "node:util";
import { npmModulesAreStale } from "./build-npm.mjs";
import { startLiveReload } from "./live-reload.mjs";

const port = portFrom("PORT", 8787);
const reloadPort = portFrom("SPIKE_LIVE_RELOAD_PORT", port + 1, { zero: true });
/** Where rollup.config.mjs assembles the dev site, and the copy wrangler serves, which gets only the files that changed. */
const ASSEMBLED = "dist/dev/assembled";
const SITE = "dist/dev/site";
/** How long a rebuilt file may take to be served before the pages reload anyway. */
const SERVE_WAIT_MS = 15_000;

const COLORS = { dev: 35, rollup: 36, wrangler: 33, reload: 32, "tsc core": 34, "tsc workers": 34, "tsc elements": 34 };
const width = Math.max(...Object.keys(COLORS).map((name) => name.length));

/** Print each line of `text` under the part's prefix (coloured on a terminal). */
function print(part, text) {
  const label = `[${part}]`.padEnd(width + 2);
  const prefix = process.stdout.isTTY ? `\x1b[${COLORS[part] ?? 0}m${label}\x1b[0m` : label;
  for (const line of String(text).split(/\r?\n/)) if (line.trim()) process.stdout.write(`${prefix} ${line}\n`);
}

/** Prefix a child's output line by line (a chunk may end mid-line). */
function pipeLines(part, stream) {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    lines.forEach((line) => print(part, line));
  });
  stream.on("end", () => rest && print(part, rest));
}

function portFrom(name, fallback, { zero = false } = {}) {
  const value = Number(process.env[name] ?? fallback);
  if (Number.isInteger(value) && value <= 65535 && (value >= 1 || (zero && value === 0))) return value;
  console.error(`spike dev: ${name} must be a port number, got "${process.env[name]}"`);
  process.exit(1);
}

/** Does anything accept connections on 127.0.0.1:port? Checked before the first build, so a busy port fails at once. */
function portInUse(probe) {
  return new Promise((done) => {
    const socket = createConnection({ host: "127.0.0.1", port: probe });
    socket.once("connect", () => (socket.destroy(), done(true)));
    socket.once("error", () => done(false));
  });
}

if (await portInUse(port)) {
  console.error(`spike dev: port ${port} is in use (is npm start running?); stop it, or choose another with PORT=<port> npm run dev`);
  process.exit(1);
}

// The offline npm set is a production build step (scripts/build-npm.mjs, incremental); the dev site copies it.
if (npmModulesAreStale()) {
  const result = spawnSync(process.execPath, ["scripts/build-npm.mjs"], { encoding: "utf8" });
  print("dev", result.stdout + result.stderr);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const channel = await startLiveReload({ port: reloadPort });
print("reload", `live reload on ${channel.url}`);

// Rollup runs in this process; whatever its plugins print (sizes, warnings) goes out under its prefix.
console.log = console.info = (...args) => print("rollup", format(...args));
console.warn = console.error = (...args) => print("rollup", format(...args));
process.env.SPIKE_DEV = "1";
process.env.SPIKE_LIVE_RELOAD_URL = channel.url;
const { default: configs, buildSite } = await import("../rollup.config.mjs");
const { watch } = await import("rollup");

const running = new Set();
let wrangler = null;
let served = new Map();
let stopping = false;

/** Run a node script as a child whose output is prefixed; a child that stops by itself is reported. */
function run(part, args, env = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  pipeLines(part, child.stdout);
  pipeLines(part, child.stderr);
  child.on("exit", (code, signal) => {
    running.delete(child);
    if (!stopping) print(part, `stopped (${signal ?? `exit code ${code}`})`);
  });
  return child;
}

/** Each file of the assembled site by its URL path (`/spike.js`) and content hash. */
function hashSite(dir = ASSEMBLED, files = new Map()) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) hashSite(path, files);
    else files.set(`/${relative(ASSEMBLED, path)}`, sha1(readFileSync(path)));
  }
  return files;
}

/**
 * Bring the served site up to the assembled one, touching only what changed (a rebuild that changed nothing served
 * writes nothing, so wrangler reloads nothing): new and changed files, the entries and pages last (they name the
 * chunks), then the files that are gone.
 */
function syncSite(next, changed) {
  const entriesLast = (file) => (file.includes("/chunks/") ? 0 : 1);
  for (const file of [...changed].sort((a, b) => entriesLast(a) - entriesLast(b))) {
    mkdirSync(dirname(join(SITE, file)), { recursive: true });
    copyFileSync(join(ASSEMBLED, file), join(SITE, file));
  }
  for (const file of served.keys()) if (!next.has(file)) rmSync(join(SITE, file), { force: true });
}

const sha1 = (bytes) => createHash("sha1").update(bytes).digest("hex");

/** The ETag wrangler serves `file` with now (null if it serves none). */
async function servedTag(file) {
  try {
    return (await fetch(`http://127.0.0.1:${port}${file}`)).headers.get("etag");
  } catch {
    return null;
  }
}

/**
 * Wait until wrangler serves `file` as built (its asset watcher picks the change up a moment after we write it), also to
 * a browser revalidating the copy it has: for a moment after a change wrangler answers the old ETag with 304 while it
 * already sends the new bytes, so a page reloaded then keeps the old bundle. Three answers in a row, 100 ms apart.
 */
async function waitUntilServed(file, hash, oldTag) {
  const deadline = Date.now() + SERVE_WAIT_MS;
  let inARow = 0;
  while (Date.now() < deadline && inARow < 3) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${file}`, { headers: oldTag ? { "if-none-match": oldTag } : {} });
      const fresh = res.status === 200 && sha1(Buffer.from(await res.arrayBuffer())) === hash;
      inARow = fresh ? inARow + 1 : 0;
    } catch {
      inARow = 0; // wrangler is restarting its asset server
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return inARow === 3;
}

/** After a build: assemble the site, start wrangler the first time, later tell the open pages which files changed. */
async function publish(started) {
  await buildSite();
  const next = hashSite();
  const changed = [...next].filter(([file, hash]) => served.get(file) !== hash).map(([file]) => file);
  if (!wrangler) rmSync(SITE, { recursive: true, force: true });
  const probe = changed.find((file) => !file.startsWith("/v/") && file !== "/_headers") ?? changed[0];
  const oldTag = wrangler && probe && served.has(probe) ? await servedTag(probe) : null;
  syncSite(next, changed);
  served = next;
  if (!wrangler) return startServers(started);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // The pinned copy (/v/<version>/) repeats the root: pages hear about the root's files.
  const announced = changed.filter((file) => !file.startsWith("/v/"));
  if (announced.length === 0) return print("rollup", `rebuilt in ${seconds} s; no served file changed`);
  if (!(await waitUntilServed(probe, next.get(probe), oldTag))) print("reload", `${probe} is not served as built after ${SERVE_WAIT_MS / 1000} s`);
  const pages = channel.announce(announced);
  const names = announced.length > 4 ? `${announced.slice(0, 4).join(", ")} and ${announced.length - 4} more` : announced.join(", ");
  print("reload", `rebuilt in ${seconds} s: ${names} changed; told ${pages} open page${pages === 1 ? "" : "s"}`);
}

/** The first build is written: serve it, then start type-checking (it would slow the first build down). */
function startServers(started) {
  print("rollup", `first build in ${((Date.now() - started) / 1000).toFixed(1)} s, watching for changes`);
  wrangler = run("wrangler", ["scripts/start.mjs"], { PORT: String(port), SPIKE_ASSETS_DIR: SITE });
  wrangler.on("exit", (code) => stop(code === 0 ? 1 : (code ?? 1)));
  for (const [part, project] of [["tsc core", "core"], ["tsc workers", "workers"], ["tsc elements", "."]]) {
    run(part, ["node_modules/typescript/bin/tsc", "-p", project, "--watch", "--preserveWatchOutput"]);
  }
}

// Builds one after another: a change during a publish is published once that one is done.
let publishing = Promise.resolve();
const queuePublish = (started) => (publishing = publishing.then(() => publish(started)).catch((error) => print("dev", error.stack)));

// Only our sources are watched (node_modules resolve to their real paths, hence the leading **): watching Monaco's
// thousand files made each rebuild take ten times as long. Monaco's workers are built once, so rollup keeps no cache
// of them (hundreds of MB of syntax trees).
const watcher = watch(
  configs.map((config) => ({
    ...config,
    cache: config.output?.file?.endsWith(".worker.js") ? false : config.cache,
    watch: { clearScreen: false, exclude: ["**/node_modules/**", "dist/**"] },
  })),
);
let buildStarted = Date.now();
watcher.on("event", (event) => {
  if (event.code === "START") buildStarted = Date.now();
  if (event.code === "BUNDLE_END" || event.code === "ERROR") event.result?.close();
  if (event.code === "ERROR") print("rollup", describeError(event.error));
  if (event.code === "END") queuePublish(buildStarted);
});
print("rollup", "building the dev build (dist/dev/) ...");

// The demo pages are copied, not bundled: rollup does not watch them.
let demoTimer;
watchFolder("demos", () => {
  clearTimeout(demoTimer);
  demoTimer = setTimeout(() => wrangler && queuePublish(Date.now()), 100);
});

function describeError(error) {
  const where = error.id ? `${relative(process.cwd(), error.id)}${error.loc ? `:${error.loc.line}:${error.loc.column}` : ""}: ` : "";
  return `build failed (the last good build is still served): ${where}${error.message}${error.frame ? `\n${error.frame}` : ""}`;
}

/** Stop everything we started: wrangler and tsc (SIGTERM; start.mjs passes it to wrangler), rollup, the channel. */
async function stop(code) {
  if (stopping) return;
  stopping = true;
  const children = Promise.all(
    [...running].map(
      (child) =>
        new Promise((resolve) => {
          const force = setTimeout(() => (child.kill("SIGKILL"), resolve()), 5_000);
          child.once("exit", () => (clearTimeout(force), resolve()));
          child.kill("SIGTERM");
        }),
    ),
  );
  await children;
  // Whatever rollup or the channel still hold (an open page's connection), the process ends.
  setTimeout(() => process.exit(code), 2_000);
  await Promise.all([watcher.close(), channel.close()]);
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop(0));
