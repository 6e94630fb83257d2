/**
 * The room's speed targets (issue 11), judged for each spike target against the reference measured in the same run:
 * met or missed with the figures, never an exit code. Pure: results in, rows and text out.
 */
import { table } from "../support.mjs";
import { TARGETS } from "./options.mjs";

/**
 * The goals. `pick` reads a figure from one result; a goal with `factor` is relative (at least / at most that many times
 * the reference's figure), one with `limit` absolute (the reference is shown for context).
 */
export const GOALS = [
  ...[2, 10, 50].map((clients) => ({
    title: `sustained upd/s at ${clients} clients >= 0.8x reference`,
    clients,
    unit: "upd/s",
    pick: (r) => r.throughput?.editsPerSec,
    factor: 0.8,
    higherIsBetter: true,
  })),
  { title: "under-load p99 at 50 clients <= 2x reference", clients: 50, unit: "ms", pick: (r) => r.throughput?.loadLatency.p99, factor: 2 },
  { title: "single-insert per-receiver p99 at 50 clients < 10 ms", clients: 50, unit: "ms", pick: (r) => r.latency?.p99, limit: 10 },
  { title: "server CPU per delivery at 50 clients <= 2x reference", clients: 50, unit: "us", pick: (r) => r.throughput?.serverUsPerDelivery, factor: 2 },
];

/**
 * One verdict per goal and spike target: `{ goal, target, value, reference, ratio, met }`, where `met` is true, false, or
 * null when a figure is missing (that client count or target not in the run, or no throughput phase).
 * @example judgeTargets(results, ["spike", "spike-raw"]).filter((v) => v.met === false).map((v) => v.goal.title)
 */
export function judgeTargets(results, targets) {
  const find = (target, clients) => results.find((r) => r.target === target && r.clients === clients);
  const figure = (goal, target) => {
    const result = find(target, goal.clients);
    const v = result ? goal.pick(result) : undefined;
    return Number.isFinite(v) ? v : null;
  };
  const verdicts = [];
  for (const goal of GOALS) {
    const reference = figure(goal, "reference");
    for (const target of targets) {
      const value = figure(goal, target);
      const ratio = value !== null && reference ? value / reference : null;
      let met = null;
      if (goal.limit !== undefined) met = value === null ? null : value < goal.limit;
      else if (ratio !== null) met = goal.higherIsBetter ? ratio >= goal.factor : ratio <= goal.factor;
      verdicts.push({ goal, target, value, reference, ratio, met });
    }
  }
  return verdicts;
}

const number = (v) => (v === null ? "-" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const word = (met) => (met === null ? "not measured" : met ? "met" : "MISSED");

/**
 * The printed "Targets" section: one row per goal, the reference's figure, then per spike target its figure, ratio to
 * the reference and met / MISSED / not measured; a last line counts them.
 * @example console.log(formatTargets(judgeTargets(results, ["spike", "spike-raw"]), ["spike", "spike-raw"]).join("\n"));
 */
export function formatTargets(verdicts, targets) {
  const rows = GOALS.map((goal) => {
    const mine = verdicts.filter((v) => v.goal === goal);
    return [
      goal.title,
      `${number(mine[0]?.reference ?? null)} ${goal.unit}`,
      ...targets.map((t) => {
        const v = mine.find((x) => x.target === t);
        if (!v || v.value === null) return word(null);
        return `${number(v.value)} ${goal.unit}${v.ratio === null ? "" : ` (${v.ratio.toFixed(2)}x)`}: ${word(v.met)}`;
      }),
    ];
  });
  const out = ["== Targets: each spike target against the reference in this run (no exit code) =="];
  out.push(table(["goal", "reference", ...targets.map((t) => TARGETS[t].title)], rows, ["l", "r", ...targets.map(() => "l")]));
  for (const t of targets) {
    const mine = verdicts.filter((v) => v.target === t);
    const count = (m) => mine.filter((v) => v.met === m).length;
    out.push(`${TARGETS[t].title}: ${count(true)} met, ${count(false)} missed, ${count(null)} not measured of ${GOALS.length}`);
  }
  return out;
}
