/**
 * Shared helpers for the workerd-side tests beside the code in workers/: the real Worker and CodeRoom on a free loopback port,
 * stock y-websocket clients, and raw sockets / raw HTTP for the inputs a well-behaved client never sends.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_startWorker, type Binding } from "wrangler";
import { devRegistry } from "../scripts/dev-registry.mjs";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { readFiles } from "../core/project.js";
import { ROOM_CLIENT_PARAM } from "../core/protocol.js";

const CONFIG = fileURLToPath(new URL("../wrangler.jsonc", import.meta.url));
const TRANSPILER_CONFIG = fileURLToPath(new URL("./transpiler/wrangler.jsonc", import.meta.url));

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
   * Which of the Worker's console lines wrangler prints (to this process's console): "warn" (default) shows warnings and
   * errors only; "log" also the info lines, e.g. the request log, for a test that reads them by wrapping console.log.
   */
  logLevel?: "warn" | "log";
  /**
   * Bindings that replace wrangler.jsonc's, e.g. a Durable Object namespace served by another Worker of this process's dev
   * registry: `{ RATE_LIMITER: { type: "durable_object_namespace", class_name: "RateLimiter", script_name: "…" } }`.
   */
  bindings?: Record<string, Binding>;
}

/**
 * Start the Worker from wrangler.jsonc on a free loopback port. Always `dispose()` it (in `after` or `finally`).
 * @example const worker = await startTestWorker({ vars: { ROOM_MAX_CONNECTIONS: "3" } });
 */
export async function startTestWorker({ vars = {}, persistDir, transpiler = false, assets: siteDir, logLevel = "warn", bindings = {} }: TestWorkerOptions = {}): Promise<TestWorker> {
  // Started first and found through a dev registry private to this pair, so main's service binding resolves from its first
  // request and never reaches another test's transpiler (or finds it gone: disposing one unregisters the name for all).
  const registry = transpiler ? await mkdtemp(join(tmpdir(), "spike-registry-")) : devRegistry();
  const transpilerWorker = transpiler ? await startTranspilerWorker(registry) : undefined;
  // An empty assets directory of its own: these tests need no static files, and wrangler reloads the runtime (dropping
  // every socket mid-test) whenever the real dist/site changes, which a concurrent `npm run build` does.
  const assets = siteDir ? resolvePath(fileURLToPath(new URL("..", import.meta.url)), siteDir) : await mkdtemp(join(tmpdir(), "spike-test-assets-"));
  const worker = await unstable_startWorker({
    config: CONFIG,
    assets,
    sendMetrics: false,
    bindings: { ...Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text" as const, value }])), ...bindings },
    dev: {
      registry,
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: persistDir ?? false,
      watch: false,
      logLevel,
    },
  });
  const dispose = async () => {
    await worker.dispose();
    await transpilerWorker?.dispose();
    if (!siteDir) await rm(assets, { recursive: true, force: true });
    if (transpiler) await rm(registry, { recursive: true, force: true });
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
  const worker = await unstable_startWorker({
    config: TRANSPILER_CONFIG,
    sendMetrics: false,
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
 * `GET /live/<room>/session.json` while waiting for something to be stored: null while the room does not exist yet (404,
 * nothing was ever written to it), else the session.
 * @example await waitUntil(async () => (await pollSession(worker, "demo"))?.files["a.ts"] === "x");
 */
export async function pollSession(worker: TestWorker, room: string): Promise<Session | null> {
  const response = await fetch(new URL(`/live/${room}/session.json`, worker.url), { signal: AbortSignal.timeout(15_000) });
  if (response.status === 404) return null;
  if (response.status !== 200) throw new Error(`session.json of ${room}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Session;
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

/**
 * Poll `condition` every 10 ms until it holds; throw after `timeoutMs`. A timeout here is a failure to converge, never a
 * measurement: tests make no assertions about how long things take.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, what = "condition" }: { timeoutMs?: number | undefined; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** A plain pause: random gaps between edits, or outwaiting a timer a test cannot observe. Wait for results with waitUntil. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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

/** How the server closed a socket. */
export interface CloseInfo {
  code: number;
  reason: string;
}

/** A raw `ws` connection that records what the server sends. */
export interface RawSocket {
  ws: WebSocket;
  /** Binary frames received so far, in order. */
  frames: Uint8Array[];
  /** Settles once the socket is closed, with the code and reason the server gave. */
  closed: Promise<CloseInfo>;
  /** The first frame (already received or still to come) that satisfies `match`; null if the socket closes first. */
  nextFrame(match: (frame: Uint8Array) => boolean): Promise<Uint8Array | null>;
}

/**
 * Open a raw WebSocket to `path` on the worker; resolves once it is open. For frames no stock client would send. Like
 * spike's RoomClient it says it reads close codes (`?client=spike`), so the room refuses it with a close code rather than
 * an HTTP status; `closeCodes: false` opens it as a stock client would. `headers` go on the upgrade request.
 * @example const socket = await openRawSocket(worker, "/live/demo/ws"); socket.ws.send("text"); await socket.closed;
 */
export function openRawSocket(
  worker: TestWorker,
  path: string,
  { closeCodes = true, headers }: { closeCodes?: boolean; headers?: Record<string, string> } = {},
): Promise<RawSocket> {
  const url = new URL(path, worker.url);
  if (closeCodes) url.searchParams.set(ROOM_CLIENT_PARAM.name, ROOM_CLIENT_PARAM.value);
  const ws = new WebSocket(url.href.replace(/^http/, "ws"), headers ? { headers } : undefined);
  const frames: Uint8Array[] = [];
  const waiters = new Set<{ match: (frame: Uint8Array) => boolean; resolve: (frame: Uint8Array | null) => void }>();
  let isClosed = false;
  const closed = new Promise<CloseInfo>((resolve) => {
    ws.on("close", (code, reason) => {
      isClosed = true;
      for (const waiter of waiters) waiter.resolve(null);
      waiters.clear();
      resolve({ code, reason: reason.toString("utf8") });
    });
  });
  ws.on("message", (data, isBinary) => {
    if (!isBinary) return;
    const frame = new Uint8Array(Array.isArray(data) ? Buffer.concat(data) : (data as Buffer));
    frames.push(frame);
    for (const waiter of waiters) {
      if (waiter.match(frame)) {
        waiters.delete(waiter);
        waiter.resolve(frame);
      }
    }
  });
  const nextFrame = (match: (frame: Uint8Array) => boolean) => {
    const seen = frames.find(match);
    if (seen || isClosed) return Promise.resolve(seen ?? null);
    return new Promise<Uint8Array | null>((resolve) => waiters.add({ match, resolve }));
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve({ ws, frames, closed, nextFrame }));
    ws.once("error", reject);
  });
}

/** A response read in full. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: Buffer;
}

/**
 * An HTTP request with the path sent byte for byte (fetch and `new URL` would normalise `%2e%2e`, `..` and the like).
 * A 101 answer to an upgrade request resolves with status 101 and the socket is dropped.
 * @example await rawRequest(worker, "/live/%2e%2e/ws", { headers: WEBSOCKET_UPGRADE })
 */
export function rawRequest(
  worker: TestWorker,
  path: string,
  { method = "GET", headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time (agent: false), so one the server dropped is never reused.
    const req = request({ host: worker.url.hostname, port: worker.url.port, path, method, headers, agent: false });
    req.on("error", reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer to ${method} ${path} in 15 s`)));
    // A server may answer before reading the whole body and then reset the connection; the answer is what counts.
    req.on("socket", (socket) => socket.on("error", () => {}));
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, text: "", body: Buffer.alloc(0) });
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const all = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: all.toString("utf8"), body: all });
      });
    });
    req.end(body);
  });
}

/** Headers of a WebSocket opening handshake, for {@link rawRequest}. */
export const WEBSOCKET_UPGRADE: Readonly<Record<string, string>> = {
  connection: "Upgrade",
  upgrade: "websocket",
  "sec-websocket-version": "13",
  "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
};

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
