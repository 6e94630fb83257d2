#!/usr/bin/env node
/**
 * Room assets through the real Worker, CodeRoom and R2 under workerd (workers/test-support.ts): the time of
 * `PUT /live/<room>/assets/<name>` for images of a few sizes (new bytes each time: sniff, hash, R2 write, the Y.Doc entry),
 * and of `GET` by the hashed URL (the room's check, then R2), as a client on loopback sees them.
 *
 *   node --import tsx bench/assets.mjs [--runs 30]
 *
 * Everything listens on / connects to loopback only, and stops at the end. Figures go to stdout.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { startTestWorker } from "../workers/test-support.ts";
import { onCleanup, runBench, summarize, table, useLocalWranglerState } from "./support.mjs";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 30;
const SIZES = [10_000, 200_000, 1_000_000, 4_000_000];

/** A PNG signature followed by random bytes: the server reads the signature only, and random bytes never repeat a hash. */
function pngLike(size) {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65_536)));
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return bytes;
}

async function main() {
  useLocalWranglerState();
  const cpus = os.cpus();
  console.log("assets: PUT (sniff, SHA-256, R2 write, Y.Doc entry) and GET by hashed URL, through the Worker, CodeRoom and R2");
  console.log(
    `machine: ${cpus.length} CPUs (${cpus[0]?.model?.trim() ?? "?"}), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; ${runs} runs per size`,
  );
  const worker = await startTestWorker({
    vars: { ROOM_ASSETS_QUOTA_BYTES: String(SIZES.reduce((a, b) => a + b, 0) * (runs + 1)), RATE_LIMIT_UPLOAD_BURST: "100000", RATE_LIMIT_CREATE_BURST: "100000" },
  });
  onCleanup(() => worker.dispose());
  const rows = [];
  for (const size of SIZES) {
    const room = `bench-assets-${size}`;
    const puts = [];
    const gets = [];
    for (let run = 0; run <= runs; run++) {
      const body = pngLike(size);
      let t0 = performance.now();
      const put = await fetch(new URL(`/live/${room}/assets/a${run}.png`, worker.url), { method: "PUT", body });
      if (put.status !== 201) throw new Error(`PUT ${size} bytes: ${put.status} ${await put.text()}`);
      const { url } = await put.json();
      const putMs = performance.now() - t0;
      t0 = performance.now();
      const get = await fetch(new URL(`/live/${room}/${url}`, worker.url));
      const got = await get.arrayBuffer();
      const getMs = performance.now() - t0;
      if (got.byteLength !== size) throw new Error(`GET ${size} bytes: ${get.status}, ${got.byteLength} bytes`);
      if (run > 0) {
        // The first run of each size warms the room (and, the first time, the Worker): not counted.
        puts.push(putMs);
        gets.push(getMs);
      }
    }
    const p = summarize(puts);
    const g = summarize(gets);
    rows.push([`${(size / 1000).toLocaleString("en")} KB`, p.p50.toFixed(1), p.p95.toFixed(1), g.p50.toFixed(1), g.p95.toFixed(1)]);
  }
  console.log(table(["size", "PUT p50 ms", "PUT p95 ms", "GET p50 ms", "GET p95 ms"], rows, ["l", "r", "r", "r", "r"]));
}

await runBench("assets", 600, main);
