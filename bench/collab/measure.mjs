/**
 * The collab bench's measurements: the latency phase (one insert at a time), the throughput phase (every client
 * inserting, a window in flight each) and, per client count, both across every target in alternating rounds.
 */
import { performance } from "node:perf_hooks";
import { sleep, splitEvenly, summarize } from "../support.mjs";
import { cpuMeter } from "./cpu.mjs";
import { TARGETS } from "./options.mjs";
import { fmt } from "./report.mjs";
import { openRoom } from "./room.mjs";

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Sequential inserts, sender rotating: per-receiver latency of each. */
async function latencyPhase(room, edits, timeoutMs, keep) {
  const samples = [];
  const allReceived = [];
  let lost = 0;
  const n = room.clients.length;
  for (let k = 0; k < edits; k++) {
    const sender = room.clients[k % n];
    const edit = room.insert(sender, true);
    if (edit.remaining > 0) {
      const arrived = new Promise((resolve) => {
        edit.resolve = resolve;
      });
      let timer;
      const timedOut = new Promise((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      const outcome = await Promise.race([arrived, timedOut]);
      clearTimeout(timer);
      if (outcome === "timeout") {
        lost++;
        if (lost >= 3) throw new Error(`${lost} inserts not delivered to every client within ${timeoutMs} ms`);
      }
    }
    if (keep) {
      for (let i = 0; i < edit.got; i++) samples.push(edit.lat[i]);
      if (edit.remaining === 0) allReceived.push(edit.done - edit.t0);
    }
    await tick();
  }
  return { samples, allReceived, lost };
}

/**
 * How many clients insert in the throughput phase of a room of `count`: all of them up to 50, then only as many as keep
 * the deliveries in flight (senders x window x (count - 1)) at the 50-client room's 50 x window x 49, so a bigger room
 * queues no more work in this one client process than the 50-client room does (12 of 200). `max` overrides it.
 * @example throughputSenders(10) // 10
 * @example throughputSenders(200) // 12
 */
export function throughputSenders(count, max = Infinity) {
  return Math.max(1, Math.min(count, max, Math.floor((50 * 49) / (count - 1))));
}

/**
 * The first `senders` clients insert, each keeping up to `window` of its own inserts in flight (sent but not yet
 * integrated by every other client); the others only receive. Counts, over `seconds` after a short ramp-up, inserts
 * fully delivered and receiver integrations, then drains.
 */
async function throughputPhase(room, senders, seconds, window, timeoutMs, meter, rampMs = 250) {
  const n = senders;
  const inflight = new Array(n).fill(0);
  let running = true;
  let measuring = false;
  let completed = 0;
  let deliveries = 0;
  const loadLatency = [];
  const phase = {}; // late arrivals from earlier phases must not touch this one's counters
  const send = (s) => {
    while (running && inflight[s] < window) {
      inflight[s]++;
      room.insert(room.clients[s], false, phase);
    }
  };
  room.setHooks(
    (edit, now) => {
      if (edit.phase !== phase) return;
      if (measuring) {
        deliveries++;
        loadLatency.push(now - edit.t0);
      }
    },
    (edit) => {
      if (edit.phase !== phase) return;
      if (measuring) completed++;
      inflight[edit.sender]--;
      if (running) queueMicrotask(() => send(edit.sender));
    },
  );
  try {
    for (let s = 0; s < n; s++) send(s);
    await sleep(rampMs);
    measuring = true;
    const cpu0 = meter?.read();
    await sleep(seconds * 1000);
    measuring = false;
    const cpu = meter ? meter.since(cpu0) : { server: NaN, client: NaN, wall: NaN };
    running = false;
    // Drain: everything sent must still arrive everywhere.
    const drainStart = performance.now();
    while (inflight.some((x) => x > 0)) {
      if (performance.now() - drainStart > timeoutMs) {
        throw new Error(
          `throughput drain: ${inflight.reduce((a, b) => a + b, 0)} inserts still in flight after ${timeoutMs} ms ` +
            `(room ${room.room}, ${room.drops} drops; ${room.describeStuck()})`,
        );
      }
      await sleep(5);
    }
    return { completed, deliveries, loadLatency, cpu };
  } finally {
    running = false;
    room.setHooks(null, null);
  }
}

/**
 * One client count, every target. All rooms are open at once (an idle room costs nothing) and the measurements are
 * cut into rounds that alternate between targets, rotating who goes first, so background load spreads evenly.
 * @example results.push(...(await measureCount(10, ["spike", "reference"], servers, opts, console.log)));
 */
export async function measureCount(count, targets, servers, opts, log) {
  const runs = [];
  const senders = throughputSenders(count, opts.senders);
  const skipped = targets.filter((t) => TARGETS[t].inflated && count > opts.deflateUpTo);
  for (const t of skipped) log(`  ${t.padEnd(9)} ${String(count).padStart(3)} clients: not measured (over --deflate-up-to ${opts.deflateUpTo})`);
  try {
    for (const target of targets.filter((t) => !skipped.includes(t))) {
      const server = servers.get(TARGETS[target].server);
      const room = await openRoom(server, count, TARGETS[target].deflate);
      runs.push({
        target,
        room,
        meter: cpuMeter(server.pids ?? []),
        samples: [],
        allReceived: [],
        lost: 0,
        latCpu: 0,
        latEdits: 0,
        completed: 0,
        deliveries: 0,
        thrWall: 0,
        thrServer: 0,
        thrClient: 0,
        loadLatency: [],
      });
    }
    // Warm-up: JIT on both sides, room document loaded, sockets busy once.
    for (const run of runs) {
      await latencyPhase(run.room, opts.warmup, opts.editTimeoutMs, false);
      if (opts.duration > 0) await throughputPhase(run.room, senders, 0.25, opts.window, opts.drainTimeoutMs, null);
    }
    const order = (r) => runs.map((_, i) => runs[(i + r) % runs.length]);
    const chunks = splitEvenly(opts.edits, opts.rounds);
    for (let r = 0; r < opts.rounds; r++) {
      for (const run of order(r)) {
        await sleep(50);
        const cpu0 = run.meter.read();
        const lat = await latencyPhase(run.room, chunks[r], opts.editTimeoutMs, true);
        run.latCpu += run.meter.since(cpu0).server;
        run.latEdits += chunks[r];
        for (const v of lat.samples) run.samples.push(v);
        for (const v of lat.allReceived) run.allReceived.push(v);
        run.lost += lat.lost;
      }
    }
    if (opts.duration > 0) {
      const slice = opts.duration / opts.rounds;
      for (let r = 0; r < opts.rounds; r++) {
        for (const run of order(r)) {
          await sleep(50);
          const thr = await throughputPhase(run.room, senders, slice, opts.window, opts.drainTimeoutMs, run.meter);
          run.completed += thr.completed;
          run.deliveries += thr.deliveries;
          run.thrWall += thr.cpu.wall;
          run.thrServer += thr.cpu.server;
          run.thrClient += thr.cpu.client;
          for (const v of thr.loadLatency) run.loadLatency.push(v);
        }
      }
    }
    const results = [];
    for (const run of runs) {
      const { room } = run;
      const len = room.clients[0].text.length;
      const diverged = room.clients.filter((c) => c.text.length !== len).length;
      const secs = run.thrWall / 1000;
      const result = {
        target: run.target,
        clients: count,
        connectMs: room.connectMs,
        extensions: room.extensions,
        latency: summarize(run.samples),
        allReceived: summarize(run.allReceived),
        lost: run.lost,
        drops: room.drops,
        serverCpuMsPerInsert: run.latCpu / run.latEdits,
        throughput:
          opts.duration > 0
            ? {
                senders,
                editsPerSec: run.completed / secs,
                deliveriesPerSec: run.deliveries / secs,
                loadLatency: summarize(run.loadLatency),
                serverCpuPct: (100 * run.thrServer) / run.thrWall,
                clientCpuPct: (100 * run.thrClient) / run.thrWall,
                serverUsPerDelivery: run.deliveries ? (1000 * run.thrServer) / run.deliveries : NaN,
              }
            : null,
        docLength: len,
        diverged,
      };
      log(
        `  ${run.target.padEnd(9)} ${String(count).padStart(3)} clients: connect ${room.connectMs.toFixed(0)} ms, ` +
          `p50 ${fmt(result.latency.p50)} p99 ${fmt(result.latency.p99)} ms` +
          (result.throughput ? `, ${result.throughput.deliveriesPerSec.toFixed(0)} deliveries/s` : "") +
          (room.drops ? `, ${room.drops} connections DROPPED` : "") +
          (diverged ? `, ${diverged} clients DIVERGED` : ""),
      );
      results.push(result);
    }
    return results;
  } finally {
    for (const run of runs) await run.room.close();
  }
}
