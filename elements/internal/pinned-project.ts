/**
 * Pinned projects: a saved version of a room (`version="<n>"` on a room element), read once from the server's immutable
 * `GET /live/<room>/v/<n>/session.json` into a local Y.Doc that nothing ever writes to. Elements on one page that pin the
 * same server, room and version share one doc (and one request), as elements on one live room share one RoomClient.
 */
import * as Y from "yjs";
import { META_KEY, roomUrl, seedFiles, type RoomSession, type TokenSource } from "../../core/index.js";

/** A handle on a pinned project; call `release()` exactly once when done. */
export interface PinnedProjectLease {
  readonly doc: Y.Doc;
  /** Resolves once the version's files are in `doc`; rejects with a {@link PinnedVersionError} saying why they are not. */
  readonly loaded: Promise<void>;
  release(): void;
}

/** Why a version could not be shown: its HTTP status (0 when the server could not be reached) and the server's words. */
export class PinnedVersionError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "PinnedVersionError";
  }
}

/**
 * True for the version numbers the server names: whole numbers from 1.
 * @example isVersionNumber(3) // true; isVersionNumber(0), isVersionNumber(NaN) // false
 */
export function isVersionNumber(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 1;
}

/**
 * The URL of a file under a version's pinned routes: `session.json`, `index.js`, `index.tsx` or `files/<name>`.
 * @example pinnedUrl("http://localhost:8787", "demo", 3, "session.json") // "http://localhost:8787/live/demo/v/3/session.json"
 */
export function pinnedUrl(server: string, room: string, version: number, route: string): string {
  return roomUrl(server, room, `v/${version}/${route}`);
}

const pinned = new Map<string, { doc: Y.Doc; loaded: Promise<void>; refs: number }>();

/**
 * The pinned project of `version` of `room` on `server`, shared on this page; the last release destroys it. A failed load
 * is forgotten once released, so a later element asks again.
 * @example const lease = acquirePinnedProject("http://localhost:8787", "demo", 3); await lease.loaded; lease.doc; lease.release();
 */
export function acquirePinnedProject(server: string, room: string, version: number, token?: TokenSource): PinnedProjectLease {
  const key = `${new URL(server).origin}\n${room}\n${version}`;
  let entry = pinned.get(key);
  if (!entry) {
    const doc = new Y.Doc();
    entry = { doc, loaded: loadVersion(doc, server, room, version, token), refs: 0 };
    entry.loaded.catch(() => {}); // each lease's holder hears of it; an unheld rejection is not an error of the page
    pinned.set(key, entry);
  }
  entry.refs++;
  const held = entry;
  let released = false;
  return {
    doc: held.doc,
    loaded: held.loaded,
    release() {
      if (released) return;
      released = true;
      if (--held.refs === 0 && pinned.get(key) === held) {
        pinned.delete(key);
        held.doc.destroy();
      }
    },
  };
}

async function loadVersion(doc: Y.Doc, server: string, room: string, version: number, token?: TokenSource): Promise<void> {
  if (!isVersionNumber(version)) throw new PinnedVersionError(400, `version must be a whole number from 1, not "${version}"`);
  const headers: Record<string, string> = {};
  const bearer = token ? await Promise.resolve(token()).catch(() => null) : null;
  if (bearer) headers["authorization"] = `Bearer ${bearer}`;
  let response: Response;
  try {
    response = await fetch(pinnedUrl(server, room, version, "session.json"), { headers, credentials: "omit" });
  } catch (error) {
    throw new PinnedVersionError(0, `cannot reach the server: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => null)) as (Partial<RoomSession> & { error?: unknown }) | null;
  if (!response.ok || !body || typeof body.files !== "object" || body.files === null) {
    const said = typeof body?.error === "string" ? body.error : `HTTP ${response.status}`;
    throw new PinnedVersionError(response.status, response.status === 404 ? `version ${version} of room ${room} does not exist (${said})` : said);
  }
  const files = Object.fromEntries(Object.entries(body.files).filter((pair): pair is [string, string] => typeof pair[1] === "string"));
  doc.transact(() => {
    seedFiles(doc, files);
    if (typeof body.entry === "string" && body.entry) doc.getMap(META_KEY).set("entry", body.entry);
  });
}
