/**
 * The build conformance table (core/build/conformance.ts) against the page build: `ProjectBuilder` and `entryErrors`, as
 * `<spike-preview>` uses them, with the built modules run in node the way the preview frame runs them (each module at its
 * own URL, `/@project/<file>` pointing at those URLs). workers/transpiler/conformance.test.ts runs the same table against
 * the transpiler Worker.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { CONFORMANCE_CASES, type ConformanceCase } from "./conformance.js";
import { checkOutcome, observe, withStandIns, type Outcome } from "./conformance-run.js";
import { ProjectBuilder, entryErrors } from "./project-builder.js";

const root = mkdtempSync(join(tmpdir(), "spike-conformance-"));
after(() => rmSync(root, { recursive: true, force: true }));

async function pageOutcome(testCase: ConformanceCase, index: number): Promise<Outcome> {
  const result = new ProjectBuilder().update(testCase.files);
  const errors = entryErrors(testCase.entry, result);
  if (errors.length > 0) return { errors };
  const dir = join(root, String(index));
  const urlOf = (file: string) => pathToFileURL(join(dir, file + ".mjs")).href;
  for (const module of result.modules.values()) {
    const code = module.code.replace(/"\/@project\/([^"]+)"/g, (_, file: string) => JSON.stringify(urlOf(file)));
    mkdirSync(dirname(join(dir, module.file)), { recursive: true });
    writeFileSync(join(dir, module.file + ".mjs"), withStandIns(code, testCase.externals));
  }
  return observe(() => import(urlOf(testCase.entry)));
}

describe("the page build (ProjectBuilder) conforms", () => {
  CONFORMANCE_CASES.forEach((testCase, index) => {
    test(testCase.name, async () => checkOutcome(testCase.expect, await pageOutcome(testCase, index)));
  });
});
