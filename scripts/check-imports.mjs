/**
 * The dependency rules between the folders (README "Development"), checked on every import, export-from, `import()` and
 * `import("…")` type: the headless core imports nothing from elements/ or workers/; the Durable Objects and the workers
 * kernel never import the main Worker (workers/main/), which imports them; elements and workers never import each other.
 * Tests (`*.test.ts` and the like) are exempt: an end-to-end test of an element starts the real Worker on purpose.
 * Usage: node scripts/check-imports.mjs [root]   (root: the repository, by default this script's parent folder).
 * Prints each broken rule as `file:line` and exits 1 when there is one. `npm test` runs it (scripts/check-imports.test.ts).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** Which folders a folder may not import from; the first rule whose `from` holds a file applies to it. */
export const RULES = [
  { from: "workers/durable-objects/", forbidden: ["workers/main/"], why: "Durable Objects use workers/platform/, never the main Worker" },
  { from: "workers/platform/", forbidden: ["workers/main/"], why: "the Durable Objects use the kernel: it must not lead back to the main Worker" },
  { from: "core/", forbidden: ["elements/", "workers/"], why: "core is headless and runs everywhere" },
  { from: "elements/", forbidden: ["workers/"], why: "elements and workers never import each other" },
  { from: "workers/", forbidden: ["elements/"], why: "elements and workers never import each other" },
];

const SKIP = new Set(["node_modules", "dist", ".wrangler", ".git"]);
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const TEST = /\.(test|e2e\.test|browser-test)\.(ts|mjs|js)$/;

/**
 * Every import in `root` that breaks a rule.
 * @example checkImports(".") // [{ file: "core/x.ts", line: 3, specifier: "../elements/y.js", why: "…" }]
 */
export function checkImports(root) {
  const violations = [];
  for (const file of sourceFiles(root, root)) {
    const path = relative(root, file).split(sep).join("/");
    const rule = RULES.find((candidate) => path.startsWith(candidate.from));
    if (!rule) continue;
    const text = readFileSync(file, "utf8");
    for (const { fileName: specifier, pos } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!specifier.startsWith(".")) continue; // packages and "cloudflare:…" are outside these rules
      const target = relative(root, resolve(dirname(file), specifier)).split(sep).join("/");
      const broken = rule.forbidden.find((folder) => target.startsWith(folder));
      if (broken) violations.push({ file: path, line: lineOf(text, pos), specifier, why: `${path} imports ${broken}: ${rule.why}` });
    }
  }
  return violations;
}

function* sourceFiles(dir, root) {
  for (const entry of readdirSync(dir).sort()) {
    if (SKIP.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path, root);
    else if (SOURCE.test(entry) && !entry.endsWith(".d.ts") && !TEST.test(entry)) yield path;
  }
}

function lineOf(text, pos) {
  let line = 1;
  for (let i = 0; i < pos; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
  const violations = checkImports(root);
  for (const { file, line, specifier, why } of violations) console.error(`${file}:${line}: "${specifier}": ${why}`);
  if (violations.length > 0) {
    console.error(`check-imports: ${violations.length} import(s) break the dependency rules`);
    process.exit(1);
  }
  console.log("check-imports: ok");
}
