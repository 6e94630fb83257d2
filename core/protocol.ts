/**
 * The room wire protocol: the y-websocket framing (sync, awareness, auth, query-awareness) plus the close codes and limits
 * a spike room uses. Pure encode/decode over Uint8Array, shared by RoomClient and the CodeRoom Durable Object.
 * Written up for third parties in docs/PROTOCOL.md.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/** First varUint of every binary frame. The numbers are y-websocket's, so a stock client can join. */
export const MessageType = {
  /** y-protocols sync message: step 1 (state vector), step 2 (missing structs) or update. */
  Sync: 0,
  /** y-protocols awareness update (cursors, user names and colours). */
  Awareness: 1,
  /** Authentication: y-protocols' permission-denied message, plus spike's token (client) and grant (server). See {@link AuthKind}. */
  Auth: 2,
  /** Ask the other side to send its full awareness state. */
  QueryAwareness: 3,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Second varUint of a Sync message. */
export const SyncStep = {
  Step1: 0,
  Step2: 1,
  Update: 2,
} as const;
export type SyncStep = (typeof SyncStep)[keyof typeof SyncStep];

/** Second varUint of an Auth message. 0 is y-protocols' own, so a stock client still understands a refusal. */
export const AuthKind = {
  /** Server -> client: "you may not do that" + a reason (e.g. an edit on a read-only connection). */
  PermissionDenied: 0,
  /** Client -> server: a bearer token (a Clerk session JWT). Sent first on connect and again before it expires. */
  Token: 1,
  /** Server -> client: what this connection may do from now on, as JSON ({@link RoomGrant}). */
  Granted: 2,
  /**
   * Server -> client: the claim token of a room this connection just created (its first stored write). Whoever holds it
   * may claim the room (`PUT /live/<room>/permissions` with `claimToken`) although others have edited it since.
   */
  Claim: 3,
} as const;
export type AuthKind = (typeof AuthKind)[keyof typeof AuthKind];

/** Who may open a room and who may edit it. See docs/PROTOCOL.md "Permissions". */
export type Visibility = "public" | "readonly" | "private";
export const VISIBILITIES: readonly Visibility[] = ["public", "readonly", "private"];

/** What one connection may do: the owner and editors write; viewers only watch. */
export type RoomRole = "owner" | "editor" | "viewer";

/** The server's answer to a token (and to a change of the room's permissions), sent as an Auth/Granted message. */
export interface RoomGrant {
  role: RoomRole;
  /** The verified user id (Clerk's `sub`), or null for an anonymous connection. */
  userId: string | null;
  visibility: Visibility;
  /** When the token stops counting, in ms since the epoch; null when anonymous. */
  expiresAt: number | null;
}

/** Longest token an Auth/Token message may carry, in characters; Clerk's session tokens are well under 2 KB. */
export const MAX_TOKEN_BYTES = 8_192;

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
  /** Applying the update would grow the stored document past the room's maximum. */
  DocumentTooLarge: 4413,
  /** Too many connects, frames or full-state requests; the reason ends with "retry in <seconds> s". */
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
]);

/**
 * Seconds a RateLimited close asks the client to wait, read from its reason ("… retry in 12 s"); 1 when absent.
 * @example retryAfterSeconds("too many frames; retry in 3 s") // 3
 */
export function retryAfterSeconds(reason: string): number {
  const match = /retry in (\d+(?:\.\d+)?) s/.exec(reason);
  return match ? Math.max(0, Number(match[1])) : 1;
}

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
 * reasons. A room refuses such a client with an accepted-then-closed socket (4429 "… retry in N s", 1013); any other client
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

/** A decoded frame. Sync payloads stay encoded: Yjs itself reads them. */
export type Message =
  | { type: typeof MessageType.Sync; step: typeof SyncStep.Step1; stateVector: Uint8Array }
  | { type: typeof MessageType.Sync; step: typeof SyncStep.Step2 | typeof SyncStep.Update; update: Uint8Array }
  | { type: typeof MessageType.Awareness; update: Uint8Array }
  | { type: typeof MessageType.Auth; kind: typeof AuthKind.PermissionDenied; reason: string }
  | { type: typeof MessageType.Auth; kind: typeof AuthKind.Token; token: string }
  | { type: typeof MessageType.Auth; kind: typeof AuthKind.Granted; grant: RoomGrant }
  | { type: typeof MessageType.Auth; kind: typeof AuthKind.Claim; claimToken: string }
  | { type: typeof MessageType.QueryAwareness };

/** Thrown by {@link decodeMessage} for a frame that is not a well-formed message. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

/**
 * Decode one binary frame. Throws {@link ProtocolError} on anything malformed, including trailing bytes.
 * @example decodeMessage(encodeSyncStep1(Y.encodeStateVector(doc))).type === MessageType.Sync
 */
export function decodeMessage(frame: Uint8Array): Message {
  const decoder = decoding.createDecoder(frame);
  let message: Message;
  try {
    message = readMessage(decoder);
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`truncated frame (${frame.byteLength} bytes)`);
  }
  if (decoding.hasContent(decoder)) {
    throw new ProtocolError(`${frame.byteLength - decoder.pos} trailing bytes after the message`);
  }
  return message;
}

function readMessage(decoder: decoding.Decoder): Message {
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MessageType.Sync: {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      switch (step) {
        case SyncStep.Step1:
          return { type, step, stateVector: payload };
        case SyncStep.Step2:
        case SyncStep.Update:
          return { type, step, update: payload };
        default:
          throw new ProtocolError(`unknown sync step ${step}`);
      }
    }
    case MessageType.Awareness:
      return { type, update: decoding.readVarUint8Array(decoder) };
    case MessageType.Auth: {
      const kind = decoding.readVarUint(decoder);
      switch (kind) {
        case AuthKind.PermissionDenied:
          return { type, kind, reason: decoding.readVarString(decoder) };
        case AuthKind.Token: {
          const token = decoding.readVarString(decoder);
          if (token.length > MAX_TOKEN_BYTES) throw new ProtocolError(`token longer than ${MAX_TOKEN_BYTES} characters`);
          return { type, kind, token };
        }
        case AuthKind.Granted:
          return { type, kind, grant: parseGrant(decoding.readVarString(decoder)) };
        case AuthKind.Claim: {
          const claimToken = decoding.readVarString(decoder);
          if (!CLAIM_TOKEN_PATTERN.test(claimToken)) throw new ProtocolError("malformed claim token");
          return { type, kind, claimToken };
        }
        default:
          throw new ProtocolError(`unknown auth message ${kind}`);
      }
    }
    case MessageType.QueryAwareness:
      return { type };
    default:
      throw new ProtocolError(`unknown message type ${type}`);
  }
}

const ROLES: readonly RoomRole[] = ["owner", "editor", "viewer"];

function parseGrant(json: string): RoomGrant {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ProtocolError("grant is not JSON");
  }
  const grant = value as Partial<RoomGrant> | null;
  if (
    !grant ||
    !ROLES.includes(grant.role as RoomRole) ||
    !VISIBILITIES.includes(grant.visibility as Visibility) ||
    !(grant.userId === null || typeof grant.userId === "string") ||
    !(grant.expiresAt === null || typeof grant.expiresAt === "number")
  ) {
    throw new ProtocolError("malformed grant");
  }
  return { role: grant.role!, userId: grant.userId, visibility: grant.visibility!, expiresAt: grant.expiresAt };
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: "here is my state vector, send me what I miss". */
export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncStep.Step1);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

/** Sync step 2: the answer to step 1, a Yjs update with everything the asker lacks. */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncStep.Step2);
    encoding.writeVarUint8Array(e, update);
  });
}

/** An incremental Yjs update. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncStep.Update);
    encoding.writeVarUint8Array(e, update);
  });
}

/** An awareness update as produced by y-protocols' `encodeAwarenessUpdate`. */
export function encodeAwareness(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Awareness);
    encoding.writeVarUint8Array(e, update);
  });
}

/** Ask the peer for its full awareness state. */
export function encodeQueryAwareness(): Uint8Array {
  return frame((e) => encoding.writeVarUint(e, MessageType.QueryAwareness));
}

/** Tell the peer it may not do what it tried (y-protocols' permission-denied auth message). */
export function encodePermissionDenied(reason: string): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Auth);
    encoding.writeVarUint(e, AuthKind.PermissionDenied);
    encoding.writeVarString(e, reason);
  });
}

/**
 * Client -> server: authenticate this connection with a bearer token (first frame on connect, again before expiry).
 * The token travels inside the socket, never in the URL, so no proxy or access log records it.
 */
export function encodeAuthToken(token: string): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Auth);
    encoding.writeVarUint(e, AuthKind.Token);
    encoding.writeVarString(e, token);
  });
}

/** A claim token: 32-64 characters of base64url (the room mints 32 random bytes). */
export const CLAIM_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,64}$/;

/** Server -> client: the claim token of the room this connection just created (see {@link AuthKind.Claim}). */
export function encodeClaim(claimToken: string): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Auth);
    encoding.writeVarUint(e, AuthKind.Claim);
    encoding.writeVarString(e, claimToken);
  });
}

/** Server -> client: what this connection may do now. */
export function encodeAuthGranted(grant: RoomGrant): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Auth);
    encoding.writeVarUint(e, AuthKind.Granted);
    encoding.writeVarString(
      e,
      JSON.stringify({ role: grant.role, userId: grant.userId, visibility: grant.visibility, expiresAt: grant.expiresAt }),
    );
  });
}

/** One client's entry in an awareness update. `state` is the JSON text; `"null"` means the client left. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: string;
}

/**
 * Decode the payload of an Awareness message (y-protocols' `encodeAwarenessUpdate` format) without applying it, so a relay
 * can track which clients a socket speaks for. Throws {@link ProtocolError} on malformed input or invalid JSON.
 */
export function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const entries: AwarenessEntry[] = [];
  try {
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = decoding.readVarString(decoder);
      JSON.parse(state);
      entries.push({ clientId, clock, state });
    }
  } catch {
    throw new ProtocolError("malformed awareness update");
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError("trailing bytes after the awareness update");
  return entries;
}

/** Encode awareness entries in y-protocols' `encodeAwarenessUpdate` format. */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const { clientId, clock, state } of entries) {
      encoding.writeVarUint(e, clientId);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, state);
    }
  });
}
