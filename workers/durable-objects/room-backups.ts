/**
 * A room's backup in R2 (bucket ROOMS): after the room's alarm folds the update log into the snapshot, the snapshot goes to
 * `rooms/<room>/backup`, with its version, permissions and creator in `rooms/<room>/backup.json`, at most once per
 * BACKUP_INTERVAL_SECONDS and only when the room changed since. A room whose Durable Object storage is empty but that has a
 * backup is restored from it before its first call or connect, and the log says so (`room_restored_from_backup`).
 * See README "Backups".
 */
import * as Y from "yjs";
import { logError, logEvent } from "../platform/log.js";
import { StorageError } from "./room-document.js";
import type { Permissions, RoomPermissions } from "./room-permissions.js";
import type { RoomStorage } from "./room-storage.js";

/** R2 keys of a room's backup (contract shared with forks). */
export const backupKeys = {
  /** The Yjs snapshot: `Y.encodeStateAsUpdate` of the whole document. */
  snapshot: (room: string) => `rooms/${room}/backup`,
  /** What else the room needs to come back as it was: {@link BackupInfo}. */
  info: (room: string) => `rooms/${room}/backup.json`,
} as const;

/** `rooms/<room>/backup.json` */
export interface BackupInfo {
  /** The room's version (stored updates) when the snapshot was taken. */
  version: number;
  /** The room's last write (ms since the epoch, 0 for never) and when the backup was taken (ISO 8601). */
  updatedAt: number;
  backedUpAt: string;
  bytes: number;
  /** The saved permissions, or null while the room is unclaimed. */
  permissions: Permissions | null;
  /** The room's meta values that decide who may claim it (room-claim.ts). */
  meta: Record<string, string>;
}

/** Meta keys copied into a backup and back (room-claim.ts). */
const CLAIM_META = ["creator", "claimToken"] as const;
/** Meta keys of the backups themselves. */
const BACKED_UP_VERSION = "backupVersion";
const BACKED_UP_AT = "backupAt";
/** A backup waits at least this long after the edit that asked for it, so a burst of typing is backed up once. */
const BACKUP_DELAY_MS = 2_000;

/** What the backups need from their room. */
export interface BackupsRoom {
  bucket: R2Bucket;
  storage: RoomStorage;
  permissions: RoomPermissions;
  /** BACKUP_INTERVAL_SECONDS, in ms. */
  intervalMs: number;
  /** The room's document (after `compact()`, the snapshot is exactly its state). */
  doc(): Y.Doc;
  /** Fold the update log into the snapshot. */
  compact(): void;
  /** Drop the loaded document, so the next use loads what is stored. */
  reload(): void;
  /** Make sure the alarm runs by `at`. */
  scheduleAlarm(at: number): void;
}

/**
 * @example await backups.ready("demo"); // restores the room from R2 when its storage is empty and it has a backup
 */
export class RoomBackups {
  #room: BackupsRoom;
  #due: number | null = null;
  #recovery: Promise<void> | null = null;

  constructor(room: BackupsRoom) {
    this.#room = room;
  }

  /**
   * Resolves once the room may be used: at once when its storage exists; else after restoring its backup, if it has one.
   * Checked once per instance (a failed check is tried again by the next call, which gets a retryable 503 meanwhile).
   */
  ready(room: string): Promise<void> {
    if (this.#room.storage.exists) return Promise.resolve();
    this.#recovery ??= this.#recover(room).catch((error: unknown) => {
      this.#recovery = null;
      logError(error, { type: "room", event: "backup_read_failed", room });
      throw new StorageError();
    });
    return this.#recovery;
  }

  /** The document was written to: make sure a backup is due once the interval since the last one has passed. */
  edited(now = Date.now()): void {
    const { storage } = this.#room;
    if (this.#due !== null || !storage.exists) return;
    const last = Number(storage.getMeta(BACKED_UP_AT) ?? 0);
    this.#due = Math.max(now + BACKUP_DELAY_MS, last + this.#room.intervalMs);
    this.#room.scheduleAlarm(this.#due);
  }

  /**
   * From the room's alarm: when the room changed since its last backup and the interval has passed, compact and write the
   * snapshot to R2. Returns when the alarm should run again for a backup, or null.
   */
  async alarm(now = Date.now()): Promise<number | null> {
    const { storage, bucket } = this.#room;
    const room = storage.roomName;
    if (!storage.exists || !room) return null;
    const { version, updatedAt } = storage.state();
    if (version <= Number(storage.getMeta(BACKED_UP_VERSION) ?? 0)) {
      this.#due = null;
      return null;
    }
    const next = Number(storage.getMeta(BACKED_UP_AT) ?? 0) + this.#room.intervalMs;
    if (now < next) return next;
    this.#room.compact();
    const snapshot = Y.encodeStateAsUpdate(this.#room.doc());
    const info: BackupInfo = {
      version,
      updatedAt: updatedAt ? Date.parse(updatedAt) : 0,
      backedUpAt: new Date(now).toISOString(),
      bytes: snapshot.byteLength,
      permissions: this.#room.permissions.stored ? this.#room.permissions.current : null,
      meta: Object.fromEntries(CLAIM_META.flatMap((key) => (storage.getMeta(key) === null ? [] : [[key, storage.getMeta(key)!]]))),
    };
    this.#due = null;
    try {
      await bucket.put(backupKeys.snapshot(room), snapshot, { httpMetadata: { contentType: "application/octet-stream" } });
      await bucket.put(backupKeys.info(room), JSON.stringify(info), { httpMetadata: { contentType: "application/json" } });
    } catch (error) {
      logError(error, { type: "room", event: "backup_failed", room });
      return now + this.#room.intervalMs;
    }
    storage.setMeta(BACKED_UP_VERSION, String(version));
    storage.setMeta(BACKED_UP_AT, String(now));
    logEvent({ type: "room", event: "room_backed_up", room, version, bytes: snapshot.byteLength });
    return null;
  }

  async #recover(room: string): Promise<void> {
    const { bucket, storage, permissions } = this.#room;
    const object = await bucket.get(backupKeys.snapshot(room));
    if (!object) return;
    const snapshot = new Uint8Array(await object.arrayBuffer());
    const info = (await (await bucket.get(backupKeys.info(room)))?.json<BackupInfo>()) ?? null;
    // A write may have created the room while R2 answered (it cannot today: every entry point waits here first).
    if (storage.exists) return;
    storage.restore(snapshot, info?.version ?? 1, info?.updatedAt ?? Date.now());
    for (const [key, value] of Object.entries(info?.meta ?? {})) if ((CLAIM_META as readonly string[]).includes(key)) storage.setMeta(key, value);
    const saved = info?.permissions;
    if (saved?.owner) permissions.save(saved.owner, { visibility: saved.visibility, editors: saved.editors, members: saved.members });
    // The backup is what R2 holds now, so the restored room does not back itself up again until it changes.
    storage.setMeta(BACKED_UP_VERSION, String(info?.version ?? 1));
    this.#room.reload();
    logEvent({
      level: "warn",
      type: "room",
      event: "room_restored_from_backup",
      room,
      version: info?.version ?? null,
      bytes: snapshot.byteLength,
      backedUpAt: info?.backedUpAt ?? null,
    });
  }
}
