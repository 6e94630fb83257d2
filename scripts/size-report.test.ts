// The first-load budgets (scripts/size-report.mjs) hold for the current build; the report's own reading of a build is
// checked on a small build of its own, so a broken import scan cannot make every budget pass.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { BUDGETS, SPIKE_JS, formatReport, measure, report, staticClosure } from "./size-report.mjs";

test("every entry is within its first-load budget", async () => {
  const rows = await report();
  console.log(formatReport(rows));
  for (const row of rows.filter((r) => r.budget !== null)) {
    assert.ok(!row.over, `${row.name}: ${row.gzip} B gzip, over its budget of ${row.budget} B`);
  }
  assert.ok(BUDGETS.some((r) => r.file === SPIKE_JS && r.budget === 40 * 1024), "spike.js keeps its 40 KB budget");
});

test("spike.js loads nothing heavy before interaction: no Monaco, yjs, build, markdown, Clerk or Sentry code", async () => {
  const files = staticClosure(SPIKE_JS);
  const heavy = files.filter((f) => /monaco|yjs|build-|markdown|live-|room-frame|error-reporter/.test(path.basename(f)));
  assert.deepEqual(heavy, []);
});

test("the import scan follows static imports (also chained) and not dynamic ones", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "size-report-"));
  try {
    writeFileSync(path.join(dir, "a.js"), `import{x}from"./b.js";import"./c.js";const d=()=>import("./d.js");`);
    writeFileSync(path.join(dir, "b.js"), `export const x=1;const s="./z.js";import{y}from"./e.js"`);
    writeFileSync(path.join(dir, "c.js"), ``);
    writeFileSync(path.join(dir, "e.js"), `export const y=2`);
    const rel = path.relative(process.cwd(), dir);
    const closure = staticClosure(path.join(rel, "a.js")).map((f) => path.basename(f));
    assert.deepEqual(closure.sort(), ["a.js", "b.js", "c.js", "e.js"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a chunk row measures the chunk, never its source map (which starts with the same name)", async () => {
  const rows = BUDGETS.filter((r) => r.chunk);
  const chunkDir = path.join(path.dirname(SPIKE_JS), "chunks");
  for (const row of rows) {
    const prefix = path.basename(row.chunk!);
    assert.ok(readdirSync(chunkDir).some((f) => f.startsWith(prefix) && f.endsWith(".js.map")), `the build has a map for ${row.chunk}`);
    const measured = await measure(row);
    assert.deepEqual(measured.files.filter((f) => !f.endsWith(".js")), [], row.name);
  }
});
