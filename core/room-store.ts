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
  await storageAllowed();
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

/**
 * Resolves when this page may open IndexedDB at all; rejects (with the browser's reason) where it may not, such as a
 * frame on another site whose storage the browser blocks. y-indexeddb would otherwise fail there with a rejection no
 * caller can catch, an error in the host page's console. Opens a small database of its own: opening the room's here
 * would create it without y-indexeddb's stores.
 */
function storageAllowed(): Promise<void> {
  const { indexedDB } = globalThis as unknown as { indexedDB: IndexedDbFactory };
  return new Promise((resolve, reject) => {
    const request = indexedDB.open("spike-storage-check");
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
    request.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`IndexedDB refused here (${request.error?.message ?? "no reason given"}): the room is kept in memory only`));
    };
  });
}

/** What storageAllowed uses of the browser's IndexedDB (core is typed without the DOM library). */
interface IndexedDbFactory {
  open(name: string): {
    result: { close(): void };
    error: { message: string } | null;
    onsuccess: (() => void) | null;
    onerror: ((event: { preventDefault(): void }) => void) | null;
  };
}

function sameVector(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
