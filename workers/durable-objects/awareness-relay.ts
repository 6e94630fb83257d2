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
 * Record an incoming awareness update from `ws`. Returns the update to broadcast (the same bytes).
 * Throws ProtocolError when malformed.
 */
export function recordAwareness(ws: WebSocket, update: Uint8Array): Uint8Array {
  const incoming = decodeAwarenessEntries(update);
  const current = new Map(readSocketAwareness(ws).entries.map((e) => [e.clientId, e]));
  for (const entry of incoming) {
    if (entry.state === "null") current.delete(entry.clientId);
    else current.set(entry.clientId, entry);
  }
  if (current.size > MAX_CLIENTS_PER_SOCKET) {
    throw new ProtocolError(`awareness for more than ${MAX_CLIENTS_PER_SOCKET} clients on one socket`);
  }
  writeSocketAwareness(ws, { entries: [...current.values()] });
  return update;
}

/** Everyone's current awareness, for a joining socket; null when nobody has state. */
export function fullAwareness(sockets: Iterable<WebSocket>): Uint8Array | null {
  const entries: AwarenessEntry[] = [];
  for (const ws of sockets) entries.push(...readSocketAwareness(ws).entries);
  return entries.length > 0 ? encodeAwarenessEntries(entries) : null;
}

/** The "these clients left" update for a closing socket; null when it spoke for nobody. */
export function departureAwareness(ws: WebSocket): Uint8Array | null {
  const { entries } = readSocketAwareness(ws);
  if (entries.length === 0) return null;
  return encodeAwarenessEntries(entries.map((e) => ({ clientId: e.clientId, clock: e.clock + 1, state: "null" })));
}
