/**
 * A room socket's connection state, and the one module that writes its WebSocket attachment. The attachment is what
 * survives hibernation (workerd keeps at most 2,048 bytes of it per socket); a memory copy per socket spares the checks on
 * every frame a deserialisation. Other modules change a socket's state only through the transitions below.
 * https://developers.cloudflare.com/durable-objects/best-practices/websockets/
 */
import type { AwarenessEntry } from "../../core/protocol.js";
import type { Inbox, SocketAccess, SocketAuthState } from "./room-socket-access.js";

/** What a room keeps per socket across hibernation. */
export interface SocketAttachment {
  /** What the socket may do (room-socket-auth.ts decides it). */
  readonly access: SocketAccess;
  /** The awareness clients the socket speaks for, with their latest entries (awareness-relay.ts decides them). */
  readonly awareness: readonly AwarenessEntry[];
  /** The rate-limit key of the client's address, also the socket's tag. */
  readonly ip: string;
  /** When the socket was accepted, ms since the epoch. */
  readonly connectedAt: number;
  /** True once the socket sent any frame: a socket that never does is closed after the idle timeout (room-connect.ts). */
  readonly heard: boolean;
  /** The socket is spike's own client (`?client=spike`, room-connect.ts isSpikeClient): it is offered peer-to-peer. */
  readonly spike: boolean;
  /** True when the socket URL asked for an end-to-end encrypted room (`e2e=1`; room-sealed.ts). */
  readonly e2e?: boolean;
  /** The sealed awareness clients the socket speaks for (room-sealed.ts). */
  readonly sealedClients?: readonly number[];
}

/** A socket's whole state: its attachment, and the frames waiting for its authentication (memory only). */
interface Connection {
  attachment: SocketAttachment;
  inbox: Inbox | null;
}

/** What an attachment lacks when a socket has none (one accepted before these fields existed): an anonymous public socket. */
const DEFAULT_ATTACHMENT: SocketAttachment = Object.freeze({
  access: Object.freeze({ userId: null, expiresAt: null, admitBy: null, role: "editor", visibility: "public", denied: false }),
  awareness: Object.freeze([]),
  ip: "",
  connectedAt: 0,
  heard: true,
  spike: false,
});

/**
 * Every socket of one room: read from its attachment once per wake-up, written through on every change.
 * @example connections.accept(ws, { ip, now, access: opening.state.access }); connections.access(ws).userId
 */
export class RoomConnections {
  #connections = new WeakMap<WebSocket, Connection>();

  /** Start the state of a socket just accepted from address `ip`, with the access its opening decided. */
  accept(
    ws: WebSocket,
    { ip, now, auth, spike = false, e2e = false }: { ip: string; now: number; auth: SocketAuthState; spike?: boolean; e2e?: boolean },
  ): void {
    const connection = { attachment: { access: auth.access, awareness: [], ip, connectedAt: now, heard: false, spike, e2e }, inbox: auth.inbox };
    this.#connections.set(ws, connection);
    ws.serializeAttachment(connection.attachment);
  }

  /** The socket's attachment as last written. */
  get(ws: WebSocket): SocketAttachment {
    return this.#of(ws).attachment;
  }

  access(ws: WebSocket): SocketAccess {
    return this.#of(ws).attachment.access;
  }

  /** The socket's authentication state, for room-socket-auth.ts's machine. */
  auth(ws: WebSocket): SocketAuthState {
    const { attachment, inbox } = this.#of(ws);
    return { access: attachment.access, inbox };
  }

  /** Keep the machine's next state; the attachment is written only when the access changed. */
  setAuth(ws: WebSocket, { access, inbox }: SocketAuthState): void {
    const connection = this.#of(ws);
    connection.inbox = inbox;
    if (access !== connection.attachment.access) this.#write(ws, connection, { access });
  }

  awareness(ws: WebSocket): readonly AwarenessEntry[] {
    return this.#of(ws).attachment.awareness;
  }

  setAwareness(ws: WebSocket, awareness: readonly AwarenessEntry[]): void {
    this.#write(ws, this.#of(ws), { awareness });
  }

  /** True when the socket asked for an end-to-end encrypted room. */
  e2e(ws: WebSocket): boolean {
    return this.#of(ws).attachment.e2e === true;
  }

  sealedClients(ws: WebSocket): readonly number[] {
    return this.#of(ws).attachment.sealedClients ?? [];
  }

  setSealedClients(ws: WebSocket, sealedClients: readonly number[]): void {
    this.#write(ws, this.#of(ws), { sealedClients });
  }

  /** The socket sent a frame: it is no longer idle. */
  hear(ws: WebSocket): void {
    const connection = this.#of(ws);
    if (!connection.attachment.heard) this.#write(ws, connection, { heard: true });
  }

  /** Forget the frames a closed socket had waiting. */
  forget(ws: WebSocket): void {
    const connection = this.#connections.get(ws);
    if (connection) connection.inbox = null;
  }

  #of(ws: WebSocket): Connection {
    let connection = this.#connections.get(ws);
    if (!connection) {
      const stored = ws.deserializeAttachment() as Partial<SocketAttachment> | null;
      connection = { attachment: { ...DEFAULT_ATTACHMENT, ...stored }, inbox: null };
      this.#connections.set(ws, connection);
    }
    return connection;
  }

  #write(ws: WebSocket, connection: Connection, change: Partial<SocketAttachment>): void {
    connection.attachment = { ...connection.attachment, ...change };
    ws.serializeAttachment(connection.attachment);
  }
}
