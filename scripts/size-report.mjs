/**
 * First-load size report: what a page downloads before any interaction, gzip and brotli, against the budgets below (one
 * table; add a row per new entry). `npm run size` prints it (exit 1 over budget); scripts/size-report.test.ts runs it in
 * `npm test`. Built files are measured as built (with their static imports, which load with them); core is bundled here
 * with esbuild, its dependencies external (as the package's dist/core.js ships) and, for the record, bundled.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The element bundle a page loads (the CDN build moves it: change it here). */
export const SPIKE_JS = "dist/cdn/spike.js";

const KB = 1024;

/**
 * The budgets, gzip bytes; a row with `budget: null` is reported, not enforced.
 * - `file`: a built file and its static imports; `chunk`: the built chunk whose name starts so (a live part) and what
 *   it adds to spike.js's first load;
 * - `entry`: a source entry bundled and minified with esbuild, `external` left out.
 */
export const BUDGETS = [
  { name: "spike.js, before any interaction", file: SPIKE_JS, budget: 40 * KB },
  { name: "core (yjs, lib0, y-protocols external)", entry: "core/index.ts", external: ["yjs", "lib0", "y-protocols"], budget: 25 * KB },
  { name: "core (dependencies bundled)", entry: "core/index.ts", external: [], budget: null },
  { name: "<spike-editor> live part (then Monaco)", chunk: "chunks/editor-live-", budget: null },
  { name: "<spike-editor> Monaco", chunk: "chunks/monaco-entry-", budget: null },
  { name: "<spike-preview> live part (then the build)", chunk: "chunks/preview-live-", budget: null },
  { name: "<spike-preview> build", chunk: "chunks/build-", budget: null },
  { name: "<spike-chat> live part (then markdown)", chunk: "chunks/chat-live-", budget: null },
  { name: "<spike-tabs> live part", chunk: "chunks/tabs-live-", budget: null },
  { name: "<spike-versions> live part", chunk: "chunks/versions-live-", budget: null },
  // Only on a page that opted in to error reports, at its first element error (elements/internal/error-reports.ts).
  { name: "error reports (@sentry/browser, opt-in)", chunk: "chunks/error-reporter-", budget: 25 * KB },
];

/** The files `file` imports statically (they load with it), itself first, transitively. */
export function staticClosure(file) {
  const seen = new Set();
  const visit = (rel) => {
    if (seen.has(rel)) return;
    seen.add(rel);
    const code = readFileSync(path.join(root, rel), "utf8");
    // Minified ESM: `import"./x.js"`, `from"./x.js"` (static); `import("./x.js")` is dynamic and not followed.
    for (const match of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      // Text that shows an import, inside a template (the chat's `import picture from "./${name}"`), is not one.
      if (match[1].includes("${")) continue;
      visit(path.posix.join(path.posix.dirname(rel), match[1]));
    }
  };
  visit(file);
  return [...seen];
}

/** gzip (level 9) and brotli (quality 11) sizes of some bytes. */
export function compressed(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Measure one row: sizes summed over its files (each compressed on its own, as served). */
export async function measure(row) {
  let files;
  let contents;
  if (row.entry) {
    const result = await esbuild.build({
      entryPoints: [path.join(root, row.entry)],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "neutral",
      write: false,
      external: row.external,
      logLevel: "silent",
    });
    files = [row.entry];
    contents = result.outputFiles.map((f) => f.contents);
  } else {
    let file = row.file;
    if (row.chunk) {
      const dir = path.dirname(row.chunk);
      // The chunk itself, not its source map (chunks/x-<hash>.js.map starts the same; DevTools alone fetches it).
      const name = readdirSync(path.join(root, path.dirname(SPIKE_JS), dir)).find((f) => f.startsWith(path.basename(row.chunk)) && f.endsWith(".js"));
      if (!name) throw new Error(`no built chunk ${row.chunk}* next to ${SPIKE_JS}`);
      file = path.join(path.dirname(SPIKE_JS), dir, name);
    }
    if (!existsSync(path.join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
    // A live part's chunk imports lit from spike.js, which the page has already: count only what it adds.
    const loaded = row.chunk ? new Set(staticClosure(SPIKE_JS)) : new Set();
    files = staticClosure(file).filter((f) => !loaded.has(f));
    contents = files.map((f) => readFileSync(path.join(root, f)));
  }
  const sizes = contents.map(compressed).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }));
  return { ...row, files, ...sizes, over: row.budget !== null && sizes.gzip > row.budget };
}

/** Every row of BUDGETS, measured. */
export function report() {
  return Promise.all(BUDGETS.map(measure));
}

const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;

/** The report as a table. */
export function formatReport(rows) {
  const lines = rows.map((r) => {
    const budget = r.budget === null ? "" : `${r.over ? "OVER" : "ok"} (budget ${kb(r.budget)} gzip)`;
    const files = r.files.length > 1 ? ` [${r.files.length} files]` : "";
    return `  ${(r.name + files).padEnd(56)} ${kb(r.raw).padStart(10)} raw ${kb(r.gzip).padStart(10)} gzip ${kb(r.brotli).padStart(10)} br  ${budget}`;
  });
  return lines.join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await report();
  console.log(formatReport(rows));
  process.exit(rows.some((r) => r.over) ? 1 : 0);
}
