/**
 * CodeRoom: one collaborative project per Durable Object. Speaks the y-websocket protocol over hibernatable WebSockets,
 * persists every accepted update to SQLite before it is broadcast, compacts the log in an alarm, and serves the headless
 * file API through the same Yjs path as the editors.
 */
import { DurableObject } from "cloudflare:workers";
import * as Y from "yjs";
import {
  CloseCode,
  DEFAULT_LIMITS,
  MessageType,
  ProtocolError,
  SyncStep,
  decodeMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  type RoomLimits,
} from "../../core/protocol.js";
import { entryOf, isValidFileName, readFiles, writeFile } from "../../core/project.js";
import { departureAwareness, fullAwareness, recordAwareness } from "./awareness-relay.js";
import { RoomChat } from "./room-chat.js";
import { RoomStorage } from "./room-storage.js";
import type { Env } from "../main/env.js";

/** Header the main Worker uses to tell the room its name. */
export const ROOM_HEADER = "x-spike-room";

/** Delay before an alarm folds the update log into the snapshot, so bursts of typing compact once. */
const COMPACTION_DELAY_MS = 2_000;

/** Room limits from the Worker's environment, falling back to the protocol defaults. */
export function roomLimits(env: Partial<Record<string, unknown>>): RoomLimits {
  const read = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    maxFrameBytes: read("ROOM_MAX_FRAME_BYTES", DEFAULT_LIMITS.maxFrameBytes),
    maxDocumentBytes: read("ROOM_MAX_DOCUMENT_BYTES", DEFAULT_LIMITS.maxDocumentBytes),
    maxConnections: read("ROOM_MAX_CONNECTIONS", DEFAULT_LIMITS.maxConnections),
  };
}

export class CodeRoom extends DurableObject<Env> {
  #storage: RoomStorage;
  #limits: RoomLimits;
  #doc: Y.Doc | null = null;
  #chat: RoomChat;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#storage = new RoomStorage(ctx.storage);
    this.#limits = roomLimits(env as unknown as Record<string, unknown>);
    this.#chat = new RoomChat(ctx, env, () => this.#room());
  }

  // ---- platform entry points -------------------------------------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    const room = request.headers.get(ROOM_HEADER);
    if (room) this.#storage.roomName = room;
    const path = new URL(request.url).pathname;
    if (path === "/ws") return this.#connect(request);
    if (path === "/session.json" && request.method === "GET") return this.#session();
    if (path === "/entry" && request.method === "GET") return this.#readFile(entryOf(this.#room()));
    if (path === "/chat" || path.startsWith("/chat/")) return this.#chat.fetch(request, path);
    if (path.startsWith("/files/")) {
      const name = decodeURIComponent(path.slice("/files/".length));
      if (!isValidFileName(name)) return jsonError(400, `invalid file name "${name}"`);
      if (request.method === "GET") return this.#readFile(name);
      if (request.method === "PUT") return this.#writeFile(name, request);
      return jsonError(405, `method ${request.method} not allowed on a file`);
    }
    return jsonError(404, "not found");
  }

  override async webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): Promise<void> {
    if (typeof message === "string") return this.#reject(ws, CloseCode.UnsupportedData, "text frames are not supported");
    if (message.byteLength > this.#limits.maxFrameBytes) {
      return this.#reject(ws, CloseCode.FrameTooLarge, `frame of ${message.byteLength} bytes exceeds ${this.#limits.maxFrameBytes}`);
    }
    try {
      this.#receive(ws, new Uint8Array(message));
    } catch (error) {
      if (error instanceof RoomLimitError) return this.#reject(ws, CloseCode.DocumentTooLarge, error.message);
      if (!(error instanceof ProtocolError)) this.#doc = null; // Yjs threw mid-apply: reload what is stored
      const reason = error instanceof ProtocolError ? error.message : "malformed Yjs update";
      this.#reject(ws, CloseCode.InvalidFrame, reason);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.#leave(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? CloseCode.Normal : code, reason);
    } catch {
      // already closed
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#leave(ws);
  }

  override async alarm(): Promise<void> {
    if (this.#storage.wantsCompaction) this.#storage.compact(Y.encodeStateAsUpdate(this.#room()));
  }

  // ---- steps -------------------------------------------------------------------------------------------------------

  /** The room's document, loaded from storage on first use after a (re)start or hibernation. */
  #room(): Y.Doc {
    if (this.#doc) return this.#doc;
    const doc = new Y.Doc({ gc: true });
    this.#storage.load(doc);
    doc.on("update", (update: Uint8Array, origin: unknown) => this.#persistAndBroadcast(update, origin));
    this.#doc = doc;
    return doc;
  }

  #connect(request: Request): Response {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return jsonError(426, "expected a WebSocket upgrade");
    }
    const { 0: client, 1: server } = new WebSocketPair();
    if (this.ctx.getWebSockets().length >= this.#limits.maxConnections) {
      // Turned away outside the room (a plain, non-hibernatable accept): a hibernatable socket closed before its 101 was
      // sent kept the client's connection open for 10 s under workerd, and counted toward the limit meanwhile.
      server.accept();
      server.close(CloseCode.RoomFull, `room full (${this.#limits.maxConnections} connections)`);
      return new Response(null, { status: 101, webSocket: client });
    }
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({});
    const doc = this.#room();
    server.send(encodeSyncStep1(Y.encodeStateVector(doc)));
    const awareness = fullAwareness(this.ctx.getWebSockets().filter((ws) => ws !== server));
    if (awareness) server.send(encodeAwareness(awareness));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Dispatch one decoded frame. Throws ProtocolError / RoomLimitError / Yjs errors for the caller to turn into a close. */
  #receive(ws: WebSocket, frame: Uint8Array): void {
    const message = decodeMessage(frame);
    switch (message.type) {
      case MessageType.Sync:
        if (message.step === SyncStep.Step1) {
          ws.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.#room(), message.stateVector)));
        } else {
          this.#applyClientUpdate(ws, message.update);
        }
        return;
      case MessageType.Awareness:
        this.#broadcast(encodeAwareness(recordAwareness(ws, message.update)));
        return;
      case MessageType.QueryAwareness: {
        const awareness = fullAwareness(this.ctx.getWebSockets());
        if (awareness) ws.send(encodeAwareness(awareness));
        return;
      }
      case MessageType.Auth:
        throw new ProtocolError("auth messages are sent by the server only");
      default:
        message satisfies never;
    }
  }

  #applyClientUpdate(ws: WebSocket, update: Uint8Array): void {
    if (this.#storage.bytes + update.byteLength > this.#limits.maxDocumentBytes) {
      throw new RoomLimitError(`document would exceed ${this.#limits.maxDocumentBytes} bytes`);
    }
    // Parse the whole update before touching the document, so a corrupt frame changes nothing.
    Y.decodeUpdate(update);
    const doc = this.#room();
    Y.applyUpdate(doc, update, ws);
    // An update whose history the room never received waits in memory (Yjs pendingStructs), unpersisted and uncounted.
    // Bound it: a client cannot grow the room's memory with updates that can never apply.
    const pending = (doc.store.pendingStructs?.update.byteLength ?? 0) + (doc.store.pendingDs?.byteLength ?? 0);
    if (pending > this.#limits.maxFrameBytes) {
      doc.store.pendingStructs = null;
      doc.store.pendingDs = null;
      throw new ProtocolError(`updates depend on ${pending} bytes of history this room never received`);
    }
  }

  /** The single write path: every change to the doc (socket or HTTP) is logged first, then sent to everyone else. */
  #persistAndBroadcast(update: Uint8Array, origin: unknown): void {
    if (origin === this.#storage) return; // replaying storage on load
    try {
      this.#storage.append(update);
    } catch (error) {
      // Never let memory run ahead of disk: drop the in-memory doc so the next request reloads what is stored.
      this.#doc = null;
      throw error;
    }
    this.#broadcast(encodeUpdate(update), origin);
    if (this.#storage.wantsCompaction) this.#scheduleCompaction();
  }

  #scheduleCompaction(): void {
    void this.ctx.storage.getAlarm().then((at) => {
      if (at === null) return this.ctx.storage.setAlarm(Date.now() + COMPACTION_DELAY_MS);
    });
  }

  #broadcast(frame: Uint8Array, except?: unknown): void {
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except || ws.readyState !== WebSocket.OPEN) continue;
      try {
        ws.send(frame);
      } catch {
        // a socket closing under us; its close handler cleans up
      }
    }
  }

  #leave(ws: WebSocket): void {
    const gone = departureAwareness(ws);
    ws.serializeAttachment({});
    if (gone) this.#broadcast(encodeAwareness(gone), ws);
  }

  #reject(ws: WebSocket, code: CloseCode, reason: string): void {
    this.#leave(ws);
    // Close reasons are limited to 123 bytes of UTF-8.
    ws.close(code, reason.slice(0, 120));
  }

  #session(): Response {
    const doc = this.#room();
    const { version, updatedAt } = this.#storage.state();
    return Response.json({
      room: this.#storage.roomName,
      files: readFiles(doc),
      entry: entryOf(doc),
      version,
      updatedAt,
    });
  }

  #readFile(name: string): Response {
    const text = this.#room().getMap<unknown>("files").get(name);
    if (!(text instanceof Y.Text)) return jsonError(404, `no file "${name}" in this room`);
    return new Response(text.toString(), {
      headers: { "content-type": `${contentTypeOf(name)}; charset=utf-8`, "x-content-type-options": "nosniff" },
    });
  }

  async #writeFile(name: string, request: Request): Promise<Response> {
    const declared = Number(request.headers.get("content-length") ?? 0);
    if (declared > this.#limits.maxFrameBytes) return jsonError(413, `file larger than ${this.#limits.maxFrameBytes} bytes`);
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.byteLength > this.#limits.maxFrameBytes) return jsonError(413, `file larger than ${this.#limits.maxFrameBytes} bytes`);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(body);
    } catch {
      return jsonError(415, "file content must be UTF-8 text");
    }
    const doc = this.#room();
    const existing = doc.getMap<unknown>("files").get(name);
    const previous = existing instanceof Y.Text ? existing.length : 0;
    if (this.#storage.bytes + body.byteLength + previous > this.#limits.maxDocumentBytes) {
      return jsonError(413, `document would exceed ${this.#limits.maxDocumentBytes} bytes`);
    }
    writeFile(doc, name, text, "http");
    const { version, updatedAt } = this.#storage.state();
    return Response.json({ room: this.#storage.roomName, file: name, bytes: body.byteLength, version, updatedAt });
  }
}

class RoomLimitError extends Error {}

function jsonError(status: number, error: string): Response {
  return Response.json({ error }, { status });
}

const CONTENT_TYPES: Record<string, string> = {
  ts: "text/typescript",
  tsx: "text/tsx",
  js: "text/javascript",
  jsx: "text/jsx",
  mjs: "text/javascript",
  css: "text/css",
  json: "application/json",
  md: "text/markdown",
};

/** The content type of a project file by extension; plain text otherwise. */
export function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "text/plain";
}
