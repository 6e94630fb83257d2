/**
 * The room wire protocol: the y-websocket framing (sync, awareness, auth, query-awareness). Pure encode/decode over
 * Uint8Array, shared by RoomClient and the CodeRoom Durable Object. The close codes, denial kinds and limits a room uses are
 * in core/room-limits.ts, the awareness payload in core/awareness-entries.ts; both are re-exported here, so this stays the
 * one module to import. Written up for third parties in docs/PROTOCOL.md.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { PEER_MESSAGE_TYPE, readPeerMessage, type PeerMessage } from "./peer-protocol.js";
import { ProtocolError } from "./protocol-error.js";
import { isDenial, type Denial } from "./room-limits.js";
import { readSealedMessage, type SealedMessage } from "./sealed-protocol.js";

export { ProtocolError } from "./protocol-error.js";
export {
  CloseCode,
  DEFAULT_LIMITS,
  DENIALS,
  ROOM_CLIENT_PARAM,
  ROOM_ID_PATTERN,
  TERMINAL_CLOSE_CODES,
  isDenial,
  isValidRoomId,
  type Denial,
  type RoomLimits,
} from "./room-limits.js";
export { decodeAwarenessEntries, encodeAwarenessEntries, type AwarenessEntry } from "./awareness-entries.js";
export {
  MAX_SIGNAL_BYTES,
  PeerKind,
  encodePeerConfig,
  encodePeerRelayed,
  encodePeerSignal,
  toIceServers,
  toPeerSignal,
  type IceServer,
  type PeerConfig,
  type PeerMessage,
  type PeerSignal,
} from "./peer-protocol.js";
export * from "./sealed-protocol.js";

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
  /** WebRTC signalling between two clients of a room, relayed by the room (4: core/peer-protocol.ts, {@link PeerKind}). */
  Peer: PEER_MESSAGE_TYPE,
  /** End-to-end encrypted rooms: sealed updates, snapshots and awareness (core/sealed-protocol.ts, {@link SealedKind}). */
  Sealed: 5,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Second varUint of a Sync message. */
export const SyncStep = {
  Step1: 0,
  Step2: 1,
  Update: 2,
} as const;
export type SyncStep = (typeof SyncStep)[keyof typeof SyncStep];

/**
 * Second varUint of an Auth message. 0 is y-protocols' own, so a stock client still understands a refusal; it ignores the
 * kinds it does not know, which is why spike's own server messages live here too.
 */
export const AuthKind = {
  /**
   * Server -> client: "you may not do that": a reason for people, then (after what y-protocols reads) the {@link Denial}
   * kind for programs, e.g. `read-only` for an edit on a connection that may only watch.
   */
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
  /**
   * Server -> client, just before the server closes the socket: what the close reason cannot carry as data, as JSON
   * ({@link SocketRefusal}). Sent before every 4429 close, with the seconds to wait before reconnecting.
   */
  Refused: 4,
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

/**
 * The data of an Auth/Refused message: the close code that follows, and the least time to wait before connecting again.
 * A close reason is at most 123 bytes of text for people; this is what a client acts on.
 */
export interface SocketRefusal {
  code: number;
  retryAfterSeconds: number;
}

/** Longest token an Auth/Token message may carry, in characters; Clerk's session tokens are well under 2 KB. */
export const MAX_TOKEN_BYTES = 8_192;

/** A decoded frame. Sync payloads stay encoded: Yjs itself reads them. */
export type Message =
  | { type: typeof MessageType.Sync; step: typeof SyncStep.Step1; stateVector: Uint8Array }
  | { type: typeof MessageType.Sync; step: typeof SyncStep.Step2 | typeof SyncStep.Update; update: Uint8Array }
  | { type: typeof MessageType.Awareness; update: Uint8Array }
  | { type: typeof MessageType.Auth; kind: typeof AuthKind.PermissionDenied; denial: Denial; reason: string }
  | { type: typeof MessageType.Auth; kind: typeof AuthKind.Token; token: string }
  | { type: typeof MessageType.Auth; kind: typeof AuthKind.Granted; grant: RoomGrant }
  | { type: typeof MessageType.Auth; kind: typeof AuthKind.Claim; claimToken: string }
  | { type: typeof MessageType.Auth; kind: typeof AuthKind.Refused; refusal: SocketRefusal }
  | { type: typeof MessageType.QueryAwareness }
  | PeerMessage
  | SealedMessage;

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
        case AuthKind.PermissionDenied: {
          const reason = decoding.readVarString(decoder);
          const denial = decoding.readVarString(decoder);
          if (!isDenial(denial)) throw new ProtocolError(`unknown denial "${denial.slice(0, 32)}"`);
          return { type, kind, denial, reason };
        }
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
        case AuthKind.Refused:
          return { type, kind, refusal: parseRefusal(decoding.readVarString(decoder)) };
        default:
          throw new ProtocolError(`unknown auth message ${kind}`);
      }
    }
    case MessageType.QueryAwareness:
      return { type };
    case MessageType.Peer:
      return readPeerMessage(decoder);
    case MessageType.Sealed:
      return readSealedMessage(decoder);
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

function parseRefusal(json: string): SocketRefusal {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ProtocolError("refusal is not JSON");
  }
  const { code, retryAfterSeconds } = (value ?? {}) as Partial<Record<keyof SocketRefusal, unknown>>;
  if (!Number.isInteger(code) || (code as number) < 1000 || (code as number) > 4999) throw new ProtocolError("malformed refusal code");
  if (typeof retryAfterSeconds !== "number" || !Number.isFinite(retryAfterSeconds) || retryAfterSeconds < 0) {
    throw new ProtocolError("malformed refusal retryAfterSeconds");
  }
  return { code: code as number, retryAfterSeconds };
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

/**
 * Tell the peer it may not do what it tried: y-protocols' permission-denied auth message (the reason), followed by the
 * denial kind, which y-protocols does not read and spike's client acts on.
 * @example ws.send(encodePermissionDenied("read-only", "read-only: the edit was not saved"));
 */
export function encodePermissionDenied(denial: Denial, reason: string): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Auth);
    encoding.writeVarUint(e, AuthKind.PermissionDenied);
    encoding.writeVarString(e, reason);
    encoding.writeVarString(e, denial);
  });
}

/**
 * Server -> client, right before closing the socket with `refusal.code`: the refusal as data (see {@link AuthKind.Refused}).
 * @example ws.send(encodeRefused({ code: CloseCode.RateLimited, retryAfterSeconds: 3 })); ws.close(4429, "… retry in 3 s");
 */
export function encodeRefused(refusal: SocketRefusal): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Auth);
    encoding.writeVarUint(e, AuthKind.Refused);
    encoding.writeVarString(e, JSON.stringify({ code: refusal.code, retryAfterSeconds: refusal.retryAfterSeconds }));
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
