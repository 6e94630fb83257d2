#!/usr/bin/env node
/**
 * The cost of end-to-end encryption per update: seal (header + AES-GCM with the room's additional data, a fresh IV) and
 * open (decrypt + header) as core/sealed-sync.ts does them, with node's WebCrypto. Typical keystroke updates (real Yjs
 * updates of one typed character, ~20-50 bytes) and large updates (100 KB, 1 MB). Prints µs per update and ns per byte
 * (median of batches), with the machine's load average, since the cores are shared.
 *
 *   node --import tsx bench/e2e-crypto.mjs [--seconds 1]
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import * as Y from "yjs";
import { generateRoomKey, importRoomKey, open, seal } from "../core/room-crypto.js";
import { decodeSealedPlaintext, encodeSealedPlaintext } from "../core/sealed-header.js";

const at = process.argv.indexOf("--seconds");
const seconds = at > 0 ? Number(process.argv[at + 1]) : 1;
const ROOM = "bench-room";

/** Real keystroke updates: one character typed at a time into a file of a Yjs doc, as the editor binding does. */
function keystrokeUpdates(count) {
  const doc = new Y.Doc();
  const updates = [];
  doc.on("update", (update) => updates.push(update));
  const text = doc.getMap("files").set("index.tsx", new Y.Text("export const x = 1;\n"));
  for (let i = 0; i < count; i++) text.insert(Math.floor((i * 7919) % (text.length + 1)), "abcdefghij"[i % 10]);
  return updates.slice(1);
}

/** A Yjs update of about `bytes` (one large insert), like pasting a file. */
function largeUpdate(bytes) {
  const doc = new Y.Doc();
  let update = new Uint8Array(0);
  doc.on("update", (u) => (update = u));
  doc.getMap("files").set("big.ts", new Y.Text("x".repeat(bytes)));
  return update;
}

/** Median µs per call of `step(i)` over batches that each take ~1/10 of the time budget. */
async function measure(step, budgetMs) {
  const times = [];
  const end = performance.now() + budgetMs;
  let i = 0;
  // Warm up (JIT, key schedule).
  for (let w = 0; w < 5; w++) await step(i++);
  while (performance.now() < end || times.length < 5) {
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < budgetMs / 10 && n < 100_000) {
      await step(i++);
      n++;
    }
    times.push(((performance.now() - start) * 1000) / n);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function main() {
  const cpus = os.cpus();
  console.log("e2e-crypto: seal + open of sealed Yjs updates (AES-GCM-256, node WebCrypto)");
  console.log(
    `machine: ${cpus.length} CPUs (${cpus[0]?.model?.trim() ?? "?"}), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  const key = await importRoomKey(await generateRoomKey());
  const sender = 123_456_789;
  const keystrokes = keystrokeUpdates(2000);
  const avg = keystrokes.reduce((s, u) => s + u.byteLength, 0) / keystrokes.length;
  const cases = [
    { name: `keystroke (${Math.min(...keystrokes.map((u) => u.byteLength))}-${Math.max(...keystrokes.map((u) => u.byteLength))} B, avg ${avg.toFixed(0)} B)`, updates: keystrokes, bytes: avg },
    { name: "100 KB update", updates: [largeUpdate(100_000)], bytes: 0 },
    { name: "1 MB update", updates: [largeUpdate(1_000_000)], bytes: 0 },
  ];
  for (const c of cases) if (!c.bytes) c.bytes = c.updates[0].byteLength;
  console.log("\nupdate                               seal µs    open µs   seal+open µs   ns/byte (seal+open)");
  for (const c of cases) {
    const sealedCopies = await Promise.all(c.updates.map((u, i) => seal(key, ROOM, "update", encodeSealedPlaintext(sender, i + 1, u))));
    const budget = seconds * 1000;
    const sealUs = await measure((i) => seal(key, ROOM, "update", encodeSealedPlaintext(sender, i + 1, c.updates[i % c.updates.length])), budget);
    const openUs = await measure(async (i) => decodeSealedPlaintext(await open(key, ROOM, "update", sealedCopies[i % sealedCopies.length])), budget);
    const total = sealUs + openUs;
    console.log(
      `${c.name.padEnd(36)} ${sealUs.toFixed(1).padStart(8)} ${openUs.toFixed(1).padStart(10)} ${total.toFixed(1).padStart(14)} ${((total * 1000) / c.bytes).toFixed(2).padStart(21)}`,
    );
  }
  console.log(`\nsealed size overhead: ${28} B per message (12 B IV + 16 B tag) plus the header (sender + counter varUints, ~6-9 B)`);
  console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}

await main();
