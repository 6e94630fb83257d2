/**
 * A room's saved versions over HTTP (README "Versions"): save, list, read, restore and undo a restore, and the URLs of a
 * version's pinned, immutable files (`/live/<room>/v/<n>/…`) that `version="<n>"` on an element loads. Each call carries
 * the current token and resolves with core/api.ts's answer type or rejects with an {@link ApiError}.
 */
import {
  ApiError,
  objectOf,
  roomUrl,
  type HttpResponseLike,
  type RestoreUndone,
  type RoomSession,
  type Version,
  type VersionInfo,
  type VersionList,
  type VersionRestored,
} from "./api.js";
import type { FetchLike, RoomHttpOptions } from "./room-http.js";
import { isValidRoomId } from "./room-limits.js";

/** The path of each version route under `<server>/live/<room>/`. */
export const versionRoutes = {
  versions: "versions",
  version: (n: number) => `versions/${n}`,
  restore: (n: number) => `versions/${n}/restore`,
  undoRestore: (id: string) => `restores/${encodeURIComponent(id)}/undo`,
  /** A pinned file of version `n`: `session.json`, `index.tsx`, `index.js` or `files/<name>`. */
  pinned: (n: number, file: string) => `v/${n}/${file.split("/").map(encodeURIComponent).join("/")}`,
} as const;

/**
 * The URL of a pinned, immutable file of version `n`: `"session.json"`, `"index.tsx"`, `"index.js"` or `"files/<name>"`.
 * @example pinnedUrl("http://localhost:8787", "demo", 3, "index.js") // "http://localhost:8787/live/demo/v/3/index.js"
 */
export function pinnedUrl(server: string, room: string, n: number, file: string): string {
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`invalid version ${n}: versions are numbered 1, 2, 3, …`);
  return roomUrl(server, room, versionRoutes.pinned(n, file));
}

/**
 * @example
 * const versions = new RoomVersionsHttp({ server: "http://localhost:8787", room: "demo", token: () => session.getToken() });
 * const { n } = await versions.save({ name: "Before the refactor" });
 * const { restore } = await versions.restore(n);
 * await versions.undoRestore(restore);
 */
export class RoomVersionsHttp {
  readonly server: string;
  readonly room: string;
  #token: () => Promise<string | null>;
  #fetch: FetchLike;

  constructor(options: RoomHttpOptions) {
    if (!isValidRoomId(options.room)) throw new TypeError(`invalid room id "${options.room}": use 1-64 of [A-Za-z0-9_-]`);
    this.server = options.server;
    this.room = options.room;
    this.#token = options.token ?? (async () => null);
    const given = options.fetch;
    this.#fetch = (url, init) => {
      const fetch = given ?? (globalThis as unknown as { fetch?: FetchLike }).fetch;
      if (!fetch) return Promise.reject(new TypeError("no fetch implementation: pass options.fetch"));
      return fetch(url, init);
    };
  }

  /** Save the room's files as its next version (editors and the owner). */
  save(options: { name?: string; author?: string } = {}): Promise<VersionInfo> {
    return this.#json("POST", versionRoutes.versions, JSON.stringify(options));
  }

  /** Every version, newest first. */
  async list(): Promise<VersionInfo[]> {
    return (await this.#json<VersionList>("GET", versionRoutes.versions)).versions;
  }

  /** Version `n` with its files; rejects with a 404 ApiError for a version the room does not have. */
  read(n: number): Promise<Version> {
    return this.#json("GET", versionRoutes.version(n));
  }

  /** Bring version `n` back into the live room as one edit every client sees; the answer's `restore` undoes it. */
  restore(n: number): Promise<VersionRestored> {
    return this.#json("POST", versionRoutes.restore(n));
  }

  /** Undo restore `id`: its text goes, what it replaced comes back, what others typed since stays. */
  undoRestore(id: string): Promise<RestoreUndone> {
    return this.#json("POST", versionRoutes.undoRestore(id));
  }

  /** Version `n` as a session (`/live/<room>/v/<n>/session.json`): what a pinned element shows. */
  pinnedSession(n: number): Promise<RoomSession> {
    return this.#json("GET", versionRoutes.pinned(n, "session.json"));
  }

  async #json<T>(method: string, route: string, body?: string): Promise<T> {
    const token = await this.#token();
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers["content-type"] = "application/json";
    const url = roomUrl(this.server, this.room, route);
    const response: HttpResponseLike = await this.#fetch(url, body !== undefined ? { method, headers, body } : { method, headers });
    if (!response.ok) throw await ApiError.from(response);
    const text = await response.text();
    const parsed = objectOf(text);
    if (!parsed) throw new ApiError(response.status, `the server's answer is not a JSON object: ${text.slice(0, 80)}`);
    return parsed as T;
  }
}
