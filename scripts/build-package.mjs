/**
 * Build the npm package into dist/ (the site build, dist/site, is rollup.config.mjs's): one ES module per entry of
 * package.json's `exports`, lazily loaded chunks plus the files they load by URL (Monaco's two workers, the codicon font)
 * together in dist/chunks/, each with its source map, and `.d.ts` files under dist/types/ (tsc). Dependencies stay external, so a user's app shares
 * one lit and one Yjs with us. `npm run build:package` (also run by `npm pack` through `prepack`); prints gzip sizes.
 */
import { spawnSync } from "node:child_process";
import { copyFile, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { rollup } from "rollup";
import { monacoEsm, onwarn, plugins, root } from "./build/rollup-plugins.mjs";
import { isSourceMap, sourceMapOutput } from "./build/source-maps.mjs";

const outDir = path.join(root, "dist");
/** The files of dist/ this build owns (dist/site and dist/cdn belong to the site build). */
const OWNED = [
  ...["index", "classes", "core", "core-build", "react", "remark", "markdown-it", "spike-room", "spike-editor", "spike-preview", "spike-chat", "spike-tabs", "spike-console", "spike-playground", "spike-versions"].flatMap((name) => [`${name}.js`, `${name}.js.map`]),
  "chunks",
  "types",
];

/** package.json export -> source module. Each becomes dist/<name>.js. */
export const ENTRIES = {
  index: "elements/index.ts",
  "spike-room": "elements/register/spike-room.ts",
  "spike-editor": "elements/register/spike-editor.ts",
  "spike-preview": "elements/register/spike-preview.ts",
  "spike-chat": "elements/register/spike-chat.ts",
  "spike-tabs": "elements/register/spike-tabs.ts",
  "spike-console": "elements/register/spike-console.ts",
  "spike-playground": "elements/register/spike-playground.ts",
  "spike-versions": "elements/register/spike-versions.ts",
  classes: "elements/classes.ts",
  core: "core/index.ts",
  "core-build": "core/build/index.ts",
  react: "integrations/react.ts",
  remark: "integrations/remark.ts",
  "markdown-it": "integrations/markdown-it.ts",
};

/** Monaco's workers, each prebuilt as one self-contained ES module next to the chunk that starts it. */
const WORKERS = {
  "editor.worker.js": "monaco-editor/editor/editor.worker",
  "ts.worker.js": "monaco-editor/language/typescript/ts.worker",
};

/** A bare import is external when its package is one of package.json's `dependencies` (or `peerDependencies`). */
async function externalPackages() {
  const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8"));
  const names = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
  return (id) => names.some((name) => id === name || id.startsWith(`${name}/`));
}

/**
 * Monaco's ESM names its own worker files with `new URL("…", import.meta.url)` for bundlers to follow. spike starts the
 * workers itself (MonacoEnvironment.getWorker in elements/internal/monaco-loader.ts), so those files are never loaded and
 * are not shipped; left in, they would send Vite and webpack looking for files that are not in the package. The same goes
 * for the example in one of Monaco's error messages, which minification turns into a literal `new URL('...?esm', …)`.
 */
function dropMonacoWorkerUrls() {
  const pattern = /new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;
  return {
    name: "spike-drop-monaco-worker-urls",
    transform(code, id) {
      if (!id.startsWith(monacoEsm)) return null;
      const message = (file) => JSON.stringify(`${file}: spike starts Monaco's workers through MonacoEnvironment.getWorker`);
      const out = code
        .replace(pattern, (_m, _q, file) => `(() => { throw new Error(${message(file)}); })()`)
        .replace("new URL(${examplePath}, import.meta.url)", "new URL(<worker path>, import.meta.url)");
      return out === code ? null : { code: out, map: null };
    },
  };
}

/** Emitted files are referenced as `new URL("./name", import.meta.url)`: the literal form Vite and webpack 5 rewrite. */
function relativeFileUrls() {
  return {
    name: "spike-relative-file-urls",
    resolveFileUrl({ relativePath }) {
      const spec = relativePath.startsWith(".") ? relativePath : `./${relativePath}`;
      return `new URL(${JSON.stringify(spec)}, import.meta.url).href`;
    },
  };
}

/**
 * Every `new URL("./x", import.meta.url)` in the output must name a file that is there: the workers and the font are found
 * next to the chunk that names them (in a user's bundle too, for bundlers that copy nothing, such as esbuild).
 */
function checkFileUrls(extra) {
  return {
    name: "spike-check-file-urls",
    generateBundle(_options, bundle) {
      const files = new Set([...Object.keys(bundle), ...extra]);
      for (const chunk of Object.values(bundle).filter((c) => c.type === "chunk")) {
        for (const [, , spec] of chunk.code.matchAll(/new URL\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url\s*\)/g)) {
          const target = path.posix.join(path.posix.dirname(chunk.fileName), spec);
          if (!files.has(target)) this.error(`${chunk.fileName} names ${spec}, which is not in the package (${target})`);
        }
      }
    },
  };
}

/**
 * The CDN build ships the preview frame and the npm set beside its modules, so a local preview can load them from the
 * bundle's own folder (elements/internal/preview-origin.ts, BUNDLE_BASE). The package does not: there BUNDLE_BASE is null
 * and a preview asks its `server` (a user's bundler would otherwise be sent looking for a folder that is not shipped).
 */
function noBundleFolder() {
  const expression = 'new URL("./", import.meta.url).href';
  return {
    name: "spike-no-bundle-folder",
    transform(code, id) {
      if (!id.endsWith(path.join("elements", "internal", "preview-origin.ts"))) return null;
      if (!code.includes(expression)) this.error(`preview-origin.ts no longer computes BUNDLE_BASE as ${expression}`);
      return { code: code.replace(expression, "null"), map: null };
    },
  };
}

/** The relative modules a `.d.ts` file refers to (imports, re-exports, `import("…")` types), as `.d.ts` paths. */
function typeReferences(file, text) {
  const statements = /^(?:import|export|\}).*?(?:from\s*|import\s+)(['"])(\.{1,2}\/[^'"]+\.js)\1/gm;
  const inline = /import\((['"])(\.{1,2}\/[^'"]+\.js)\1\)/g;
  // Comments may show imports (JSDoc examples); only code counts.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const specs = [...code.matchAll(statements), ...code.matchAll(inline)].map((m) => m[2]);
  return specs.map((spec) => path.resolve(path.dirname(file), spec.replace(/\.js$/, ".d.ts")));
}

/**
 * Keep only the declarations the exports map's `types` reach, and name lit's TemplateResult through `lit` (tsc writes
 * `import("lit-html")`, a package users do not depend on directly). Internal modules' declarations (the Monaco entry,
 * whose types would need monaco-editor) are not part of the API and are not shipped.
 */
async function pruneTypes() {
  const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8"));
  const starts = Object.values(pkg.exports).flatMap((target) =>
    // Only tsc's output: the generated framework typings (integrations/types/) ship as they are.
    typeof target === "object" && target.types?.startsWith("./dist/types/") ? [target.types] : [],
  );
  const keep = new Set();
  const queue = starts.map((types) => path.join(root, types));
  while (queue.length) {
    const file = queue.pop();
    if (keep.has(file)) continue;
    keep.add(file);
    const text = (await readFile(file, "utf8")).replaceAll('import("lit-html")', 'import("lit")');
    await writeFile(file, text);
    queue.push(...typeReferences(file, text));
  }
  const typesDir = path.join(outDir, "types");
  for (const entry of await readdir(typesDir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && !keep.has(file)) await rm(file);
  }
}

/** dist/types/: tsc's declarations for elements/ and the core modules they import, pruned to the public ones. */
export async function emitTypes() {
  await rm(path.join(outDir, "types"), { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json", "--noEmit", "false", "--declaration", "--emitDeclarationOnly", "--outDir", "dist/types"],
    { cwd: root, stdio: "inherit" },
  );
  if (tsc.status !== 0) throw new Error("tsc could not emit the declarations");
  await pruneTypes();
}

/**
 * The CDN build (rollup.config.mjs) makes the same worker from the same input with the same plugins: when its copy is
 * newer than the installed Monaco and the shared plugins, take it (and its map: both folders are two levels down, so
 * the map's relative source paths hold) instead of bundling Monaco's workers again (~45 s).
 */
async function copyCdnWorker(file) {
  const built = path.join(outDir, "cdn", file);
  const inputs = [path.join(monacoEsm, "..", "package.json"), ...["rollup-plugins.mjs", "source-maps.mjs"].map((f) => path.join(root, "scripts/build", f))];
  try {
    const [{ mtimeMs }, ...sources] = await Promise.all([built, ...inputs].map((p) => stat(p)));
    if (sources.some((source) => source.mtimeMs > mtimeMs)) return false;
    await stat(`${built}.map`);
  } catch {
    return false;
  }
  await copyFile(built, path.join(outDir, "chunks", file));
  await copyFile(`${built}.map`, path.join(outDir, "chunks", `${file}.map`));
  return true;
}

/** Build dist/ (minified: the chunks carry Monaco) and return what was written, for the size report. */
export async function buildPackage({ log = console.log } = {}) {
  const started = Date.now();
  for (const name of OWNED) await rm(path.join(outDir, name), { recursive: true, force: true });
  const external = await externalPackages();
  const workerFiles = Object.keys(WORKERS).map((file) => `chunks/${file}`);

  const main = await rollup({
    input: ENTRIES,
    external,
    plugins: [dropMonacoWorkerUrls(), noBundleFolder(), ...plugins(), relativeFileUrls(), checkFileUrls(workerFiles)],
    onwarn,
  });
  const { output } = await main.write({
    dir: outDir,
    format: "es",
    entryFileNames: "[name].js",
    chunkFileNames: "chunks/[name]-[hash].js",
    // No hash on the font: esbuild users copy it by name (README, "Bundling"); other bundlers hash it themselves.
    assetFileNames: "chunks/[name][extname]",
    ...sourceMapOutput(),
  });
  await main.close();

  const bundledMain = Date.now();
  for (const [file, input] of Object.entries(WORKERS)) {
    if (await copyCdnWorker(file)) continue;
    const build = await rollup({ input, plugins: plugins(), onwarn });
    await build.write({ file: path.join(outDir, "chunks", file), format: "es", inlineDynamicImports: true, ...sourceMapOutput() });
    await build.close();
  }
  const bundled = Date.now();

  await emitTypes();
  const typed = Date.now();

  const seconds = (from, to) => `${((to - from) / 1000).toFixed(1)} s`;
  log(`  package: elements and chunks ${seconds(started, bundledMain)}, workers ${seconds(bundledMain, bundled)}, types ${seconds(bundled, typed)}`);
  return { output, seconds: (typed - started) / 1000 };
}

/** gzip size of each entry with the static imports it pulls in (what a bundler adds before any lazy chunk loads). */
export async function entrySizes(output) {
  const byName = new Map(output.filter((c) => c.type === "chunk").map((c) => [c.fileName, c]));
  const closure = (file, seen = new Set()) => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const dep of byName.get(file)?.imports ?? []) closure(dep, seen);
    return seen;
  };
  const sizes = [];
  for (const name of Object.keys(ENTRIES)) {
    const files = [...closure(`${name}.js`)];
    const code = files.map((file) => byName.get(file)?.code ?? "").join("\n");
    sizes.push({ entry: `${name}.js`, files: files.length, gzip: gzipSync(code).length });
  }
  return sizes;
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** Raw and gzip bytes of the code in `dir`; its source maps (fetched only by DevTools) are counted apart, raw. */
async function folderGzip(dir) {
  const files = await readdir(dir, { recursive: true, withFileTypes: true });
  let raw = 0;
  let gz = 0;
  let maps = 0;
  for (const file of files.filter((f) => f.isFile())) {
    const data = await readFile(path.join(file.parentPath, file.name));
    if (isSourceMap(file.name)) {
      maps += data.length;
      continue;
    }
    raw += data.length;
    gz += gzipSync(data).length;
  }
  return { raw, gz, maps };
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const { output, seconds } = await buildPackage();
  for (const { entry, files, gzip } of await entrySizes(output)) {
    console.log(`  ${entry.padEnd(18)} ${kb(gzip).padStart(10)} gzip with its static imports (${files} files)`);
  }
  const chunks = await folderGzip(path.join(outDir, "chunks"));
  console.log(`  chunks/ (lazy: Monaco, workers, build, markdown) ${kb(chunks.raw)} raw, ${kb(chunks.gz)} gzip; source maps ${kb(chunks.maps)}`);
  console.log(`  package built in ${seconds.toFixed(1)} s`);
}
