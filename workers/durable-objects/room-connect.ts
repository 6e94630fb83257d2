/**
 * Letting sockets into a room and turning them away: how a refused upgrade is answered (a close code for clients that read
 * them, an HTTP status for the rest), the per-address tag a room counts connections by and its limits on them, and the
 * sockets that connect and never say anything. See docs/PROTOCOL.md "Connecting".
 */
import { CloseCode, ROOM_CLIENT_PARAM, encodeRefused, type RoomLimits } from "../../core/protocol.js";
import type { SocketAttachment } from "./socket-attachment.js";

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
 * Why a new socket from address `ip` (its {@link ipTag}) cannot be let in: the room, or that address, has all the
 * connections it may have. null when it may connect.
 * @example const crowded = crowding(ctx, ip, limits); if (crowded) return refuse(CloseCode.RoomFull, crowded.reason, crowded.status, 10);
 */
export function crowding(ctx: DurableObjectState, ip: string, limits: RoomLimits): { reason: string; status: number } | null {
  const { maxConnections, maxConnectionsPerIp } = limits;
  if (ctx.getWebSockets().length >= maxConnections) return { reason: `room full (${maxConnections} connections)`, status: 503 };
  const fromIp = ctx.getWebSockets(ipTag(ip)).filter((ws) => ws.readyState === WebSocket.OPEN).length;
  if (fromIp < maxConnectionsPerIp) return null;
  return { reason: `too many connections from your address to this room (${maxConnectionsPerIp})`, status: 429 };
}

/**
 * How to refuse `request`'s upgrade before accepting it. spike's RoomClient (`?client=spike`) reads close codes, so it gets
 * an accepted-then-closed socket with the code and reason, and before a 4429 an Auth/Refused with `retryAfterSeconds`.
 * Any other client gets an HTTP status (`httpStatus`) for what is worth retrying, since stock y-websocket clients back off
 * from a failed handshake but treat 44xx close codes as final; without an `httpStatus` (4403: only another token helps) it
 * gets the close code too.
 * @example const refuse = connectRefusal(request); return refuse(CloseCode.RoomFull, "room full (256 connections)", 503, 10);
 */
export function connectRefusal(request: Request) {
  const readsCloseCodes = isSpikeClient(request);
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
    if (code === CloseCode.RateLimited && retryAfterSeconds !== undefined) server.send(encodeRefused({ code, retryAfterSeconds }));
    server.close(code, reason.slice(0, 120));
    return new Response(null, { status: 101, webSocket: client, headers: { [REFUSED_HEADER]: "1" } });
  };
}

/**
 * True when `request` comes from spike's own RoomClient (`?client=spike`, core/protocol.ts ROOM_CLIENT_PARAM): it reads close
 * codes, and it knows the Peer messages (room-peers.ts).
 */
export function isSpikeClient(request: Request): boolean {
  return new URL(request.url).searchParams.get(ROOM_CLIENT_PARAM.name) === ROOM_CLIENT_PARAM.value;
}

/**
 * When a socket that has not sent a frame yet is closed as idle (ms since the epoch), or null once it has spoken. Sockets
 * that connect and never say anything hold a room's connection slots for nothing; every client sends its sync step 1 (or
 * its token) at once.
 * @example const at = idleDeadline(connections.get(ws), timeoutMs); if (at !== null && at <= now) close(ws, idleReason(timeoutMs));
 */
export function idleDeadline(attachment: Pick<SocketAttachment, "heard" | "connectedAt">, timeoutMs: number): number | null {
  return attachment.heard ? null : attachment.connectedAt + timeoutMs;
}

/** The close reason of an idle socket. */
export function idleReason(timeoutMs: number): string {
  return `idle: nothing received within ${Math.round(timeoutMs / 1000)} s of connecting`;
}
