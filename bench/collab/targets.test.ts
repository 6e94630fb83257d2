// The targets summary of the collab bench (bench/collab/targets.mjs) judges each spike target against the reference of
// the same run: relative goals by ratio, the absolute one by its limit, and a missing figure as "not measured".
import assert from "node:assert/strict";
import { test } from "node:test";
import { GOALS, formatTargets, judgeTargets } from "./targets.mjs";

/** A result as measure.mjs returns it, with only the figures the goals read. */
function result(target: string, clients: number, { upd = 100, loadP99 = 50, p99 = 5, usPerDelivery = 10 } = {}) {
  return {
    target,
    clients,
    latency: { p99 },
    throughput: { editsPerSec: upd, loadLatency: { p99: loadP99 }, serverUsPerDelivery: usPerDelivery },
  };
}

const verdict = (verdicts: ReturnType<typeof judgeTargets>, title: string, target: string) =>
  verdicts.find((v) => v.goal.title.startsWith(title) && v.target === target)!;

test("throughput is met at 0.8x the reference and missed just below", () => {
  const results = [result("reference", 2, { upd: 1000 }), result("spike", 2, { upd: 800 }), result("spike-raw", 2, { upd: 799 })];
  const verdicts = judgeTargets(results, ["spike", "spike-raw"]);
  assert.equal(verdict(verdicts, "sustained upd/s at 2 ", "spike").met, true);
  assert.equal(verdict(verdicts, "sustained upd/s at 2 ", "spike-raw").met, false);
  assert.equal(verdict(verdicts, "sustained upd/s at 2 ", "spike-raw").ratio, 0.799);
});

test("under-load p99 and CPU per delivery are met up to 2x the reference, and missed above", () => {
  const results = [
    result("reference", 50, { loadP99: 100, usPerDelivery: 12.5 }),
    result("spike", 50, { loadP99: 200, usPerDelivery: 25.1 }),
    result("spike-raw", 50, { loadP99: 201, usPerDelivery: 25 }),
  ];
  const verdicts = judgeTargets(results, ["spike", "spike-raw"]);
  assert.equal(verdict(verdicts, "under-load p99", "spike").met, true);
  assert.equal(verdict(verdicts, "under-load p99", "spike-raw").met, false);
  assert.equal(verdict(verdicts, "server CPU", "spike").met, false);
  assert.equal(verdict(verdicts, "server CPU", "spike-raw").met, true);
});

test("single-insert p99 is an absolute limit: under 10 ms is met whatever the reference did", () => {
  const results = [result("reference", 50, { p99: 2 }), result("spike", 50, { p99: 9.9 }), result("spike-raw", 50, { p99: 10 })];
  const verdicts = judgeTargets(results, ["spike", "spike-raw"]);
  assert.equal(verdict(verdicts, "single-insert", "spike").met, true);
  assert.equal(verdict(verdicts, "single-insert", "spike-raw").met, false);
});

test("a client count, a target or a reference that was not measured is 'not measured', never met or missed", () => {
  const noThroughput = { ...result("spike", 10), throughput: null };
  const results = [result("spike", 2), noThroughput, result("reference", 10), result("spike", 50, { p99: 3 })];
  const verdicts = judgeTargets(results, ["spike", "spike-raw"]);
  assert.equal(verdict(verdicts, "sustained upd/s at 2 ", "spike").met, null, "no reference at 2 clients");
  assert.equal(verdict(verdicts, "sustained upd/s at 10 ", "spike").met, null, "no throughput phase");
  assert.equal(verdict(verdicts, "single-insert", "spike").met, true, "the absolute goal needs no reference");
  assert.ok(verdicts.filter((v) => v.target === "spike-raw").every((v) => v.met === null));
  assert.equal(verdicts.length, GOALS.length * 2);
});

test("the printed section shows the figures, the ratio and the verdict per target, and counts them", () => {
  const results = [result("reference", 50, { p99: 7 }), result("spike-raw", 50, { p99: 12.34 })];
  const text = formatTargets(judgeTargets(results, ["spike-raw"]), ["spike-raw"]).join("\n");
  assert.match(text, /single-insert per-receiver p99 at 50 clients < 10 ms\s+7\.0 ms\s+12\.3 ms \(1\.76x\): MISSED/);
  assert.match(text, /sustained upd\/s at 2 clients >= 0\.8x reference\s+- upd\/s\s+not measured/);
  assert.match(text, /spike DO no-deflate: 3 met, 1 missed, 2 not measured of 6/);
});
