/**
 * CodeRoom's SQLite layout: an append-only update log plus a snapshot split into rows under 2 MB (the Durable Object
 * SQLite row limit). Every write is synchronous; Durable Object output gates hold outgoing messages until it commits,
 * so nothing is broadcast before it is durable (room-document.ts batches updates into one commit). https://developers.cloudflare.com/durable-objects/api/storage-api/
 * The tables are created by the room's first write, never by a read: a room nobody wrote to stores nothing.
 */
import * as Y from "yjs";

/** Snapshot rows stay well under the 2 MB row limit. */
export const SNAPSHOT_CHUNK_BYTES = 1 << 20;
/** Compact the log into the snapshot once it has this many rows... */
export const COMPACT_AFTER_UPDATES = 500;
/** ...or this many bytes. */
export const COMPACT_AFTER_BYTES = 1 << 20;

export interface StoredState {
  version: number;
  updatedAt: string | null;
  bytes: number;
}

/** The room's persisted Yjs state. One instance per CodeRoom. */
export class RoomStorage {
  #sql: SqlStorage;
  #storage: DurableObjectStorage;
  #logRows = 0;
  #logBytes = 0;
  #snapshotBytes = 0;
  /** Updates folded into the snapshot so far; version = this + log rows. */
  #compactedVersion = 0;
  /** Time of the last stored update, ms since the epoch (0 = never). */
  #lastWriteAt = 0;

  /** True once the room's tables exist: something was written to it, ever. */
  #exists: boolean;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    this.#sql = storage.sql;
    // A read of sqlite_master writes nothing, so asking whether the room exists costs a room that does not exist nothing.
    this.#exists = this.#sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'updates'").toArray().length > 0;
    if (!this.#exists) return;
    const log = this.#sql.exec<{ n: number; bytes: number | null; at: number | null }>(
      "SELECT count(*) AS n, sum(length(data)) AS bytes, max(at) AS at FROM updates",
    ).one();
    this.#logRows = log.n;
    this.#logBytes = log.bytes ?? 0;
    this.#compactedVersion = Number(this.getMeta("version") ?? 0);
    this.#lastWriteAt = log.at ?? Number(this.getMeta("updatedAt") ?? 0);
    this.#snapshotBytes =
      this.#sql.exec<{ bytes: number | null }>("SELECT sum(length(data)) AS bytes FROM snapshot").one().bytes ?? 0;
  }

  /** True when the room was ever written to (its tables exist). A room that does not exist answers reads with a 404. */
  get exists(): boolean {
    return this.#exists;
  }

  /**
   * Create the room's tables (and record its name) if this is its first write. Every write path calls it first.
   * @example storage.create(); storage.setMeta("creator", userId);
   */
  create(): void {
    if (this.#exists) return;
    this.#sql.exec(`
      CREATE TABLE IF NOT EXISTS updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS snapshot (chunk INTEGER PRIMARY KEY, data BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    this.#exists = true;
    if (this.#roomName) this.setMeta("room", this.#roomName);
  }

  /** Bytes of the update log not yet folded into the snapshot. */
  get logBytes(): number {
    return this.#logBytes;
  }

  /** Bytes on disk for this document: snapshot plus log. */
  get bytes(): number {
    return this.#snapshotBytes + this.#logBytes;
  }

  /** True when the log has grown enough to be worth folding into the snapshot. */
  get wantsCompaction(): boolean {
    return this.#logRows >= COMPACT_AFTER_UPDATES || this.#logBytes >= COMPACT_AFTER_BYTES;
  }

  /** Apply the snapshot and then every logged update, in order, to `doc`. */
  load(doc: Y.Doc): void {
    if (!this.#exists) return;
    const chunks = [...this.#sql.exec<{ data: ArrayBuffer }>("SELECT data FROM snapshot ORDER BY chunk")].map(
      (row) => new Uint8Array(row.data),
    );
    doc.transact(() => {
      if (chunks.length > 0) Y.applyUpdate(doc, concat(chunks));
      for (const row of this.#sql.exec<{ data: ArrayBuffer }>("SELECT data FROM updates ORDER BY seq")) {
        Y.applyUpdate(doc, new Uint8Array(row.data));
      }
    }, this);
  }

  /**
   * Append updates to the log, one row each (the room's version counts them), in the caller's transaction: the writes of
   * one synchronous turn commit together. Durable once the current output gate opens.
   */
  append(updates: readonly Uint8Array[]): void {
    this.create();
    const at = Date.now();
    // All or nothing: a failed INSERT leaves none of the batch in the log (and the counters as they were).
    this.#storage.transactionSync(() => {
      for (const update of updates) this.#sql.exec("INSERT INTO updates (data, at) VALUES (?, ?)", update, at);
    });
    this.#lastWriteAt = at;
    this.#logRows += updates.length;
    this.#logBytes += updates.reduce((n, update) => n + update.byteLength, 0);
  }

  /** Replace snapshot and log with `state` (the full document), atomically. */
  compact(state: Uint8Array): void {
    this.create();
    this.#storage.transactionSync(() => {
      this.#sql.exec("DELETE FROM snapshot");
      for (let i = 0, chunk = 0; i < state.byteLength; i += SNAPSHOT_CHUNK_BYTES, chunk++) {
        this.#sql.exec("INSERT INTO snapshot (chunk, data) VALUES (?, ?)", chunk, state.subarray(i, i + SNAPSHOT_CHUNK_BYTES));
      }
      this.#sql.exec("DELETE FROM updates");
      this.setMeta("version", String(this.#compactedVersion + this.#logRows));
      this.setMeta("updatedAt", String(this.#lastWriteAt));
    });
    this.#compactedVersion += this.#logRows;
    this.#snapshotBytes = state.byteLength;
    this.#logRows = 0;
    this.#logBytes = 0;
  }

  /**
   * Start an empty room from a backup (room-backups.ts): `state` becomes its snapshot, with the version and last write
   * time it had, so versions keep counting up.
   * @example storage.restore(snapshot, info.version, info.updatedAt);
   */
  restore(state: Uint8Array, version: number, lastWriteAt: number): void {
    this.#compactedVersion = version - this.#logRows;
    this.#lastWriteAt = lastWriteAt;
    this.compact(state);
  }

  /** Version (count of stored updates), last write time and size. */
  state(): StoredState {
    return {
      version: this.#compactedVersion + this.#logRows,
      updatedAt: this.#lastWriteAt ? new Date(this.#lastWriteAt).toISOString() : null,
      bytes: this.bytes,
    };
  }

  #roomName: string | null | undefined;

  /** The room's name as first seen (Durable Objects do not know their own name). */
  get roomName(): string | null {
    if (this.#roomName === undefined) this.#roomName = this.#exists ? this.getMeta("room") : null;
    return this.#roomName;
  }

  /** Remember the room's name: in memory at once, on disk when the room exists (its first write stores it). */
  set roomName(name: string) {
    if (this.roomName === name) return;
    this.#roomName = name;
    if (this.#exists) this.setMeta("room", name);
  }

  /** A value of the room's key-value table, or null (always null before the room's first write). */
  getMeta(key: string): string | null {
    if (!this.#exists) return null;
    const rows = [...this.#sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key)];
    return rows.length > 0 ? rows[0]!.value : null;
  }

  /** Set a value of the room's key-value table (creating the room if this is its first write). */
  setMeta(key: string, value: string): void {
    this.create();
    this.#sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }

  /** Remove a value of the room's key-value table. */
  deleteMeta(key: string): void {
    if (this.#exists) this.#sql.exec("DELETE FROM meta WHERE key = ?", key);
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
