/**
 * `npm test`: typecheck, build the browser bundle if stale, then run every `*.test.ts` with node's test runner (pure
 * logic, Workers and Durable Objects in workerd, elements in headless Chromium) and, if configured, web-test-runner.
 * Usage: npm test [-- <file or folder> ...]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
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

/** Run a step; with `capture`, its output is also returned (and still printed). */
function run(label, command, args, extraEnv = {}, { capture = false } = {}) {
  const started = Date.now();
  console.log(`\n== ${label}`);
  const result = spawnSync(command, args, {
    stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
    env: { ...process.env, ...extraEnv },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (capture) process.stdout.write(result.stdout ?? "");
  console.log(`== ${label}: ${result.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { ok: result.status === 0, output: result.stdout ?? "" };
}

const totals = { passed: 0, failed: 0 };

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
  for (const project of ["core", "workers", ".", "stories"]) {
    ok = run(`typecheck ${project}`, process.execPath, ["node_modules/typescript/bin/tsc", "-p", project]).ok && ok;
  }
}
ensureBuild();

const files = (only.length ? only : ["core", "workers", "elements", "integrations", "demos", "stories", "scripts", "bench"]).filter(existsSync).flatMap((p) => findTests(p));
// Spec output for people, TAP to a file for the totals.
const tapDir = mkdtempSync(join(tmpdir(), "spike-tap-"));
const tap = join(tapDir, "node.tap");
const reporters = ["--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=tap", `--test-reporter-destination=${tap}`];
// A test that hangs (a server that never answers, a page that never loads) fails after 10 minutes instead of holding the
// whole run until CI gives up; the slowest test takes under 2.
const timeout = "--test-timeout=600000";
ok = run(`node --test (${files.length} files)`, process.execPath, ["--import", "tsx", "--test", timeout, ...reporters, ...files], wrangler).ok && ok;
const tapText = existsSync(tap) ? readFileSync(tap, "utf8") : "";
totals.passed += Number(/^# pass (\d+)$/m.exec(tapText)?.[1] ?? 0);
totals.failed += Number(/^# fail (\d+)$/m.exec(tapText)?.[1] ?? 0);
rmSync(tapDir, { recursive: true, force: true });

if (only.length === 0 && existsSync("web-test-runner.config.mjs")) {
  const wtr = run("web-test-runner", process.execPath, ["node_modules/@web/test-runner/dist/bin.js", "--static-logging"], wrangler, { capture: true });
  ok = wtr.ok && ok;
  const counts = [...wtr.output.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  totals.passed += Number(counts?.[1] ?? 0);
  totals.failed += Number(counts?.[2] ?? (wtr.ok ? 0 : 1));
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(ok && totals.passed > 0 ? 0 : 1);
