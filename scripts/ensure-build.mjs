/**
 * Build the browser bundle (rollup: dist/cdn, then dist/site) only when an input is newer than its outputs, so `npm start`
 * and `npm test` stay fast on a second run and still pick up every edit.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { galleryAppsAreStale } from "./build-gallery-apps.mjs";
import { npmModulesAreStale } from "./build-npm.mjs";
import { ensureStorybook } from "./build-storybook.mjs";

// package.json: its version names the pinned copy (dist/site/v/<version>/).
const INPUTS = ["core", "elements", "demos", "rollup.config.mjs", "scripts/build", "package-lock.json", "package.json"];

/** What one build writes, the last of it last: the CDN entry, the site's latest copy and its pinned copy. */
function outputs(root) {
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  return ["dist/cdn/spike.js", "dist/site/spike.js", `dist/site/v/${version}/spike.js`, "dist/site/_headers"].map((file) => join(root, file));
}

/** Tests sit beside the sources they test but are not built: editing one must not rebuild the bundle. */
const TEST_FILE = /\.(test|browser-test)\.ts$/;

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (!TEST_FILE.test(entry)) newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when an output of the build is missing or older than any input (a build stopped half-way counts as stale). */
export function buildIsStale(root = ".") {
  const files = outputs(root);
  if (!files.every((file) => existsSync(file))) return true;
  const built = Math.min(...files.map((file) => statSync(file).mtimeMs));
  return INPUTS.some((input) => newestMtime(join(root, input)) > built);
}

/**
 * Run `rollup -c` when stale (or the npm set was just rebuilt: the site copies it), then the Storybook static build and
 * the gallery's framework apps, each when its own inputs changed (scripts/build-storybook.mjs,
 * scripts/build-gallery-apps.mjs); exits the process on a failed build.
 */
export function ensureBuild({ force = false } = {}) {
  ensureSite({ force });
  ensureGalleryApps({ force });
}

function ensureSite({ force }) {
  const npmRebuilt = ensureNpmModules({ force });
  if (force || npmRebuilt || buildIsStale()) buildBundle();
  ensureStorybook({ force });
}

/** `rollup -c`: dist/cdn, then dist/site (which keeps dist/site/storybook). */
function buildBundle() {
  const started = Date.now();
  console.log("spike: building the element bundle (rollup) ...");
  const result = spawnSync(process.execPath, ["node_modules/rollup/dist/bin/rollup", "-c", "--silent"], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error("spike: build failed");
    process.exit(result.status ?? 1);
  }
  console.log(`spike: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Build the offline npm modules under dist/cdn/npm (scripts/build-npm.mjs, incremental) when missing or stale; true if it ran. */
function ensureNpmModules({ force = false } = {}) {
  if (!force && !npmModulesAreStale()) return false;
  const result = spawnSync(process.execPath, ["scripts/build-npm.mjs"], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error("spike: npm module build failed");
    process.exit(result.status ?? 1);
  }
  return true;
}

/** Build the React, Vue and Svelte apps into dist/site/apps/ (scripts/build-gallery-apps.mjs) when missing or stale. */
function ensureGalleryApps({ force = false } = {}) {
  if (!force && !galleryAppsAreStale()) return;
  // A forced build (deploy) must not build the apps against an older package left in dist/ by an earlier build.
  if (force && spawnSync(process.execPath, ["scripts/build-package.mjs"], { stdio: "inherit" }).status !== 0) {
    console.error("spike: package build failed");
    process.exit(1);
  }
  const result = spawnSync(process.execPath, ["scripts/build-gallery-apps.mjs"], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error("spike: gallery apps build failed");
    process.exit(result.status ?? 1);
  }
}
