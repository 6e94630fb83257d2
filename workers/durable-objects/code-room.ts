/**
 * CodeRoom: one collaborative project per Durable Object. Speaks the y-websocket protocol over hibernatable WebSockets,
 * persists every accepted update to SQLite before it is broadcast, compacts the log in an alarm, and serves the headless
 * file API through the same Yjs path as the editors. Who may open and edit it is decided by its permissions
 * (room-permissions.ts) for every request and every write; sockets authenticate in-band (room-socket-auth.ts). A room that
 * was never written to stores nothing: reads of it are 404s, and its first write records who created it (room-claim.ts).
 */
import { DurableObject } from "cloudflare:workers";
import * as Y from "yjs";
import {
  CloseCode,
  MessageType,
  ProtocolError,
  SyncStep,
  encodeAwareness,
  encodeClaim,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  type Message,
  type RoomLimits,
  type Visibility,
} from "../../core/protocol.js";
import type { ApiErrorBody } from "../../core/api.js";
import { entryOf, isValidFileName } from "../../core/project.js";
import type { Identity } from "../platform/auth.js";
import { CLIENT_IP_HEADER, identityOf, ipKey } from "../platform/caller.js";
import { readConfig, type Config } from "../platform/config.js";
import type { Env } from "../platform/env.js";
import { configureLog, logError, logEvent } from "../platform/log.js";
import { METRIC, countMetric } from "../platform/metrics.js";
import { rateLimitMessage, takeRateLimit } from "../platform/rate-limit.js";
import { AwarenessRelay, AwarenessTooLargeError } from "./awareness-relay.js";
import { httpDenial } from "./room-access.js";
import { RoomChat } from "./room-chat.js";
import { RoomClaim } from "./room-claim.js";
import { readFileResponse, sessionResponse, writeFileResponse, type FilesRoom } from "./room-files.js";
import { SocketFrameLimiter } from "./room-frame-limits.js";
import { RoomPermissions, canEdit } from "./room-permissions.js";
import { permissionsRoute } from "./room-permissions-route.js";
import { RoomSockets } from "./room-sockets.js";
import { RoomStorage } from "./room-storage.js";
import { connectRefusal, crowding } from "./room-connect.js";
import { RoomConnections } from "./socket-attachment.js";

/** Header the main Worker uses to tell the room its name. */
export const ROOM_HEADER = "x-spike-room";

/** Delay before an alarm folds the update log into the snapshot, so bursts of typing compact once. */
const COMPACTION_DELAY_MS = 2_000;
/**
 * A room at its size limit folds its log into the snapshot (to learn its real size: the log grows with deletions too)
 * at most once per this many logged bytes, so refused writes cannot make it compact over and over.
 */
const COMPACTION_SLACK_BYTES = 65_536;

export class CodeRoom extends DurableObject<Env> {
  #config: Config;
  #storage: RoomStorage;
  #limits: RoomLimits;
  #doc: Y.Doc | null = null;
  #chat: RoomChat;
  #awareness: AwarenessRelay;
  #claim: RoomClaim;
  #permissions: RoomPermissions;
  #sockets: RoomSockets;
  #frames: SocketFrameLimiter;
  /** True once this object's life has paid (or did not need) a "create" token: the room-creation limit is taken once. */
  #creationAdmitted = false;
  /** The answer to a sync step 1 from a client that has nothing, for the current document; null after every change. */
  #fullState: Uint8Array | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#config = readConfig(env);
    configureLog(this.#config.logLevel);
    this.#storage = new RoomStorage(ctx.storage);
    this.#permissions = new RoomPermissions(ctx.storage.sql, () => this.#storage.create());
    this.#claim = new RoomClaim(this.#storage);
    this.#limits = this.#config.room.limits;
    const connections = new RoomConnections();
    this.#awareness = new AwarenessRelay(() => this.ctx.getWebSockets(), connections, this.#limits.maxAwarenessBytes);
    this.#frames = new SocketFrameLimiter(this.#config.room.frames);
    this.#chat = new RoomChat(ctx, env, {
      doc: () => this.#room(),
      fits: (growth) => this.#fits(growth),
      compact: () => this.#compact(),
      maxBytes: this.#limits.maxDocumentBytes,
    });
    this.#sockets = new RoomSockets({
      ctx,
      env,
      permissions: this.#permissions,
      connections,
      awareness: this.#awareness,
      frames: this.#frames,
      limits: this.#limits,
      room: {
        greet: (ws) => this.#greet(ws),
        handle: (ws, message) => this.#handle(ws, message),
        wakeBy: (at) => this.#scheduleAlarm(at),
        name: () => this.#storage.roomName,
      },
    });
  }

  // ---- platform entry points -------------------------------------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    const room = request.headers.get(ROOM_HEADER);
    if (room) this.#storage.roomName = room;
    const path = new URL(request.url).pathname;
    const identity = identityOf(request);
    try {
      return await this.#route(request, path, identity);
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      return jsonError(503, error.message);
    }
  }

  async #route(request: Request, path: string, identity: Identity | null): Promise<Response> {
    if (path === "/ws") return this.#connect(request, identity);
    const reading = request.method === "GET" || request.method === "HEAD";
    // A room nobody ever wrote to does not exist: reading it stores nothing and says so. Only writes create a room.
    const creates = (path.startsWith("/files/") && request.method === "PUT") || (path === "/permissions" && request.method === "PUT") ||
      (path === "/chat" && request.method === "POST");
    if (!this.#storage.exists && !creates) {
      await request.arrayBuffer(); // read what we were handed before answering (see the files route in the Worker)
      return jsonError(404, `no room "${this.#storage.roomName ?? ""}": nothing was ever written to it`);
    }
    if (path === "/permissions") return this.#permissionsRoute(request, identity);
    // Reads need the right to open the room, everything else the right to edit it.
    const denied = reading ? this.#readDenial(identity) : this.#editDenial(identity);
    if (denied) {
      await request.arrayBuffer();
      return denied;
    }
    const files = this.#filesRoom(request, identity);
    if (path === "/session.json" && request.method === "GET") return sessionResponse(files);
    if (path === "/entry" && request.method === "GET") return readFileResponse(files, entryOf(this.#room()));
    if (path === "/chat" || path.startsWith("/chat/")) {
      return this.#chat.fetch(request, path, {
        editDenial: () => this.#editDenial(identity),
        clearDenial: () => this.#ownerDenial(identity),
        admitCreation: () => this.#admitCreation(request, identity),
        created: (write) => this.#created(identity?.userId ?? null, write),
      });
    }
    if (path.startsWith("/files/")) {
      const name = decodeURIComponent(path.slice("/files/".length));
      if (!isValidFileName(name)) return jsonError(400, `invalid file name "${name}"`);
      if (request.method === "GET") return readFileResponse(files, name);
      if (request.method === "PUT") return writeFileResponse(files, name, request);
      return jsonError(405, `method ${request.method} not allowed on a file`);
    }
    return jsonError(404, "not found");
  }

  override webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): Promise<void> {
    return this.#sockets.receive(ws, message);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.#sockets.closed(ws, code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#sockets.errored(ws);
  }

  /**
   * Compaction, and the sockets' deadlines: a private room's socket that did not authenticate in time, tokens that ran out,
   * sockets that never sent a frame.
   */
  override async alarm(): Promise<void> {
    if (this.#storage.wantsCompaction) this.#compact();
    const next = this.#sockets.enforceDeadlines();
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
    const refuse = connectRefusal(request);
    const ip = ipKey(request.headers.get(CLIENT_IP_HEADER));
    const crowded = crowding(this.ctx, ip, this.#limits);
    if (crowded) return refuse(CloseCode.RoomFull, crowded.reason, crowded.status, 10);
    const retryAfter = await this.#takeCreation(request, identity);
    if (retryAfter !== null) return refuse(CloseCode.RateLimited, rateLimitMessage(this.env, "create", retryAfter), 429, retryAfter);
    // Decided only now, with no await between the decision and the accept: the permissions may have changed during the
    // one above (a room turned private while a non-member's connect waited for its creation check gets 4403, nothing else).
    const now = Date.now();
    const opening = this.#sockets.open(identity, now);
    switch (opening.outcome) {
      case "refused":
        return refuse(opening.code, opening.reason);
      case "admitted":
      case "waiting":
        return this.#sockets.accept(opening, ip, identity, now);
      default:
        return opening satisfies never;
    }
  }

  /** What a socket receives once it is in: the room's state vector and everyone's presence. */
  #greet(ws: WebSocket): void {
    ws.send(encodeSyncStep1(Y.encodeStateVector(this.#room())));
    const awareness = this.#awareness.everyone(this.ctx.getWebSockets().filter((other) => other !== ws && this.#sockets.admitted(other)));
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
    if (error instanceof StorageError) {
      // Not the client's fault, and its edit is not lost: it is still in the client's doc and the next sync carries it.
      return this.#reject(ws, CloseCode.InternalError, "the room could not store this change; reconnect to retry");
    }
    if (error instanceof AwarenessTooLargeError) return this.#reject(ws, CloseCode.FrameTooLarge, error.message);
    if (error instanceof ProtocolError) return this.#reject(ws, CloseCode.InvalidFrame, error.message);
    this.#doc = null; // Yjs threw while applying an update it had decoded: reload what is stored
    this.#fullState = null;
    this.#reject(ws, CloseCode.InvalidFrame, "malformed Yjs update");
  }

  /** Dispatch one decoded frame. Throws ProtocolError / RoomLimitError / Yjs errors for the caller to turn into a close. */
  #receive(ws: WebSocket, message: Message): void {
    switch (message.type) {
      case MessageType.Sync:
        if (message.step === SyncStep.Step1) {
          if (this.#refusedFullState(ws)) return;
          ws.send(this.#stateFor(message.stateVector));
        } else if (canEdit(this.#sockets.roleOf(ws))) {
          this.#applyClientUpdate(ws, message.update);
        } else {
          this.#dropWrite(ws, message.update);
        }
        return;
      case MessageType.Awareness: {
        const taken = this.#frames.takeAwareness(ws, message.update.byteLength);
        if (!taken.ok) return this.#sockets.rateLimited(ws, taken);
        // Viewers' presence is relayed too: watchers show up in the room. Only the clients this socket speaks for.
        const own = this.#awareness.record(ws, message.update);
        if (own) this.#broadcast(encodeAwareness(own));
        return;
      }
      case MessageType.QueryAwareness: {
        if (this.#refusedFullState(ws)) return;
        const awareness = this.#awareness.everyone(this.ctx.getWebSockets());
        if (awareness) ws.send(encodeAwareness(awareness));
        return;
      }
      case MessageType.Auth:
        // Tokens are taken by room-socket-auth.ts before a frame gets here; the other auth messages are the server's.
        throw new ProtocolError("auth messages other than a token are sent by the server only");
      default:
        message satisfies never;
    }
  }

  /**
   * A request for the whole room state (document or presence) answers with up to megabytes for a few bytes in: each socket
   * gets a small allowance, then is closed with 4429. True when `ws` was refused (and closed).
   */
  #refusedFullState(ws: WebSocket): boolean {
    const taken = this.#frames.takeFullState(ws);
    if (taken.ok) return false;
    logEvent({ level: "warn", type: "room", event: "full_state_limited", room: this.#storage.roomName });
    this.#sockets.rateLimited(ws, taken);
    return true;
  }

  /** Sync step 2 for a client's state vector; the common "I have nothing" answer is encoded once per document state. */
  #stateFor(stateVector: Uint8Array): Uint8Array {
    const doc = this.#room();
    const empty = stateVector.byteLength === 1 && stateVector[0] === 0;
    if (!empty) return encodeSyncStep2(Y.encodeStateAsUpdate(doc, stateVector));
    return (this.#fullState ??= encodeSyncStep2(Y.encodeStateAsUpdate(doc)));
  }

  /** A write from a connection that may not edit: not applied, stored or relayed; the client is told once per grant. */
  #dropWrite(ws: WebSocket, update: Uint8Array): void {
    // An empty update (a viewer answering the server's step 1 with nothing new) is no attempt to write.
    if (update.byteLength <= 2 && update.every((byte) => byte === 0)) return;
    this.#sockets.refuseWrite(ws);
  }

  #applyClientUpdate(ws: WebSocket, update: Uint8Array): void {
    // Parse the whole update before touching the document, so a corrupt frame changes nothing (and the doc stays loaded).
    let structs: number;
    try {
      structs = Y.decodeUpdate(update).structs.length;
    } catch {
      throw new ProtocolError("malformed Yjs update");
    }
    // An update that only deletes is always allowed: a room at its size limit must be able to shrink.
    if (structs > 0 && !this.#fits(update.byteLength)) {
      throw new RoomLimitError(`document would exceed ${this.#limits.maxDocumentBytes} bytes`);
    }
    const doc = this.#room();
    const claimToken = this.#created(this.#sockets.userOf(ws), () => Y.applyUpdate(doc, update, ws));
    // An update whose history the room never received waits in memory (Yjs pendingStructs), unpersisted and uncounted.
    // Bound it: a client cannot grow the room's memory with updates that can never apply.
    const pending = (doc.store.pendingStructs?.update.byteLength ?? 0) + (doc.store.pendingDs?.byteLength ?? 0);
    if (pending > this.#limits.maxFrameBytes) {
      doc.store.pendingStructs = null;
      doc.store.pendingDs = null;
      throw new ProtocolError(`updates depend on ${pending} bytes of history this room never received`);
    }
    if (claimToken) ws.send(encodeClaim(claimToken));
  }

  /**
   * Run `write`; when it was the room's first stored write, record `creator` (null: anonymous) as the room's creator and
   * return the claim token for whoever made it (room-claim.ts), else null.
   */
  #created(creator: string | null, write: () => void): string | null {
    const existed = this.#storage.exists;
    write();
    if (existed || !this.#storage.exists) return null;
    logEvent({ type: "room", event: "room_created", room: this.#storage.roomName, userId: creator });
    return this.#claim.record(creator);
  }

  /**
   * True when the stored document can grow by `growth` bytes within its limit. The log only grows (deletions too), so a
   * room near its limit folds it into the snapshot first, to learn its real size, at most once per slack of logged bytes.
   */
  #fits(growth: number): boolean {
    const max = this.#limits.maxDocumentBytes;
    if (this.#storage.bytes + growth <= max) return true;
    if (this.#storage.logBytes >= Math.min(COMPACTION_SLACK_BYTES, max / 8)) this.#compact();
    return this.#storage.bytes + growth <= max;
  }

  #compact(): void {
    if (this.#storage.exists) this.#storage.compact(Y.encodeStateAsUpdate(this.#room()));
  }

  /** The single write path: every change to the doc (socket or HTTP) is logged first, then sent to everyone else. */
  #persistAndBroadcast(update: Uint8Array, origin: unknown): void {
    if (origin === this.#storage) return; // replaying storage on load
    this.#fullState = null;
    try {
      this.#storage.append(update);
    } catch (error) {
      // Never let memory run ahead of disk: drop the in-memory doc so the next request reloads what is stored.
      this.#doc = null;
      logError(error, { type: "room", event: "storage_failed", room: this.#storage.roomName, bytes: update.byteLength });
      throw new StorageError("the room could not store the change; try again");
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

  #broadcast(frame: Uint8Array, except?: unknown): void {
    this.#sockets.broadcast(frame, except);
  }

  #reject(ws: WebSocket, code: CloseCode, reason: string): void {
    this.#sockets.close(ws, code, reason);
  }

  /**
   * The room-creation limit: the first connect or write of this object's life that reaches a room that does not exist takes
   * one "create" token for the client's IP (and user), before anything is stored. null when allowed, else the seconds to wait.
   */
  async #takeCreation(request: Request, identity: Identity | null): Promise<number | null> {
    if (this.#creationAdmitted || this.#storage.exists) {
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
      authOn: this.#config.auth.configured,
      admitCreation: () => this.#admitCreation(request, identity),
      decideClaim: (userId, claimToken) => this.#claim.decide(userId, claimToken, this.#config.auth.admins),
      changed: (_next, claimed) => {
        if (claimed) this.#claim.claimed();
        this.#sockets.regrant();
      },
    });
  }

  /** The room as the file routes see it, for one request by `identity`. */
  #filesRoom(request: Request, identity: Identity | null): FilesRoom {
    return {
      doc: () => this.#room(),
      state: () => ({ ...this.#storage.state(), room: this.#storage.roomName }),
      maxFileBytes: this.#limits.maxFrameBytes,
      maxDocumentBytes: this.#limits.maxDocumentBytes,
      fits: (growth) => this.#fits(growth),
      // The creation limit, then the permissions again: they may have changed while the body streamed in.
      admit: async () => (await this.#admitCreation(request, identity)) ?? this.#editDenial(identity),
      created: (write) => this.#created(identity?.userId ?? null, write),
    };
  }

  /** Who may clear the room's chat: its owner, or anyone who may edit a room nobody owns. null when `identity` may. */
  #ownerDenial(identity: Identity | null): Response | null {
    const owner = this.#permissions.owner;
    if (owner === null) return this.#editDenial(identity);
    if (identity?.userId === owner) return null;
    if (identity === null) {
      const body = { error: "sign in as the room's owner to clear its chat", denial: "owner-only" } satisfies ApiErrorBody;
      return Response.json(body, { status: 401, headers: { "www-authenticate": "Bearer" } });
    }
    return Response.json({ error: "only the room's owner may clear its chat", denial: "owner-only" } satisfies ApiErrorBody, { status: 403 });
  }
}

class RoomLimitError extends Error {}

/** The room could not store a change (a SQLite failure): retryable, and logged with the room's name. */
class StorageError extends Error {}

function jsonError(status: number, error: string): Response {
  return Response.json({ error }, { status });
}
