/** The preview bench's printed report: warm edit latency, cold start and details per target, from main's results. */
import os from "node:os";
import { table as alignedTable } from "../support.mjs";

/** A figure for a table: "-" when missing. */
export function fmt(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return "-";
  return v.toFixed(digits);
}

function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "-";
  return `${(a / b).toFixed(3)}x`;
}

/** First column left, the rest right. */
const table = (headers, rows) => alignedTable(headers, rows, ["l"]);

/**
 * The printed report of a run: warm edit latency and cold start tables, details, the context targets and the load average.
 * @example console.log(report(results, opts, skipped));
 */
export function report(results, opts, skipped) {
  const out = [];
  const get = (name) => results.find((r) => r.name === name);
  const spike = get("spike");
  const pg = get("playground");
  const cols = results.map((r) => r.title);
  const both = spike && pg;
  const rows = [];
  const metricRows = (label, pick, digits = 1) => {
    const values = results.map(pick);
    const row = [label, ...values.map((v) => fmt(v, digits))];
    if (both) row.push(ratio(pick(spike), pick(pg)));
    rows.push(row);
  };
  out.push("");
  out.push(
    `== Warm edit latency (ms): keydown in the host page -> the preview frame's DOM shows the edit; ${opts.edits} edits ` +
      `after ${opts.warmup} warm-up ==`,
  );
  for (const q of ["p50", "p95", "p99", "max", "mean"]) metricRows(`${q}`, (r) => r.latency[q]);
  metricRows("p50 to next frame", (r) => r.paint.p50);
  metricRows("p95 to next frame", (r) => r.paint.p95);
  metricRows("split p50: keydown -> frame gets edit", (r) => r.arrived.p50);
  metricRows("split p50: frame gets edit -> DOM", (r) => r.rendered.p50);
  metricRows("split p95: keydown -> frame gets edit", (r) => r.arrived.p95);
  metricRows("split p95: frame gets edit -> DOM", (r) => r.rendered.p95);
  rows.push(["samples / lost", ...results.map((r) => `${r.latency.count} / ${r.lost}`), ...(both ? [""] : [])]);
  out.push(table(["", ...cols, ...(both ? ["spike/playground"] : [])], rows));

  out.push("");
  out.push(`== Cold start (ms): host navigation start -> the app's marker first in the preview frame; fresh context each ==`);
  const coldRows = [];
  const coldRow = (label, pick) => {
    const row = [label, ...results.map((r) => fmt(pick(r), 0))];
    if (both) row.push(ratio(pick(spike), pick(pg)));
    coldRows.push(row);
  };
  coldRow("median (DOM)", (r) => r.cold.p50);
  coldRow("median (next frame)", (r) => r.coldPaint.p50);
  coldRow("min", (r) => r.cold.min);
  coldRow("max", (r) => r.cold.max);
  coldRows.push(["runs", ...results.map((r) => r.coldRuns.map((v) => v.toFixed(0)).join(", ") || "-"), ...(both ? [""] : [])]);
  out.push(table(["", ...cols, ...(both ? ["spike/playground"] : [])], coldRows));

  out.push("");
  out.push("== Details ==");
  for (const r of results) {
    out.push(`${r.title}: ${r.describe}`);
    out.push(
      `  clock offset frame-host ${fmt(r.clock.offset, 3)} ms (+/- ${fmt(r.clock.uncertainty, 3)}), ` +
        `${r.clock.applied ? `corrected by ${fmt(r.clock.applied, 3)} ms` : "not distinguishable from 0, not corrected"}; ` +
        `warm page's first render ${fmt(r.warmColdMs, 0)} ms; page errors ${r.errors.length}` +
        (r.errors.length ? `: ${r.errors.slice(0, 3).join(" | ")}` : ""),
    );
    if (r.notFound) out.push(`  404s from its servers: ${r.notFound}`);
  }
  for (const s of skipped) out.push(`${s.name}: NOT MEASURED: ${s.reason}`);
  out.push("");
  const target = (r) =>
    r ? `${r.title}: p50 ${fmt(r.latency.p50)} ms (${r.latency.p50 < 16.7 ? "meets" : "misses"}), p95 ${fmt(r.latency.p95)} ms (${r.latency.p95 < 50 ? "meets" : "misses"})` : "";
  out.push(`targets for context: p50 < 16.7 ms (one 60 Hz frame), p95 < 50 ms, faster than playground-elements.`);
  for (const r of results) out.push(`  ${target(r)}`);
  if (both) {
    out.push(`  spike/playground p50 ${ratio(spike.latency.p50, pg.latency.p50)}, p95 ${ratio(spike.latency.p95, pg.latency.p95)}`);
  }
  for (const s of skipped) out.push(`  ${s.name}: could not run (${s.reason})`);
  out.push(`load average now ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  return out.join("\n");
}
