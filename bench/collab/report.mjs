/**
 * The collab bench's printed report: latency and throughput tables per client count and target, the details table and
 * the targets (targets.mjs), from the results of measure.mjs; the memory section from memory.mjs.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { table } from "../support.mjs";
import { TARGETS } from "./options.mjs";
import { formatTargets, judgeTargets } from "./targets.mjs";

/** A figure for a table: "-" when missing, no decimals from 1000 up. */
export function fmt(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return "-";
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  return v.toFixed(digits);
}

function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "-";
  return `${(a / b).toFixed(2)}x`;
}

/**
 * The printed report of a run: latency and throughput tables, details, the targets and the load average.
 * @example console.log(report(results, opts, startedAt));
 */
export function report(results, opts, startedAt) {
  const get = (target, n) => results.find((r) => r.target === target && r.clients === n);
  const counts = opts.clients;
  const targets = opts.servers;
  const ratios = targets.includes("reference") ? targets.filter((t) => t !== "reference") : [];
  const ratioTitle = (t) => `${t === "spike" ? "spike" : t}/ref`;
  const out = [];
  out.push("");
  out.push("== Latency (ms): one insert at a time, sender rotating; from the insert at the sender to the Y.Text observer firing on each other client ==");
  const latRows = [];
  for (const n of counts) {
    for (const metric of ["p50", "p95", "p99", "max"]) {
      latRows.push([
        metric === "p50" ? String(n) : "",
        metric,
        ...targets.map((t) => fmt(get(t, n)?.latency[metric], 2)),
        ...ratios.map((t) => ratio(get(t, n)?.latency[metric], get("reference", n)?.latency[metric])),
      ]);
    }
  }
  out.push(table(["clients", "per receiver", ...targets.map((t) => TARGETS[t].title), ...ratios.map(ratioTitle)], latRows, ["r", "l"]));
  if (opts.duration > 0) {
    out.push("");
    out.push(`== Sustained throughput: the senders insert for ${opts.duration} s, each keeping at most ${opts.window} of its own inserts in flight ==`);
    out.push("   (senders = every client up to 50; in a bigger room only as many as keep the 50-client room's deliveries in flight).");
    out.push("   (in flight = sent but not yet integrated by every other client). upd/s = inserts per second that reached every");
    out.push("   other client; deliv/s = upd/s x (clients - 1) = integrations per second summed over the room.");
    const thrRows = [];
    for (const n of counts) {
      const row = (metric) => targets.map((t) => fmt(get(t, n)?.throughput?.[metric], 0));
      thrRows.push([
        String(n),
        String(targets.map((t) => get(t, n)?.throughput?.senders).find((x) => x !== undefined) ?? "-"),
        ...row("editsPerSec"),
        ...row("deliveriesPerSec"),
        ...ratios.map((t) => ratio(get(t, n)?.throughput?.deliveriesPerSec, get("reference", n)?.throughput?.deliveriesPerSec)),
      ]);
    }
    out.push(
      table(
        ["clients", "senders", ...targets.map((t) => `upd/s ${TARGETS[t].title}`), ...targets.map((t) => `deliv/s ${TARGETS[t].title}`), ...ratios.map(ratioTitle)],
        thrRows,
      ),
    );
  }
  out.push("");
  out.push("== Details ==");
  out.push("   last receiver = time until the insert reached every other client (latency phase); under load = per-receiver latency");
  out.push("   in the throughput phase; srv CPU = CPU time of the server process (workerd / node child) per measured insert in the");
  out.push("   latency phase and per delivery in the throughput phase; CPU srv/clients = % of one core during the throughput window;");
  out.push("   lost = inserts not everywhere within the timeout, drops = client connections lost after sync (should both be 0).");
  const detRows = results.map((r) => [
    r.target,
    String(r.clients),
    String(r.latency.count),
    `${r.lost} / ${r.drops}`,
    `${fmt(r.allReceived.p50, 2)} / ${fmt(r.allReceived.p99, 2)}`,
    r.throughput ? `${fmt(r.throughput.loadLatency.p50)} / ${fmt(r.throughput.loadLatency.p99)}` : "-",
    fmt(r.serverCpuMsPerInsert, 2),
    r.throughput ? `${fmt(r.throughput.serverUsPerDelivery, 1)}` : "-",
    r.throughput ? `${fmt(r.throughput.serverCpuPct, 0)}% / ${fmt(r.throughput.clientCpuPct, 0)}%` : "-",
    fmt(r.connectMs, 0),
    r.extensions || "none",
    r.diverged ? `${r.diverged} DIVERGED` : `ok (${r.docLength} chars)`,
  ]);
  out.push(
    table(
      [
        "target",
        "clients",
        "samples",
        "lost/drops",
        "last receiver p50/p99 ms",
        "under load p50/p99 ms",
        "srv CPU ms/insert",
        "srv CPU us/delivery",
        "CPU srv/clients",
        "connect ms",
        "negotiated",
        "convergence",
      ],
      detRows,
      ["l"],
    ),
  );
  out.push("");
  const spikes = targets.filter((t) => t !== "reference");
  if (spikes.length > 0) out.push(...formatTargets(judgeTargets(results, spikes), spikes));
  out.push(`load average now ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; total run time ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  return out.join("\n");
}

const MB = (bytes) => fmt(bytes / 2 ** 20, 1);
const KB = (bytes) => fmt(bytes / 1024, 0);

/**
 * The memory section: per target, the server's RSS (anonymous part) and V8 heap before and after, and the growth per
 * room (with its one socket) and per extra socket in a room, from memory.mjs's measureMemory.
 * @example console.log(reportMemory(memory).join("\n"));
 */
export function reportMemory(memory) {
  if (memory.length === 0) return [];
  const { rooms, sockets } = memory[0];
  const out = [""];
  out.push(`== Server memory: a fresh server per target; ${rooms} idle rooms of one client, then one room of ${sockets} idle clients ==`);
  out.push("   RSS = VmRSS of the server process (workerd / node child), anon = its RssAnon part, heap = V8 heap used after the full");
  out.push("   GC of a heap snapshot (all Durable Objects share the worker's isolate). per room = growth / rooms (with its socket);");
  out.push("   per socket = (growth of the big room - per room) / (clients - 1). RSS is a high-water mark (connecting costs count");
  out.push("   too) and moves by a few hundred KB per room or socket between runs; the heap figures are steadier.");
  const rows = memory.map((m) => [
    TARGETS[m.target].title,
    `${MB(m.base.total)} -> ${MB(m.afterRooms.total)} -> ${MB(m.afterSockets.total)}`,
    `${MB(m.base.heap)} -> ${MB(m.afterRooms.heap)} -> ${MB(m.afterSockets.heap)}`,
    KB(m.rss.room),
    KB(m.anon.room),
    KB(m.heap.room),
    KB(m.rss.socket),
    KB(m.anon.socket),
    KB(m.heap.socket),
  ]);
  out.push(
    table(
      ["target", "RSS MB: base -> rooms -> sockets", "heap MB", "KB/room RSS", "anon", "heap", "KB/socket RSS", "anon", "heap"],
      rows,
      ["l"],
    ),
  );
  return out;
}
