/**
 * What an admitted socket's frames do in a room (docs/PROTOCOL.md): a sync step 1 is answered with what the client lacks,
 * an update is applied through the room's document (or dropped, with one PermissionDenied, from a connection that may not
 * edit), presence is relayed, WebRTC signals go to room-peers.ts. Requests for the whole room state are metered per socket.
 * Used by CodeRoom (workers/durable-objects/code-room.ts) once room-socket-auth.ts has let a frame through.
 */
import { MessageType, ProtocolError, SyncStep, encodeAwareness, encodeClaim, type Message } from "../../core/protocol.js";
import { logEvent } from "../platform/log.js";
import type { AwarenessRelay } from "./awareness-relay.js";
import type { RoomPeers } from "./room-peers.js";
import type { RoomDocument } from "./room-document.js";
import type { SocketFrameLimiter } from "./room-frame-limits.js";
import { canEdit } from "./room-permissions.js";
import type { RoomSockets } from "./room-sockets.js";

/** What the sync needs from its room. */
export interface RoomSyncHost {
  document: RoomDocument;
  frames: SocketFrameLimiter;
  awareness: AwarenessRelay;
  /** WebRTC signalling between the room's clients (room-peers.ts). */
  peers: Pick<RoomPeers, "receive">;
  /** The room's sockets: who each is, what it may do, and how one is refused (room-sockets.ts). */
  sockets: Pick<RoomSockets, "roleOf" | "userOf" | "broadcast" | "rateLimited" | "refuseWrite">;
  /** Every socket of the room. */
  all(): WebSocket[];
  /** The room's name, for log lines. */
  room(): string | null;
}

export class RoomSync {
  #host: RoomSyncHost;

  constructor(host: RoomSyncHost) {
    this.#host = host;
  }

  /**
   * Dispatch one decoded frame of an admitted socket. Throws ProtocolError / RoomLimitError / Yjs errors for the room to
   * turn into a close.
   * @example sync.receive(ws, decodeMessage(frame));
   */
  receive(ws: WebSocket, message: Message): void {
    switch (message.type) {
      case MessageType.Sync:
        if (message.step === SyncStep.Step1) {
          if (refusedFullState(this.#host, ws)) return;
          ws.send(this.#host.document.stateFor(message.stateVector));
        } else if (canEdit(this.#host.sockets.roleOf(ws))) {
          const claimToken = this.#host.document.applyUpdate(message.update, ws, this.#host.sockets.userOf(ws));
          if (claimToken) ws.send(encodeClaim(claimToken));
        } else {
          this.#dropWrite(ws, message.update);
        }
        return;
      case MessageType.Awareness: {
        const taken = this.#host.frames.takeAwareness(ws, message.update.byteLength);
        if (!taken.ok) return this.#host.sockets.rateLimited(ws, taken);
        // Viewers' presence is relayed too: watchers show up in the room. Only the clients this socket speaks for.
        const own = this.#host.awareness.record(ws, message.update);
        if (own) this.#host.sockets.broadcast(encodeAwareness(own));
        return;
      }
      case MessageType.QueryAwareness: {
        if (refusedFullState(this.#host, ws)) return;
        const awareness = this.#host.awareness.everyone(this.#host.all());
        if (awareness) ws.send(encodeAwareness(awareness));
        return;
      }
      case MessageType.Auth:
        // Tokens are taken by room-socket-auth.ts before a frame gets here; the other auth messages are the server's.
        throw new ProtocolError("auth messages other than a token are sent by the server only");
      case MessageType.Peer:
        return this.#host.peers.receive(ws, message);
      case MessageType.Sealed:
        return;
      default:
        message satisfies never;
    }
  }


  /** A write from a connection that may not edit: not applied, stored or relayed; the client is told once per grant. */
  #dropWrite(ws: WebSocket, update: Uint8Array): void {
    // An empty update (a viewer answering the server's step 1 with nothing new) is no attempt to write.
    if (update.byteLength <= 2 && update.every((byte) => byte === 0)) return;
    this.#host.sockets.refuseWrite(ws);
  }
}

/**
 * A request for the whole room state (document or presence; a sealed room's Fetch too) answers with up to megabytes for a
 * few bytes in: each socket gets a small allowance, then is closed with 4429. True when `ws` was refused (and closed).
 */
export function refusedFullState(
  host: { frames: Pick<SocketFrameLimiter, "takeFullState">; sockets: Pick<RoomSockets, "rateLimited">; room(): string | null },
  ws: WebSocket,
): boolean {
  const taken = host.frames.takeFullState(ws);
  if (taken.ok) return false;
  logEvent({ level: "warn", type: "room", event: "full_state_limited", room: host.room() });
  host.sockets.rateLimited(ws, taken);
  return true;
}
