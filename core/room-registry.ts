/**
 * One RoomClient per (server, room) per realm: elements on a page that name the same server and room share one client,
 * one Y.Doc and one WebSocket. Reference-counted; the last release disconnects.
 */
import { RoomClient, type RoomClientOptions } from "./room-client.js";

interface Entry {
  client: RoomClient;
  refs: number;
}

const clients = new Map<string, Entry>();

/** A handle on a shared client; call `release()` exactly once when done. */
export interface RoomLease {
  readonly client: RoomClient;
  release(): void;
}

/** The registry key: the server's origin and path (no trailing slash) plus the room. */
export function roomKey(server: string, room: string): string {
  const url = new URL(server);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}#${room}`;
}

/**
 * Get the shared client for `options.server` + `options.room`, creating it on first use. Options other than server and
 * room only apply to the first acquirer.
 * @example
 * const lease = acquireRoomClient({ server: "http://localhost:8787", room: "demo" });
 * lease.client.doc.getMap("files");
 * lease.release();
 */
export function acquireRoomClient(options: RoomClientOptions): RoomLease {
  const key = roomKey(options.server, options.room);
  let entry = clients.get(key);
  if (!entry) {
    entry = { client: new RoomClient(options), refs: 0 };
    clients.set(key, entry);
  }
  entry.refs++;
  const held = entry;
  let released = false;
  return {
    client: held.client,
    release() {
      if (released) return;
      released = true;
      held.refs--;
      if (held.refs === 0 && clients.get(key) === held) {
        clients.delete(key);
        held.client.destroy();
      }
    },
  };
}

/** Number of live shared clients (for tests and diagnostics). */
export function sharedClientCount(): number {
  return clients.size;
}
