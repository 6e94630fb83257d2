/**
 * What the npm package tests share: the packed tarball (built with scripts/build-package.mjs when dist/ is older than its
 * sources, then `npm pack`ed once and reused until dist/ changes) and temporary apps that "install" it without a network.
 * An app lives under .cache/package-apps/ inside the project, so its other imports (lit, yjs, vite) resolve from the
 * project's node_modules, while `spike` resolves only to the tarball's files, through the tarball's own exports map.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, resolve } from "node:path";
import { readFile } from "node:fs/promises";

const ROOT = resolve(import.meta.dirname, "..");
const CACHE = join(ROOT, ".cache");
/** The sources of dist/'s package files; dist/index.js older than any of them means the package is stale. */
const INPUTS = ["core", "elements", "integrations", "scripts/build", "scripts/build-package.mjs", "package.json", "package-lock.json"];

/** Tests sit beside the sources they test (scripts/build/ too) but are not built: editing one must not rebuild the package. */
const TEST_FILE = /\.(test|browser-test)\.ts$/;

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path)
    .filter((entry) => !TEST_FILE.test(entry))
    .reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

/** Seconds spent on each step of the setup, for the tests to print. */
export const timings: Record<string, number> = {};

function timed<T>(label: string, step: () => T): T {
  const started = Date.now();
  try {
    return step();
  } finally {
    timings[label] = (Date.now() - started) / 1000;
  }
}

/**
 * The packed tarball's path: `npm pack` of a fresh package build, reused while dist/ is unchanged (so the test files of
 * one run pack once). `--ignore-scripts`: the build that `prepack` would run is the one checked for freshness here.
 * @example const tarball = packedTarball(); installTarball(tarball, app);
 */
export function packedTarball(): string {
  const built = existsSync(join(ROOT, "dist/index.js")) ? statSync(join(ROOT, "dist/index.js")).mtimeMs : 0;
  if (INPUTS.some((input) => newestMtime(join(ROOT, input)) > built)) {
    timed("package build", () => execFileSync(process.execPath, ["scripts/build-package.mjs"], { cwd: ROOT, stdio: "inherit" }));
  }
  const dir = join(CACHE, "package-tarball");
  const tarball = join(dir, "spike.tgz");
  if (existsSync(tarball) && statSync(tarball).mtimeMs > newestMtime(join(ROOT, "dist/chunks"))) return tarball;
  mkdirSync(dir, { recursive: true });
  const scratch = mkdtempSync(join(dir, "pack-"));
  timed("npm pack", () => {
    const name = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", scratch], { cwd: ROOT, encoding: "utf8" });
    // Renamed into place in one step, so a test file running beside this one never sees half a tarball.
    renameSync(join(scratch, name.trim().split("\n").at(-1)!), tarball);
  });
  rmSync(scratch, { recursive: true, force: true });
  return tarball;
}

/**
 * A new empty app folder under .cache/package-apps/ with `files` written into it. Remove it with `rmSync` in `after`.
 * @example const app = tempApp("vite", { "index.html": "…" });
 */
export function tempApp(prefix: string, files: Record<string, string> = {}): string {
  mkdirSync(join(CACHE, "package-apps"), { recursive: true });
  const app = mkdtempSync(join(CACHE, "package-apps", `${prefix}-`));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(app, name)), { recursive: true });
    writeFileSync(join(app, name), text);
  }
  return app;
}

/**
 * What `npm install spike-x.tgz` leaves for the package itself, without a network: the tarball extracted into
 * `<app>/node_modules/spike/`. Returns that folder.
 */
export function installTarball(tarball: string, app: string): string {
  const target = join(app, "node_modules/spike");
  mkdirSync(target, { recursive: true });
  const tar = spawnSync("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"], { encoding: "utf8" });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  return target;
}

/** Every file in a folder, as paths relative to it (forward slashes). */
export function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1).replaceAll("\\", "/"));
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".ttf": "font/ttf",
  ".json": "application/json",
};

/**
 * A plain static server for a built app's folder on 127.0.0.1 (the way a user would host the build). Close it in `after`.
 * @example const { server, origin } = await serveStatic("out"); … server.close();
 */
export async function serveStatic(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    const file = join(dir, path.endsWith("/") ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(await readFile(file));
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
