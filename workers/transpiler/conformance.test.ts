/**
 * The build conformance table (core/build/conformance.ts) against the transpiler Worker: each case's files go to
 * `POST /api/bundle` on real esbuild-wasm in workerd, and the bundle runs in node. core/build/conformance.test.ts runs
 * the same table, with the same expectations, against the page build.
 */
import { after, before, describe, test } from "node:test";
import { CONFORMANCE_CASES, type ConformanceCase } from "../../core/build/conformance.js";
import { checkOutcome, observe, withStandIns, type Outcome } from "../../core/build/conformance-run.js";
import type { BuildError } from "../../core/build/types.js";
import { startTranspilerWorker, type TestWorker } from "../test-support.js";

let transpiler: TestWorker;
before(async () => {
  transpiler = await startTranspilerWorker();
});
after(() => transpiler?.dispose());

async function workerOutcome(testCase: ConformanceCase): Promise<Outcome> {
  const response = await fetch(new URL("/api/bundle", transpiler.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ files: testCase.files, entry: testCase.entry }),
    signal: AbortSignal.timeout(30_000),
  });
  if (response.status === 422) return { errors: ((await response.json()) as { errors: BuildError[] }).errors };
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST /api/bundle answered ${response.status}: ${text}`);
  const { code } = JSON.parse(text) as { code: string };
  const url = `data:text/javascript;base64,${Buffer.from(withStandIns(code, testCase.externals)).toString("base64")}`;
  return observe(() => import(url));
}

describe("the transpiler Worker's bundle (POST /api/bundle) conforms", () => {
  for (const testCase of CONFORMANCE_CASES) {
    test(testCase.name, async () => checkOutcome(testCase.expect, await workerOutcome(testCase)));
  }
});
