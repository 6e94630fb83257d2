/**
 * CodeRoom: one collaborative project per Durable Object. Speaks the y-websocket protocol over hibernatable WebSockets,
 * persists every accepted update to SQLite before it is broadcast, compacts the log in an alarm, and serves the headless
 * file API through the same Yjs path as the editors. Who may open and edit it is decided by its permissions
 * (room-permissions.ts) for every request and every write; sockets authenticate in-band (room-socket-auth.ts).
 */
import { DurableObject } from "cloudflare:workers";
import * as Y from "yjs";
import {
  CloseCode,
  DEFAULT_LIMITS,
  MessageType,
  ProtocolError,
  SyncStep,
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  type Message,
  type RoomLimits,
  type Visibility,
} from "../../core/protocol.js";
import { entryOf, isValidFileName, readFiles, writeFile } from "../../core/project.js";
import { CLIENT_IP_HEADER, authConfigured, identityOf, type Identity } from "../main/auth.js";
import { configureLog, logEvent } from "../main/log.js";
import { METRIC, countMetric, setGauge } from "../main/metrics.js";
import { rateLimitMessage, takeRateLimit } from "../main/rate-limit.js";
import { AwarenessRelay, fullAwareness } from "./awareness-relay.js";
import { SocketAccessTable, httpDenial } from "./room-access.js";
import { RoomChat } from "./room-chat.js";
import { SocketFrameLimiter, frameLimits } from "./room-frame-limits.js";
import { RoomPermissions, canEdit } from "./room-permissions.js";
import { permissionsRoute } from "./room-permissions-route.js";
import { SocketAuth } from "./room-socket-auth.js";
import { RoomStorage } from "./room-storage.js";
import { positiveSetting, type Env } from "../main/env.js";

/** Header the main Worker uses to tell the room its name. */
export const ROOM_HEADER = "x-spike-room";

/** Delay before an alarm folds the update log into the snapshot, so bursts of typing compact once. */
const COMPACTION_DELAY_MS = 2_000;

/** Room limits from the Worker's environment, falling back to the protocol defaults. */
export function roomLimits(env: Partial<Record<string, unknown>>): RoomLimits {
  return {
    maxFrameBytes: positiveSetting(env.ROOM_MAX_FRAME_BYTES) ?? DEFAULT_LIMITS.maxFrameBytes,
    maxDocumentBytes: positiveSetting(env.ROOM_MAX_DOCUMENT_BYTES) ?? DEFAULT_LIMITS.maxDocumentBytes,
    maxConnections: positiveSetting(env.ROOM_MAX_CONNECTIONS) ?? DEFAULT_LIMITS.maxConnections,
  };
}

export class CodeRoom extends DurableObject<Env> {
  #storage: RoomStorage;
  #limits: RoomLimits;
  #doc: Y.Doc | null = null;
  #chat: RoomChat;
  #awareness = new AwarenessRelay(() => this.ctx.getWebSockets());
  #permissions: RoomPermissions;
  #access = new SocketAccessTable();
  #auth: SocketAuth;
  #frames: SocketFrameLimiter;
  /** True once this object's life has paid (or did not need) a "create" token: the room-creation limit is taken once. */
  #creationAdmitted = false;
  /** Sockets whose departure was counted (a rejected socket also reports its close later). */
  #gone = new WeakSet<WebSocket>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    configureLog(env.LOG_LEVEL as string | undefined);
    this.#storage = new RoomStorage(ctx.storage);
    this.#permissions = new RoomPermissions(ctx.storage.sql);
    this.#limits = roomLimits(env as unknown as Record<string, unknown>);
    this.#frames = new SocketFrameLimiter(frameLimits(env as unknown as Record<string, unknown>));
    this.#chat = new RoomChat(ctx, env, () => this.#room());
    this.#auth = new SocketAuth(env as Env & Record<string, unknown>, this.#permissions, this.#access, {
      visibility: () => this.#visibility(),
      greet: (ws) => this.#greet(ws),
      handle: (ws, message) => this.#handle(ws, message),
      fail: (ws, error) => this.#fail(ws, error),
      reject: (ws, code, reason) => this.#reject(ws, code as CloseCode, reason),
      deadline: (at) => this.#scheduleAlarm(at),
      room: () => this.#storage.roomName,
    });
  }

  // ---- platform entry points -------------------------------------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    const room = request.headers.get(ROOM_HEADER);
    if (room) this.#storage.roomName = room;
    const path = new URL(request.url).pathname;
    const identity = identityOf(request);
    if (path === "/ws") return this.#connect(request, identity);
    if (path === "/permissions") return this.#permissionsRoute(request, identity);
    // Reads need the right to open the room, everything else the right to edit it.
    const need = request.method === "GET" || request.method === "HEAD" ? "read" : "edit";
    const denied = need === "read" ? this.#readDenial(identity) : this.#editDenial(identity);
    if (denied) {
      await request.arrayBuffer(); // read what we were handed before answering (see the files route in the Worker)
      return denied;
    }
    if (path === "/session.json" && request.method === "GET") return this.#session();
    if (path === "/entry" && request.method === "GET") return this.#readFile(entryOf(this.#room()));
    if (path === "/chat" || path.startsWith("/chat/")) return this.#chat.fetch(request, path, () => this.#editDenial(identity));
    if (path.startsWith("/files/")) {
      const name = decodeURIComponent(path.slice("/files/".length));
      if (!isValidFileName(name)) return jsonError(400, `invalid file name "${name}"`);
      if (request.method === "GET") return this.#readFile(name);
      if (request.method === "PUT") return this.#writeFile(name, request, identity);
      return jsonError(405, `method ${request.method} not allowed on a file`);
    }
    return jsonError(404, "not found");
  }

  override async webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): Promise<void> {
    const bytes = typeof message === "string" ? message.length : message.byteLength;
    countMetric(this.env, METRIC.framesIn);
    countMetric(this.env, METRIC.bytesIn, bytes);
    const taken = this.#frames.take(ws, bytes);
    if (!taken.ok) return this.#reject(ws, CloseCode.RateLimited, this.#frames.reason(taken.retryAfterSeconds));
    if (typeof message === "string") return this.#reject(ws, CloseCode.UnsupportedData, "text frames are not supported");
    if (message.byteLength > this.#limits.maxFrameBytes) {
      return this.#reject(ws, CloseCode.FrameTooLarge, `frame of ${message.byteLength} bytes exceeds ${this.#limits.maxFrameBytes}`);
    }
    await this.#auth.receive(ws, new Uint8Array(message));
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.#leave(ws, code);
    try {
      ws.close(code === 1005 || code === 1006 ? CloseCode.Normal : code, reason);
    } catch {
      // already closed
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#leave(ws, 1006);
  }

  /** Compaction, and the sockets' deadlines: a private room's socket that did not authenticate in time, tokens that ran out. */
  override async alarm(): Promise<void> {
    if (this.#storage.wantsCompaction) this.#storage.compact(Y.encodeStateAsUpdate(this.#room()));
    const next = this.#auth.enforceDeadlines(this.ctx.getWebSockets());
    if (next !== null) this.#scheduleAlarm(next);
  }

  // ---- steps -------------------------------------------------------------------------------------------------------

  /** The room's document, loaded from storage on first use after a (re)start or hibernation. */
  #room(): Y.Doc {
    if (this.#doc) return this.#doc;
    const doc = new Y.Doc({ gc: true });
    this.#storage.load(doc);
    doc.on("update", (update: Uint8Array, origin: unknown) => this.#persistAndBroadcast(update, origin));
    this.#doc = doc;
    countMetric(this.env, METRIC.roomsLoaded);
    return doc;
  }

  /** The refusal of a read by `identity` under the current permissions, or null when allowed. */
  #readDenial(identity: Identity | null): Response | null {
    return httpDenial(this.#permissions.roleOf(identity?.userId ?? null, this.#visibility()), "read", identity);
  }

  /** The refusal of a write by `identity` under the current permissions, or null when allowed. */
  #editDenial(identity: Identity | null): Response | null {
    return httpDenial(this.#permissions.roleOf(identity?.userId ?? null, this.#visibility()), "edit", identity);
  }

  /**
   * The visibility in force: what the owner set (public while unclaimed). A claimed room keeps it even when this server
   * can no longer verify sign-ins (keys removed): a private room then stays closed rather than falling open.
   */
  #visibility(): Visibility {
    return this.#permissions.visibility;
  }

  async #connect(request: Request, identity: Identity | null): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return jsonError(426, "expected a WebSocket upgrade");
    }
    const { 0: client, 1: server } = new WebSocketPair();
    // Turned away outside the room (a plain, non-hibernatable accept): a hibernatable socket closed before its 101 was
    // sent kept the client's connection open for 10 s under workerd, and counted toward the limit meanwhile.
    const refuse = (code: CloseCode, reason: string) => {
      server.accept();
      server.close(code, reason);
      return new Response(null, { status: 101, webSocket: client });
    };
    if (this.ctx.getWebSockets().length >= this.#limits.maxConnections) {
      return refuse(CloseCode.RoomFull, `room full (${this.#limits.maxConnections} connections)`);
    }
    if (identity && this.#permissions.roleOf(identity.userId, this.#visibility()) === null) {
      return refuse(CloseCode.Forbidden, "you are not a member of this private room");
    }
    const retryAfter = await this.#takeCreation(request, identity);
    if (retryAfter !== null) return refuse(CloseCode.RateLimited, rateLimitMessage(this.env, "create", retryAfter));

    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({});
    const opened = this.#auth.open(server, identity);
    const room = this.#storage.roomName;
    countMetric(this.env, METRIC.socketsOpened);
    setGauge(this.env, METRIC.openSockets, room ?? "", this.ctx.getWebSockets().length);
    logEvent({ type: "room", event: "connect", room, userId: identity?.userId ?? null, waiting: "admitBy" in opened });
    if ("admitBy" in opened) this.#scheduleAlarm(opened.admitBy);
    else this.#greet(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** What a socket receives once it is in: the room's state vector and everyone's presence. */
  #greet(ws: WebSocket): void {
    ws.send(encodeSyncStep1(Y.encodeStateVector(this.#room())));
    const awareness = fullAwareness(this.ctx.getWebSockets().filter((other) => other !== ws && !this.#access.waiting(other)));
    if (awareness) ws.send(encodeAwareness(awareness));
  }

  /** Handle one decoded frame of an admitted socket; a bad frame closes that socket only. */
  #handle(ws: WebSocket, message: Message): void {
    try {
      this.#receive(ws, message);
    } catch (error) {
      this.#fail(ws, error);
    }
  }

  #fail(ws: WebSocket, error: unknown): void {
    if (error instanceof RoomLimitError) return this.#reject(ws, CloseCode.DocumentTooLarge, error.message);
    if (!(error instanceof ProtocolError)) this.#doc = null; // Yjs threw mid-apply: reload what is stored
    const reason = error instanceof ProtocolError ? error.message : "malformed Yjs update";
    this.#reject(ws, CloseCode.InvalidFrame, reason);
  }

  /** Dispatch one decoded frame. Throws ProtocolError / RoomLimitError / Yjs errors for the caller to turn into a close. */
  #receive(ws: WebSocket, message: Message): void {
    switch (message.type) {
      case MessageType.Sync:
        if (message.step === SyncStep.Step1) {
          ws.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.#room(), message.stateVector)));
        } else if (canEdit(this.#auth.roleOf(ws))) {
          this.#applyClientUpdate(ws, message.update);
        } else {
          this.#dropWrite(ws, message.update);
        }
        return;
      case MessageType.Awareness:
        // Viewers' presence is relayed too: watchers show up in the room.
        this.#broadcast(encodeAwareness(this.#awareness.record(ws, message.update)));
        return;
      case MessageType.QueryAwareness: {
        const awareness = fullAwareness(this.ctx.getWebSockets());
        if (awareness) ws.send(encodeAwareness(awareness));
        return;
      }
      case MessageType.Auth:
        // Tokens are taken by SocketAuth before a frame gets here; the other auth messages are the server's.
        throw new ProtocolError("auth messages other than a token are sent by the server only");
      default:
        message satisfies never;
    }
  }

  /** A write from a connection that may not edit: not applied, stored or relayed; the client is told once per grant. */
  #dropWrite(ws: WebSocket, update: Uint8Array): void {
    // An empty update (a viewer answering the server's step 1 with nothing new) is no attempt to write.
    if (update.byteLength <= 2 && update.every((byte) => byte === 0)) return;
    const access = this.#access.get(ws);
    if (access.denied) return;
    this.#access.set(ws, { ...access, denied: true });
    ws.send(encodePermissionDenied("read-only: this connection may not edit the room; the edit was not saved"));
    logEvent({ type: "room", event: "write_dropped", room: this.#storage.roomName, userId: access.userId, role: access.role });
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
    if (this.#storage.wantsCompaction) this.#scheduleAlarm(Date.now() + COMPACTION_DELAY_MS);
  }

  /** Make sure the alarm runs by `at` (one alarm serves compaction and authentication deadlines). */
  #scheduleAlarm(at: number): void {
    void this.ctx.storage.getAlarm().then((current) => {
      if (current === null || current > at) return this.ctx.storage.setAlarm(at);
    });
  }

  /**
   * Send to every socket but `except` that may read the room now: not one still waiting to authenticate, nor one whose
   * token ran out in a room anonymous users may not open (the alarm closes it; this holds until it runs).
   */
  #broadcast(frame: Uint8Array, except?: unknown): void {
    const now = Date.now();
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except || ws.readyState !== WebSocket.OPEN || !this.#auth.mayReceive(ws, now)) continue;
      try {
        ws.send(frame);
      } catch {
        // a socket closing under us; its close handler cleans up
      }
    }
  }

  #leave(ws: WebSocket, code: number): void {
    this.#auth.forget(ws);
    const gone = this.#awareness.depart(ws);
    ws.serializeAttachment({});
    if (gone) this.#broadcast(encodeAwareness(gone), ws);
    if (this.#gone.has(ws)) return;
    this.#gone.add(ws);
    const room = this.#storage.roomName;
    countMetric(this.env, METRIC.socketsClosed);
    const open = this.ctx.getWebSockets().filter((other) => other !== ws && other.readyState === WebSocket.OPEN).length;
    setGauge(this.env, METRIC.openSockets, room ?? "", open);
    logEvent({ type: "room", event: "close", room, code });
  }

  #reject(ws: WebSocket, code: CloseCode, reason: string): void {
    this.#leave(ws, code);
    // Close reasons are limited to 123 bytes of UTF-8.
    ws.close(code, reason.slice(0, 120));
  }

  /**
   * The room-creation limit: the first connect or PUT of this object's life that reaches a room with no stored state takes
   * one "create" token for the client's IP (and user). null when allowed, else the seconds to wait.
   */
  async #takeCreation(request: Request, identity: Identity | null): Promise<number | null> {
    if (this.#creationAdmitted || this.#storage.state().version > 0 || this.#permissions.stored) {
      this.#creationAdmitted = true;
      return null;
    }
    const result = await takeRateLimit(this.env, "create", { ip: request.headers.get(CLIENT_IP_HEADER), userId: identity?.userId });
    if (!result.ok) return result.retryAfterSeconds;
    this.#creationAdmitted = true;
    return null;
  }

  /** The room-creation limit as an HTTP answer: null when allowed, else a 429 with Retry-After. */
  async #admitCreation(request: Request, identity: Identity | null): Promise<Response | null> {
    const retryAfter = await this.#takeCreation(request, identity);
    if (retryAfter === null) return null;
    return Response.json(
      { error: rateLimitMessage(this.env, "create", retryAfter), retryAfter },
      { status: 429, headers: { "retry-after": String(retryAfter) } },
    );
  }

  #permissionsRoute(request: Request, identity: Identity | null): Promise<Response> {
    return permissionsRoute(request, {
      permissions: this.#permissions,
      identity,
      room: this.#storage.roomName,
      authOn: authConfigured(this.env),
      admitCreation: () => this.#admitCreation(request, identity),
      changed: () => this.#auth.regrant(this.ctx.getWebSockets()),
    });
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

  async #writeFile(name: string, request: Request, identity: Identity | null): Promise<Response> {
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
    const limited = await this.#admitCreation(request, identity);
    if (limited) return limited;
    // The permissions may have changed while the body streamed in: check again, with no await before the write.
    const revoked = this.#editDenial(identity);
    if (revoked) return revoked;
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
