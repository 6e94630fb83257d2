/**
 * CodeRoom: one collaborative project per Durable Object. Speaks the y-websocket protocol over hibernatable WebSockets (the
 * one request that comes through `fetch`), persists every accepted update to SQLite before it is broadcast
 * (room-document.ts), compacts the log in an alarm, and answers the Worker's typed calls (room-api.ts: files, session,
 * chat, permissions) through the same Yjs path as the editors (room-calls.ts). Who may open and edit it is decided by its
 * permissions (room-permissions.ts) for every call and every write; sockets authenticate in-band (room-socket-auth.ts). A
 * room that was never written to stores nothing: reads of it are 404s, and its first write records who created it
 * (room-claim.ts).
 */
import { DurableObject } from "cloudflare:workers";
import * as Y from "yjs";
import { CloseCode, ProtocolError, encodeAwareness, encodeSyncStep1, type Message, type RoomLimits, type Visibility } from "../../core/protocol.js";
import type { Identity } from "../platform/auth.js";
import { CLIENT_IP_HEADER, identityOf, ipKey } from "../platform/caller.js";
import { readConfig, type Config } from "../platform/config.js";
import type { Env } from "../platform/env.js";
import { configureLog, logEvent } from "../platform/log.js";
import { METRIC, countMetric, setGauge } from "../platform/metrics.js";
import { rateLimitMessage } from "../platform/rate-limit.js";
import { AwarenessRelay, AwarenessTooLargeError, fullAwareness } from "./awareness-relay.js";
import type { RoomCaller, RoomResult } from "./room-api.js";
import type * as Api from "./room-api.js";
import { SocketAccessTable } from "./room-access.js";
import { RoomCalls } from "./room-calls.js";
import { RoomChat } from "./room-chat.js";
import { RoomClaim } from "./room-claim.js";
import { CreationLimit } from "./room-creation.js";
import { RoomDocument, RoomLimitError, StorageError } from "./room-document.js";
import { SocketFrameLimiter } from "./room-frame-limits.js";
import { RoomPermissions } from "./room-permissions.js";
import { SocketAuth } from "./room-socket-auth.js";
import { RoomSync } from "./room-sync.js";
import { RoomStorage } from "./room-storage.js";
import { IdleSockets, connectRefusal, ipTag } from "./room-connect.js";
import { patchAttachment } from "./socket-attachment.js";

/** Header the main Worker uses to tell the room its name. */
export const ROOM_HEADER = "x-spike-room";

export class CodeRoom extends DurableObject<Env> {
  #config: Config;
  #storage: RoomStorage;
  #limits: RoomLimits;
  #document: RoomDocument;
  #calls: RoomCalls;
  #sync: RoomSync;
  #awareness: AwarenessRelay;
  #permissions: RoomPermissions;
  #access = new SocketAccessTable();
  #auth: SocketAuth;
  #frames: SocketFrameLimiter;
  #creation: CreationLimit;
  /** Sockets whose departure was counted (a rejected socket also reports its close later). */
  #gone = new WeakSet<WebSocket>();
  #idle: IdleSockets;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#config = readConfig(env);
    configureLog(this.#config.logLevel);
    this.#storage = new RoomStorage(ctx.storage);
    this.#permissions = new RoomPermissions(ctx.storage.sql, () => this.#storage.create());
    const claim = new RoomClaim(this.#storage);
    this.#creation = new CreationLimit(env, this.#storage);
    this.#limits = this.#config.room.limits;
    this.#awareness = new AwarenessRelay(() => this.ctx.getWebSockets(), this.#limits.maxAwarenessBytes);
    this.#frames = new SocketFrameLimiter(this.#config.room.frames);
    this.#idle = new IdleSockets(this.#config.room.idleTimeoutMs, {
      close: (ws, reason) => this.#reject(ws, CloseCode.Idle, reason),
      room: () => this.#storage.roomName,
    });
    this.#document = new RoomDocument(this.#storage, claim, this.#limits, {
      broadcast: (frame, except) => this.#broadcast(frame, except),
      scheduleAlarm: (at) => this.#scheduleAlarm(at),
      loaded: () => countMetric(this.env, METRIC.roomsLoaded),
    });
    this.#calls = new RoomCalls({
      config: this.#config,
      storage: this.#storage,
      document: this.#document,
      permissions: this.#permissions,
      claim: claim,
      chat: new RoomChat(ctx, env, this.#document, this.#limits.maxDocumentBytes),
      admitCreation: (caller) => this.#creation.admit(caller),
      regrant: () => this.#auth.regrant(this.ctx.getWebSockets()),
    });
    this.#sync = new RoomSync({
      document: this.#document,
      frames: this.#frames,
      awareness: this.#awareness,
      access: this.#access,
      roleOf: (ws) => this.#auth.roleOf(ws),
      sockets: () => this.ctx.getWebSockets(),
      broadcast: (frame, except) => this.#broadcast(frame, except),
      reject: (ws, code, reason) => this.#reject(ws, code, reason),
      room: () => this.#storage.roomName,
    });
    this.#auth = new SocketAuth(env, this.#permissions, this.#access, {
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

  /** The WebSocket upgrade from the Worker (workers/main/live-routes.ts), the one request that is not a typed call. */
  override async fetch(request: Request): Promise<Response> {
    const room = request.headers.get(ROOM_HEADER);
    if (room) this.#storage.roomName = room;
    try {
      return await this.#connect(request, identityOf(request));
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      return Response.json({ error: error.message }, { status: 503 });
    }
  }

  // ---- the Worker's typed calls (workers/main/live-routes.ts; shapes in room-api.ts) ---------------------------------

  /** `GET /live/<room>/session.json`: every file, the entry, the version. */
  session(caller: RoomCaller): Promise<RoomResult<Api.SessionBody>> {
    return this.#calls.session(caller);
  }

  /** `GET /live/<room>/index.tsx`: the entry file. */
  readEntry(caller: RoomCaller): Promise<RoomResult<Api.FileText>> {
    return this.#calls.readEntry(caller);
  }

  /** `GET /live/<room>/files/<name>` (a name the Worker checked). */
  readFile(caller: RoomCaller, name: string): Promise<RoomResult<Api.FileText>> {
    return this.#calls.readFile(caller, name);
  }

  /** `PUT /live/<room>/files/<name>`: replace the file's text through the editors' write path. */
  writeFile(caller: RoomCaller, name: string, body: Api.Parsed<Api.FileBody>): Promise<RoomResult<Api.FileWritten>> {
    return this.#calls.writeFile(caller, name, body);
  }

  /** `GET /live/<room>/chat` */
  chat(caller: RoomCaller): Promise<RoomResult<Api.ChatList>> {
    return this.#calls.chat(caller);
  }

  /** `POST /live/<room>/chat`: ask; the reply streams into the room's chat, which its sockets see. */
  ask(caller: RoomCaller, question: Api.Parsed<Api.Question>): Promise<RoomResult<Api.ChatAsked>> {
    return this.#calls.ask(caller, question);
  }

  /** `DELETE /live/<room>/chat` */
  clearChat(caller: RoomCaller): Promise<RoomResult<Api.ChatCleared>> {
    return this.#calls.clearChat(caller);
  }

  /** `POST /live/<room>/chat/<id>/cancel` */
  cancelReply(caller: RoomCaller, id: string): Promise<RoomResult<Api.ReplyCancelled>> {
    return this.#calls.cancelReply(caller, id);
  }

  /** `POST /live/<room>/chat/<id>/undo` */
  undoReply(caller: RoomCaller, id: string): Promise<RoomResult<Api.ReplyUndone>> {
    return this.#calls.undoReply(caller, id);
  }

  /** `GET /live/<room>/permissions` */
  permissions(caller: RoomCaller): Promise<RoomResult<Api.PermissionsBody>> {
    return this.#calls.permissions(caller);
  }

  /** `PUT /live/<room>/permissions`: claim the room, or change it as its owner. */
  setPermissions(caller: RoomCaller, change: Api.Parsed<Api.PermissionsChange>): Promise<RoomResult<Api.PermissionsBody>> {
    return this.#calls.setPermissions(caller, change);
  }

  override async webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): Promise<void> {
    // Frames still in flight when the room closed this socket are dropped unread: it was refused once already.
    if (ws.readyState !== WebSocket.OPEN) return;
    const bytes = typeof message === "string" ? message.length : message.byteLength;
    countMetric(this.env, METRIC.framesIn);
    countMetric(this.env, METRIC.bytesIn, bytes);
    this.#idle.heard(ws);
    const taken = this.#frames.take(ws, bytes);
    if (!taken.ok) return this.#reject(ws, CloseCode.RateLimited, taken.reason);
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

  /**
   * Compaction, and the sockets' deadlines: a private room's socket that did not authenticate in time, tokens that ran out,
   * sockets that never sent a frame.
   */
  override async alarm(): Promise<void> {
    if (this.#storage.wantsCompaction) this.#document.compact();
    const sockets = this.ctx.getWebSockets();
    const deadlines = [this.#auth.enforceDeadlines(sockets), this.#idle.closeSilent(sockets)].filter((at) => at !== null);
    if (deadlines.length > 0) this.#scheduleAlarm(Math.min(...deadlines));
  }

  // ---- steps -------------------------------------------------------------------------------------------------------

  /**
   * The visibility in force: what the owner set (public while unclaimed). A claimed room keeps it even when this server
   * can no longer verify sign-ins (keys removed): a private room then stays closed rather than falling open.
   */
  #visibility(): Visibility {
    return this.#permissions.visibility;
  }

  async #connect(request: Request, identity: Identity | null): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return Response.json({ error: "expected a WebSocket upgrade" }, { status: 426 });
    }
    const refuse = connectRefusal(request);
    if (this.ctx.getWebSockets().length >= this.#limits.maxConnections) {
      return refuse(CloseCode.RoomFull, `room full (${this.#limits.maxConnections} connections)`, 503, 10);
    }
    const ip = ipKey(request.headers.get(CLIENT_IP_HEADER));
    const fromIp = this.ctx.getWebSockets(ipTag(ip)).filter((ws) => ws.readyState === WebSocket.OPEN).length;
    if (fromIp >= this.#limits.maxConnectionsPerIp) {
      return refuse(CloseCode.RoomFull, `too many connections from your address to this room (${this.#limits.maxConnectionsPerIp})`, 429, 10);
    }
    if (identity && this.#permissions.roleOf(identity.userId, this.#visibility()) === null) {
      return refuse(CloseCode.Forbidden, "you are not a member of this private room");
    }
    const retryAfter = await this.#takeCreation(request, identity);
    if (retryAfter !== null) return refuse(CloseCode.RateLimited, rateLimitMessage(this.env, "create", retryAfter), 429, retryAfter);

    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [ipTag(ip)]);
    const now = Date.now();
    const opened = this.#auth.open(server, identity);
    const room = this.#storage.roomName;
    countMetric(this.env, METRIC.socketsOpened);
    setGauge(this.env, METRIC.openSockets, room ?? "", this.ctx.getWebSockets().length);
    logEvent({ type: "room", event: "connect", room, userId: identity?.userId ?? null, waiting: "admitBy" in opened });
    const idleBy = this.#idle.accepted(server, ip, now);
    this.#scheduleAlarm("admitBy" in opened ? Math.min(opened.admitBy, idleBy) : idleBy);
    if (!("admitBy" in opened)) this.#greet(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** What a socket receives once it is in: the room's state vector and everyone's presence. */
  #greet(ws: WebSocket): void {
    ws.send(encodeSyncStep1(Y.encodeStateVector(this.#document.doc())));
    const awareness = fullAwareness(this.ctx.getWebSockets().filter((other) => other !== ws && !this.#access.waiting(other)));
    if (awareness) ws.send(encodeAwareness(awareness));
  }

  /** Handle one decoded frame of an admitted socket; a bad frame closes that socket only. */
  #handle(ws: WebSocket, message: Message): void {
    try {
      this.#sync.receive(ws, message);
    } catch (error) {
      this.#fail(ws, error);
    }
  }

  #fail(ws: WebSocket, error: unknown): void {
    if (error instanceof RoomLimitError) return this.#reject(ws, CloseCode.DocumentTooLarge, error.message);
    if (error instanceof StorageError) {
      // Not the client's fault, and its edit is not lost: it is still in the client's doc and the next sync carries it.
      return this.#reject(ws, CloseCode.InternalError, "the room could not store this change; reconnect to retry");
    }
    if (error instanceof AwarenessTooLargeError) return this.#reject(ws, CloseCode.FrameTooLarge, error.message);
    if (error instanceof ProtocolError) return this.#reject(ws, CloseCode.InvalidFrame, error.message);
    this.#document.reload(); // Yjs threw while applying an update it had decoded: reload what is stored
    this.#reject(ws, CloseCode.InvalidFrame, "malformed Yjs update");
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
    patchAttachment(ws, { awareness: { entries: [] } });
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

  /** The room-creation limit for a connect (room-creation.ts): null when allowed, else the seconds to wait. */
  #takeCreation(request: Request, identity: Identity | null): Promise<number | null> {
    return this.#creation.take(request.headers.get(CLIENT_IP_HEADER), identity?.userId);
  }
}
