/**
 * `npm test`: typecheck, build the browser bundle if stale, then run every `*.test.ts` with node's test runner (pure
 * logic, Workers and Durable Objects in workerd, elements in headless Chromium) and, if configured, web-test-runner.
 * Usage: npm test [-- <file or folder> ...]
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureBuild } from "./ensure-build.mjs";

const SKIP = new Set(["node_modules", "dist", ".wrangler", ".git", "bench"]);

function findTests(path, out = []) {
  const stat = statSync(path);
  if (stat.isFile()) {
    if (/\.test\.(ts|mjs)$/.test(path)) out.push(path);
    return out;
  }
  for (const entry of readdirSync(path).sort()) {
    if (!SKIP.has(entry)) findTests(join(path, entry), out);
  }
  return out;
}

function run(label, command, args, extraEnv = {}) {
  const started = Date.now();
  console.log(`\n== ${label}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...extraEnv } });
  console.log(`== ${label}: ${result.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

const only = process.argv.slice(2);
const wrangler = {
  XDG_CONFIG_HOME: resolve(".wrangler/config"),
  XDG_CACHE_HOME: resolve(".wrangler/cache"),
  WRANGLER_SEND_METRICS: "false",
  // No internet here: use the placeholder Request.cf instead of fetching it.
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

let ok = true;
if (only.length === 0) {
  ok = run("typecheck", process.execPath, ["node_modules/typescript/bin/tsc", "-p", "core"]) && ok;
  ok = run("typecheck workers", process.execPath, ["node_modules/typescript/bin/tsc", "-p", "workers"]) && ok;
  if (existsSync("tsconfig.json")) ok = run("typecheck elements", process.execPath, ["node_modules/typescript/bin/tsc", "-p", "."]) && ok;
}
ensureBuild();

const files = (only.length ? only : ["core", "workers", "elements", "scripts"]).filter(existsSync).flatMap((p) => findTests(p));
ok =
  run(`node --test (${files.length} files)`, process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files], wrangler) && ok;

if (only.length === 0 && existsSync("web-test-runner.config.mjs")) {
  ok = run("web-test-runner", process.execPath, ["node_modules/@web/test-runner/dist/bin.js"], wrangler) && ok;
}
process.exit(ok ? 0 : 1);
