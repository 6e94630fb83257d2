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
  /** y-protocols auth message (permission denied + reason). Sent by the server only. */
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
  /** A frame larger than the room's maximum frame size. */
  FrameTooLarge: 1009,
  /** The room has its maximum number of connections; try again later. */
  RoomFull: 1013,
  /** Applying the update would grow the stored document past the room's maximum. */
  DocumentTooLarge: 4413,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which reconnecting with the same data would fail the same way. */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.UnsupportedData,
  CloseCode.InvalidFrame,
  CloseCode.FrameTooLarge,
  CloseCode.DocumentTooLarge,
]);

/** Default room limits; the Worker can override each through its environment (see docs/PROTOCOL.md). */
export const DEFAULT_LIMITS = {
  /** Largest binary frame accepted, in bytes. */
  maxFrameBytes: 1_000_000,
  /** Largest stored document (snapshot + update log), in bytes. */
  maxDocumentBytes: 16_000_000,
  /** Most simultaneous WebSocket connections in one room. */
  maxConnections: 256,
} as const;
export type RoomLimits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

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
  | { type: typeof MessageType.Auth; denied: true; reason: string }
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
      if (kind !== 0) throw new ProtocolError(`unknown auth message ${kind}`);
      return { type, denied: true, reason: decoding.readVarString(decoder) };
    }
    case MessageType.QueryAwareness:
      return { type };
    default:
      throw new ProtocolError(`unknown message type ${type}`);
  }
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
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, reason);
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
