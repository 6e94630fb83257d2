/**
 * Forks (`POST /live/<room>/fork`, README "Templates and forks"): the template room hands out what a fork starts from (its
 * files now, or a saved version's from R2) to whoever may read it, and the new room takes that as its first write, under
 * the room-creation limit, owned by a signed-in caller and remembering where it came from (`forkedFrom` in session.json).
 */
import * as Y from "yjs";
import { DEFAULT_ENTRY, FILE_FLAGS, META_KEY, entryOf, fileFlags, isValidFileName, readFiles, writeFile } from "../../core/project.js";
import { logEvent } from "../platform/log.js";
import { done, refuse, type ForkCreated, type ForkedFrom, type RoomCaller, type RoomRefusal, type RoomResult, type RoomSession } from "./room-api.js";
import { httpDenial } from "./room-access.js";
import { StorageError, type RoomDocument } from "./room-document.js";
import type { RoomPermissions } from "./room-permissions.js";
import type { RoomStorage } from "./room-storage.js";

/** Meta key of the room's key-value table that records where a fork came from (JSON of {@link ForkedFrom}). */
const FORKED_FROM_KEY = "forkedFrom";

/** What a fork starts from: the files, the entry, the files' flags (hidden, read-only), and where they came from. */
export interface ForkSeed {
  files: Record<string, string>;
  entry: string;
  /** `<flag>:<file>` keys of the template's meta that are set (core/project.ts FILE_FLAGS). */
  flags: string[];
  forkedFrom: ForkedFrom;
}

/**
 * R2 key of a saved version (the versions layout, README "Versions").
 * @example versionKey("demo", 3) // "rooms/demo/versions/3.json"
 */
export function versionKey(room: string, n: number): string {
  return `rooms/${room}/versions/${n}.json`;
}

/** What the fork calls need from their room. */
export interface RoomForksHost {
  storage: RoomStorage;
  document: RoomDocument;
  permissions: RoomPermissions;
  /** The R2 bucket of versions (env.ROOMS). */
  versions: R2Bucket;
  /** The room-creation limit for `caller`: null when allowed, else the 429. */
  admitCreation(caller: RoomCaller): Promise<RoomRefusal | null>;
}

/**
 * The two halves of a fork, each on its own room: {@link RoomForks.source} on the template, {@link RoomForks.create} on the new one.
 * @example const seed = await template.forkSource(caller, null); if (seed.ok) await fork.createFork({ ...caller, room: id }, seed.value);
 */
export class RoomForks {
  #host: RoomForksHost;

  constructor(host: RoomForksHost) {
    this.#host = host;
  }

  /**
   * What a fork of this room starts from, for a caller who may read it: its files now (`version` null), or saved version
   * `version`. 404 for a room nobody wrote to or a version it does not have.
   */
  async source(caller: RoomCaller, version: number | null): Promise<RoomResult<ForkSeed>> {
    const { storage, document, permissions } = this.#host;
    storage.roomName = caller.room;
    if (!storage.exists) return refuse(404, `no room "${caller.room}": nothing was ever written to it`);
    const denied = httpDenial(permissions.roleOf(caller.identity?.userId ?? null), "read", caller.identity);
    if (denied) return denied;
    const forkedFrom = { room: caller.room, version };
    if (version === null) {
      const doc = document.doc();
      const flags = Object.entries(fileFlags(doc)).flatMap(([name, set]) => FILE_FLAGS.filter((flag) => set[flag]).map((flag) => `${flag}:${name}`));
      return done({ files: readFiles(doc), entry: entryOf(doc), flags, forkedFrom });
    }
    const stored = await this.#host.versions.get(versionKey(caller.room, version));
    if (!stored) return refuse(404, `room "${caller.room}" has no version ${version}`);
    const files = filesOfVersion(await stored.json<unknown>());
    if (!files) return refuse(503, `version ${version} of room "${caller.room}" could not be read`);
    return done({ files, entry: DEFAULT_ENTRY in files ? DEFAULT_ENTRY : (Object.keys(files).sort()[0] ?? DEFAULT_ENTRY), flags: [], forkedFrom });
  }

  /**
   * Make this (new) room a fork: its first write is the seed, in one transaction, after the room-creation limit. A signed-in
   * caller owns it (private; they may share it by changing its permissions); an anonymous caller's fork is public and gets
   * the claim token. 409 when the room already exists (an id that was taken).
   */
  async create(caller: RoomCaller, seed: ForkSeed): Promise<RoomResult<ForkCreated>> {
    const { storage, document, permissions } = this.#host;
    storage.roomName = caller.room;
    if (storage.exists) return refuse(409, `room "${caller.room}" already exists`);
    const limited = await this.#host.admitCreation(caller);
    if (limited) return limited;
    // No await from here to the write: another call may have created the room during the one above.
    if (storage.exists) return refuse(409, `room "${caller.room}" already exists`);
    const userId = caller.identity?.userId ?? null;
    const doc = document.doc();
    let claimToken: string | null;
    try {
      claimToken = document.created(userId, () => doc.transact(() => seedInto(doc, seed), "fork"));
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      return refuse(503, error.message);
    }
    storage.setMeta(FORKED_FROM_KEY, JSON.stringify(seed.forkedFrom));
    if (userId) permissions.save(userId, { visibility: "private" });
    logEvent({ type: "room", event: "room_forked", room: caller.room, from: seed.forkedFrom.room, version: seed.forkedFrom.version, userId });
    return done({ room: caller.room, forkedFrom: seed.forkedFrom, ...(claimToken && !userId ? { claimToken } : {}) });
  }

  /** Where this room was forked from, or null when it is no fork. */
  forkedFrom(): ForkedFrom | null {
    if (!this.#host.storage.exists) return null;
    const stored = this.#host.storage.getMeta(FORKED_FROM_KEY);
    return stored ? (JSON.parse(stored) as ForkedFrom) : null;
  }

  /**
   * A session answer with the room's `forkedFrom`, when it is a fork.
   * @example return forks.withOrigin(await calls.session(caller));
   */
  withOrigin(result: RoomResult<RoomSession>): RoomResult<RoomSession> {
    if (!result.ok) return result;
    const forkedFrom = this.forkedFrom();
    return forkedFrom ? done({ ...result.value, forkedFrom }) : result;
  }
}

/** Write the seed's files, entry and flags into an empty doc. */
function seedInto(doc: Y.Doc, { files, entry, flags }: ForkSeed): void {
  for (const [name, text] of Object.entries(files)) writeFile(doc, name, text, "fork");
  const meta = doc.getMap<unknown>(META_KEY);
  if (entry !== DEFAULT_ENTRY) meta.set("entry", entry);
  for (const key of flags) meta.set(key, true);
}

/** The files of a stored version (`{files: {[name]: text}}`), or null when it does not have that shape. */
function filesOfVersion(body: unknown): Record<string, string> | null {
  if (typeof body !== "object" || body === null) return null;
  const files = (body as { files?: unknown }).files;
  if (typeof files !== "object" || files === null || Array.isArray(files)) return null;
  const entries = Object.entries(files as Record<string, unknown>);
  if (!entries.every(([name, text]) => isValidFileName(name) && typeof text === "string")) return null;
  return Object.fromEntries(entries) as Record<string, string>;
}
