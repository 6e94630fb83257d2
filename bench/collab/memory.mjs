/**
 * Server memory per room and per socket: a fresh server per target, then N idle rooms with one client each, then one
 * idle room with M clients; the growth of the server process's RSS (Linux /proc) and of its V8 heap after a full GC
 * (Chrome DevTools Protocol: a heap snapshot forces one in workerd and in node alike) at each step, per room and per
 * socket.
 */
import fs from "node:fs";
import WebSocket from "ws";
import { sleep, withTimeout } from "../support.mjs";
import { TARGETS } from "./options.mjs";
import { openRoom } from "./room.mjs";

/** VmRSS and RssAnon of processes `pids`, summed, in bytes (NaN off Linux or when a process is gone). */
function rss(pids) {
  let total = 0;
  let anon = 0;
  for (const pid of pids) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      total += Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) * 1024;
      anon += Number(/^RssAnon:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) * 1024;
    } catch {
      return { total: NaN, anon: NaN };
    }
  }
  return pids.length ? { total, anon } : { total: NaN, anon: NaN };
}

/**
 * A CDP session on `url`: `heapUsed()` takes a heap snapshot (which runs a full GC first; its chunks are dropped) and
 * then reads Runtime.getHeapUsage. workerd's inspector does not answer HeapProfiler.collectGarbage, so the snapshot is
 * the one way to a collected heap that works on both servers.
 */
async function devtools(url) {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 30 });
  await withTimeout(new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject)), 10_000, "inspector connect");
  let seq = 0;
  const pending = new Map();
  ws.on("message", (data) => {
    const message = JSON.parse(data);
    const done = pending.get(message.id);
    if (!done) return;
    pending.delete(message.id);
    if (message.error) done.reject(new Error(`${message.error.message}`));
    else done.resolve(message.result);
  });
  const call = (method, params = {}) =>
    withTimeout(
      new Promise((resolve, reject) => {
        pending.set(++seq, { resolve, reject });
        ws.send(JSON.stringify({ id: seq, method, params }));
      }),
      30_000,
      method,
    );
  await call("Runtime.enable");
  await call("HeapProfiler.enable");
  return {
    async heapUsed() {
      await call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      const usage = await call("Runtime.getHeapUsage");
      return usage.usedSize + (usage.embedderHeapUsedSize ?? 0);
    },
    close: () => ws.close(),
  };
}

/** One reading after the server has had `settleMs` to finish connection work (handshakes, awareness, first writes). */
async function sample(server, probe, settleMs) {
  await sleep(settleMs);
  const heap = probe ? await probe.heapUsed().catch(() => NaN) : NaN;
  return { heap, ...rss(server.pids ?? []) };
}

/** `count` rooms of one client each, opened `batch` at a time. */
async function openIdleRooms(server, count, deflate, batch = 10) {
  const rooms = [];
  for (let i = 0; i < count; i += batch) {
    const size = Math.min(batch, count - i);
    rooms.push(...(await Promise.all(Array.from({ length: size }, () => openRoom(server, 1, deflate)))));
  }
  return rooms;
}

/**
 * The memory figures of one target on a fresh `server` (started with its inspector): readings before, after `rooms`
 * idle one-client rooms and after one more room of `sockets` idle clients; per room (with its one socket) =
 * growth / rooms; per extra socket = (growth of the big room - per room) / (sockets - 1).
 * @example const m = await measureMemory("spike-raw", await startSpike(config, { inspector: true }), 20, 50);
 */
export async function measureMemory(target, server, rooms, sockets, settleMs = 1000) {
  const { deflate } = TARGETS[target];
  let probe = null;
  const open = [];
  try {
    const url = server.inspectorWs ? await server.inspectorWs() : null;
    probe = url ? await devtools(url) : null;
    // One room first, closed again: code paths compiled and the first-room costs paid before the baseline.
    const warm = await openRoom(server, 2, deflate);
    await warm.close();
    const base = await sample(server, probe, settleMs);
    open.push(...(await openIdleRooms(server, rooms, deflate)));
    const afterRooms = await sample(server, probe, settleMs);
    open.push(await openRoom(server, sockets, deflate));
    const afterSockets = await sample(server, probe, settleMs);
    const per = (key) => {
      const room = (afterRooms[key] - base[key]) / rooms;
      const socket = (afterSockets[key] - afterRooms[key] - room) / (sockets - 1);
      return { room, socket };
    };
    return { target, rooms, sockets, base, afterRooms, afterSockets, rss: per("total"), anon: per("anon"), heap: per("heap") };
  } finally {
    probe?.close();
    await Promise.all(open.map((room) => room.close()));
  }
}
