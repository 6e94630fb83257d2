/**
 * Publish the CDN build (dist/cdn) as `v/<version>/…` in the CDN_VERSIONS R2 bucket (wrangler.jsonc), so the Worker keeps
 * serving `/v/<version>/spike.js` after newer versions are deployed (workers/main/cdn-versions.ts). A version is published
 * once: an embed that names it must never see it change, so publishing a version the bucket already has is refused
 * (bump the version in package.json instead).
 *
 *   node scripts/publish-cdn.mjs                         # into the local state `npm start` uses (.wrangler/state)
 *   node scripts/publish-cdn.mjs --persist-to <dir>      # into another local state
 *   node scripts/publish-cdn.mjs --remote --env <env>    # into that environment's bucket (wrangler r2 object put, per file)
 *   [--version <x.y.z>] [--dir <folder>]                 # defaults: package.json's version, dist/cdn
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CONTENT_TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  // Source maps are JSON (as Workers static assets serve this version's own).
  ".map": "application/json; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
};
const VERSION = /^\d{1,9}\.\d{1,9}\.\d{1,9}(?:-[0-9A-Za-z.-]{1,40})?$/;

/** Every file under `dir`, as paths relative to it with `/` separators. */
function filesUnder(dir, prefix = "") {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(dir, name) : [name];
  });
}

const contentType = (file) => CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream";

/**
 * Put every file of `dir` into `bucket` (an R2Bucket: the local one from getPlatformProxy, or a test's) under v/<version>/.
 * Refuses a version the bucket already has. Returns the number of files.
 * @example await publishToBucket(env.CDN_VERSIONS, { dir: "dist/cdn", version: "0.1.0" });
 */
export async function publishToBucket(bucket, { dir, version }) {
  if (!VERSION.test(version)) throw new Error(`invalid version "${version}": use major.minor.patch`);
  const existing = await bucket.list({ prefix: `v/${version}/`, limit: 1 });
  if (existing.objects.length > 0) throw new Error(`v/${version}/ is already published: bump the version in package.json`);
  const files = filesUnder(dir);
  if (!files.includes("spike.js")) throw new Error(`${dir} holds no spike.js: run \`npm run build\` first`);
  // spike.js last: a version counts as published (knownVersions lists it) only once all of its files are in.
  files.sort((a, b) => (a === "spike.js") - (b === "spike.js"));
  for (const file of files) {
    // A copy with its own ArrayBuffer (a Buffer may sit in a shared pool, which the local proxy cannot send).
    const bytes = new Uint8Array(readFileSync(path.join(dir, file)));
    await bucket.put(`v/${version}/${file}`, bytes, { httpMetadata: { contentType: contentType(file) } });
  }
  return files.length;
}

/** The deployed bucket, one `wrangler r2 object put` per file (wrangler has no bulk upload). */
function publishRemote({ dir, version, bucketName }) {
  const wrangler = (args, options = {}) =>
    spawnSync(process.execPath, [path.join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "r2", "object", ...args, "--remote"], {
      cwd: ROOT,
      encoding: "utf8",
      ...options,
    });
  if (wrangler(["get", `${bucketName}/v/${version}/spike.js`, "--pipe"]).status === 0) {
    throw new Error(`v/${version}/ is already published: bump the version in package.json`);
  }
  const files = filesUnder(dir).sort((a, b) => (a === "spike.js") - (b === "spike.js"));
  for (const file of files) {
    const put = ["put", `${bucketName}/v/${version}/${file}`, "--file", path.join(dir, file), "--content-type", contentType(file)];
    if (wrangler(put, { stdio: "inherit" }).status !== 0) throw new Error(`uploading ${file} failed`);
  }
  return files.length;
}

/** The bucket wrangler.jsonc gives the CDN_VERSIONS binding, at the top level or in environment `env` (staging, production). */
async function bucketName(env) {
  const { unstable_readConfig } = await import("wrangler");
  const config = unstable_readConfig({ config: path.join(ROOT, "wrangler.jsonc"), env }, { hideWarnings: true });
  const name = config.r2_buckets?.find((bucket) => bucket.binding === "CDN_VERSIONS")?.bucket_name;
  if (!name) throw new Error(`wrangler.jsonc has no CDN_VERSIONS R2 binding${env ? ` in env.${env}` : ""}`);
  return name;
}

async function main(argv) {
  const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const dir = path.resolve(ROOT, option("--dir") ?? "dist/cdn");
  const version = option("--version") ?? JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
  let count;
  if (argv.includes("--remote")) {
    const env = option("--env");
    if (!env) throw new Error("name the deployed environment: --remote --env staging|production");
    count = publishRemote({ dir, version, bucketName: await bucketName(env) });
  } else {
    // Local state keys R2 data by bucket name: a config with just that bucket reaches what `wrangler dev` serves,
    // without starting the Durable Objects of wrangler.jsonc.
    const { getPlatformProxy } = await import("wrangler");
    const persist = path.resolve(ROOT, option("--persist-to") ?? ".wrangler/state");
    const configDir = mkdtempSync(path.join(tmpdir(), "spike-publish-"));
    const configPath = path.join(configDir, "wrangler.json");
    const r2_buckets = [{ binding: "CDN_VERSIONS", bucket_name: await bucketName(undefined) }];
    writeFileSync(configPath, JSON.stringify({ name: "spike-publish", compatibility_date: "2026-04-01", r2_buckets }));
    const proxy = await getPlatformProxy({ configPath, persist: { path: path.join(persist, "v3") } });
    try {
      count = await publishToBucket(proxy.env.CDN_VERSIONS, { dir, version });
    } finally {
      await proxy.dispose();
      rmSync(configDir, { recursive: true, force: true });
    }
  }
  console.log(`spike: published ${count} files of ${path.relative(ROOT, dir) || "."} as /v/${version}/`);
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  await main(process.argv.slice(2)).catch((error) => {
    console.error(`spike: ${error.message}`);
    process.exit(1);
  });
}
