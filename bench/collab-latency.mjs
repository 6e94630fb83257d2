#!/usr/bin/env node
/**
 * Collaboration latency and throughput: the spike CodeRoom Durable Object (under wrangler dev / workerd) against the
 * reference y-websocket server (@y/websocket-server), with N stock y-websocket clients in one room.
 *
 *   node bench/collab-latency.mjs [--clients 2,10,50] [--edits 300] [--warmup 60] [--duration 3] [--window 4]
 *                                 [--servers spike,spike-raw,reference] [--senders N] [--deflate-up-to 50]
 *                                 [--memory 20,50] [--max-seconds 240] [--json]
 *
 * See bench/README.md for what the figures mean. Everything listens on / connects to 127.0.0.1 only.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { runBench, versionOf } from "./support.mjs";
import { measureCount } from "./collab/measure.mjs";
import { TARGETS, parseArgs } from "./collab/options.mjs";
import { measureMemory } from "./collab/memory.mjs";
import { report, reportMemory } from "./collab/report.mjs";
import { SPIKE_VARS, startReference, startSpike } from "./collab/servers.mjs";

async function main() {
  const startedAt = performance.now();
  const opts = parseArgs(process.argv.slice(2));
  const cpus = os.cpus();
  const log = (line) => console.log(line);
  log("collab-latency: y-websocket fan-out, spike CodeRoom Durable Object vs reference @y/websocket-server");
  log(
    `machine: ${cpus.length} CPUs (${cpus[0]?.model?.trim() ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GB, ` +
      `${os.platform()} ${os.arch()}, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  log(
    `versions: wrangler ${versionOf("wrangler")}, yjs ${versionOf("yjs")}, y-websocket ${versionOf("y-websocket")}, ` +
      `@y/websocket-server ${versionOf("@y/websocket-server")}, ws ${versionOf("ws")}`,
  );
  log(
    `setup: all clients run in THIS node process (one Y.Doc + WebsocketProvider + ws socket each) and share the ` +
      `${cpus.length} cores with the server process (workerd, or the node child); the client side's own CPU time is ` +
      `part of every figure. With permessage-deflate (target "spike") every client inflates in this one process, ` +
      `through ws's zlib limiter (10 concurrent operations per process), which real browsers do not share. ` +
      `Loopback 127.0.0.1 only.`,
  );
  log(
    `plan: clients ${opts.clients.join(",")}; per count, every target: warm-up ${opts.warmup} inserts + 0.25 s burst, then ` +
      `${opts.edits} measured sequential inserts and ${opts.duration} s of throughput (window ${opts.window}), each cut into ` +
      `${opts.rounds} rounds alternating between targets; targets: ${opts.servers.join(", ")}; ` +
      (opts.memory ? `memory first: ${opts.memory.rooms} idle rooms, then ${opts.memory.sockets} idle sockets in one room, fresh server per target` : "no memory phase"),
  );
  log(
    `limits: the spike worker runs with ${Object.entries(SPIKE_VARS).map(([k, v]) => `${k}=${v}`).join(" ")}: the throughput ` +
      `phase outpaces the per-socket frame limit's defaults, and every client connects from 127.0.0.1 (see bench/collab/servers.mjs).`,
  );
  log("");

  const memory = [];
  if (opts.memory) {
    for (const target of opts.servers) {
      const t = performance.now();
      const kind = TARGETS[target].server;
      const server = kind === "spike" ? await startSpike(opts.config, { inspector: true }) : await startReference({ inspector: true });
      try {
        memory.push(await measureMemory(target, server, opts.memory.rooms, opts.memory.sockets));
      } finally {
        await server.stop();
      }
      log(`memory ${target}: measured in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  }
  const results = [];
  // Both servers stay up for the whole run (idle, they cost nothing); see measureCount for how targets alternate.
  const servers = new Map();
  try {
    for (const name of new Set(opts.servers.map((t) => TARGETS[t].server))) {
      const t = performance.now();
      const server = name === "spike" ? await startSpike(opts.config) : await startReference();
      servers.set(name, server);
      log(`${server.label}: ready in ${(performance.now() - t).toFixed(0)} ms at ${server.wsBase}`);
    }
    for (const n of opts.clients) results.push(...(await measureCount(n, opts.servers, servers, opts, log)));
  } finally {
    for (const server of [...servers.values()].reverse()) {
      await server.stop().catch((e) => console.error(`stopping ${server.name}: ${e?.message ?? e}`));
    }
  }
  log(reportMemory(memory).join("\n"));
  log(report(results, opts, startedAt));
  if (opts.json) log(`\n${JSON.stringify({ machine: { cpus: cpus.length, node: process.version }, opts, memory, results }, null, 2)}`);
}

const opts0 = (() => {
  try {
    return parseArgs(process.argv.slice(2));
  } catch {
    return { maxSeconds: 240 };
  }
})();
await runBench("collab-latency", opts0.maxSeconds, main);
