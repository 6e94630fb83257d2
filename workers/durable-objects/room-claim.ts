/**
 * Who may claim a room nobody owns yet (docs/PROTOCOL.md "Claiming a room"). A room remembers who created it (its first
 * stored write) and mints a claim token for the connection or request that did; claiming a room that already holds work
 * takes that token, or being its signed-in creator, so a stranger who signs up cannot take an embedded room and lock its
 * authors out of their own content.
 */
import { CLAIM_TOKEN_PATTERN } from "../../core/protocol.js";
import type { RoomStorage } from "./room-storage.js";

/** Meta keys of the room's key-value table. */
const CREATOR_KEY = "creator";
const CLAIM_TOKEN_KEY = "claimToken";

/** Why a claim of an unowned room was allowed, or why not. */
export type ClaimDecision = "new room" | "creator" | "claim token" | "operator" | null;

export class RoomClaim {
  #storage: RoomStorage;

  constructor(storage: RoomStorage) {
    this.#storage = storage;
  }

  /**
   * Record the room's creation by `creator` (null: anonymous) and return the claim token for whoever created it.
   * @example const claimToken = claim.record(identity?.userId ?? null); ws.send(encodeClaim(claimToken));
   */
  record(creator: string | null): string {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const token = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    if (creator) this.#storage.setMeta(CREATOR_KEY, creator);
    this.#storage.setMeta(CLAIM_TOKEN_KEY, token);
    return token;
  }

  /**
   * May `userId` claim this unowned room? Yes when it was never written to (claiming creates it), when `userId` created it
   * while signed in, when `claimToken` is the room's, or when `userId` is one of the deployment's operators.
   * @example if (!claim.decide(identity.userId, body.claimToken, readConfig(env).auth.admins)) return refuse(403, …);
   */
  decide(userId: string, claimToken: string | undefined, operators: ReadonlySet<string>): ClaimDecision {
    if (!this.#storage.exists) return "new room";
    if (this.#storage.getMeta(CREATOR_KEY) === userId) return "creator";
    const stored = this.#storage.getMeta(CLAIM_TOKEN_KEY);
    if (stored && claimToken && CLAIM_TOKEN_PATTERN.test(claimToken) && sameText(stored, claimToken)) return "claim token";
    if (operators.has(userId)) return "operator";
    return null;
  }

  /** The room has an owner now: the claim token has done its job. */
  claimed(): void {
    this.#storage.deleteMeta(CLAIM_TOKEN_KEY);
  }
}

/** Compare two secrets without an early exit that would tell how much of a guess was right. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
