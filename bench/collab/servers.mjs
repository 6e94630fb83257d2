/**
 * The two servers the collab bench compares, each started on 127.0.0.1 and registered for cleanup: the spike worker
 * (CodeRoom Durable Object) under wrangler dev / workerd, and the reference @y/websocket-server as a node child process.
 * Both answer `{ name, label, pids, wsBase, roomPath(room), inspectorWs, stop() }`; `inspectorWs` (started with
 * `{ inspector: true }`, else null) resolves to the server's Chrome DevTools Protocol WebSocket, for its V8 heap.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { devRegistry } from "../../scripts/dev-registry.mjs";
import { freePort } from "../../scripts/free-port.mjs";
import { onCleanup, useLocalWranglerState, withTimeout } from "../support.mjs";
import { childPids } from "./cpu.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);
const HOST = "127.0.0.1";

/**
 * Limits lifted for the spike worker, since every bench client connects from 127.0.0.1:
 * - per-socket frame limits: the throughput phase sends every update as fast as the window allows, far past the defaults
 *   meant for people typing (200 frames/s per socket, burst 1000), which would close the senders with 4429. The latency
 *   phase sends a few frames a second and is unaffected either way;
 * - connections per address and room (default 64): the 200-client room and the idle-socket memory room hold more;
 * - connects and room creations per address (defaults 300 and 60 a minute): a full run opens about 600 sockets and 50 rooms.
 * The room's own cap (256 connections) stays.
 */
export const SPIKE_VARS = {
  ROOM_FRAMES_PER_SECOND: "1000000",
  ROOM_FRAME_BURST: "1000000",
  ROOM_BYTES_PER_SECOND: "1000000000",
  ROOM_MAX_CONNECTIONS_PER_IP: "256",
  RATE_LIMIT_CONNECT_PER_MINUTE: "100000",
  RATE_LIMIT_CREATE_PER_MINUTE: "100000",
};

/**
 * The spike worker from wrangler config `config`, in memory, with the limits lifted (SPIKE_VARS); `inspector` turns on
 * wrangler's inspector proxy (off for the latency and throughput figures).
 * @example const spike = await startSpike("wrangler.jsonc"); new WebsocketProvider(spike.wsBase, spike.roomPath("r"), doc)
 */
export async function startSpike(config, { inspector = false } = {}) {
  const { unstable_startWorker } = await import("wrangler");
  useLocalWranglerState();
  const earlier = new Set(childPids("workerd"));
  const worker = await unstable_startWorker({
    config,
    bindings: Object.fromEntries(Object.entries(SPIKE_VARS).map(([name, value]) => [name, { type: "plain_text", value }])),
    dev: {
      registry: devRegistry(),
      server: { hostname: HOST, port: 0 },
      inspector: inspector ? { hostname: HOST, port: 0 } : false,
      persist: false,
      watch: false,
      logLevel: "error",
    },
  });
  const dispose = onCleanup(() => worker.dispose());
  try {
    await withTimeout(worker.ready, 60_000, "wrangler worker start");
    const url = new URL(await worker.url);
    if (url.hostname !== HOST) throw new Error(`worker listens on ${url.hostname}, expected ${HOST}`);
    const pids = childPids("workerd").filter((pid) => !earlier.has(pid));
    const inspectorUrl = inspector ? await worker.inspectorUrl : null;
    return {
      pids,
      name: "spike",
      label: "spike CodeRoom DO (wrangler dev)",
      wsBase: `ws://${HOST}:${url.port}/live`,
      roomPath: (room) => `${room}/ws`,
      /** The CDP WebSocket of the worker's isolate (the Durable Objects run in it), through wrangler's inspector proxy. */
      inspectorWs: inspectorUrl ? async () => (await (await fetch(new URL("json", inspectorUrl))).json())[0].webSocketDebuggerUrl : null,
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

/** @y/websocket-server's own `src/server.js` in a node child process on a free port; `inspector`: with `--inspect`. */
export async function startReference({ inspector = false } = {}) {
  const port = await freePort();
  const script = require.resolve("@y/websocket-server/package.json").replace(/package\.json$/, "src/server.js");
  const child = spawn(process.execPath, [...(inspector ? [`--inspect=${HOST}:0`] : []), script], {
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
      inspectorWs: inspector ? async () => /Debugger listening on (ws:\S+)/.exec(stderr)?.[1] ?? null : null,
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
