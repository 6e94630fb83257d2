/**
 * Letting sockets into a room and turning them away: how a refused upgrade is answered (a close code for clients that read
 * them, an HTTP status for the rest), the per-address tag a room counts connections by, and the sockets that connect and
 * never say anything. See docs/PROTOCOL.md "Connecting".
 */
import { CloseCode, ROOM_CLIENT_PARAM } from "../../core/protocol.js";
import { logEvent } from "../platform/log.js";
import { patchAttachment, readAttachment } from "./socket-attachment.js";

/** Header on every refusal a room makes, so the Worker gives back the connect token it took for the attempt. */
export const REFUSED_HEADER = "x-spike-refused";

/**
 * The socket tag of a client address (its rate-limit key), so a room counts its connections from one address with
 * `ctx.getWebSockets(tag)` rather than a scan. Tags are at most 256 characters.
 * @example ctx.acceptWebSocket(server, [ipTag(ipKey(ip))]);
 */
export function ipTag(ip: string): string {
  return `ip:${ip}`.slice(0, 256);
}

/**
 * How to refuse `request`'s upgrade before accepting it. spike's RoomClient (`?client=spike`) reads close codes, so it gets
 * an accepted-then-closed socket with the code and reason. Any other client gets an HTTP status (`httpStatus`) for what
 * is worth retrying, since stock y-websocket clients back off from a failed handshake but treat 44xx close codes as final;
 * without an `httpStatus` (4403: only another token helps) it gets the close code too.
 * @example const refuse = connectRefusal(request); return refuse(CloseCode.RoomFull, "room full (256 connections)", 503, 10);
 */
export function connectRefusal(request: Request) {
  const readsCloseCodes = new URL(request.url).searchParams.get(ROOM_CLIENT_PARAM.name) === ROOM_CLIENT_PARAM.value;
  return (code: CloseCode, reason: string, httpStatus?: number, retryAfterSeconds?: number): Response => {
    if (!readsCloseCodes && httpStatus !== undefined) {
      const headers: Record<string, string> = { [REFUSED_HEADER]: "1" };
      if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
      const body = retryAfterSeconds === undefined ? { error: reason } : { error: reason, retryAfter: retryAfterSeconds };
      return Response.json(body, { status: httpStatus, headers });
    }
    // A plain, non-hibernatable accept: a hibernatable socket closed before its 101 was sent kept the client's connection
    // open for 10 s under workerd, and counted toward the limit meanwhile.
    const { 0: client, 1: server } = new WebSocketPair();
    server.accept();
    server.close(code, reason.slice(0, 120));
    return new Response(null, { status: 101, webSocket: client, headers: { [REFUSED_HEADER]: "1" } });
  };
}

/** What IdleSockets needs from its room. */
export interface IdleSocketsHost {
  /** Close `ws` with 4408 and `reason` (and announce its departure). */
  close(ws: WebSocket, reason: string): void;
  /** The room's name, for log lines. */
  room(): string | null;
}

/**
 * Sockets that connect and never send a frame hold a room's connection slots for nothing; each gets `timeoutMs` to say
 * anything (every client sends its sync step 1 at once). The state lives in the socket's attachment, so it survives
 * hibernation; `heard` keeps a memory of it so a frame costs no deserialisation.
 */
export class IdleSockets {
  #timeoutMs: number;
  #host: IdleSocketsHost;
  #heard = new WeakSet<WebSocket>();

  constructor(timeoutMs: number, host: IdleSocketsHost) {
    this.#timeoutMs = timeoutMs;
    this.#host = host;
  }

  /** Record a socket just accepted from address `ip`; returns when it must have spoken by (ms since the epoch). */
  accepted(ws: WebSocket, ip: string, now = Date.now()): number {
    patchAttachment(ws, { ip, connectedAt: now, heard: false });
    return now + this.#timeoutMs;
  }

  /** `ws` sent a frame. */
  heard(ws: WebSocket): void {
    if (this.#heard.has(ws)) return;
    this.#heard.add(ws);
    if (readAttachment(ws).heard === false) patchAttachment(ws, { heard: true });
  }

  /** Close the sockets that sent nothing within the timeout of connecting; returns the next such deadline, or null. */
  closeSilent(sockets: Iterable<WebSocket>, now = Date.now()): number | null {
    let next: number | null = null;
    for (const ws of sockets) {
      if (ws.readyState !== WebSocket.OPEN || this.#heard.has(ws)) continue;
      const { heard, connectedAt } = readAttachment(ws);
      if (heard !== false || connectedAt === undefined) continue;
      const deadline = connectedAt + this.#timeoutMs;
      if (deadline > now) {
        next = next === null ? deadline : Math.min(next, deadline);
        continue;
      }
      logEvent({ type: "room", event: "idle_closed", room: this.#host.room() });
      this.#host.close(ws, `idle: nothing received within ${Math.round(this.#timeoutMs / 1000)} s of connecting`);
    }
    return next;
  }
}
