/**
 * Build the offline npm set the main Worker serves under `/npm/` (contract C2): each entry of NPM_SET becomes one minified
 * browser ES module at dist/cdn/npm/<name>@<version>/<file>.js, plus dist/cdn/npm/importmap.json (rollup.config.mjs copies
 * dist/cdn into the site). Modules of the set import each other by relative paths (`../react@19.3.1/index.js`), so a page
 * gets exactly one React and the set works wherever the folder is served (a spike server's /npm/, /v/<version>/npm/, any
 * static host). Incremental: a package whose outputs are newer than its package.json (and this script) is not rebuilt.
 * `node scripts/build-npm.mjs [--force]`; prints sizes.
 */
import * as esbuild from "esbuild";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { TYPINGS_INDEX, buildTypings, typingsAreStale } from "./build-npm-types.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT_DIR = "dist/cdn/npm";
const SCRIPT = fileURLToPath(import.meta.url);
const TYPES_SCRIPT = fileURLToPath(new URL("./build-npm-types.mjs", import.meta.url));

/**
 * The offline set: package -> its import-map specifiers and the file each becomes. `cjs` packages (React ships only
 * CommonJS) get a generated ESM entry that re-exports every key of the CommonJS module.
 */
export const NPM_SET = {
  react: {
    cjs: true,
    entries: { react: "index", "react/jsx-runtime": "jsx-runtime", "react/jsx-dev-runtime": "jsx-dev-runtime" },
  },
  "react-dom": { cjs: true, entries: { "react-dom": "index", "react-dom/client": "client" } },
  clsx: { entries: { clsx: "index", "clsx/lite": "lite" } },
  nanoid: { entries: { nanoid: "index", "nanoid/non-secure": "non-secure" } },
  "canvas-confetti": { entries: { "canvas-confetti": "index" } },
  // zustand/traditional is left out: it needs use-sync-external-store, which is not installed.
  zustand: {
    entries: {
      zustand: "index",
      "zustand/vanilla": "vanilla",
      "zustand/react": "react",
      "zustand/middleware": "middleware",
      "zustand/shallow": "shallow",
      "zustand/vanilla/shallow": "vanilla/shallow",
      "zustand/react/shallow": "react/shallow",
    },
  },
};

/** Every entry of the set with its version and output paths. */
function planEntries(root) {
  const entries = [];
  for (const [name, { cjs = false, entries: specs }] of Object.entries(NPM_SET)) {
    const packageJson = path.join(root, "node_modules", name, "package.json");
    const { version } = JSON.parse(readFileSync(packageJson, "utf8"));
    for (const [specifier, file] of Object.entries(specs)) {
      entries.push({
        name,
        version,
        cjs,
        specifier,
        packageJson,
        out: `${name}@${version}/${file}`,
        url: `/npm/${name}@${version}/${file}.js`,
        outFile: path.join(root, OUT_DIR, `${name}@${version}/${file}.js`),
      });
    }
  }
  return entries;
}

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

/** Entries whose output is missing or older than their package.json or this script. */
function staleEntries(root, entries) {
  const script = mtime(SCRIPT);
  const stale = new Set(entries.filter((e) => mtime(e.outFile) < Math.max(mtime(e.packageJson), script) || mtime(e.outFile) === 0));
  // Rebuild a package as a whole so its files never mix two builds.
  return entries.filter((e) => [...stale].some((s) => s.name === e.name));
}

/**
 * True when dist/cdn/npm is missing, stale or its import map is; cheap (file stats only), for scripts/ensure-build.mjs.
 * @example if (npmModulesAreStale()) spawnSync(process.execPath, ["scripts/build-npm.mjs"]);
 */
export function npmModulesAreStale(root = ROOT) {
  const entries = planEntries(root);
  const importMap = path.join(root, OUT_DIR, "importmap.json");
  return (
    staleEntries(root, entries).length > 0 ||
    mtime(importMap) < Math.max(...entries.map((e) => mtime(e.outFile))) ||
    typingsAreStale(root, OUT_DIR, Math.max(mtime(SCRIPT), mtime(TYPES_SCRIPT)))
  );
}

/** `export const {a, b} = cjs` needs identifiers; React's keys all are, but never emit a syntax error for one that is not. */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The ESM entry source for a CommonJS entry: default = module.exports, plus each of its keys as a named export. */
function cjsEntrySource(root, entry, resolvedPath) {
  // The keys production code sees: React picks its build by NODE_ENV when the module is first required.
  process.env.NODE_ENV = "production";
  const keys = Object.keys(createRequire(path.join(root, "package.json"))(entry.specifier)).filter(
    (key) => IDENTIFIER.test(key) && key !== "default",
  );
  const from = JSON.stringify(resolvedPath);
  return `import cjs from ${from};\nexport const { ${keys.join(", ")} } = cjs;\nexport default cjs;\n`;
}

/**
 * React's production jsx-dev-runtime exports `jsxDEV = undefined` (it is only meant for development builds), so code
 * transpiled with `jsxDev` would crash on it. Serve a jsxDEV that forwards to the production `jsx` instead.
 */
const JSX_DEV_RUNTIME = `import { jsx, Fragment } from "react/jsx-runtime";
export { Fragment };
/** jsxDEV(type, props, key, isStaticChildren, source, self): the dev-only arguments are dropped. */
export function jsxDEV(type, props, key) { return jsx(type, props, key); }
`;

/**
 * esbuild plugin: an import that resolves to another entry of the set becomes external at its `/npm/...` URL (so every module
 * shares one copy); CommonJS entries get the generated ESM entry; a `require()` of an external goes through a small ESM shim
 * (esbuild would otherwise emit a `require` that throws in the browser).
 */
function offlineSetPlugin(root, entries) {
  return {
    name: "spike-npm-offline-set",
    setup(build) {
      const bySpecifier = new Map(entries.map((e) => [e.specifier, e]));
      let bySource;
      const resolveQuietly = (specifier, resolveDir, kind = "import-statement") =>
        build.resolve(specifier, { kind, resolveDir, pluginData: { quiet: true } });
      const entrySources = async () => {
        bySource ??= (async () => {
          const map = new Map();
          for (const entry of entries) {
            const resolved = await resolveQuietly(entry.specifier, root);
            if (resolved.errors.length) throw new Error(`cannot resolve ${entry.specifier}: ${resolved.errors[0].text}`);
            entry.source = resolved.path;
            map.set(resolved.path, entry);
          }
          return map;
        })();
        return bySource;
      };

      build.onResolve({ filter: /^\/npm\// }, (args) => ({ path: args.path, external: true }));
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.quiet) return undefined;
        const sources = await entrySources();
        if (args.kind === "entry-point") {
          const entry = bySpecifier.get(args.path);
          if (entry?.specifier === "react/jsx-dev-runtime") return { path: entry.specifier, namespace: "spike-jsx-dev" };
          if (entry?.cjs) return { path: entry.source, namespace: "spike-cjs-entry", pluginData: { entry } };
          return undefined;
        }
        if (args.namespace === "spike-require-shim") return undefined;
        const resolved = await resolveQuietly(args.path, args.resolveDir, args.kind);
        if (resolved.errors.length) return { errors: resolved.errors };
        const target = sources.get(resolved.path);
        // The generated entry of a CommonJS module imports that module itself: that import is the one to bundle.
        if (!target || (args.namespace === "spike-cjs-entry" && args.importer === resolved.path)) return { path: resolved.path };
        if (args.kind === "require-call") return { path: target.url, namespace: "spike-require-shim" };
        return { path: target.url, external: true };
      });
      build.onLoad({ filter: /.*/, namespace: "spike-cjs-entry" }, (args) => ({
        contents: cjsEntrySource(root, args.pluginData.entry, args.path),
        resolveDir: path.dirname(args.path),
        loader: "js",
      }));
      build.onLoad({ filter: /.*/, namespace: "spike-jsx-dev" }, () => ({ contents: JSX_DEV_RUNTIME, resolveDir: root, loader: "js" }));
      build.onLoad({ filter: /.*/, namespace: "spike-require-shim" }, (args) => ({
        contents: `export * from ${JSON.stringify(args.path)};\n`,
        resolveDir: root,
        loader: "js",
      }));
    },
  };
}

/**
 * esbuild writes imports of other entries of the set as their `/npm/…` URL (offlineSetPlugin); make each relative to the
 * file that imports it, so the set does not depend on being served at /npm/.
 * @example relativeImports('import"/npm/react@19.3.1/index.js"', "/npm/react-dom@19.3.1/client.js", entries) // 'import"../react@19.3.1/index.js"'
 */
function relativeImports(code, fileUrl, entries) {
  let out = code;
  for (const { url } of entries) {
    const relative = path.posix.relative(path.posix.dirname(fileUrl), url);
    out = out.replaceAll(JSON.stringify(url), JSON.stringify(relative.startsWith(".") ? relative : `./${relative}`));
  }
  return out;
}

/** Remove output folders of versions no longer installed (dist/cdn/npm/react@19.0.0 after an upgrade). */
function removeOldVersions(root, entries) {
  const outDir = path.join(root, OUT_DIR);
  const current = new Set(entries.map((e) => `${e.name}@${e.version}`));
  for (const dir of readdirSync(outDir, { withFileTypes: true })) {
    if (dir.isDirectory() && !current.has(dir.name)) rmSync(path.join(outDir, dir.name), { recursive: true, force: true });
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Build the stale part of the offline set (all of it with `force`) and write importmap.json. Returns what was built.
 * @example await buildNpmModules({ log: console.log });
 */
export async function buildNpmModules({ root = ROOT, force = false, log = () => {} } = {}) {
  const started = Date.now();
  const entries = planEntries(root);
  const toBuild = force ? entries : staleEntries(root, entries);
  mkdirSync(path.join(root, OUT_DIR), { recursive: true });
  if (toBuild.length > 0) {
    const { outputFiles } = await esbuild.build({
      absWorkingDir: root,
      entryPoints: toBuild.map((e) => ({ in: e.specifier, out: e.out })),
      outdir: path.join(root, OUT_DIR),
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      minify: true,
      define: { "process.env.NODE_ENV": '"production"' },
      logLevel: "warning",
      plugins: [offlineSetPlugin(root, entries)],
      write: false,
    });
    for (const file of outputFiles) {
      const fileUrl = `/npm/${path.relative(path.join(root, OUT_DIR), file.path).split(path.sep).join("/")}`;
      mkdirSync(path.dirname(file.path), { recursive: true });
      writeFileSync(file.path, relativeImports(file.text, fileUrl, entries));
    }
    removeOldVersions(root, entries);
  }
  const importMap = { imports: Object.fromEntries(entries.map((e) => [e.specifier, e.url])) };
  const importMapFile = path.join(root, OUT_DIR, "importmap.json");
  const importMapText = `${JSON.stringify(importMap, null, 2)}\n`;
  if (!existsSync(importMapFile) || readFileSync(importMapFile, "utf8") !== importMapText || toBuild.length > 0) {
    writeFileSync(importMapFile, importMapText);
  }
  // removeOldVersions (above) also drops the typings' folders: rebuild them with the modules.
  if (toBuild.length > 0 || typingsAreStale(root, OUT_DIR, Math.max(mtime(SCRIPT), mtime(TYPES_SCRIPT)))) {
    const packages = Object.fromEntries(Object.entries(NPM_SET).map(([name, { entries: specs }]) => [name, Object.keys(specs)]));
    const { typings } = buildTypings({ root, outDir: OUT_DIR, packages });
    const bytes = Object.entries(typings).reduce(
      (sum, [id, { files }]) => sum + files.reduce((n, file) => n + statSync(path.join(root, OUT_DIR, id, file)).size, 0),
      0,
    );
    log(`  npm/${TYPINGS_INDEX}: ${Object.keys(typings).length} typings packages, ${kb(bytes)} of .d.ts`);
  }
  for (const entry of toBuild) {
    const code = readFileSync(entry.outFile);
    log(`  npm/${entry.out}.js`.padEnd(44) + `${kb(code.length).padStart(10)} raw ${kb(gzipSync(code).length).padStart(10)} gzip`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  log(toBuild.length ? `  npm modules: ${toBuild.length} built in ${seconds} s` : `  npm modules: up to date (${seconds} s)`);
  return { built: toBuild.map((e) => e.specifier), importMap };
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  await buildNpmModules({ force: process.argv.includes("--force"), log: console.log });
}
