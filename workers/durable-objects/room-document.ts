/**
 * A room's Y.Doc and its one write path: loaded from storage on first use, every change (socket or HTTP) appended to the
 * SQLite update log before it is broadcast, the log folded into the snapshot when it grows, and the document's size limit
 * checked before a write. Used by CodeRoom (workers/durable-objects/code-room.ts) for sockets and for the Worker's calls.
 *
 * Socket updates that arrive while a commit is in flight wait for the next batch (room-commits.ts). Anything that reads
 * the document for someone else (a sync answer, an HTTP read, compaction), and every change that is not a socket's,
 * writes the queue first, so whatever leaves the room is stored before it leaves (the output gate).
 */
import * as Y from "yjs";
import { ProtocolError, encodeSyncStep2, type RoomLimits } from "../../core/protocol.js";
import { logEvent } from "../platform/log.js";
import type { RoomClaim } from "./room-claim.js";
import { GroupCommit } from "./room-commits.js";
import type { RoomStorage } from "./room-storage.js";

/** Delay before an alarm folds the update log into the snapshot, so bursts of typing compact once. */
const COMPACTION_DELAY_MS = 2_000;
/**
 * A room at its size limit folds its log into the snapshot (to learn its real size: the log grows with deletions too)
 * at most once per this many logged bytes, so refused writes cannot make it compact over and over.
 */
const COMPACTION_SLACK_BYTES = 65_536;

/** A write that would pass the room's document limit. */
export class RoomLimitError extends Error {}

/** The room could not store a change (a SQLite failure): retryable, and logged with the room's name. */
export class StorageError extends Error {
  /** The origins of the changes that were not stored (sockets, "http", …). */
  readonly origins: readonly unknown[];

  constructor(origins: readonly unknown[] = []) {
    super("the room could not store the change; try again");
    this.origins = origins;
  }
}

/** What the document needs from its room. */
export interface RoomDocumentHost {
  /** Send an encoded update to every socket that may read the room (its writers too, as y-websocket servers do). */
  broadcast(frame: Uint8Array): void;
  /** Resolves once every storage write made so far has committed (the Durable Object's `storage.sync()`). */
  committed(): Promise<void>;
  /**
   * Changes could not be stored (the document was dropped, to reload what is stored): close the sockets among
   * `error.origins`, whose clients still hold their changes and send them again when they reconnect.
   */
  lost(error: StorageError): void;
  /** Make sure the alarm runs by `at` (ms since the epoch), to compact the log. */
  scheduleAlarm(at: number): void;
  /** The document was loaded from storage (a start or a wake-up of the object). */
  loaded(): void;
  /** Changes were written to storage (for what runs later because the room was edited: autosave, backups). */
  wrote?(): void;
}

export class RoomDocument {
  #storage: RoomStorage;
  #claim: RoomClaim;
  #limits: Pick<RoomLimits, "maxDocumentBytes" | "maxFrameBytes">;
  #host: RoomDocumentHost;
  #doc: Y.Doc | null = null;
  /** The answer to a sync step 1 from a client that has nothing, for the current document; null after every change. */
  #fullState: Uint8Array | null = null;
  /** Changes applied in memory and not yet written, and the commit in flight. */
  #commits: GroupCommit;
  /** True while applyUpdate applies a socket's update: the one kind of change that may wait in the queue. */
  #fromSocket = false;

  constructor(storage: RoomStorage, claim: RoomClaim, limits: Pick<RoomLimits, "maxDocumentBytes" | "maxFrameBytes">, host: RoomDocumentHost) {
    this.#storage = storage;
    this.#claim = claim;
    this.#limits = limits;
    this.#host = host;
    this.#commits = new GroupCommit(storage, {
      broadcast: (frame) => host.broadcast(frame),
      committed: () => host.committed(),
      wrote: () => {
        if (storage.wantsCompaction) host.scheduleAlarm(Date.now() + COMPACTION_DELAY_MS);
        host.wrote?.();
      },
      lost: (origins) => {
        // Never let memory run ahead of disk: drop the in-memory doc so the next use reloads what is stored.
        this.#doc = null;
        this.#fullState = null;
        host.lost(new StorageError(origins));
      },
      room: () => storage.roomName,
    });
  }

  /**
   * The room's document, loaded from storage on first use after a (re)start or hibernation, with every queued change
   * written: what the caller reads from it and sends on is stored before it leaves the room (the output gate).
   * @example readFiles(document.doc())
   */
  doc(): Y.Doc {
    this.#commits.write();
    return this.#loaded();
  }

  /**
   * Drop the loaded document (Yjs threw while applying an update it had decoded): the next use reloads what is stored.
   * The changes queued before that update were whole and valid: they are written first.
   */
  reload(): void {
    this.#commits.write();
    this.#doc = null;
    this.#fullState = null;
  }

  /** Sync step 2 for a client's state vector; the common "I have nothing" answer is encoded once per document state. */
  stateFor(stateVector: Uint8Array): Uint8Array {
    const doc = this.doc();
    const empty = stateVector.byteLength === 1 && stateVector[0] === 0;
    if (!empty) return encodeSyncStep2(Y.encodeStateAsUpdate(doc, stateVector));
    return (this.#fullState ??= encodeSyncStep2(Y.encodeStateAsUpdate(doc)));
  }

  /**
   * Apply a client's Yjs update (`origin`: its socket, which the broadcast skips) written by `creator` (null: anonymous).
   * Throws ProtocolError for an update that does not parse or waits on history the room never received, RoomLimitError
   * when it would pass the document limit. Returns the claim token when it created the room.
   */
  applyUpdate(update: Uint8Array, origin: unknown, creator: string | null): string | null {
    // Parse the whole update before touching the document, so a corrupt frame changes nothing (and the doc stays loaded).
    let structs: number;
    try {
      structs = Y.decodeUpdate(update).structs.length;
    } catch {
      throw new ProtocolError("malformed Yjs update");
    }
    // An update that only deletes is always allowed: a room at its size limit must be able to shrink.
    if (structs > 0 && !this.fits(update.byteLength)) {
      throw new RoomLimitError(`document would exceed ${this.#limits.maxDocumentBytes} bytes`);
    }
    const doc = this.#loaded();
    this.#fromSocket = true;
    let claimToken: string | null;
    try {
      claimToken = this.created(creator, () => Y.applyUpdate(doc, update, origin));
    } finally {
      this.#fromSocket = false;
    }
    // An update whose history the room never received waits in memory (Yjs pendingStructs), unpersisted and uncounted.
    // Bound it: a client cannot grow the room's memory with updates that can never apply.
    const pending = (doc.store.pendingStructs?.update.byteLength ?? 0) + (doc.store.pendingDs?.byteLength ?? 0);
    if (pending > this.#limits.maxFrameBytes) {
      doc.store.pendingStructs = null;
      doc.store.pendingDs = null;
      throw new ProtocolError(`updates depend on ${pending} bytes of history this room never received`);
    }
    return claimToken;
  }

  /**
   * Run `write`; when it was the room's first stored write, record `creator` (null: anonymous) as the room's creator and
   * return the claim token for whoever made it (room-claim.ts), else null.
   * @example const claimToken = document.created(identity?.userId ?? null, () => writeFile(doc, name, text, "http"));
   */
  created(creator: string | null, write: () => void): string | null {
    const existed = this.#storage.exists;
    write();
    if (existed || !this.#storage.exists) return null;
    logEvent({ type: "room", event: "room_created", room: this.#storage.roomName, userId: creator });
    return this.#claim.record(creator);
  }

  /**
   * True when the stored document can grow by `growth` bytes within its limit. The log only grows (deletions too), so a
   * room near its limit folds it into the snapshot first, to learn its real size, at most once per slack of logged bytes.
   */
  fits(growth: number): boolean {
    const max = this.#limits.maxDocumentBytes;
    if (this.#storage.bytes + this.#commits.queuedBytes + growth <= max) return true;
    if (this.#storage.logBytes + this.#commits.queuedBytes >= Math.min(COMPACTION_SLACK_BYTES, max / 8)) this.compact();
    return this.#storage.bytes + growth <= max;
  }

  /** Fold the update log (and the queue) into the snapshot now. */
  compact(): void {
    const doc = this.doc();
    if (this.#storage.exists) this.#storage.compact(Y.encodeStateAsUpdate(doc));
  }

  #loaded(): Y.Doc {
    if (this.#doc) return this.#doc;
    const doc = new Y.Doc({ gc: true });
    this.#storage.load(doc);
    doc.on("update", (update: Uint8Array, origin: unknown) => this.#changed(update, origin));
    this.#doc = doc;
    this.#host.loaded();
    return doc;
  }

  /**
   * The single write path: every change to the doc (socket or HTTP) is queued, and written and broadcast now unless it is a
   * socket's update arriving while a commit is in flight (then it goes with the next batch, when that commit lands).
   */
  #changed(update: Uint8Array, origin: unknown): void {
    if (origin === this.#storage) return; // replaying storage on load
    this.#fullState = null;
    this.#commits.add(update, origin);
    // A room's first write is never queued: its creation (and claim token) is decided by whether it is stored.
    if (this.#fromSocket && this.#commits.committing && this.#storage.exists) return;
    if (this.#commits.write().includes(origin)) throw new StorageError([origin]);
  }
}
