/**
 * The room-creation limit (the "create" bucket of workers/platform/rate-limit.ts): the first connect or write of an object's
 * life that reaches a room that does not exist takes one token for the client's IP (and user) before anything is stored;
 * a room that exists, or an object that paid once, is not asked again.
 */
import type { Env } from "../platform/env.js";
import { rateLimitMessage, takeRateLimit } from "../platform/rate-limit.js";
import { refuse, type RoomCaller, type RoomRefusal } from "./room-api.js";
import type { RoomStorage } from "./room-storage.js";

export class CreationLimit {
  #env: Env;
  #storage: RoomStorage;
  /** True once this object's life has paid (or did not need) a "create" token. */
  #admitted = false;

  constructor(env: Env, storage: RoomStorage) {
    this.#env = env;
    this.#storage = storage;
  }

  /**
   * Take the token for a client at `ip` (and `userId`, when signed in): null when allowed, else the seconds to wait.
   * @example const retryAfter = await creation.take(ip, identity?.userId);
   */
  async take(ip: string | null, userId: string | null | undefined): Promise<number | null> {
    if (this.#admitted || this.#storage.exists) {
      this.#admitted = true;
      return null;
    }
    const result = await takeRateLimit(this.#env, "create", { ip, userId });
    if (!result.ok) return result.retryAfterSeconds;
    this.#admitted = true;
    return null;
  }

  /**
   * The limit for a typed call that may create the room: null when allowed, else the 429 with its retry delay.
   * @example const limited = await creation.admit(caller); if (limited) return limited;
   */
  async admit(caller: RoomCaller): Promise<RoomRefusal | null> {
    const retryAfter = await this.take(caller.ip, caller.identity?.userId);
    if (retryAfter === null) return null;
    return refuse(429, rateLimitMessage(this.#env, "create", retryAfter), { retryAfter });
  }
}
