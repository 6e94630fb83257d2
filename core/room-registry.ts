/**
 * One RoomClient per (server, room) per realm: elements on a page that name the same server and room share one client,
 * one Y.Doc and one WebSocket, and therefore one token source. Reference-counted; the last release disconnects.
 */
import type { TokenSource } from "./auth.js";
import { RoomClient, type RoomClientOptions } from "./room-client.js";

interface Entry {
  client: RoomClient;
  refs: number;
  /** Token sources set through leases, in the order they were (last) set; see {@link RoomLease.setTokenSource}. */
  sources: Map<object, { source: TokenSource; fallback: boolean }>;
}

const clients = new Map<string, Entry>();

/** A handle on a shared client; call `release()` exactly once when done. */
export interface RoomLease {
  readonly client: RoomClient;
  /**
   * Offer this holder's token source (null withdraws it). The client uses the most recently offered source of all its
   * holders, preferring explicit ones over `fallback` ones (a default such as the server's sign-in configuration);
   * withdrawing or releasing falls back to the previous holder's, so an element without sign-in next to one with it
   * never signs the shared connection out. Offering the same source again re-authenticates (the session changed).
   */
  setTokenSource(source: TokenSource | null, fallback?: boolean): void;
  release(): void;
}

/**
 * The registry key: the server's origin and path (no trailing slash) plus the room, and the end-to-end key if any (a client
 * with a key and one without, or with another key, are different clients of the room).
 */
export function roomKey(server: string, room: string, key?: string): string {
  const url = new URL(server);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}#${room}${key ? `#${key}` : ""}`;
}

/**
 * Get the shared client for `options.server` + `options.room`, creating it on first use. `getToken` is this holder's
 * token source (see {@link RoomLease.setTokenSource}); `persist` from any acquirer keeps the shared doc in IndexedDB; other
 * options only apply to the first acquirer.
 * @example
 * const lease = acquireRoomClient({ server: "http://localhost:8787", room: "demo", getToken: () => session.getToken() });
 * lease.client.doc.getMap("files");
 * lease.release();
 */
export function acquireRoomClient(options: RoomClientOptions): RoomLease {
  const key = roomKey(options.server, options.room, options.key);
  let entry = clients.get(key);
  const created = !entry;
  if (!entry) {
    entry = { client: new RoomClient(options), refs: 0, sources: new Map() };
    clients.set(key, entry);
  }
  entry.refs++;
  if (options.persist && !created) entry.client.persist().catch(() => {}); // no IndexedDB: works as without
  const held = entry;
  const holder = {};
  let released = false;
  const offer = (source: TokenSource | null, apply: boolean, fallback = false) => {
    const before = current(held);
    held.sources.delete(holder);
    if (source) held.sources.set(holder, { source, fallback });
    const after = current(held);
    // The same source offered again still counts: the holder says its session changed (signed in or out).
    if (apply && (after !== before || (source && after === source))) held.client.setTokenSource(after);
  };
  // A new client already has the first holder's source from its options.
  if (options.getToken) offer(options.getToken, !created);
  return {
    client: held.client,
    setTokenSource: (source, fallback) => {
      if (!released) offer(source, true, fallback);
    },
    release() {
      if (released) return;
      released = true;
      held.refs--;
      if (held.refs === 0 && clients.get(key) === held) {
        clients.delete(key);
        held.client.destroy();
        return;
      }
      offer(null, true);
    },
  };
}

function current(entry: Entry): TokenSource | null {
  const offers = [...entry.sources.values()];
  return (offers.filter((o) => !o.fallback).at(-1) ?? offers.at(-1))?.source ?? null;
}

/** Number of live shared clients (for tests and diagnostics). */
export function sharedClientCount(): number {
  return clients.size;
}
