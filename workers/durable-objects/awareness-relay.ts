/**
 * Server side of awareness (cursors, names, colours): the room does not interpret states, it only remembers the latest one
 * per client and which socket speaks for it, so a joining client gets everyone's state and a closed socket's clients are
 * announced as gone. The per-socket part lives in the WebSocket attachment so it survives hibernation.
 */
import { ProtocolError, decodeAwarenessEntries, encodeAwarenessEntries, type AwarenessEntry } from "../../core/protocol.js";

/** What a socket's attachment holds: its clients' latest entries (state dropped if too large to keep). */
export interface SocketAwareness {
  entries: AwarenessEntry[];
}

/** One socket is one page; a handful of awareness clients per socket is plenty (more would not fit the attachment). */
const MAX_CLIENTS_PER_SOCKET = 16;

/** serializeAttachment allows 2,048 bytes; leave room for the rest of the attachment. */
const MAX_ATTACHED_STATE_BYTES = 1_500;

export function readSocketAwareness(ws: WebSocket): SocketAwareness {
  const attached = ws.deserializeAttachment() as { awareness?: SocketAwareness } | null;
  return attached?.awareness ?? { entries: [] };
}

function writeSocketAwareness(ws: WebSocket, awareness: SocketAwareness): void {
  const attached = (ws.deserializeAttachment() as Record<string, unknown> | null) ?? {};
  let entries = awareness.entries;
  if (JSON.stringify(entries).length > MAX_ATTACHED_STATE_BYTES) {
    // Keep who the socket speaks for; the state itself is renewed by the client every 15 s anyway.
    entries = entries.map((e) => ({ ...e, state: "{}" }));
  }
  ws.serializeAttachment({ ...attached, awareness: { entries } });
}

/**
 * Which socket speaks for which awareness client, across a room. A stock y-websocket client re-sends every awareness
 * change it receives (its handler does not look at the origin), so a socket's updates carry other sockets' clients too:
 * those echoes are relayed but not recorded as the socket's own, or a room of more than 16 such clients closed them all.
 */
export class AwarenessRelay {
  #owners = new Map<number, WebSocket>();
  #indexed = false;
  #sockets: () => WebSocket[];

  /** `sockets`: the room's sockets, read once after a wake-up to rebuild the index from their attachments. */
  constructor(sockets: () => WebSocket[]) {
    this.#sockets = sockets;
  }

  /**
   * Record an incoming awareness update from `ws`. Returns the update to broadcast (the same bytes).
   * Throws ProtocolError when malformed, or when `ws` would speak for more than 16 clients of its own.
   */
  record(ws: WebSocket, update: Uint8Array): Uint8Array {
    const incoming = decodeAwarenessEntries(update);
    this.#index();
    const current = new Map(readSocketAwareness(ws).entries.map((e) => [e.clientId, e]));
    let changed = false;
    for (const entry of incoming) {
      const owner = this.#owners.get(entry.clientId);
      if (owner && owner !== ws && owner.readyState === WebSocket.OPEN) continue; // an echo of another socket's client
      changed = true;
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
    if (changed) writeSocketAwareness(ws, { entries: [...current.values()] });
    return update;
  }

  /** The "these clients left" update for a closing socket (null when it spoke for nobody); forgets its clients. */
  depart(ws: WebSocket): Uint8Array | null {
    const { entries } = readSocketAwareness(ws);
    for (const { clientId } of entries) if (this.#owners.get(clientId) === ws) this.#owners.delete(clientId);
    if (entries.length === 0) return null;
    return encodeAwarenessEntries(entries.map((e) => ({ clientId: e.clientId, clock: e.clock + 1, state: "null" })));
  }

  #index(): void {
    if (this.#indexed) return;
    this.#indexed = true;
    for (const socket of this.#sockets()) {
      for (const { clientId } of readSocketAwareness(socket).entries) this.#owners.set(clientId, socket);
    }
  }
}

/** Everyone's current awareness, for a joining socket; null when nobody has state. */
export function fullAwareness(sockets: Iterable<WebSocket>): Uint8Array | null {
  const entries: AwarenessEntry[] = [];
  for (const ws of sockets) entries.push(...readSocketAwareness(ws).entries);
  return entries.length > 0 ? encodeAwarenessEntries(entries) : null;
}

