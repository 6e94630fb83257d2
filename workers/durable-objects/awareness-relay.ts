/**
 * Server side of awareness (cursors, names, colours): the room does not interpret states, it only remembers the latest one
 * per client and which socket speaks for it, so a joining client gets everyone's state and a closed socket's clients are
 * announced as gone. The per-socket part lives in the socket's connection state (socket-attachment.ts), so it survives
 * hibernation.
 */
import { ProtocolError, decodeAwarenessEntries, encodeAwarenessEntries, type AwarenessEntry } from "../../core/protocol.js";
import type { RoomConnections } from "./socket-attachment.js";

/** One socket is one page; a handful of awareness clients per socket is plenty (more would not fit the attachment). */
const MAX_CLIENTS_PER_SOCKET = 16;

/** serializeAttachment allows 2,048 bytes; leave room for the rest of the attachment. */
const MAX_ATTACHED_STATE_BYTES = 1_500;

/** The entries to keep for a socket: the states dropped when too large to keep (each client renews its own every 15 s). */
function attachable(entries: AwarenessEntry[]): AwarenessEntry[] {
  if (JSON.stringify(entries).length <= MAX_ATTACHED_STATE_BYTES) return entries;
  return entries.map((e) => ({ ...e, state: "{}" }));
}

/** An awareness state over the room's size limit (the socket is closed with 1009). */
export class AwarenessTooLargeError extends ProtocolError {
  override name = "AwarenessTooLargeError";
}

/**
 * Which socket speaks for which awareness client, across a room. A client id belongs to the first open socket that sends a
 * state for it; what other sockets send for that id is dropped, not relayed. That covers both a stock y-websocket client's
 * echoes (its handler re-sends every awareness change it receives) and a forgery (rewriting someone else's name or cursor).
 */
export class AwarenessRelay {
  #owners = new Map<number, WebSocket>();
  /** States the room itself speaks for (agents over MCP: room-agent-presence.ts), by client id. */
  #held = new Map<number, AwarenessEntry>();
  /** Every client id the room has spoken for: what sockets send for them (a stock client's echo) is never theirs. */
  #reserved = new Set<number>();
  #indexed = false;
  #sockets: () => WebSocket[];
  #connections: RoomConnections;
  #maxStateBytes: number;
  #encoder = new TextEncoder();

  /**
   * `sockets`: the room's sockets, read once after a wake-up to rebuild the index from their connection states.
   * `maxStateBytes`: the largest state (JSON, in UTF-8 bytes) one client may publish.
   */
  constructor(sockets: () => WebSocket[], connections: RoomConnections, maxStateBytes: number) {
    this.#sockets = sockets;
    this.#connections = connections;
    this.#maxStateBytes = maxStateBytes;
  }

  /**
   * Record an incoming awareness update from `ws`. Returns the update to relay (only the entries for clients `ws` speaks
   * for), or null when nothing in it is `ws`'s own. Throws ProtocolError when malformed, when `ws` would speak for more
   * than 16 clients of its own, and AwarenessTooLargeError for a state over the size limit.
   */
  record(ws: WebSocket, update: Uint8Array): Uint8Array | null {
    const incoming = decodeAwarenessEntries(update);
    this.#index();
    const current = new Map(this.#connections.awareness(ws).map((e) => [e.clientId, e]));
    const own: AwarenessEntry[] = [];
    for (const entry of incoming) {
      const owner = this.#owners.get(entry.clientId);
      if (owner && owner !== ws && owner.readyState === WebSocket.OPEN) continue; // another socket's client
      if (this.#reserved.has(entry.clientId)) continue; // the room's own (an agent's)
      const bytes = entry.state.length > this.#maxStateBytes / 3 ? this.#encoder.encode(entry.state).byteLength : 0;
      if (bytes > this.#maxStateBytes) {
        throw new AwarenessTooLargeError(`awareness state of ${bytes} bytes exceeds ${this.#maxStateBytes}`);
      }
      own.push(entry);
    }
    for (const entry of own) {
      if (entry.state === "null") {
        current.delete(entry.clientId);
        this.#owners.delete(entry.clientId);
      } else {
        current.set(entry.clientId, entry);
        this.#owners.set(entry.clientId, ws);
      }
    }
    if (current.size > MAX_CLIENTS_PER_SOCKET) {
      throw new ProtocolError(`awareness for more than ${MAX_CLIENTS_PER_SOCKET} clients on one socket`);
    }
    if (own.length === 0) return null;
    this.#connections.setAwareness(ws, attachable([...current.values()]));
    return own.length === incoming.length ? update : encodeAwarenessEntries(own);
  }

  /** The "these clients left" update for a closing socket (null when it spoke for nobody); forgets its clients. */
  depart(ws: WebSocket): Uint8Array | null {
    const entries = this.#connections.awareness(ws);
    for (const { clientId } of entries) if (this.#owners.get(clientId) === ws) this.#owners.delete(clientId);
    if (entries.length === 0) return null;
    this.#connections.setAwareness(ws, []);
    return encodeAwarenessEntries(entries.map((e) => ({ clientId: e.clientId, clock: e.clock + 1, state: "null" })));
  }

  /**
   * Speak for a client the room itself holds (an agent's presence): `entry` replaces its state, and is in every joining
   * socket's greeting until {@link release}. Returns the update to broadcast. Sockets can never speak for that client id.
   * @example sockets.broadcast(encodeAwareness(relay.hold({ clientId, clock, state: JSON.stringify(state) })));
   */
  hold(entry: AwarenessEntry): Uint8Array {
    this.#reserved.add(entry.clientId);
    this.#held.set(entry.clientId, entry);
    return encodeAwarenessEntries([entry]);
  }

  /** Stop holding `clientId`: the "it left" update (clock + 1, state null) to broadcast, or null when it was not held. */
  release(clientId: number): Uint8Array | null {
    const entry = this.#held.get(clientId);
    if (!entry) return null;
    this.#held.delete(clientId);
    return encodeAwarenessEntries([{ clientId, clock: entry.clock + 1, state: "null" }]);
  }

  /** True when `ws` speaks for awareness client `clientId` (it published a state for it that the room kept). */
  speaksFor(ws: WebSocket, clientId: number): boolean {
    return this.#connections.awareness(ws).some((entry) => entry.clientId === clientId);
  }

  /** The open socket that speaks for awareness client `clientId`, or null (nobody, or the room itself: an agent). */
  socketOf(clientId: number): WebSocket | null {
    this.#index();
    const owner = this.#owners.get(clientId);
    return owner && owner.readyState === WebSocket.OPEN && this.speaksFor(owner, clientId) ? owner : null;
  }

  /** Everyone's current awareness among `sockets` and the room's own clients, for a joining socket; null when nobody has state. */
  everyone(sockets: Iterable<WebSocket>): Uint8Array | null {
    const entries: AwarenessEntry[] = [...this.#held.values()];
    for (const ws of sockets) entries.push(...this.#connections.awareness(ws));
    return entries.length > 0 ? encodeAwarenessEntries(entries) : null;
  }

  #index(): void {
    if (this.#indexed) return;
    this.#indexed = true;
    for (const socket of this.#sockets()) {
      for (const { clientId } of this.#connections.awareness(socket)) this.#owners.set(clientId, socket);
    }
  }
}
