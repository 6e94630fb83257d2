#!/usr/bin/env node
/**
 * Collaboration latency and throughput: the spike CodeRoom Durable Object (under wrangler dev / workerd) against the
 * reference y-websocket server (@y/websocket-server), with N stock y-websocket clients in one room.
 *
 *   node bench/collab-latency.mjs [--clients 2,10,50] [--edits 300] [--warmup 60] [--duration 3] [--window 4]
 *                                 [--servers spike,spike-raw,reference] [--max-seconds 170] [--json]
 *
 * See bench/README.md for what the figures mean. Everything listens on / connects to 127.0.0.1 only.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import * as Y from "yjs";
import { devRegistry } from "../scripts/dev-registry.mjs";
import { cleanupAll, onCleanup, percentile, sleep, table, versionOf, withTimeout } from "./support.mjs";
import { WebsocketProvider } from "y-websocket";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const HOST = "127.0.0.1";

/** What is measured: a server, and whether the clients offer permessage-deflate. */
const TARGETS = {
  spike: { server: "spike", deflate: true, title: "spike DO" },
  "spike-raw": { server: "spike", deflate: false, title: "spike DO no-deflate" },
  reference: { server: "reference", deflate: true, title: "reference" },
};

// ---- options ---------------------------------------------------------------------------------------------------------

const HELP = `usage: node bench/collab-latency.mjs [options]
  --clients 2,10,50        client counts (each: one room, that many Y.Doc + WebsocketProvider)
  --edits 300              measured sequential inserts per client count (latency phase)
  --warmup 60              unmeasured sequential inserts before, plus a 0.25 s throughput burst
  --duration 3             seconds of the measured throughput phase
  --window 4               inserts each client may have in flight in the throughput phase
  --rounds 3               both phases are cut into this many rounds alternating between targets
  --edit-timeout-ms 5000   an insert not seen by every receiver within this is counted as lost (latency phase)
  --drain-timeout-ms 30000 after a throughput slice, everything in flight must arrive within this
  --servers spike,spike-raw,reference
                           spike: the CodeRoom DO with stock clients (they offer permessage-deflate, workerd accepts);
                           spike-raw: the same DO, clients that do not offer permessage-deflate;
                           reference: @y/websocket-server with stock clients (it declines permessage-deflate)
  --max-seconds 170        hard stop for the whole run (cleans up, exits 1)
  --config wrangler.jsonc  wrangler config of the spike worker (to try a modified CodeRoom elsewhere)
  --json                   also print the raw results as JSON`;

function parseArgs(argv) {
  const opts = {
    clients: [2, 10, 50],
    edits: 300,
    warmup: 60,
    duration: 3,
    window: 4,
    rounds: 3,
    editTimeoutMs: 5000,
    drainTimeoutMs: 30000,
    servers: ["spike", "spike-raw", "reference"],
    maxSeconds: 170,
    json: false,
    config: path.join(ROOT, "wrangler.jsonc"),
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    const num = (name) => {
      const v = Number(value());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${name} needs a non-negative number`);
      return v;
    };
    switch (flag) {
      case "--clients":
        opts.clients = value().split(",").map((s) => Number(s.trim()));
        if (opts.clients.some((n) => !Number.isInteger(n) || n < 2)) throw new Error("--clients needs integers >= 2");
        break;
      case "--edits": opts.edits = Math.floor(num(flag)); break;
      case "--warmup": opts.warmup = Math.floor(num(flag)); break;
      case "--duration": opts.duration = num(flag); break;
      case "--window": opts.window = Math.max(1, Math.floor(num(flag))); break;
      case "--rounds": opts.rounds = Math.max(1, Math.floor(num(flag))); break;
      case "--edit-timeout-ms": opts.editTimeoutMs = num(flag); break;
      case "--drain-timeout-ms": opts.drainTimeoutMs = num(flag); break;
      case "--max-seconds": opts.maxSeconds = num(flag); break;
      case "--servers":
        opts.servers = value().split(",").map((s) => s.trim());
        if (opts.servers.length === 0 || opts.servers.some((s) => !TARGETS[s])) throw new Error(`--servers: some of ${Object.keys(TARGETS).join(",")}`);
        break;
      case "--json": opts.json = true; break;
      case "--config": opts.config = path.resolve(value()); break;
      case "-h":
      case "--help":
        console.log(HELP);
        process.exit(0);
      default:
        throw new Error(`unknown option ${argv[i]}\n${HELP}`);
    }
  }
  return opts;
}

// ---- cleanup: everything started registers its stop here, run on success, error, signal or watchdog ----------------



const tick = () => new Promise((resolve) => setImmediate(resolve));

// ---- CPU accounting (Linux /proc; figures are omitted elsewhere) ----------------------------------------------------

const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time of a process in ms, or NaN: the sum over its threads of /proc/<pid>/task/<tid>/schedstat (ns resolution),
 * falling back to utime + stime from /proc/<pid>/stat (clock-tick resolution).
 */
function processCpuMs(pid) {
  try {
    let ns = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // thread gone
      }
    }
    if (ns > 0) return ns / 1e6;
  } catch {
    // no schedstat
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Pids of this process's direct children whose command name is `name` (the workerd that wrangler spawns). */
function childPids(name) {
  try {
    return fs
      .readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
          const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
          const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
          return ppid === process.pid && comm === name;
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/** Snapshot of server and client (this process) CPU time; `since(snapshot)` gives the deltas in ms. */
function cpuMeter(serverPids) {
  const read = () => ({
    server: serverPids.reduce((sum, pid) => sum + processCpuMs(pid), 0),
    client: (() => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    })(),
    wall: performance.now(),
  });
  return {
    read,
    since(a) {
      const b = read();
      return { server: b.server - a.server, client: b.client - a.client, wall: b.wall - a.wall };
    },
  };
}

// ---- servers -----------------------------------------------------------------------------------------------------------

/**
 * Per-socket frame limits lifted for the spike worker: the throughput phase sends every update as fast as the window
 * allows, far past the defaults meant for people typing (200 frames/s per socket, burst 1000), which would close the
 * senders with 4429. The latency phase sends a few frames a second and is unaffected either way.
 */
const SPIKE_VARS = { ROOM_FRAMES_PER_SECOND: "1000000", ROOM_FRAME_BURST: "1000000", ROOM_BYTES_PER_SECOND: "1000000000" };

async function startSpike(config) {
  const { unstable_startWorker } = await import("wrangler");
  // Keep wrangler's config/cache writes in the ignored .wrangler folder, as scripts/test.mjs does.
  process.env.XDG_CONFIG_HOME ??= path.join(ROOT, ".wrangler", "config");
  process.env.XDG_CACHE_HOME ??= path.join(ROOT, ".wrangler", "cache");
  // No internet here: don't let miniflare try to download the Request.cf placeholder (it warns on every reload).
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  const worker = await unstable_startWorker({
    config,
    bindings: Object.fromEntries(Object.entries(SPIKE_VARS).map(([name, value]) => [name, { type: "plain_text", value }])),
    dev: { registry: devRegistry(), server: { hostname: HOST, port: 0 }, inspector: false, persist: false, watch: false, logLevel: "error" },
  });
  const dispose = onCleanup(() => worker.dispose());
  try {
    await withTimeout(worker.ready, 60_000, "wrangler worker start");
    const url = new URL(await worker.url);
    if (url.hostname !== HOST) throw new Error(`worker listens on ${url.hostname}, expected ${HOST}`);
    const pids = childPids("workerd");
    return {
      pids,
      name: "spike",
      label: "spike CodeRoom DO (wrangler dev)",
      wsBase: `ws://${HOST}:${url.port}/live`,
      roomPath: (room) => `${room}/ws`,
      async stop() {
        dispose();
        await worker.dispose();
      },
    };
  } catch (error) {
    dispose();
    await worker.dispose().catch(() => {});
    throw error;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startReference() {
  const port = await freePort();
  const script = require.resolve("@y/websocket-server/package.json").replace(/package\.json$/, "src/server.js");
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { ...process.env, HOST, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const forced = setTimeout(() => child.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(forced);
  };
  const dispose = onCleanup(kill);
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  try {
    await withTimeout(
      new Promise((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
          if (out.includes("running at")) resolve();
        });
        exited.then(({ code, signal }) => reject(new Error(`reference server exited (${code ?? signal}): ${stderr.trim()}`)));
      }),
      15_000,
      "reference server start",
    );
    return {
      name: "reference",
      label: `@y/websocket-server (node child, pid ${child.pid})`,
      pids: [child.pid],
      wsBase: `ws://${HOST}:${port}`,
      roomPath: (room) => room,
      async stop() {
        dispose();
        await kill();
      },
    };
  } catch (error) {
    dispose();
    await kill();
    throw error;
  }
}

// ---- clients -----------------------------------------------------------------------------------------------------------

/** `ws` as the provider's WebSocket, optionally without permessage-deflate (a plain `ws` client offers it). */
class NoDeflateWebSocket extends WebSocket {
  constructor(url, protocols) {
    super(url, protocols, { perMessageDeflate: false });
  }
}

/**
 * One room with `count` clients. Tracks every insert by (sender clientID, sender clock after the insert) and, in each
 * receiver's Y.Text observer, which of the sender's inserts the transaction made visible.
 */
let roomSeq = 0;

async function openRoom(server, count, deflate) {
  const room = `bench-${count}-${process.pid}-${Date.now().toString(36)}-${++roomSeq}`;
  const clients = [];
  const byClientId = new Map();
  const WS = deflate ? WebSocket : NoDeflateWebSocket;
  // y-websocket adds one process 'exit' listener per provider.
  process.setMaxListeners(process.getMaxListeners() + count);
  let onDelivery = null; // (edit, receiverIndex, now) during measurement
  let onComplete = null; // (edit) when every receiver has it
  let drops = 0; // connections lost after the first sync (e.g. wrangler reloading the worker)
  let closing = false;

  for (let i = 0; i < count; i++) {
    const doc = new Y.Doc();
    const text = doc.getText("bench");
    const client = {
      index: i,
      doc,
      text,
      provider: null,
      sent: [], // this client's inserts in clock order: { endClock, edit }
      cursor: new Map(), // receiver side: sender clientID -> index into that sender's `sent`
    };
    text.observe((event) => {
      const tr = event.transaction;
      if (tr.local) return;
      const now = performance.now();
      tr.afterState.forEach((clock, clientId) => {
        if (clientId === doc.clientID || tr.beforeState.get(clientId) === clock) return;
        const sender = byClientId.get(clientId);
        if (!sender) return;
        let k = client.cursor.get(clientId) ?? 0;
        while (k < sender.sent.length && sender.sent[k].endClock <= clock) {
          const edit = sender.sent[k].edit;
          k++;
          if (edit.lat) edit.lat[edit.got] = now - edit.t0;
          edit.got++;
          edit.remaining--;
          if (onDelivery) onDelivery(edit, now);
          if (edit.remaining === 0) {
            edit.done = now;
            if (onComplete) onComplete(edit);
            edit.resolve?.();
          }
        }
        client.cursor.set(clientId, k);
      });
    });
    clients.push(client);
    byClientId.set(doc.clientID, client);
  }

  const destroy = () => {
    for (const c of clients) {
      try {
        c.provider?.destroy();
      } catch {}
      try {
        c.doc.destroy();
      } catch {}
    }
  };
  const dispose = onCleanup(destroy);

  // Connect everyone and wait until every provider reports synced.
  const t = performance.now();
  await withTimeout(
    Promise.all(
      clients.map(
        (c) =>
          new Promise((resolve, reject) => {
            c.provider = new WebsocketProvider(server.wsBase, server.roomPath(room), c.doc, {
              WebSocketPolyfill: WS,
              disableBc: true,
            });
            c.provider.on("sync", (synced) => synced && resolve());
            let synced = false;
            c.provider.on("sync", (s) => {
              synced ||= s;
            });
            c.provider.on("connection-close", (event) => {
              if (closing) return;
              if (synced) drops++;
              else if (event) reject(new Error(`client ${c.index} closed: ${event.code} ${event.reason}`));
            });
          }),
      ),
    ),
    30_000,
    `connecting ${count} clients`,
  );
  const connectMs = performance.now() - t;
  const extensions = clients[0].provider.ws?.extensions ?? "";

  /** Insert one keystroke at the end of `sender`'s text; every other client must integrate it. */
  function insert(sender, measureLatency, phase = null) {
    const edit = {
      phase,
      t0: performance.now(),
      sender: sender.index,
      remaining: count - 1,
      got: 0,
      done: 0,
      lat: measureLatency ? new Float64Array(count - 1) : null,
      resolve: null,
    };
    sender.text.insert(sender.text.length, "x");
    sender.sent.push({ endClock: Y.getState(sender.doc.store, sender.doc.clientID), edit });
    return edit;
  }

  return {
    room,
    clients,
    connectMs,
    extensions,
    insert,
    /** Which inserts are incomplete and which receivers lack them, for error messages. */
    describeStuck() {
      const parts = [];
      for (const sender of clients) {
        for (const { edit } of sender.sent) {
          if (edit.remaining === 0) continue;
          const missing = clients.filter((c) => c !== sender && (c.cursor.get(sender.doc.clientID) ?? 0) <= sender.sent.findIndex((x) => x.edit === edit));
          parts.push(
            `sender ${sender.index} missing at ${missing.map((c) => `${c.index}(${c.provider.wsconnected ? "open" : "closed"}${c.provider.synced ? ",synced" : ""})`).join(" ")}`,
          );
          if (parts.length >= 5) return parts.join("; ");
        }
      }
      return parts.join("; ") || "none";
    },
    get drops() {
      return drops;
    },
    setHooks(delivery, complete) {
      onDelivery = delivery;
      onComplete = complete;
    },
    async close() {
      closing = true;
      dispose();
      destroy();
      await sleep(150); // let the close frames go out before the next room / server stop
    },
  };
}

// ---- measurements --------------------------------------------------------------------------------------------------------

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
 * Every client inserts, keeping up to `window` of its own inserts in flight (sent but not yet integrated by every other
 * client). Counts, over `seconds` after a short ramp-up, inserts fully delivered and receiver integrations, then drains.
 */
async function throughputPhase(room, seconds, window, timeoutMs, meter, rampMs = 250) {
  const n = room.clients.length;
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


function summarize(values) {
  const s = Float64Array.from(values).sort();
  return {
    count: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.length ? s[s.length - 1] : NaN,
  };
}

/** Split `total` into `parts` near-equal integers. */
function split(total, parts) {
  return Array.from({ length: parts }, (_, i) => Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts));
}

/**
 * One client count, every target. All rooms are open at once (an idle room costs nothing) and the measurements are
 * cut into rounds that alternate between targets, rotating who goes first, so background load spreads evenly.
 */
async function measureCount(count, targets, servers, opts, log) {
  const runs = [];
  try {
    for (const target of targets) {
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
      if (opts.duration > 0) await throughputPhase(run.room, 0.25, opts.window, opts.drainTimeoutMs, null);
    }
    const order = (r) => runs.map((_, i) => runs[(i + r) % runs.length]);
    const chunks = split(opts.edits, opts.rounds);
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
          const thr = await throughputPhase(run.room, slice, opts.window, opts.drainTimeoutMs, run.meter);
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

// ---- output -------------------------------------------------------------------------------------------------------------

function fmt(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return "-";
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  return v.toFixed(digits);
}

function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "-";
  return `${(a / b).toFixed(2)}x`;
}



function report(results, opts, startedAt) {
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
    out.push(`== Sustained throughput: every client inserts for ${opts.duration} s, keeping at most ${opts.window} of its own inserts in flight ==`);
    out.push("   (in flight = sent but not yet integrated by every other client). upd/s = inserts per second that reached every");
    out.push("   other client; deliv/s = upd/s x (clients - 1) = integrations per second summed over the room.");
    const thrRows = [];
    for (const n of counts) {
      const row = (metric) => targets.map((t) => fmt(get(t, n)?.throughput?.[metric], 0));
      thrRows.push([
        String(n),
        ...row("editsPerSec"),
        ...row("deliveriesPerSec"),
        ...ratios.map((t) => ratio(get(t, n)?.throughput?.deliveriesPerSec, get("reference", n)?.throughput?.deliveriesPerSec)),
      ]);
    }
    out.push(
      table(
        ["clients", ...targets.map((t) => `upd/s ${TARGETS[t].title}`), ...targets.map((t) => `deliv/s ${TARGETS[t].title}`), ...ratios.map(ratioTitle)],
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
  const big = Math.max(...counts);
  const verdict = targets
    .map((t) => {
      const v = get(t, big)?.latency.p99;
      return `${TARGETS[t].title} ${v === undefined ? "-" : `${fmt(v, 2)} ms ${v < 20 ? "(meets)" : "(MISSES)"}`}`;
    })
    .join(", ");
  out.push(`target: per-receiver p99 < 20 ms at 50 clients on loopback. At ${big} clients: ${verdict}.`);
  out.push(`load average now ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; total run time ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  return out.join("\n");
}

// ---- main ---------------------------------------------------------------------------------------------------------------

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
      `${opts.rounds} rounds alternating between targets; targets: ${opts.servers.join(", ")}`,
  );
  log(
    `limits: the spike worker runs with ${Object.entries(SPIKE_VARS).map(([k, v]) => `${k}=${v}`).join(" ")}: the throughput ` +
      `phase outpaces the per-socket frame limit's defaults (200 frames/s, burst 1000), which would close its senders with 4429.`,
  );
  log("");

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
  log(report(results, opts, startedAt));
  if (opts.json) log(`\n${JSON.stringify({ machine: { cpus: cpus.length, node: process.version }, opts, results }, null, 2)}`);
}

const opts0 = (() => {
  try {
    return parseArgs(process.argv.slice(2));
  } catch {
    return { maxSeconds: 170 };
  }
})();
const watchdog = setTimeout(async () => {
  console.error(`\ncollab-latency: hard time limit of ${opts0.maxSeconds} s reached, stopping everything`);
  await cleanupAll();
  process.exit(1);
}, opts0.maxSeconds * 1000);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    console.error(`\ncollab-latency: ${signal}, stopping everything`);
    await cleanupAll();
    process.exit(130);
  });
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  console.error(`collab-latency failed: ${error?.stack ?? error}`);
  exitCode = 1;
} finally {
  await cleanupAll();
  clearTimeout(watchdog);
}
// Providers, wrangler and ws may leave handles behind; the results are printed, so leave now.
process.exit(exitCode);
