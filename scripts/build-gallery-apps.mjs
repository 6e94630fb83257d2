/**
 * Build the React, Vue and Svelte examples (integrations/examples/) into the gallery, dist/site/apps/<framework>/, the way
 * their users build them: each app gets the npm package as `npm install` would leave it (the files package.json's `files`
 * ships, from dist/) and Vite with the framework's own plugin compiles it. Runs after the package build in `npm run build`
 * and, when stale, from scripts/ensure-build.mjs. Also writes dist/site/apps/sources.json, the apps' sources as the
 * gallery page (demos/apps.html) shows them. Usage: node scripts/build-gallery-apps.mjs
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = resolve(import.meta.dirname, "..");

/** The example apps, each a folder of integrations/examples/ built to dist/site/apps/<name>/. */
export const FRAMEWORKS = ["react", "vue", "svelte"];

const EXAMPLES = join(ROOT, "integrations/examples");
const OUT = join(ROOT, "dist/site/apps");
/** Where each app is assembled with its copy of the package: inside the project, so lit, Vite and the frameworks resolve. */
const SCRATCH = join(ROOT, ".cache/gallery-apps");
/** The package's entry: present once scripts/build-package.mjs has run; its age says when the package last changed. */
const PACKAGE_ENTRY = join(ROOT, "dist/index.js");

/** The files of each app the gallery page shows (sources.json), in this order. */
const SHOWN = ["src/App.tsx", "src/App.vue", "src/App.svelte", "src/main.tsx", "src/main.ts", "vite.config.ts"];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

/**
 * True when an app's page is missing or older than the examples, this script or the package in dist/ (a new package build
 * rebuilds the apps; a change to elements/ alone waits for the next package build, `npm run build`).
 * @example if (galleryAppsAreStale()) await buildGalleryApps();
 */
export function galleryAppsAreStale() {
  const pages = [...FRAMEWORKS.map((name) => join(OUT, name, "index.html")), join(OUT, "sources.json")];
  if (!pages.every((page) => existsSync(page))) return true;
  const built = Math.min(...pages.map((page) => statSync(page).mtimeMs));
  const inputs = [EXAMPLES, join(ROOT, "scripts/build-gallery-apps.mjs"), PACKAGE_ENTRY, join(ROOT, "dist/chunks")];
  return inputs.some((input) => newestMtime(input) > built);
}

/**
 * What `npm install spike` leaves in an app's node_modules/spike: package.json's `files` (plus package.json itself),
 * copied from the project. `dist/*.js`-style entries match one folder's files by extension; entries ending in `/` are folders.
 */
function installPackage(app) {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const target = join(app, "node_modules/spike");
  mkdirSync(target, { recursive: true });
  cpSync(join(ROOT, "package.json"), join(target, "package.json"));
  for (const entry of pkg.files) {
    const star = entry.indexOf("*");
    if (star < 0) {
      cpSync(join(ROOT, entry), join(target, entry), { recursive: true });
      continue;
    }
    const folder = entry.slice(0, entry.lastIndexOf("/"));
    const suffix = entry.slice(star + 1);
    mkdirSync(join(target, folder), { recursive: true });
    for (const name of readdirSync(join(ROOT, folder)).filter((file) => file.endsWith(suffix))) {
      if (statSync(join(ROOT, folder, name)).isFile()) cpSync(join(ROOT, folder, name), join(target, folder, name));
    }
  }
}

/** Build the package (scripts/build-package.mjs) when dist/ has none yet. */
function ensurePackage() {
  if (existsSync(PACKAGE_ENTRY) && existsSync(join(ROOT, "dist/types"))) return;
  console.log("spike: building the npm package for the gallery apps ...");
  const result = spawnSync(process.execPath, ["scripts/build-package.mjs"], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error("the package build failed");
}

/**
 * Build every example into dist/site/apps/<framework>/ (Vite, base `./`, so each app works under any path) and write
 * dist/site/apps/sources.json. Returns the seconds each app took.
 * @example const seconds = await buildGalleryApps(); // { react: 9.1, vue: 6.3, svelte: 6.8 }
 */
export async function buildGalleryApps() {
  ensurePackage();
  // Vite is a devDependency: loaded only when there is something to build, so ensure-build stays cheap when fresh.
  const { build } = await import("vite");
  const seconds = {};
  const sources = {};
  for (const framework of FRAMEWORKS) {
    const started = Date.now();
    const app = join(SCRATCH, framework);
    rmSync(app, { recursive: true, force: true });
    cpSync(join(EXAMPLES, framework), app, { recursive: true });
    installPackage(app);
    await build({
      root: app,
      base: "./",
      configFile: join(app, "vite.config.ts"),
      logLevel: "warn",
      build: { outDir: join(OUT, framework), emptyOutDir: true, chunkSizeWarningLimit: 10_000 },
    });
    sources[framework] = Object.fromEntries(
      SHOWN.filter((file) => existsSync(join(app, file))).map((file) => [file, readFileSync(join(app, file), "utf8")]),
    );
    seconds[framework] = (Date.now() - started) / 1000;
  }
  writeFileSync(join(OUT, "sources.json"), `${JSON.stringify(sources, null, 2)}\n`);
  return seconds;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = Date.now();
  const seconds = await buildGalleryApps();
  const each = Object.entries(seconds).map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(", ");
  console.log(`spike: gallery apps built into ${relative(ROOT, OUT)}/ in ${((Date.now() - started) / 1000).toFixed(1)} s (${each})`);
}
