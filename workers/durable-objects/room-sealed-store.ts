/**
 * The SQLite side of an end-to-end encrypted room (docs/PROTOCOL.md "End-to-end encrypted rooms"): the flag and the key
 * check, an append-only log of sealed updates numbered by `seq`, and the one sealed snapshot a client made of the log's
 * head. Kept apart from the plaintext Yjs tables (room-storage.ts): the room never opens what is stored here.
 * The tables are created by the room's Init, never by a read.
 */
import { IV_BYTES } from "../../core/room-crypto.js";

/** Snapshot rows stay well under the 2 MB row limit. */
const CHUNK_BYTES = 1 << 20;

/** A stored log entry. */
export interface SealedEntry {
  seq: number;
  sealed: Uint8Array;
}

/** The stored snapshot: the log up to `upTo`, sealed. */
export interface SealedSnapshot {
  upTo: number;
  sealed: Uint8Array;
}

/**
 * @example store.init(keyCheck); const seq = store.append(sealed); store.entriesAfter(0)
 */
export class SealedStore {
  #sql: SqlStorage;
  #storage: DurableObjectStorage;
  #encrypted: boolean;
  #lastSeq = 0;
  #snapshotUpTo = 0;
  #snapshotBytes = 0;
  #logRows = 0;
  #logBytes = 0;
  #keyCheck: Uint8Array = new Uint8Array(0);

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    this.#sql = storage.sql;
    this.#encrypted = this.#sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sealed_meta'").toArray().length > 0;
    if (!this.#encrypted) return;
    const meta = this.#sql.exec<{ key_check: ArrayBuffer; last_seq: number; snapshot_up_to: number }>(
      "SELECT key_check, last_seq, snapshot_up_to FROM sealed_meta WHERE id = 1",
    ).one();
    this.#keyCheck = new Uint8Array(meta.key_check);
    this.#lastSeq = meta.last_seq;
    this.#snapshotUpTo = meta.snapshot_up_to;
    const log = this.#sql.exec<{ n: number; bytes: number | null }>("SELECT count(*) AS n, sum(length(data)) AS bytes FROM sealed_log").one();
    this.#logRows = log.n;
    this.#logBytes = log.bytes ?? 0;
    this.#snapshotBytes = this.#sql.exec<{ bytes: number | null }>("SELECT sum(length(data)) AS bytes FROM sealed_snapshot").one().bytes ?? 0;
  }

  /** True once the room was made encrypted (for good). */
  get encrypted(): boolean {
    return this.#encrypted;
  }

  /** The sealed key check the first client stored (empty while the room is not encrypted). */
  get keyCheck(): Uint8Array {
    return this.#keyCheck;
  }

  /** The last seq handed out (0: none yet). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** The seq the stored snapshot covers up to (0: no snapshot). */
  get snapshotUpTo(): number {
    return this.#snapshotUpTo;
  }

  /** Log entries after the snapshot, and their bytes. */
  get log(): { rows: number; bytes: number } {
    return { rows: this.#logRows, bytes: this.#logBytes };
  }

  /** Bytes stored: key check, snapshot and log (what counts against the room's document limit). */
  get bytes(): number {
    return this.#keyCheck.byteLength + this.#snapshotBytes + this.#logBytes;
  }

  /** Make the room encrypted, with `keyCheck`. */
  init(keyCheck: Uint8Array): void {
    if (this.#encrypted) return;
    this.#storage.transactionSync(() => {
      this.#sql.exec(`
        CREATE TABLE IF NOT EXISTS sealed_meta (id INTEGER PRIMARY KEY CHECK (id = 1), key_check BLOB NOT NULL, last_seq INTEGER NOT NULL, snapshot_up_to INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS sealed_log (seq INTEGER PRIMARY KEY, iv BLOB NOT NULL UNIQUE, data BLOB NOT NULL, at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS sealed_snapshot (chunk INTEGER PRIMARY KEY, data BLOB NOT NULL);
      `);
      this.#sql.exec("INSERT INTO sealed_meta (id, key_check, last_seq, snapshot_up_to) VALUES (1, ?, 0, 0)", keyCheck);
    });
    this.#encrypted = true;
    this.#keyCheck = keyCheck.slice();
  }

  /** True when the log holds a blob with the IV of `sealed` (the same blob sent again). */
  has(sealed: Uint8Array): boolean {
    return this.#sql.exec("SELECT 1 FROM sealed_log WHERE iv = ?", sealed.subarray(0, IV_BYTES)).toArray().length > 0;
  }

  /** Append `sealed` as the next seq, and return it. */
  append(sealed: Uint8Array): number {
    const seq = this.#lastSeq + 1;
    this.#storage.transactionSync(() => {
      this.#sql.exec("INSERT INTO sealed_log (seq, iv, data, at) VALUES (?, ?, ?, ?)", seq, sealed.subarray(0, IV_BYTES), sealed, Date.now());
      this.#sql.exec("UPDATE sealed_meta SET last_seq = ? WHERE id = 1", seq);
    });
    this.#lastSeq = seq;
    this.#logRows += 1;
    this.#logBytes += sealed.byteLength;
    return seq;
  }

  /** Bytes the log holds up to `upTo` (what a snapshot covering it would free). */
  bytesUpTo(upTo: number): number {
    return this.#sql.exec<{ bytes: number | null }>("SELECT sum(length(data)) AS bytes FROM sealed_log WHERE seq <= ?", upTo).one().bytes ?? 0;
  }

  /** Replace the snapshot with `snapshot` and delete the log entries it covers, atomically. */
  replaceSnapshot({ upTo, sealed }: SealedSnapshot): void {
    this.#storage.transactionSync(() => {
      this.#sql.exec("DELETE FROM sealed_snapshot");
      for (let i = 0, chunk = 0; i < sealed.byteLength; i += CHUNK_BYTES, chunk++) {
        this.#sql.exec("INSERT INTO sealed_snapshot (chunk, data) VALUES (?, ?)", chunk, sealed.subarray(i, i + CHUNK_BYTES));
      }
      this.#sql.exec("DELETE FROM sealed_log WHERE seq <= ?", upTo);
      this.#sql.exec("UPDATE sealed_meta SET snapshot_up_to = ? WHERE id = 1", upTo);
    });
    const log = this.#sql.exec<{ n: number; bytes: number | null }>("SELECT count(*) AS n, sum(length(data)) AS bytes FROM sealed_log").one();
    this.#logRows = log.n;
    this.#logBytes = log.bytes ?? 0;
    this.#snapshotUpTo = upTo;
    this.#snapshotBytes = sealed.byteLength;
  }

  /** The stored snapshot, or null. */
  snapshot(): SealedSnapshot | null {
    if (!this.#encrypted || this.#snapshotUpTo === 0) return null;
    const chunks = [...this.#sql.exec<{ data: ArrayBuffer }>("SELECT data FROM sealed_snapshot ORDER BY chunk")].map((row) => new Uint8Array(row.data));
    const sealed = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const chunk of chunks) {
      sealed.set(chunk, at);
      at += chunk.byteLength;
    }
    return { upTo: this.#snapshotUpTo, sealed };
  }

  /** The log entries after `since`, in order. */
  *entriesAfter(since: number): Generator<SealedEntry> {
    if (!this.#encrypted) return;
    for (const row of this.#sql.exec<{ seq: number; data: ArrayBuffer }>("SELECT seq, data FROM sealed_log WHERE seq > ? ORDER BY seq", since)) {
      yield { seq: row.seq, sealed: new Uint8Array(row.data) };
    }
  }
}
