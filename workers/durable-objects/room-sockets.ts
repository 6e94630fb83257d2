/**
 * The life of a room's sockets: accepting one, taking its frames through authentication (the pure machine in
 * room-socket-auth.ts decides; this module carries its actions out), its deadlines, what it may receive, and its departure.
 * The document side of the room (greeting, handling an admitted socket's frames) stays in code-room.ts.
 */
import {
  CloseCode,
  encodeAuthGranted,
  encodeAwareness,
  encodePermissionDenied,
  encodeRefused,
  type Message,
  type RoomLimits,
  type RoomRole,
} from "../../core/protocol.js";
import { AuthError, verifyToken, type Identity } from "../platform/auth.js";
import { readConfig } from "../platform/config.js";
import type { Env } from "../platform/env.js";
import { logError, logEvent } from "../platform/log.js";
import { METRIC, countMetric, setGauge } from "../platform/metrics.js";
import type { AwarenessRelay } from "./awareness-relay.js";
import { idleDeadline, idleReason, ipTag } from "./room-connect.js";
import type { SocketFrameLimiter } from "./room-frame-limits.js";
import type { RoomPermissions } from "./room-permissions.js";
import { openSocket, stepSocketAuth } from "./room-socket-auth.js";
import {
  isWaiting,
  mayReceive,
  roleNow,
  type SocketAuthAction,
  type SocketAuthContext,
  type SocketAuthEvent,
  type SocketOpening,
} from "./room-socket-access.js";
import type { RoomConnections } from "./socket-attachment.js";

/** The document side of the room, as its sockets need it. */
export interface SocketsRoom {
  /** Send a socket just admitted the room's greeting (sync step 1, everyone's presence). */
  greet(ws: WebSocket): void;
  /** Handle one decoded frame of an admitted socket; a bad frame closes that socket (through {@link RoomSockets.close}). */
  handle(ws: WebSocket, message: Message): void;
  /** Make sure the room's alarm runs by `at` (ms since the epoch), which then calls {@link RoomSockets.enforceDeadlines}. */
  wakeBy(at: number): void;
  /** The room's name, for log lines and gauges. */
  name(): string | null;
  /** `ws` is leaving: what else it spoke for (sealed awareness, room-sealed.ts) is gone too. */
  left?(ws: WebSocket): void;
}

/** What RoomSockets works with: the room's runtime state and environment, and the parts it shares with the document side. */
export interface RoomSocketsOptions {
  ctx: DurableObjectState;
  env: Env;
  permissions: RoomPermissions;
  connections: RoomConnections;
  awareness: AwarenessRelay;
  frames: SocketFrameLimiter;
  limits: RoomLimits;
  room: SocketsRoom;
}

/** What carrying out one batch of actions left to do: the soonest deadline asked for, and the tokens being verified. */
interface Carried {
  wakeAt: number | null;
  settled: Promise<void>;
}

/**
 * Every socket of one room, from its accept to its close.
 * @example
 * const opening = sockets.open(identity, now);
 * if (opening.outcome === "refused") return refuse(opening.code, opening.reason);
 * return sockets.accept(opening, ip, identity, now);
 */
export class RoomSockets {
  #ctx: DurableObjectState;
  #env: Env;
  #permissions: RoomPermissions;
  #connections: RoomConnections;
  #awareness: AwarenessRelay;
  #frames: SocketFrameLimiter;
  #limits: RoomLimits;
  #room: SocketsRoom;
  /** The machine's context but for the permissions, which are read afresh for every event. */
  #settings: Omit<SocketAuthContext, "policy">;
  #idleTimeoutMs: number;
  /** Sockets whose departure was counted (a rejected socket also reports its close later). */
  #gone = new WeakSet<WebSocket>();

  constructor({ ctx, env, permissions, connections, awareness, frames, limits, room }: RoomSocketsOptions) {
    this.#ctx = ctx;
    this.#env = env;
    this.#permissions = permissions;
    this.#connections = connections;
    this.#awareness = awareness;
    this.#frames = frames;
    this.#limits = limits;
    this.#room = room;
    const config = readConfig(env);
    this.#settings = { authConfigured: config.auth.configured, timeoutMs: config.room.authTimeoutMs, queueBytes: config.room.authQueueBytes };
    this.#idleTimeoutMs = config.room.idleTimeoutMs;
  }

  /** How a socket opened now by `identity` would start, under the permissions in force (room-socket-auth.ts openSocket). */
  open(identity: Identity | null, now: number): SocketOpening {
    return openSocket(identity, this.#context(), now);
  }

  /**
   * Accept the socket of an opening that let it in (admitted, or waiting for its token) and answer the upgrade. `spike`:
   * the client is spike's own (room-connect.ts isSpikeClient); `e2e`: it asked for an end-to-end encrypted room.
   */
  accept(
    opening: Exclude<SocketOpening, { outcome: "refused" }>,
    ip: string,
    identity: Identity | null,
    now: number,
    { spike = false, e2e = false }: { spike?: boolean; e2e?: boolean } = {},
  ): Response {
    const { 0: client, 1: server } = new WebSocketPair();
    this.#ctx.acceptWebSocket(server, [ipTag(ip)]);
    this.#connections.accept(server, { ip, now, auth: opening.state, spike, e2e });
    const room = this.#room.name();
    countMetric(this.#env, METRIC.socketsOpened);
    setGauge(this.#env, METRIC.openSockets, room ?? "", this.#ctx.getWebSockets().length);
    logEvent({ type: "room", event: "connect", room, userId: identity?.userId ?? null, waiting: opening.outcome === "waiting" });
    const { wakeAt } = this.#carryOut(server, opening.actions);
    this.#room.wakeBy(Math.min(wakeAt ?? Infinity, now + this.#idleTimeoutMs));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** One frame from `ws` (the room's webSocketMessage); resolves once a token it carries is verified and acted on. */
  async receive(ws: WebSocket, message: ArrayBuffer | string): Promise<void> {
    // Frames still in flight when the room closed this socket are dropped unread: it was refused once already.
    if (ws.readyState !== WebSocket.OPEN) return;
    const bytes = typeof message === "string" ? message.length : message.byteLength;
    countMetric(this.#env, METRIC.framesIn);
    countMetric(this.#env, METRIC.bytesIn, bytes);
    this.#connections.hear(ws);
    const taken = this.#frames.take(ws, bytes);
    if (!taken.ok) return this.rateLimited(ws, taken);
    if (typeof message === "string") return this.close(ws, CloseCode.UnsupportedData, "text frames are not supported");
    const { maxFrameBytes } = this.#limits;
    if (bytes > maxFrameBytes) return this.close(ws, CloseCode.FrameTooLarge, `frame of ${bytes} bytes exceeds ${maxFrameBytes}`);
    await this.#run(ws, { type: "frame", frame: new Uint8Array(message), now: Date.now() });
  }

  /** The client closed `ws` (the room's webSocketClose): answer the close. */
  closed(ws: WebSocket, code: number, reason: string): void {
    this.#leave(ws, code);
    try {
      ws.close(code === 1005 || code === 1006 ? CloseCode.Normal : code, reason);
    } catch {
      // already closed
    }
  }

  /** `ws` failed (the room's webSocketError). */
  errored(ws: WebSocket): void {
    this.#leave(ws, 1006);
  }

  /** Close `ws` with `code` and `reason`, and announce its departure. */
  close(ws: WebSocket, code: CloseCode, reason: string): void {
    this.#leave(ws, code);
    // Close reasons are limited to 123 bytes of UTF-8.
    ws.close(code, reason.slice(0, 120));
  }

  /**
   * The room's alarm: close the sockets whose time to authenticate or to say anything ran out, and end tokens that ran out.
   * Returns the next such deadline, or null.
   */
  enforceDeadlines(now = Date.now()): number | null {
    let next = Infinity;
    for (const ws of this.#ctx.getWebSockets()) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const { wakeAt } = this.#step(ws, { type: "tick", now });
      next = Math.min(next, wakeAt ?? Infinity);
      const idleBy = idleDeadline(this.#connections.get(ws), this.#idleTimeoutMs);
      if (idleBy === null || ws.readyState !== WebSocket.OPEN) continue;
      if (idleBy > now) {
        next = Math.min(next, idleBy);
        continue;
      }
      logEvent({ type: "room", event: "idle_closed", room: this.#room.name() });
      this.close(ws, CloseCode.Idle, idleReason(this.#idleTimeoutMs));
    }
    return next === Infinity ? null : next;
  }

  /**
   * After a change of the room's permissions: a new grant to every socket whose role or visibility changed, admission for
   * waiting sockets the room is now open to, a close for those that may no longer open it.
   */
  regrant(): void {
    const now = Date.now();
    let next = Infinity;
    for (const ws of this.#ctx.getWebSockets()) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const { wakeAt, settled } = this.#step(ws, { type: "permissions", now });
      next = Math.min(next, wakeAt ?? Infinity);
      // A socket the change admitted may have tokens waiting; their verification runs on without this call.
      settled.catch((error) => logError(error, { type: "room", event: "regrant_failed", room: this.#room.name() }));
    }
    if (next !== Infinity) this.#room.wakeBy(next);
  }

  /**
   * Send to every socket but `except` that may read the room now: not one still waiting to authenticate, nor one whose
   * token ran out in a room anonymous users may not open (the alarm closes it; this holds until it runs).
   */
  broadcast(frame: Uint8Array, except?: unknown): void {
    const now = Date.now();
    const policy = this.#permissions.policy;
    for (const ws of this.#ctx.getWebSockets()) {
      if (ws === except || ws.readyState !== WebSocket.OPEN || !mayReceive(this.#connections.access(ws), policy, now)) continue;
      try {
        ws.send(frame);
      } catch {
        // a socket closing under us; its close handler cleans up
      }
    }
  }

  /** True when `ws` is open and may be sent the room's frames now (as {@link broadcast} decides). */
  mayReceive(ws: WebSocket): boolean {
    return ws.readyState === WebSocket.OPEN && mayReceive(this.#connections.access(ws), this.#permissions.policy, Date.now());
  }

  /** True once `ws` is admitted (it may be greeted and seen). */
  admitted(ws: WebSocket): boolean {
    return !isWaiting(this.#connections.access(ws));
  }

  /** The role `ws` has now, for a write: from the current permissions, so a change applies at once. */
  roleOf(ws: WebSocket): RoomRole | null {
    return roleNow(this.#connections.access(ws), this.#permissions.policy);
  }

  /** The verified user of `ws`, or null when it is anonymous. */
  userOf(ws: WebSocket): string | null {
    return this.#connections.access(ws).userId;
  }

  /** Close `ws` with 4429, first telling it as data how long to wait (Auth/Refused); the reason says the same for people. */
  rateLimited(ws: WebSocket, { retryAfterSeconds, reason }: { retryAfterSeconds: number; reason: string }): void {
    try {
      ws.send(encodeRefused({ code: CloseCode.RateLimited, retryAfterSeconds }));
    } catch {
      // closing already; the close below still tells it
    }
    this.close(ws, CloseCode.RateLimited, reason);
  }

  /** The room dropped a write of `ws`, which may not edit: the client is told once per grant. */
  refuseWrite(ws: WebSocket): void {
    void this.#run(ws, { type: "write-refused", now: Date.now() });
  }

  // ---- steps -------------------------------------------------------------------------------------------------------

  #context(): SocketAuthContext {
    return { policy: this.#permissions.policy, ...this.#settings };
  }

  /** Step `ws` with `event`, carry the actions out and ask for the alarm they need. */
  #run(ws: WebSocket, event: SocketAuthEvent): Promise<void> {
    const { wakeAt, settled } = this.#step(ws, event);
    if (wakeAt !== null) this.#room.wakeBy(wakeAt);
    return settled;
  }

  #step(ws: WebSocket, event: SocketAuthEvent): Carried {
    const { state, actions } = stepSocketAuth(this.#connections.auth(ws), event, this.#context());
    this.#connections.setAuth(ws, state);
    return this.#carryOut(ws, actions);
  }

  /** Carry out the machine's actions for `ws`, in order, until it is closed. */
  #carryOut(ws: WebSocket, actions: readonly SocketAuthAction[]): Carried {
    let wakeAt: number | null = null;
    const verifying: Promise<void>[] = [];
    for (const action of actions) {
      if (ws.readyState !== WebSocket.OPEN) break;
      switch (action.type) {
        case "grant":
          ws.send(encodeAuthGranted(action.grant));
          break;
        case "greet":
          this.#room.greet(ws);
          break;
        case "deliver":
          this.#room.handle(ws, action.message);
          break;
        case "deny":
          ws.send(encodePermissionDenied(action.denial, action.reason));
          break;
        case "close":
          this.close(ws, action.code, action.reason);
          break;
        case "deadline":
          wakeAt = Math.min(wakeAt ?? action.at, action.at);
          break;
        case "log":
          logEvent({ type: "room", room: this.#room.name(), ...action.entry });
          break;
        case "verify":
          verifying.push(this.#verify(ws, action.token));
          break;
        default:
          action satisfies never;
      }
    }
    return { wakeAt, settled: verifying.length === 0 ? Promise.resolve() : Promise.all(verifying).then(() => {}) };
  }

  /** Verify a token of `ws` and step it with the outcome (unless it closed meanwhile). */
  async #verify(ws: WebSocket, token: string): Promise<void> {
    let event: SocketAuthEvent;
    try {
      const identity = await verifyToken(token, this.#env);
      event = { type: "verified", identity, now: Date.now() };
    } catch (error) {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (!(error instanceof AuthError)) logError(error, { type: "room", event: "auth_error", room: this.#room.name() });
      const reason = error instanceof AuthError ? error.message : "token could not be verified";
      event = { type: "unverified", reason, now: Date.now() };
    }
    if (ws.readyState !== WebSocket.OPEN) return;
    await this.#run(ws, event);
  }

  #leave(ws: WebSocket, code: number): void {
    this.#connections.forget(ws);
    const gone = this.#awareness.depart(ws);
    if (gone) this.broadcast(encodeAwareness(gone), ws);
    this.#room.left?.(ws);
    if (this.#gone.has(ws)) return;
    this.#gone.add(ws);
    const room = this.#room.name();
    countMetric(this.#env, METRIC.socketsClosed);
    const open = this.#ctx.getWebSockets().filter((other) => other !== ws && other.readyState === WebSocket.OPEN).length;
    setGauge(this.#env, METRIC.openSockets, room ?? "", open);
    logEvent({ type: "room", event: "close", room, code });
  }
}
