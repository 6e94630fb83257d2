/**
 * Raw sockets and raw HTTP to the room Worker, for the inputs a well-behaved client never sends: frames no stock client
 * would write, close codes read as they arrive, and request paths sent byte for byte.
 */
import { request } from "node:http";
import WebSocket from "ws";
import { ROOM_CLIENT_PARAM } from "../core/protocol.js";
import type { TestWorker } from "../workers/test-support.js";

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
