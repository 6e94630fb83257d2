/**
 * The room's version calls (CodeRoom's RPC methods for `/live/<room>/versions…` and `/live/<room>/restores…` delegate
 * here) and its autosave: reading versions needs the right to open the room, saving, restoring and undoing a restore the
 * right to edit it (room-access.ts, checked again after every wait on R2). While the room is being edited, its alarm saves
 * an automatic version every VERSIONS_AUTOSAVE_SECONDS and keeps the newest VERSIONS_AUTOSAVE_KEEP of them.
 */
import type { RestoreUndone, Version, VersionAuthor, VersionInfo, VersionList, VersionRestored } from "../../core/api.js";
import type { Identity } from "../platform/auth.js";
import type { Config } from "../platform/config.js";
import { logError, logEvent } from "../platform/log.js";
import { done, refuse, type Parsed, type RoomCaller, type RoomRefusal, type RoomResult } from "./room-api.js";
import type { RoomStorage } from "./room-storage.js";
import type { RoomVersions } from "./room-versions.js";
import { missingRoom, runRoomCall } from "./room-call.js";

/** A `POST /live/<room>/versions` body as the Worker parsed it. */
export interface VersionRequest {
  name: string | null;
  /** What to call the signed-in author (default: the user id); ignored for an anonymous caller. */
  author: string | null;
}

/** Meta keys of the autosave (room-storage.ts meta table). */
const AUTOSAVE_DUE = "autosaveDue";
const AUTOSAVED_VERSION = "autosavedVersion";
/** When an automatic save fails (R2 unavailable), try again this much later. */
const AUTOSAVE_RETRY_MS = 60_000;

/** What the calls need from their room. */
export interface VersionCallsHost {
  versions: RoomVersions;
  storage: RoomStorage;
  config: Config;
  /** True when the stored document may grow by `growth` bytes. */
  fits(growth: number): boolean;
  /** The refusal of `need` by `identity` under the room's rules (room-access.ts httpDenial), or null when allowed. */
  denial(identity: Identity | null, need: "read" | "edit"): RoomRefusal | null;
  /** Resolves once the room is loaded (restored from its backup first when its storage is empty: room-backups.ts). */
  ready(room: string): Promise<void>;
  /** Make sure the alarm runs by `at`. */
  scheduleAlarm(at: number): void;
}

/**
 * @example const saved = await calls.save(caller, { ok: true, value: { name: "v1", author: null } });
 */
export class RoomVersionCalls {
  #host: VersionCallsHost;
  /** When the next automatic save is due, once an edit asked for one; null when none is pending in this instance. */
  #due: number | null = null;

  constructor(host: VersionCallsHost) {
    this.#host = host;
  }

  /** `POST /live/<room>/versions`: save the live files as the next version. */
  save(caller: RoomCaller, body: Parsed<VersionRequest>): Promise<RoomResult<Version>> {
    return this.#run(caller, async () => {
      const refused = this.#denial(caller.identity, "edit");
      if (refused) return refused;
      if (!body.ok) return body;
      const author: VersionAuthor | null = caller.identity ? { id: caller.identity.userId, name: body.value.author ?? caller.identity.userId } : null;
      return done(await this.#host.versions.save(caller.room, { name: body.value.name, author, auto: false }));
    });
  }

  /** `GET /live/<room>/versions` */
  list(caller: RoomCaller): Promise<RoomResult<VersionList>> {
    return this.#run(caller, async () => this.#denial(caller.identity, "read") ?? done({ versions: await this.#host.versions.list(caller.room) }));
  }

  /** `GET /live/<room>/versions/<n>` and every pinned `/live/<room>/v/<n>/…` read. */
  read(caller: RoomCaller, n: number): Promise<RoomResult<Version>> {
    return this.#run(caller, async () => {
      const refused = this.#denial(caller.identity, "read");
      if (refused) return refused;
      const version = await this.#host.versions.read(caller.room, n);
      return version ? done(version) : unknownVersion(caller.room, n);
    });
  }

  /** `POST /live/<room>/versions/<n>/restore`: one transaction on the live document, undoable by its `restore` id. */
  restore(caller: RoomCaller, n: number): Promise<RoomResult<VersionRestored>> {
    return this.#run(caller, async () => {
      const refused = this.#denial(caller.identity, "edit");
      if (refused) return refused;
      const version = await this.#host.versions.read(caller.room, n);
      if (!version) return unknownVersion(caller.room, n);
      // The permissions may have changed while R2 answered; from here to the write nothing awaits.
      const late = this.#denial(caller.identity, "edit");
      if (late) return late;
      const growth = this.#host.versions.growthOf(version);
      if (growth > 0 && !this.#host.fits(growth)) {
        return refuse(413, `restoring version ${n} would pass the room's size limit (${this.#host.config.room.limits.maxDocumentBytes} bytes); delete something first`);
      }
      const id = `${Date.now().toString(36).padStart(9, "0")}-${crypto.randomUUID().slice(0, 8)}`;
      const { answer, record } = this.#host.versions.restore(version, id);
      await this.#host.versions.keep(caller.room, record);
      logEvent({ type: "room", event: "version_restored", room: caller.room, version: n, files: record.files.length });
      return done(answer);
    });
  }

  /** `POST /live/<room>/restores/<id>/undo`: set back what a restore did, file by file, while it is still in place. */
  undo(caller: RoomCaller, id: string): Promise<RoomResult<RestoreUndone>> {
    return this.#run(caller, async () => {
      const refused = this.#denial(caller.identity, "edit");
      if (refused) return refused;
      const record = await this.#host.versions.record(caller.room, id);
      if (!record) return refuse(404, `no restore "${id}" to undo in this room (it was undone already, or is too old)`);
      const late = this.#denial(caller.identity, "edit");
      if (late) return late;
      const growth = record.files.reduce((sum, file) => sum + 3 * file.before.length, 0);
      if (growth > 0 && !this.#host.fits(growth)) return refuse(413, "undoing this restore would pass the room's size limit; delete something first");
      const result = this.#host.versions.undo(record);
      await this.#host.versions.forget(caller.room, id);
      return done(result);
    });
  }

  // ---- autosave ----------------------------------------------------------------------------------------------------

  /** The document was written to: make sure an automatic save is due within VERSIONS_AUTOSAVE_SECONDS. */
  edited(now = Date.now()): void {
    const { storage } = this.#host;
    if (this.#due !== null || !storage.exists) return;
    const stored = Number(storage.getMeta(AUTOSAVE_DUE) ?? 0);
    this.#due = stored > 0 ? stored : now + this.#host.config.versions.autosaveMs;
    if (stored <= 0) storage.setMeta(AUTOSAVE_DUE, String(this.#due));
    this.#host.scheduleAlarm(this.#due);
  }

  /**
   * From the room's alarm: save an automatic version when one is due and the room changed since the last one, then prune
   * the oldest. Returns when the alarm should run again for the autosave, or null.
   */
  async alarm(now = Date.now()): Promise<number | null> {
    const { storage, versions, config } = this.#host;
    const room = storage.roomName;
    if (!storage.exists || !room) return null;
    const due = this.#due ?? (Number(storage.getMeta(AUTOSAVE_DUE) ?? 0) || null);
    if (due === null) return null;
    if (now < due) return due;
    const version = storage.state().version;
    // Cleared before the save awaits R2, so an edit made meanwhile asks for the next save.
    this.#due = null;
    storage.deleteMeta(AUTOSAVE_DUE);
    if (version <= Number(storage.getMeta(AUTOSAVED_VERSION) ?? 0)) return null;
    try {
      const saved = await versions.save(room, { name: null, author: null, auto: true });
      storage.setMeta(AUTOSAVED_VERSION, String(version));
      const pruned = await versions.prune(room, config.versions.autosaveKeep);
      logEvent({ type: "room", event: "version_autosaved", room, version: saved.n, pruned });
      return null;
    } catch (error) {
      logError(error, { type: "room", event: "autosave_failed", room });
      this.#due = now + AUTOSAVE_RETRY_MS;
      storage.setMeta(AUTOSAVE_DUE, String(this.#due));
      return this.#due;
    }
  }

  /** A room nobody ever wrote to has no versions (a 404 that stores nothing); else the room's rules decide. */
  #denial(identity: Identity | null, need: "read" | "edit"): RoomRefusal | null {
    const { storage } = this.#host;
    return missingRoom(storage) ?? this.#host.denial(identity, need);
  }

  #run<T>(caller: RoomCaller, work: () => RoomResult<T> | Promise<RoomResult<T>>): Promise<RoomResult<T>> {
    return runRoomCall(this.#host, caller, work);
  }
}

function unknownVersion(room: string, n: number): RoomRefusal {
  return refuse(404, `room "${room}" has no version ${n}`);
}

/**
 * The answer to `POST /live/<room>/versions`: the version without its entry and files.
 * @example c.json(versionInfo(saved.value), 201)
 */
export function versionInfo({ n, name, author, createdAt, auto }: VersionInfo): VersionInfo {
  return { n, name, author, createdAt, auto };
}
