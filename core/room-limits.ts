/**
 * What a room accepts and how it says no, beyond the frames themselves (core/protocol.ts): WebSocket close codes, the kinds
 * of denial a refusal names, the default limits and room ids. Shared by RoomClient, the room's HTTP API and the Workers;
 * written up in docs/PROTOCOL.md.
 */

/**
 * WebSocket close codes a room uses. 1xxx are RFC 6455's own meanings; 4xxx are spike's.
 * A client must not reconnect after a code listed in {@link TERMINAL_CLOSE_CODES}.
 */
export const CloseCode = {
  /** The client went away or the room closed the socket in an orderly way. */
  Normal: 1000,
  /** A text frame: the protocol is binary only. */
  UnsupportedData: 1003,
  /** A binary frame that is not a well-formed message (unknown type, truncated, corrupt Yjs update). */
  InvalidFrame: 1007,
  /** Too much data sent before a private room admitted the socket (the token must come first). */
  PolicyViolation: 1008,
  /** A frame larger than the room's maximum frame size (or an awareness state larger than its maximum). */
  FrameTooLarge: 1009,
  /** The room could not store an accepted change (a storage failure). Nothing was lost that was acknowledged: retry. */
  InternalError: 1011,
  /** The room has its maximum number of connections, or of connections from one address; try again later. */
  RoomFull: 1013,
  /** No valid token: a private room needs one, or the token sent was bad or expired. Reason says which. */
  Unauthorized: 4401,
  /** A valid token, but this user may not open the room (a private room's non-member). */
  Forbidden: 4403,
  /** The socket sent nothing within the room's idle timeout after connecting. Reconnect when there is something to send. */
  Idle: 4408,
  /**
   * The room is end-to-end encrypted: a socket that did not ask for e2e (`e2e=1`) connected, or a plaintext Sync write
   * reached it. Reason: "room is end-to-end encrypted".
   */
  Encrypted: 4409,
  /**
   * The room is not end-to-end encrypted but holds plaintext content: an e2e socket connected, or sent Sealed/Init.
   * Reason: "room is not end-to-end encrypted".
   */
  NotEncrypted: 4412,
  /** Applying the update would grow the stored document past the room's maximum. */
  DocumentTooLarge: 4413,
  /**
   * Too many connects, frames or full-state requests. The room sends an Auth/Refused message with `retryAfterSeconds` just
   * before this close (core/protocol.ts `encodeRefused`); the reason says the same in words, for people and logs.
   */
  RateLimited: 4429,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * Close codes after which reconnecting with the same data would fail the same way. After Unauthorized and Forbidden a
 * client reconnects only once it has a different token.
 */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.UnsupportedData,
  CloseCode.InvalidFrame,
  CloseCode.PolicyViolation,
  CloseCode.FrameTooLarge,
  CloseCode.Unauthorized,
  CloseCode.Forbidden,
  CloseCode.DocumentTooLarge,
  CloseCode.Encrypted,
  CloseCode.NotEncrypted,
]);

/** Default room limits; the Worker can override each through its environment (see docs/PROTOCOL.md). */
export const DEFAULT_LIMITS = {
  /** Largest binary frame accepted, in bytes. */
  maxFrameBytes: 1_000_000,
  /** Largest stored document (snapshot + update log), in bytes. */
  maxDocumentBytes: 16_000_000,
  /** Most simultaneous WebSocket connections in one room. */
  maxConnections: 256,
  /** Most simultaneous connections to one room from one client address (an IPv6 /64 counts as one). */
  maxConnectionsPerIp: 64,
  /** Largest awareness (presence) state of one client, in bytes of JSON. */
  maxAwarenessBytes: 4_096,
} as const;
export type RoomLimits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

/**
 * The query parameter spike's RoomClient adds to the socket URL (`?client=spike`) to say it reads close codes and their
 * reasons. A room refuses such a client with an accepted-then-closed socket (4429 after an Auth/Refused, 1013); any other client
 * gets the refusal as an HTTP status before the upgrade, which stock y-websocket clients answer with their own backoff
 * (they treat 4400-4499 close codes as final, and older ones reset their backoff whenever a socket opens).
 */
export const ROOM_CLIENT_PARAM = { name: "client", value: "spike" } as const;

/** Room ids are 1-64 characters of `[A-Za-z0-9_-]`. */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * True when `id` is a valid room id.
 * @example isValidRoomId("demo") // true
 */
export function isValidRoomId(id: string): boolean {
  return ROOM_ID_PATTERN.test(id);
}

/**
 * Why something was refused, as data: the `denial` of an Auth/PermissionDenied message and of a 401/403 JSON body
 * (core/api.ts `ApiError.denial`). The HTTP status says whether signing in might help (401) or not (403); the denial says
 * which rule refused.
 */
export const DENIALS = [
  /** The caller may read the room but not edit it (a viewer, or anyone but the owner and editors of a read-only room). */
  "read-only",
  /** The room is private and the caller is not its owner, an editor or a member. */
  "private",
  /** Only the room's owner may do this (read or change its permissions, clear its chat). */
  "owner-only",
  /** Only a signed-in user may do this (AI where `AI_REQUIRE_SIGN_IN` is on, claiming a room). */
  "sign-in-required",
  /** The token sent was refused (malformed, expired, not a session token of this server's Clerk instance), or this server takes none. */
  "invalid-token",
  /** The room holds work and the caller may not claim it (not its creator, no claim token). */
  "claim-refused",
] as const;
export type Denial = (typeof DENIALS)[number];

/**
 * True when `value` is one of the {@link DENIALS}.
 * @example isDenial("read-only") // true
 */
export function isDenial(value: unknown): value is Denial {
  return (DENIALS as readonly unknown[]).includes(value);
}
