/**
 * The browser copy of a room (RoomClient's `persist`): the room's Y.Doc kept in IndexedDB with y-indexeddb, so a page
 * opened without a network shows the room as it was last synced, and edits made meanwhile survive a reload until the
 * room takes them. Loaded only when a client asks for it (a dynamic import), so node and headless users never pay for it.
 */
import { IndexeddbPersistence } from "y-indexeddb";
import * as Y from "yjs";

/** The IndexedDB database name of a room: one per server and room (`spike-room:ws://localhost:8787/live/demo/ws`). */
export function roomStoreName(socketUrl: string): string {
  return `spike-room:${socketUrl.split("?")[0]}`;
}

/** A doc kept in IndexedDB; `destroy()` stops keeping it (what is stored stays). */
export interface RoomStore {
  /** True when IndexedDB held a state of this room before: the doc now shows it (possibly behind the server's). */
  readonly restored: boolean;
  destroy(): void;
}

/**
 * Keep `doc` in the IndexedDB database `name`: what is stored there is applied to the doc first (resolves once it is),
 * then every update of the doc is stored as it happens.
 * @example const store = await openRoomStore(roomStoreName(client.url), client.doc); if (store.restored) show(client.doc);
 */
export async function openRoomStore(name: string, doc: Y.Doc): Promise<RoomStore> {
  if (typeof (globalThis as { indexedDB?: unknown }).indexedDB === "undefined") throw new TypeError("no IndexedDB here: `persist` needs a browser");
  const before = Y.encodeStateVector(doc);
  const persistence = new IndexeddbPersistence(name, doc);
  await persistence.whenSynced;
  // The stored state is what the doc gained while it was read (updates it already had change nothing).
  const restored = !sameVector(before, Y.encodeStateVector(doc));
  return {
    restored,
    destroy: () => void persistence.destroy(),
  };
}

function sameVector(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
