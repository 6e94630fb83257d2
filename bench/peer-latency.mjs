#!/usr/bin/env node
/**
 * Edit latency between two peers of a room: over the WebRTC data channel vs through the room's WebSocket. Two RoomClients
 * (werift's RTCPeerConnection, loopback only) in one room, where the receiver's socket drops the room's copy of each edit,
 * so what it sees came over the channel; and two RoomClients with peer-to-peer off in another room, where every edit goes
 * through the CodeRoom Durable Object. Runs alternate between the two; each is one insert, timed from the sender's
 * transaction to the receiver's Y.Text observer.
 *
 *   node --import tsx bench/peer-latency.mjs [--runs 60] [--json]
 *
 * The real Worker + CodeRoom under workerd (unstable_startWorker); everything stops at the end.
 */
import assert from "node:assert/strict";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { RTCPeerConnection } from "werift";
import WebSocket from "ws";
import { fileText, readFiles } from "../core/project.ts";
import { RoomClient } from "../core/room-client.ts";
import { startTestWorker, until } from "../workers/test-support.ts";
import { onCleanup, runBench, sleep, summarize, table, versionOf } from "./support.mjs";

const args = process.argv.slice(2);
const RUNS = args.includes("--runs") ? Math.max(5, Number(args[args.indexOf("--runs") + 1]) || 60) : 60;
const JSON_OUT = args.includes("--json");
const WARMUP = 5;

/** werift kept on 127.0.0.1. */
class LoopbackPeerConnection extends RTCPeerConnection {
  constructor(config) {
    super({
      ...config,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ["127.0.0.1"],
      iceFilterCandidatePair: (pair) => pair.localCandidate.host === "127.0.0.1" && pair.remoteCandidate.host === "127.0.0.1",
    });
  }
}

/** A `ws` socket that drops incoming Sync/Update frames: the room's copy of the other peer's edits. */
class HeldBackSocket extends WebSocket {
  set onmessage(handler) {
    super.onmessage = handler && ((event) => {
      const bytes = new Uint8Array(event.data);
      if (bytes[0] === 0 && bytes[1] === 2) return;
      handler(event);
    });
  }
  get onmessage() {
    return super.onmessage;
  }
}

await runBench("peer-latency", 300, async () => {
  const worker = await startTestWorker({ vars: { RATE_LIMIT_UPLOAD_PER_MINUTE: "100000" } });
  onCleanup(() => worker.dispose());
  const server = worker.url.origin;
  const make = (room, options) => {
    const client = new RoomClient({ server, room, WebSocket, RTCPeerConnection: LoopbackPeerConnection, ...options });
    onCleanup(() => client.destroy());
    return client;
  };
  const pairs = {
    "data channel": [make("bench-peer-direct", {}), make("bench-peer-direct", { WebSocket: HeldBackSocket })],
    "room WebSocket": [make("bench-peer-room", { peerToPeer: false }), make("bench-peer-room", { peerToPeer: false })],
  };
  for (const [a, b] of Object.values(pairs)) await Promise.all([a.whenSynced(), b.whenSynced()]);
  const [da, db] = pairs["data channel"];
  await until(() => da.peers.get(db.doc.clientID)?.transport === "webrtc" && db.peers.get(da.doc.clientID)?.transport === "webrtc", "a data channel", 30_000);
  for (const [a, b] of Object.values(pairs)) {
    // The sender creates the file and the receiver waits for it: a receiver creating its own would compete with it.
    fileText(a.doc, "index.tsx").insert(0, "//");
    await until(() => readFiles(b.doc)["index.tsx"] === "//", "the file at the receiver");
  }

  /** One insert by `a`, timed until `b`'s Y.Text has it. */
  const once = async ([a, b], i) => {
    const text = fileText(b.doc, "index.tsx");
    const marker = ` e${i};`;
    const arrived = new Promise((resolve) => {
      const check = () => {
        if (!text.toString().endsWith(marker)) return;
        text.unobserve(check);
        resolve(performance.now());
      };
      text.observe(check);
    });
    const source = fileText(a.doc, "index.tsx");
    const started = performance.now();
    source.insert(source.length, marker);
    return (await arrived) - started;
  };

  const samples = { "data channel": [], "room WebSocket": [] };
  for (let i = 1; i <= RUNS + WARMUP; i++) {
    for (const [name, pair] of Object.entries(pairs)) {
      const ms = await once(pair, i);
      if (i > WARMUP) samples[name].push(ms);
      await sleep(5);
    }
  }
  assert.equal(db.peers.get(da.doc.clientID)?.transport, "webrtc", "the channel stayed open throughout");

  const rows = Object.entries(samples).map(([name, values]) => [name, summarize(values)]);
  if (JSON_OUT) {
    console.log(JSON.stringify({ runs: RUNS, results: Object.fromEntries(rows) }));
    return;
  }
  console.log("peer-latency: one insert -> the other peer's Y.Text, over a WebRTC data channel vs through the room's WebSocket");
  console.log(
    `machine: ${os.cpus().length} CPUs, node ${process.version}, wrangler ${versionOf("wrangler")}, werift ${versionOf("werift")}, ` +
      `yjs ${versionOf("yjs")}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  console.log(`runs: ${RUNS} sequential inserts per transport (after ${WARMUP} warm-up), alternating; both peers in this process, loopback`);
  const ms = (v) => `${v.toFixed(2)} ms`;
  console.log(table(["", "p50", "p95", "min", "max"], rows.map(([name, s]) => [name, ms(s.p50), ms(s.p95), ms(s.min), ms(s.max)]), ["l"]));
});
