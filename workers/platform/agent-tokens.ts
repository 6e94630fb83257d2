/**
 * Agent tokens' format, shared by the room that issues them (workers/durable-objects/room-agent-tokens.ts) and the `/mcp`
 * route that accepts them: `sat1.<base64url(utf8 room id)>.<secret>`, the secret 32 random bytes in base64url without
 * padding. The room part says which room to ask; only that room's SQLite knows the token, by its SHA-256 (hex, of the
 * whole token string), so a token names one room and opens nothing else. A token acts as the user `agent:<token id>`.
 */
import { isValidRoomId } from "../../core/room-limits.js";

/** Every agent token starts with this; any other bearer token is a Clerk session token. */
export const AGENT_TOKEN_PREFIX = "sat1.";
/** The user ids of agent tokens: `agent:<token id>`. Clerk's user ids never have this form (`user_…`). */
export const AGENT_USER_PREFIX = "agent:";
/** A token id: 12 random bytes in base64url. */
export const AGENT_TOKEN_ID_PATTERN = /^[A-Za-z0-9_-]{16}$/;
/** A whole token: the prefix, the room (base64url of 1-64 bytes), a 43-character secret. */
const TOKEN_PATTERN = /^sat1\.([A-Za-z0-9_-]{2,86})\.([A-Za-z0-9_-]{43})$/;

/**
 * A new token for `room` and its id.
 * @example const { token, id } = newAgentToken("demo"); // token "sat1.ZGVtbw.…", id "q3Xh…" (16 characters)
 */
export function newAgentToken(room: string): { token: string; id: string } {
  const room64 = base64url(new TextEncoder().encode(room));
  return { token: `${AGENT_TOKEN_PREFIX}${room64}.${base64url(randomBytes(32))}`, id: base64url(randomBytes(12)) };
}

/**
 * The room an agent token names, or null when `token` is not a well-formed agent token (of a valid room id).
 * @example agentTokenRoom("sat1.ZGVtbw.<43 characters>") // "demo"
 */
export function agentTokenRoom(token: string): string | null {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  try {
    // Room ids are ASCII (core/room-limits.ts), so the decoded bytes are the id's characters.
    const room = atob(match[1]!.replaceAll("-", "+").replaceAll("_", "/"));
    return isValidRoomId(room) ? room : null;
  } catch {
    return null;
  }
}

/**
 * The SHA-256 of a token, in hex: what its room stores and what `agentIdentity` looks up.
 * @example await hashAgentToken(token) // "9f86d0…" (64 hex digits)
 */
export async function hashAgentToken(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The user id an agent token acts as.
 * @example agentUserId("q3XhR0m2aB9cD1eF") // "agent:q3XhR0m2aB9cD1eF"
 */
export function agentUserId(tokenId: string): string {
  return `${AGENT_USER_PREFIX}${tokenId}`;
}

/** The token id of an agent's user id, or null for any other user id. */
export function agentTokenIdOf(userId: string | null | undefined): string | null {
  return userId?.startsWith(AGENT_USER_PREFIX) ? userId.slice(AGENT_USER_PREFIX.length) : null;
}

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
