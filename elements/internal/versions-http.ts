/**
 * The calls `<spike-versions>` makes about a room's saved versions and forks (README "Versions", docs/PROTOCOL.md), each
 * with the room client's current token, so they follow the room's permissions as the socket does. A refusal rejects with
 * core's ApiError, whose message is the server's `error`.
 */
import { ApiError, roomUrl, type RoomClient } from "../../core/index.js";

/** Who saved a version: the signed-in user, or null when anonymous. */
export interface VersionAuthorView {
  id: string;
  name: string;
}

/** One saved version as `GET /live/<room>/versions` lists it (newest first). */
export interface VersionView {
  n: number;
  name: string;
  author: VersionAuthorView | null;
  /** ISO 8601. */
  createdAt: string;
  /** Saved by the room itself while it was being edited. */
  auto: boolean;
}

/** What a restore answered: the version restored, and the rest of the server's answer (say, how to undo it). */
export interface RestoreView {
  restored: number;
  [field: string]: unknown;
}

/** What a fork answered: the new room, and where it came from. */
export interface ForkView {
  room: string;
  forkedFrom: { room: string; version: number | null };
}

/**
 * The versions API of one room, through `client` (its server, room and token).
 * @example const versions = await new VersionsHttp(client).list();
 */
export class VersionsHttp {
  #client: RoomClient;

  constructor(client: RoomClient) {
    this.#client = client;
  }

  /** The room these calls are about. */
  get room(): string {
    return this.#client.room;
  }

  /** The room's versions, newest first. */
  async list(): Promise<VersionView[]> {
    const body = await this.#call<{ versions?: unknown }>("GET", "versions");
    return Array.isArray(body.versions) ? (body.versions as VersionView[]) : [];
  }

  /**
   * Save the room as it is now as a new version; an empty name lets the server name it.
   * @example const { n } = await http.save("Before the refactor");
   */
  save(name: string): Promise<VersionView> {
    return this.#call("POST", "versions", name.trim() ? { name: name.trim() } : {});
  }

  /** Bring version `n` back into the live room, as one edit everyone sees (editors and the owner only). */
  restore(n: number): Promise<RestoreView> {
    return this.#call("POST", `versions/${n}/restore`, {});
  }

  /** A new room from version `n` (or, with null, from the room as it is now); the caller owns it when signed in. */
  fork(n: number | null): Promise<ForkView> {
    return this.#call("POST", "fork", n === null ? {} : { version: n });
  }

  async #call<T>(method: string, route: string, body?: object): Promise<T> {
    const client = this.#client;
    const token = await client.token();
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body) headers["content-type"] = "application/json";
    const response = await fetch(roomUrl(client.http.server, client.room, route), {
      method,
      headers,
      credentials: "omit",
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw await ApiError.from(response);
    return (await response.json()) as T;
  }
}
