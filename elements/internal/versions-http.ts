/**
 * The calls `<spike-versions>` makes about a room's saved versions and forks (README "Versions", docs/PROTOCOL.md), each
 * with the room client's current token, so they follow the room's permissions as the socket does. A refusal rejects with
 * core's ApiError, whose message is the server's `error`.
 */
import { ApiError, roomUrl, type RoomClient } from "../../core/index.js";
import type { ForkCreated, RestoreUndone, VersionInfo, VersionList, VersionRestored } from "../../core/api.js";

export type { ForkCreated, RestoreUndone, VersionInfo, VersionRestored };

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
  async list(): Promise<VersionInfo[]> {
    const body = await this.#call<Partial<VersionList>>("GET", "versions");
    return Array.isArray(body.versions) ? body.versions : [];
  }

  /**
   * Save the room as it is now as a new version; an empty name lets the server name it.
   * @example const { n } = await http.save("Before the refactor");
   */
  save(name: string): Promise<VersionInfo> {
    return this.#call("POST", "versions", name.trim() ? { name: name.trim() } : {});
  }

  /** Bring version `n` back into the live room, as one edit everyone sees (editors and the owner only). */
  restore(n: number): Promise<VersionRestored> {
    return this.#call("POST", `versions/${n}/restore`);
  }

  /** Set back the files a restore changed (`restored.restore`), except those someone changed since. */
  undoRestore(id: string): Promise<RestoreUndone> {
    return this.#call("POST", `restores/${encodeURIComponent(id)}/undo`);
  }

  /** A new room from version `n` (or, with null, from the room as it is now); the caller owns it when signed in. */
  fork(n: number | null): Promise<ForkCreated> {
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
