/**
 * Shared helpers for the workerd-side tests beside the code in workers/: the real Worker and CodeRoom on a free loopback port,
 * stock y-websocket clients, and the clients and raw sockets a test opens and closes after each test. Raw sockets and raw
 * HTTP (test-support/raw.ts) and waiting (test-support/wait.ts) are re-exported from here.
 */
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_startWorker, type Binding } from "wrangler";
import { installBrowserShim } from "../scripts/browser-shim.mjs";
import { devRegistry } from "../scripts/dev-registry.mjs";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { readFiles } from "../core/project.js";
import { openRawSocket, type RawSocket } from "../test-support/raw.js";
import { waitUntil } from "../test-support/wait.js";

export {
  WEBSOCKET_UPGRADE,
  openRawSocket,
  rawRequest,
  type CloseInfo,
  type RawResponse,
  type RawSocket,
} from "../test-support/raw.js";
export { sleep, until, waitUntil } from "../test-support/wait.js";

const CONFIG = fileURLToPath(new URL("../wrangler.jsonc", import.meta.url));
const TRANSPILER_CONFIG = fileURLToPath(new URL("./transpiler/wrangler.jsonc", import.meta.url));
const RENDERER_CONFIG = fileURLToPath(new URL("./renderer/wrangler.jsonc", import.meta.url));

// Tests talk to 127.0.0.1 only: without this, miniflare tries to download the Request.cf object from workers.cloudflare.com.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

/** A running Worker (main + CodeRoom) under workerd. */
export interface TestWorker {
  /** `http://127.0.0.1:<port>/` */
  url: URL;
  dispose(): Promise<void>;
}

export interface TestWorkerOptions {
  /** Worker vars, e.g. `{ ROOM_MAX_CONNECTIONS: "3" }`. */
  vars?: Record<string, string>;
  /** Directory that keeps Durable Object storage across dispose() and a later start; in memory when omitted. */
  persistDir?: string;
  /** Static assets directory (relative to the repository, or absolute), e.g. `"dist/site"`; an empty directory when omitted. */
  assets?: string;
  /** Also start the transpiler Worker (esbuild-wasm), so the TRANSPILER service binding answers. */
  transpiler?: boolean;
  /**
   * Also start the renderer Worker (headless browser), so the RENDERER service binding answers; `vars` are its variables
   * (e.g. `{ RENDER_TIMEOUT_MS: "3000" }`). Its BROWSER binding launches Debian's Chromium through the shim of
   * scripts/browser-shim.mjs, written under a cache directory of this process (XDG_CACHE_HOME is set to it).
   */
  renderer?: boolean | { vars?: Record<string, string> };
  /**
   * Which of the Worker's console lines wrangler prints (to this process's console): "warn" (default) shows warnings and
   * errors only; "log" also the info lines, e.g. the request log, for a test that reads them by wrapping console.log.
   */
  logLevel?: "warn" | "log";
  /** A fixed loopback port, for a test that restarts the Worker on the same address; a free one when omitted. */
  port?: number;
  /**
   * Bindings that replace wrangler.jsonc's, e.g. a Durable Object namespace served by another Worker of this process's dev
   * registry: `{ RATE_LIMITER: { type: "durable_object_namespace", class_name: "RateLimiter", script_name: "…" } }`.
   */
  bindings?: Record<string, Binding>;
  /** Sees every fetch the Worker and its objects make to the outside (instead of the network), e.g. to prove there is none. */
  outbound?: (request: Request) => Response | Promise<Response>;
  /** Another main module with wrangler.jsonc's bindings, e.g. `"workers/test-faults/index.ts"` (relative to the repository). */
  entrypoint?: string;
}

/**
 * Start the Worker from wrangler.jsonc on a free loopback port. Always `dispose()` it (in `after` or `finally`).
 * @example const worker = await startTestWorker({ vars: { ROOM_MAX_CONNECTIONS: "3" } });
 */
export async function startTestWorker({
  vars = {},
  persistDir,
  transpiler = false,
  assets: siteDir,
  logLevel = "warn",
  port = 0,
  bindings = {},
  entrypoint,
  outbound,
  renderer,
}: TestWorkerOptions = {}): Promise<TestWorker> {
  // Started first and found through a dev registry private to this pair, so main's service binding resolves from its first
  // request and never reaches another test's transpiler (or finds it gone: disposing one unregisters the name for all).
  const privateRegistry = transpiler || Boolean(renderer);
  const registry = privateRegistry ? await mkdtemp(join(tmpdir(), "spike-registry-")) : devRegistry();
  const transpilerWorker = transpiler ? await startTranspilerWorker(registry) : undefined;
  const rendererWorker = renderer ? await startRendererWorker(registry, renderer === true ? {} : renderer.vars) : undefined;
  // An empty assets directory of its own: these tests need no static files, and wrangler reloads the runtime (dropping
  // every socket mid-test) whenever the real dist/site changes, which a concurrent `npm run build` does.
  const assets = siteDir ? resolvePath(fileURLToPath(new URL("..", import.meta.url)), siteDir) : await mkdtemp(join(tmpdir(), "spike-test-assets-"));
  const worker = await unstable_startWorker({
    config: CONFIG,
    ...(entrypoint ? { entrypoint: resolvePath(fileURLToPath(new URL("..", import.meta.url)), entrypoint) } : {}),
    assets,
    sendMetrics: false,
    bindings: { ...Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text" as const, value }])), ...bindings },
    dev: {
      registry,
      server: { hostname: "127.0.0.1", port },
      inspector: false,
      persist: persistDir ?? false,
      watch: false,
      logLevel,
      ...(outbound ? { outboundService: outbound } : {}),
    },
  });
  const dispose = async () => {
    await worker.dispose();
    await transpilerWorker?.dispose();
    await rendererWorker?.dispose();
    if (!siteDir) await rm(assets, { recursive: true, force: true });
    if (privateRegistry) await rm(registry, { recursive: true, force: true });
  };
  try {
    await worker.ready;
    return { url: await worker.url, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/**
 * The transpiler Worker alone (workers/transpiler) on a free loopback port, registered in this process's dev registry.
 * @example const transpiler = await startTranspilerWorker(); await fetch(new URL("/api/transpile", transpiler.url), …)
 */
export async function startTranspilerWorker(registry: string = devRegistry()): Promise<TestWorker> {
  return startServiceWorker(TRANSPILER_CONFIG, registry);
}

/**
 * The renderer Worker alone (workers/renderer) on a free loopback port, registered in `registry`. Its BROWSER binding runs
 * the Chromium of the browser shim (scripts/browser-shim.mjs) written under this process's XDG_CACHE_HOME, which is first
 * set to a temporary directory of its own (miniflare reads it when a render launches the browser), removed at exit.
 * @example const renderer = await startRendererWorker(registry, { RENDER_TIMEOUT_MS: "3000" });
 */
export async function startRendererWorker(registry: string = devRegistry(), vars: Record<string, string> = {}): Promise<TestWorker> {
  // A cache of this process's own, so a test that swaps the shim (no browser) never touches npm start's or another file's.
  if (!process.env.XDG_CACHE_HOME?.includes("spike-renderer-cache-")) {
    process.env.XDG_CACHE_HOME = await mkdtemp(join(tmpdir(), "spike-renderer-cache-"));
    const cache = process.env.XDG_CACHE_HOME;
    process.once("exit", () => rmSync(cache, { recursive: true, force: true }));
  }
  installBrowserShim(process.env.XDG_CACHE_HOME);
  return startServiceWorker(RENDERER_CONFIG, registry, vars);
}

/** A Worker the main one reaches by a service binding (`config`), on a free loopback port, registered in `registry`. */
async function startServiceWorker(config: string, registry: string, vars: Record<string, string> = {}): Promise<TestWorker> {
  const worker = await unstable_startWorker({
    config,
    sendMetrics: false,
    bindings: Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text" as const, value }])),
    dev: {
      registry,
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: false,
      watch: false,
      logLevel: "warn",
    },
  });
  try {
    await worker.ready;
    return { url: await worker.url, dispose: () => worker.dispose() };
  } catch (error) {
    await worker.dispose();
    throw error;
  }
}

/** What `GET /live/<room>/session.json` answers. */
export interface Session {
  room: string | null;
  files: Record<string, string>;
  entry: string;
  version: number;
  updatedAt: string | null;
}

/** `GET /live/<room>/session.json`, asserting a 200. */
export async function fetchSession(worker: TestWorker, room: string): Promise<Session> {
  const response = await fetch(new URL(`/live/${room}/session.json`, worker.url), { signal: AbortSignal.timeout(15_000) });
  if (response.status !== 200) throw new Error(`session.json of ${room}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Session;
}

/**
 * `GET /live/<room>/session.json` while waiting for something to be stored: null while the room does not exist yet
 * (nothing was ever written to it: an empty session, version 0), else the session.
 * @example await waitUntil(async () => (await pollSession(worker, "demo"))?.files["a.ts"] === "x");
 */
export async function pollSession(worker: TestWorker, room: string): Promise<Session | null> {
  const response = await fetch(new URL(`/live/${room}/session.json`, worker.url), { signal: AbortSignal.timeout(15_000) });
  if (response.status !== 200) throw new Error(`session.json of ${room}: ${response.status} ${await response.text()}`);
  const session = (await response.json()) as Session;
  return session.version === 0 ? null : session;
}

/** A stock y-websocket client on its own Y.Doc. */
export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The client's view of the project files, `{name: text}`. */
  files(): Record<string, string>;
  /** Resolves once the client is connected and has exchanged sync steps with the room. */
  synced(timeoutMs?: number): Promise<void>;
  /** Disconnect for good and free the doc and its timers. */
  destroy(): void;
}

/**
 * Join `room` the way a third-party page would: a stock y-websocket `WebsocketProvider` with `ws` as its WebSocket.
 * @example const client = connectClient(worker, "demo", { from: "127.0.0.3" }); await client.synced();
 */
export function connectClient(worker: TestWorker, room: string, { from }: { from?: string } = {}): TestClient {
  const doc = new Y.Doc();
  const base = new URL("/live", worker.url).href.replace(/^http/, "ws");
  // `from`: the loopback address the socket comes from (127.0.0.x), which the Worker sees as the client's IP.
  class SocketFrom extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { localAddress: from });
    }
  }
  const provider = new WebsocketProvider(base, `${room}/ws`, doc, {
    WebSocketPolyfill: (from ? SocketFrom : WebSocket) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  return {
    doc,
    provider,
    files: () => readFiles(doc),
    synced: (timeoutMs) => waitUntil(() => provider.wsconnected && provider.synced, { timeoutMs, what: `${room} to sync` }),
    destroy() {
      provider.destroy();
      provider.awareness.destroy();
      doc.destroy();
    },
  };
}

/** How to close what joinRoom and rawSocket opened since the last closeOpened(). */
const opened = new Set<() => void>();

/**
 * {@link connectClient}, destroyed by the next {@link closeOpened} unless the test destroys it first.
 * @example afterEach(closeOpened); … const alice = joinRoom(worker, "demo"); await alice.synced();
 */
export function joinRoom(worker: TestWorker, room: string, options: { from?: string } = {}): TestClient {
  const client = connectClient(worker, room, options);
  const destroy = () => {
    opened.delete(destroy);
    client.destroy();
  };
  opened.add(destroy);
  return { ...client, destroy };
}

/**
 * {@link openRawSocket} on the room's socket path `/live/<room>/ws`, terminated by the next {@link closeOpened}.
 * @example afterEach(closeOpened); … const socket = await rawSocket(worker, "demo"); socket.ws.send(garbage);
 */
export async function rawSocket(
  worker: TestWorker,
  room: string,
  options?: Parameters<typeof openRawSocket>[2],
): Promise<RawSocket> {
  const socket = await openRawSocket(worker, `/live/${room}/ws`, options);
  opened.add(() => socket.ws.terminate());
  return socket;
}

/**
 * Close every client and socket that joinRoom and rawSocket opened: the `afterEach` of a test file that uses them, so no
 * test's connections outlive it (or count against the next test's connection limits).
 * @example afterEach(closeOpened);
 */
export function closeOpened(): void {
  for (const close of opened) close();
  opened.clear();
}

/**
 * Room names unique to this process and file: `<prefix>-<pid>-1`, `<prefix>-<pid>-2`, …, so tests that share a Worker
 * (and test files that run at once) never meet in a room.
 * @example const nextRoom = uniqueRooms("chat"); const room = nextRoom();
 */
export function uniqueRooms(prefix: string): () => string {
  let count = 0;
  return () => `${prefix}-${process.pid}-${++count}`;
}

/**
 * Wait until every client is connected and synced and all docs hold the same state (state vector, delete set and
 * files). Returns the converged files.
 */
export async function waitForConvergence(clients: readonly TestClient[], timeoutMs = 10_000): Promise<Record<string, string>> {
  const converged = () => {
    if (!clients.every((c) => c.provider.wsconnected && c.provider.synced)) return false;
    const [first, ...rest] = clients.map((c) => c.doc);
    const snapshot = Y.snapshot(first!);
    const files = JSON.stringify(readFiles(first!));
    return rest.every((doc) => Y.equalSnapshots(snapshot, Y.snapshot(doc)) && JSON.stringify(readFiles(doc)) === files);
  };
  try {
    await waitUntil(converged, { timeoutMs, what: `${clients.length} clients to converge` });
  } catch (error) {
    const views = clients.map((c, i) => `#${i} synced=${c.provider.synced} ${JSON.stringify(c.files()).slice(0, 200)}`);
    throw new Error(`${(error as Error).message}\n${views.join("\n")}`);
  }
  return clients[0]!.files();
}

/**
 * A small seeded PRNG (mulberry32) so random tests replay exactly. Returns floats in [0, 1).
 * @example const random = seededRandom(42); const index = Math.floor(random() * items.length);
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
