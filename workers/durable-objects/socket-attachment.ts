/**
 * The one shape of a room socket's WebSocket attachment, and the one place that writes it. The attachment is what survives
 * hibernation (workerd keeps at most 2,048 bytes of it per socket), so every module's per-socket state that must outlive a
 * wake-up lives here, each under its own key. https://developers.cloudflare.com/durable-objects/best-practices/websockets/
 */
import type { AwarenessEntry } from "../../core/protocol.js";
import type { SocketAccess } from "./room-access.js";

/** Everything a room keeps per socket across hibernation. Each field has one writer module, named beside it. */
export interface SocketAttachment {
  /** What the socket may do (room-access.ts). */
  access?: SocketAccess;
  /** The awareness clients the socket speaks for, with their latest entries (awareness-relay.ts). */
  awareness?: { entries: AwarenessEntry[] };
  /** The rate-limit key of the client's address, also the socket's tag (room-connect.ts). */
  ip?: string;
  /** When the socket was accepted, ms since the epoch (room-connect.ts). */
  connectedAt?: number;
  /** True once the socket sent any frame: a socket that never does is closed after the idle timeout (room-connect.ts). */
  heard?: boolean;
}

/**
 * The socket's attachment (empty when it has none).
 * @example const { ip } = readAttachment(ws);
 */
export function readAttachment(ws: WebSocket): SocketAttachment {
  return (ws.deserializeAttachment() as SocketAttachment | null) ?? {};
}

/**
 * Change some fields of the socket's attachment and keep the rest.
 * @example patchAttachment(ws, { heard: true });
 */
export function patchAttachment(ws: WebSocket, patch: Partial<SocketAttachment>): void {
  ws.serializeAttachment({ ...readAttachment(ws), ...patch });
}
