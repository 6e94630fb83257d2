/**
 * Group commit for a room's update log. The Durable Object's output gate holds every message the room sends until the
 * storage writes made before it have committed, so nothing is broadcast before it is durable; committing each update on
 * its own made a busy room wait on one commit per keystroke. Here, changes queue while a commit is in flight; when it
 * lands, everything queued is written in one transaction and broadcast as one merged update (to every reader, its
 * writers too, as y-websocket servers do), which starts the next commit. Used by room-document.ts, which decides what
 * may wait in the queue and writes it first whenever the document is read for someone else.
 */
import * as Y from "yjs";
import { encodeUpdate } from "../../core/protocol.js";
import { logError } from "../platform/log.js";
import type { RoomStorage } from "./room-storage.js";

/** What the group commit needs from its room. */
export interface CommitHost {
  /** Send an encoded update to every socket that may read the room. */
  broadcast(frame: Uint8Array): void;
  /** Resolves once every storage write made so far has committed (the Durable Object's `storage.sync()`). */
  committed(): Promise<void>;
  /** A batch was written (the log grew). */
  wrote(): void;
  /**
   * The changes of `origins` could not be stored. Called before write() returns, so the room can drop its in-memory
   * document (which has them) and close those sockets: their clients still hold the changes and send them on reconnect.
   */
  lost(origins: readonly unknown[]): void;
  /** The room's name, for log lines. */
  room(): string | null;
}

export class GroupCommit {
  #storage: RoomStorage;
  #host: CommitHost;
  #updates: Uint8Array[] = [];
  #origins: unknown[] = [];
  #bytes = 0;
  #committing = false;

  constructor(storage: RoomStorage, host: CommitHost) {
    this.#storage = storage;
    this.#host = host;
  }

  /** True while a written batch's commit has not landed: a change may wait for the next batch. */
  get committing(): boolean {
    return this.#committing;
  }

  /** Bytes queued and not yet written. */
  get queuedBytes(): number {
    return this.#bytes;
  }

  /** Queue a change of `origin` (a socket, "http", …) for the next write. */
  add(update: Uint8Array, origin: unknown): void {
    this.#updates.push(update);
    this.#origins.push(origin);
    this.#bytes += update.byteLength;
  }

  /**
   * Write everything queued, in one transaction, and broadcast it. Returns the origins whose changes could not be stored
   * (already reported to the host): none, normally.
   * @example if (commits.write().includes(ws)) throw new StorageError([ws]);
   */
  write(): readonly unknown[] {
    if (this.#updates.length === 0) return [];
    const updates = this.#updates;
    const origins = this.#origins;
    this.#updates = [];
    this.#origins = [];
    this.#bytes = 0;
    let stored = updates;
    let lost: unknown[] = [];
    try {
      this.#storage.append(updates);
    } catch (error) {
      logError(error, { type: "room", event: "storage_failed", room: this.#host.room(), bytes: byteLength(updates), updates: updates.length });
      ({ stored, lost } = this.#writeEachOrigin(updates, origins));
      if (lost.length > 0) this.#host.lost(lost);
    }
    if (stored.length > 0) {
      this.#host.broadcast(encodeUpdate(stored.length === 1 ? stored[0]! : Y.mergeUpdates(stored)));
      this.#host.wrote();
    }
    this.#afterCommit();
    return lost;
  }

  /**
   * A batch failed (an update over the row limit, say). One writer's bad change must not cost the others theirs: each
   * origin's changes are written on their own. Changes of different origins in one batch never depend on each other,
   * since no writer has seen another's change before it is written.
   */
  #writeEachOrigin(updates: Uint8Array[], origins: unknown[]): { stored: Uint8Array[]; lost: unknown[] } {
    const byOrigin = new Map<unknown, Uint8Array[]>();
    updates.forEach((update, i) => {
      const own = byOrigin.get(origins[i]) ?? [];
      own.push(update);
      byOrigin.set(origins[i], own);
    });
    const stored: Uint8Array[] = [];
    const lost: unknown[] = [];
    for (const [origin, own] of byOrigin) {
      try {
        this.#storage.append(own);
        stored.push(...own);
      } catch {
        lost.push(origin);
      }
    }
    return { stored, lost };
  }

  /** Once the batch just written has committed, write what queued meanwhile. */
  #afterCommit(): void {
    if (this.#committing) return;
    this.#committing = true;
    this.#host.committed().then(
      () => {
        this.#committing = false;
        this.write();
      },
      (error: unknown) => {
        // A failed commit breaks the Durable Object's output gate: the object restarts and reloads what is stored.
        this.#committing = false;
        logError(error, { type: "room", event: "commit_failed", room: this.#host.room() });
      },
    );
  }
}

function byteLength(updates: readonly Uint8Array[]): number {
  return updates.reduce((n, update) => n + update.byteLength, 0);
}
