/**
 * Build the browser bundle (rollup) only when an input is newer than dist/site/spike.js, so `npm start` and `npm test`
 * stay fast on a second run and still pick up every edit.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { npmModulesAreStale } from "./build-npm.mjs";

const INPUTS = ["core", "elements", "demos", "rollup.config.mjs", "scripts/build", "package-lock.json"];
const OUTPUT = "dist/site/spike.js";

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when dist/site is missing or older than any input. */
export function buildIsStale(root = ".") {
  const output = join(root, OUTPUT);
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return INPUTS.some((input) => newestMtime(join(root, input)) > built);
}

/** Run `rollup -c` when stale; exits the process on a failed build. */
export function ensureBuild({ force = false } = {}) {
  ensureNpmModules({ force });
  if (!force && !buildIsStale()) return;
  const started = Date.now();
  console.log("spike: building the element bundle (rollup) ...");
  const result = spawnSync(process.execPath, ["node_modules/rollup/dist/bin/rollup", "-c", "--silent"], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error("spike: build failed");
    process.exit(result.status ?? 1);
  }
  console.log(`spike: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The offline npm modules under dist/site/npm (scripts/build-npm.mjs, incremental) when missing or stale. */
function ensureNpmModules({ force = false } = {}) {
  if (!force && !npmModulesAreStale()) return;
  const result = spawnSync(process.execPath, ["scripts/build-npm.mjs"], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error("spike: npm module build failed");
    process.exit(result.status ?? 1);
  }
}
