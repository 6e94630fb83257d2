/**
 * In-band authentication of a room's sockets (docs/PROTOCOL.md "Authentication"): an Auth/Token frame is verified (async)
 * while that socket's later frames wait in a bounded queue, then the socket gets an Auth/Granted with its role. A private
 * room admits a socket only after a token proves membership; until then the socket receives nothing.
 */
import {
  AuthKind,
  CloseCode,
  MessageType,
  decodeMessage,
  encodeAuthGranted,
  type Message,
  type RoomRole,
  type Visibility,
} from "../../core/protocol.js";
import { AUTH_NOT_CONFIGURED, AuthError, authConfigured, verifyToken, type Identity } from "../platform/auth.js";
import { readConfig } from "../platform/config.js";
import type { Env } from "../platform/env.js";
import { logError, logEvent } from "../platform/log.js";
import type { SocketAccess, SocketAccessTable } from "./room-access.js";
import { USER_ID_PATTERN, type RoomPermissions } from "./room-permissions.js";

/** Cap of frames queued per socket before authentication. */
export const AUTH_QUEUE_FRAMES = 64;
/** A token counts this long past its `exp` (clock skew, as the verification tolerates). */
const EXPIRY_GRACE_MS = 5_000;

/** What SocketAuth needs from its room. */
export interface SocketAuthHost {
  /** The visibility in force: the stored one, or public when sign-in is not configured. */
  visibility(): Visibility;
  /** Send the connect greeting (sync step 1, everyone's awareness) to a socket just admitted to a private room. */
  greet(ws: WebSocket): void;
  /** Handle one decoded frame of an admitted socket (it closes the socket itself on a bad frame). */
  handle(ws: WebSocket, message: Message): void;
  /** Close `ws` for a malformed frame. */
  fail(ws: WebSocket, error: unknown): void;
  /** Close `ws` with `code` and `reason` (and announce its departure). */
  reject(ws: WebSocket, code: number, reason: string): void;
  /** The room's name, for log lines. */
  room(): string | null;
  /** Make sure {@link SocketAuth.enforceDeadlines} runs by `at` (ms since the epoch). */
  deadline(at: number): void;
}

/** Frames a socket sent while its token was being verified (or before a private room admitted it). */
interface Inbox {
  frames: Uint8Array[];
  bytes: number;
  /** True while a token is verified or the queue drained: every new frame waits its turn. */
  busy: boolean;
}

export class SocketAuth {
  #env: Env;
  #permissions: RoomPermissions;
  #access: SocketAccessTable;
  #host: SocketAuthHost;
  #inboxes = new Map<WebSocket, Inbox>();
  #queueBytes: number;
  /** How long an unauthenticated socket may wait in a private room, in ms. */
  readonly timeoutMs: number;

  constructor(env: Env, permissions: RoomPermissions, access: SocketAccessTable, host: SocketAuthHost) {
    this.#env = env;
    this.#permissions = permissions;
    this.#access = access;
    this.#host = host;
    this.#queueBytes = readConfig(env).room.authQueueBytes;
    this.timeoutMs = readConfig(env).room.authTimeoutMs;
  }

  /**
   * Decide what a new socket may do, given the identity the Worker verified from an `Authorization` header (usually null:
   * browsers send the token in-band). "greet": admitted, send the greeting; "wait": a private room's anonymous socket that
   * must authenticate by `admitBy`; otherwise the close code and reason.
   */
  open(ws: WebSocket, identity: Identity | null, now = Date.now()): { admitted: true } | { admitBy: number } | { code: number; reason: string } {
    const visibility = this.#host.visibility();
    const userId = identity?.userId ?? null;
    const role = this.#permissions.roleOf(userId, visibility);
    if (role === null && identity !== null) return { code: CloseCode.Forbidden, reason: "you are not a member of this private room" };
    if (role === null) {
      const admitBy = now + this.timeoutMs;
      this.#access.set(ws, { userId: null, expiresAt: null, admitBy, role: null, visibility, denied: false });
      this.#inboxes.set(ws, { frames: [], bytes: 0, busy: false });
      return { admitBy };
    }
    this.#access.set(ws, { userId, expiresAt: identity?.expiresAt ?? null, admitBy: null, role, visibility, denied: false });
    if (identity !== null) this.#host.deadline(identity.expiresAt + EXPIRY_GRACE_MS);
    // Public rooms stay as before (editor is implied); anyone else learns their role at once.
    if (identity !== null || role !== "editor") ws.send(encodeAuthGranted(this.#grantOf(this.#access.get(ws))));
    return { admitted: true };
  }

  /** Take one binary frame from `ws`: queued, verified (a token) or handed to the room. */
  async receive(ws: WebSocket, frame: Uint8Array): Promise<void> {
    const inbox = this.#inboxOf(ws);
    if (inbox?.busy) return this.#enqueue(ws, inbox, frame);
    let message: Message;
    try {
      message = decodeMessage(frame);
    } catch (error) {
      return this.#host.fail(ws, error);
    }
    if (!isToken(message)) {
      // A private room's socket must send its token first (spike's clients always do). Anything else first is an
      // anonymous client: refuse it now rather than after the timeout, so it can show "sign in" at once.
      if (inbox && inbox.frames.length === 0) {
        this.#inboxes.delete(ws);
        return this.#host.reject(ws, CloseCode.Unauthorized, "authentication required: this room is private; send a token first");
      }
      if (inbox) return this.#enqueue(ws, inbox, frame); // queued behind the token being verified
      return this.#deliver(ws, message);
    }
    // The token goes first: frames a waiting socket sent before it can only be handled once it is admitted.
    const box = inbox ?? { frames: [], bytes: 0, busy: false };
    this.#inboxes.set(ws, box);
    box.frames.unshift(frame);
    box.bytes += frame.byteLength;
    await this.#drain(ws, box);
  }

  /** Forget a closed socket's queue. */
  forget(ws: WebSocket): void {
    this.#inboxes.delete(ws);
  }

  /**
   * Close every socket whose time to authenticate ran out, and end every identity whose token ran out (the socket becomes
   * anonymous, or is closed when anonymous users may not open the room), so a silent socket cannot keep reading a private
   * room on an expired token. Returns the next such deadline, or null.
   */
  enforceDeadlines(sockets: Iterable<WebSocket>, now = Date.now()): number | null {
    let next: number | null = null;
    const later = (at: number) => (next = next === null ? at : Math.min(next, at));
    for (const ws of sockets) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const access = this.#access.get(ws);
      if (access.admitBy !== null) {
        if (access.admitBy > now) later(access.admitBy);
        else {
          logEvent({ level: "warn", type: "room", event: "auth_failed", room: this.#host.room(), reason: "no token in time" });
          this.#host.reject(ws, CloseCode.Unauthorized, "authentication required: send a token within the first seconds");
        }
      } else if (access.expiresAt !== null) {
        const end = access.expiresAt + EXPIRY_GRACE_MS;
        if (end > now) later(end);
        else this.#expire(ws, access);
      }
    }
    return next;
  }

  /**
   * True when `ws` may receive the room's data now: it is admitted, and it does not hold a token that ran out in a room
   * anonymous users may not open.
   */
  mayReceive(ws: WebSocket, now = Date.now()): boolean {
    const access = this.#access.get(ws);
    if (access.admitBy !== null) return false;
    if (access.expiresAt === null || now <= access.expiresAt + EXPIRY_GRACE_MS) return true;
    return this.#permissions.roleOf(null, this.#host.visibility()) !== null;
  }

  /**
   * After a change of the room's permissions: send a new grant to every socket whose role or visibility changed, admit
   * waiting sockets the room is now open to, and close those that may no longer open it.
   */
  regrant(sockets: Iterable<WebSocket>): void {
    const visibility = this.#host.visibility();
    for (const ws of sockets) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const access = this.#access.get(ws);
      const role = this.#permissions.roleOf(access.userId, visibility);
      if (role === null) {
        if (access.admitBy !== null) continue; // still waiting for its token
        if (access.userId === null) this.#host.reject(ws, CloseCode.Unauthorized, "this room is now private: sign in to open it");
        else this.#host.reject(ws, CloseCode.Forbidden, "you are no longer a member of this room");
        continue;
      }
      if (role === access.role && visibility === access.visibility && access.admitBy === null) continue;
      this.#grant(ws, { ...access, role, visibility });
      const inbox = this.#inboxes.get(ws);
      if (inbox && !inbox.busy) void this.#drain(ws, inbox);
    }
  }

  /** The role `ws` has now, for a write: recomputed from the current permissions, so a change applies at once. */
  roleOf(ws: WebSocket): RoomRole | null {
    return this.#permissions.roleOf(this.#access.get(ws).userId, this.#host.visibility());
  }

  // ---- steps -------------------------------------------------------------------------------------------------------

  #inboxOf(ws: WebSocket): Inbox | undefined {
    let inbox = this.#inboxes.get(ws);
    // Woken from hibernation with a socket still waiting for its token: its queue (in memory only) starts empty again.
    if (!inbox && this.#access.waiting(ws)) this.#inboxes.set(ws, (inbox = { frames: [], bytes: 0, busy: false }));
    return inbox;
  }

  /**
   * Work through `box` in order while new frames queue behind: a token is verified (async) before anything after it, so
   * every frame is handled under the grant the client meant it for.
   */
  async #drain(ws: WebSocket, box: Inbox): Promise<void> {
    box.busy = true;
    try {
      while (box.frames.length > 0 && ws.readyState === WebSocket.OPEN && this.#inboxes.get(ws) === box) {
        const next = box.frames.shift()!;
        box.bytes -= next.byteLength;
        let message: Message;
        try {
          message = decodeMessage(next);
        } catch (error) {
          return this.#host.fail(ws, error);
        }
        if (isToken(message)) await this.#authenticate(ws, message.token);
        else if (this.#access.waiting(ws)) return; // not admitted (its socket is being closed): nothing more to do
        else this.#deliver(ws, message);
      }
    } finally {
      box.busy = false;
      if (ws.readyState !== WebSocket.OPEN || !this.#access.waiting(ws)) {
        if (this.#inboxes.get(ws) === box) this.#inboxes.delete(ws);
      }
    }
  }

  #enqueue(ws: WebSocket, inbox: Inbox, frame: Uint8Array): void {
    if (inbox.frames.length >= AUTH_QUEUE_FRAMES || inbox.bytes + frame.byteLength > this.#queueBytes) {
      this.#inboxes.delete(ws);
      logEvent({ level: "warn", type: "room", event: "auth_queue_full", room: this.#host.room(), frames: inbox.frames.length });
      return this.#host.reject(ws, CloseCode.PolicyViolation, "too much data before authentication");
    }
    inbox.frames.push(frame);
    inbox.bytes += frame.byteLength;
  }

  /** Hand a frame of an admitted socket to the room, after dropping a token that has run out. */
  #deliver(ws: WebSocket, message: Message, now = Date.now()): void {
    const access = this.#access.get(ws);
    if (access.expiresAt !== null && now > access.expiresAt + EXPIRY_GRACE_MS && !this.#expire(ws, access)) return;
    this.#host.handle(ws, message);
  }

  /** A token ran out: the socket goes on as anonymous, or is closed when anonymous users may not open the room. */
  #expire(ws: WebSocket, access: SocketAccess): boolean {
    logEvent({ type: "room", event: "token_expired", room: this.#host.room(), userId: access.userId });
    const visibility = this.#host.visibility();
    const role = this.#permissions.roleOf(null, visibility);
    if (role === null) {
      this.#host.reject(ws, CloseCode.Unauthorized, "token expired");
      return false;
    }
    this.#grant(ws, { ...access, userId: null, expiresAt: null, role, visibility });
    return true;
  }

  async #authenticate(ws: WebSocket, token: string): Promise<void> {
    const room = this.#host.room();
    if (!authConfigured(this.#env)) {
      // A client with a sign-in the server does not use: it stays anonymous (and keeps working in a public room).
      logEvent({ type: "room", event: "auth_ignored", room, reason: AUTH_NOT_CONFIGURED });
      const role = this.roleOf(ws);
      // A private room claimed while sign-in worked stays closed: nobody can be verified now.
      if (role === null) return this.#host.reject(ws, CloseCode.Unauthorized, AUTH_NOT_CONFIGURED);
      return this.#grant(ws, { ...this.#access.get(ws), role, visibility: this.#host.visibility() });
    }
    let identity: Identity;
    try {
      identity = await verifyToken(token, this.#env);
      if (!USER_ID_PATTERN.test(identity.userId)) throw new AuthError("token subject (sub) is not a valid user id");
    } catch (error) {
      if (ws.readyState !== WebSocket.OPEN) return;
      const reason = error instanceof AuthError ? error.message : "token could not be verified";
      if (!(error instanceof AuthError)) logError(error, { type: "room", event: "auth_error", room });
      logEvent({ level: "warn", type: "room", event: "auth_failed", room, reason });
      return this.#host.reject(ws, CloseCode.Unauthorized, reason);
    }
    if (ws.readyState !== WebSocket.OPEN) return;
    const visibility = this.#host.visibility();
    const role = this.#permissions.roleOf(identity.userId, visibility);
    if (role === null) {
      logEvent({ level: "warn", type: "room", event: "auth_failed", room, userId: identity.userId, reason: "not a member" });
      return this.#host.reject(ws, CloseCode.Forbidden, "you are not a member of this private room");
    }
    logEvent({ type: "room", event: "auth_ok", room, userId: identity.userId, role });
    this.#grant(ws, { ...this.#access.get(ws), userId: identity.userId, expiresAt: identity.expiresAt, role, visibility });
  }

  /** Record `access` (admitting the socket if it waited) and tell the client; a socket just admitted gets the greeting. */
  #grant(ws: WebSocket, access: SocketAccess): void {
    const admitted = access.admitBy !== null;
    this.#access.set(ws, { ...access, admitBy: null, denied: false });
    if (access.expiresAt !== null) this.#host.deadline(access.expiresAt + EXPIRY_GRACE_MS);
    ws.send(encodeAuthGranted(this.#grantOf(access)));
    if (admitted) this.#host.greet(ws);
  }

  #grantOf(access: SocketAccess) {
    return { role: access.role ?? "viewer", userId: access.userId, visibility: access.visibility, expiresAt: access.expiresAt };
  }
}

function isToken(message: Message): message is Extract<Message, { kind: typeof AuthKind.Token }> {
  return message.type === MessageType.Auth && message.kind === AuthKind.Token;
}

