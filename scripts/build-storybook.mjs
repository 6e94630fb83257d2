/**
 * The Storybook static build (stories/, .storybook/) into dist/site/storybook, which the main Worker serves at /storybook/.
 * It runs after rollup (from `npm run build` and from ensure-build, when an input is newer than the build) and never
 * bundles the elements: the stories load /spike.js from the same origin. Built into a temporary folder first, so a
 * failed build leaves the previous one in place.
 * Usage: node scripts/build-storybook.mjs [--force]
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** What the build reads. Test files under stories/ are not built: editing one must not rebuild. */
const INPUTS = ["stories", ".storybook", "custom-elements.json"];
const OUT = "dist/site/storybook";
/** Written by every build (the story index), so its time is the build's. */
const STAMP = "index.json";
const TEST_FILE = /\.test\.ts$/;

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return TEST_FILE.test(path) ? 0 : stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

/**
 * True when the static build is missing or older than any of its inputs.
 * @example if (storybookIsStale()) buildStorybook();
 */
export function storybookIsStale(root = ".") {
  const stamp = join(root, OUT, STAMP);
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return INPUTS.some((input) => newestMtime(join(root, input)) > built);
}

/**
 * Build dist/site/storybook (when stale, or always with `force`); exits the process when the build fails.
 * @example ensureStorybook(); // after rollup has written dist/site
 */
export function ensureStorybook({ force = false, root = "." } = {}) {
  if (!force && !storybookIsStale(root)) return;
  const started = Date.now();
  console.log("spike: building Storybook (dist/site/storybook) ...");
  const temporary = resolve(root, "dist/site/.storybook-build");
  rmSync(temporary, { recursive: true, force: true });
  const result = spawnSync(
    process.execPath,
    ["node_modules/storybook/dist/bin/dispatcher.js", "build", "-c", ".storybook", "-o", temporary, "--quiet", "--disable-telemetry"],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: "1" } },
  );
  if (result.status !== 0 || !existsSync(join(temporary, STAMP))) {
    rmSync(temporary, { recursive: true, force: true });
    console.error("spike: Storybook build failed");
    process.exit(result.status || 1);
  }
  rmSync(resolve(root, OUT), { recursive: true, force: true });
  renameSync(temporary, resolve(root, OUT));
  console.log(`spike: Storybook built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureStorybook({ force: process.argv.includes("--force") });
}
