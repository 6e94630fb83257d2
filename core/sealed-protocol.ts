/**
 * The frames of an end-to-end encrypted room (MessageType.Sealed = 5; docs/PROTOCOL.md "End-to-end encrypted rooms").
 * The room stores and relays sealed blobs (core/room-crypto.ts) it cannot open: an append-only log numbered by `seq`, one
 * client-made snapshot that replaces the log's head, and each client's last sealed awareness state. Re-exported from
 * core/protocol.ts, whose decodeMessage reads these frames with {@link readSealedMessage}.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { ProtocolError } from "./protocol-error.js";
import { SEAL_OVERHEAD } from "./room-crypto.js";

/** First varUint of a sealed frame (MessageType.Sealed in core/protocol.ts). */
export const SEALED_MESSAGE_TYPE = 5;

/** Second varUint of a Sealed message. */
export const SealedKind = {
  /** Client -> room: make this empty room encrypted for good; carries the sealed key check. */
  Init: 0,
  /** Room -> client (greeting of an e2e socket): whether the room is encrypted, and its key check (empty when not). */
  Mode: 1,
  /** Client -> room: a sealed document update to append to the log. Editors only. */
  Append: 2,
  /** Room -> client: a log entry (live, or in the answer to a Fetch). */
  Appended: 3,
  /** Room -> the appender: its append is stored as `seq` (acks come in the order of the appends). */
  Stored: 4,
  /** Client -> room: send everything after `since` (0: all). */
  Fetch: 5,
  /** Room -> client: the end of a Fetch answer; `seq` is the log's last seq. */
  CaughtUp: 6,
  /** Both ways: a sealed snapshot of the document covering log entries up to `upTo`. Client -> room: editors only. */
  Snapshot: 7,
  /** Room -> the appender that took the log past the compaction threshold: please send a Snapshot. */
  SnapshotWanted: 8,
  /** Both ways: one client's sealed awareness state, under its clear client id. */
  Awareness: 9,
  /** Room -> client: these awareness clients left (the room cannot seal a removal). */
  Left: 10,
} as const;
export type SealedKind = (typeof SealedKind)[keyof typeof SealedKind];

type T = typeof SEALED_MESSAGE_TYPE;
type K = typeof SealedKind;

/** A decoded sealed frame. */
export type SealedMessage =
  | { type: T; kind: K["Init"]; keyCheck: Uint8Array }
  | { type: T; kind: K["Mode"]; encrypted: boolean; keyCheck: Uint8Array }
  | { type: T; kind: K["Append"]; sealed: Uint8Array }
  | { type: T; kind: K["Appended"]; seq: number; sealed: Uint8Array }
  | { type: T; kind: K["Stored"]; seq: number }
  | { type: T; kind: K["Fetch"]; since: number }
  | { type: T; kind: K["CaughtUp"]; seq: number }
  | { type: T; kind: K["Snapshot"]; upTo: number; sealed: Uint8Array }
  | { type: T; kind: K["SnapshotWanted"]; upTo: number }
  | { type: T; kind: K["Awareness"]; clientId: number; sealed: Uint8Array }
  | { type: T; kind: K["Left"]; clientIds: number[] };

/** A room asks for a snapshot once this many log entries follow the stored one... */
export const SNAPSHOT_AFTER_ENTRIES = 200;
/** ...or once the entries after it hold this many bytes. */
export const SNAPSHOT_AFTER_BYTES = 1_000_000;

/** Most client ids one Left frame names. */
export const MAX_LEFT_CLIENTS = 1_024;

/**
 * Largest sealed awareness blob a room with `maxAwarenessBytes` accepts: twice the plaintext state (the y-protocols
 * framing, the sender's counter and non-ASCII JSON) plus the seal's IV and tag.
 * @example maxSealedAwarenessBytes(4096) // 8_476
 */
export function maxSealedAwarenessBytes(maxAwarenessBytes: number): number {
  return 2 * maxAwarenessBytes + 256 + SEAL_OVERHEAD;
}

function readSealedBlob(decoder: decoding.Decoder, what: string): Uint8Array {
  const blob = decoding.readVarUint8Array(decoder);
  if (blob.byteLength < SEAL_OVERHEAD) {
    throw new ProtocolError(`${what} of ${blob.byteLength} bytes is shorter than a sealed blob (${SEAL_OVERHEAD})`);
  }
  return blob;
}

function parseMode(json: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ProtocolError("sealed mode is not JSON");
  }
  const encrypted = (value as { encrypted?: unknown } | null)?.encrypted;
  if (typeof encrypted !== "boolean") throw new ProtocolError("malformed sealed mode");
  return encrypted;
}

/**
 * Read the rest of a Sealed frame after its type varUint. Throws {@link ProtocolError} on an unknown kind, a blob too short
 * to be sealed, a malformed Mode or a Left frame naming too many clients; lib0 throws on truncation (decodeMessage turns
 * that into a ProtocolError).
 */
export function readSealedMessage(decoder: decoding.Decoder): SealedMessage {
  const type = SEALED_MESSAGE_TYPE;
  const kind = decoding.readVarUint(decoder);
  switch (kind) {
    case SealedKind.Init:
      return { type, kind, keyCheck: readSealedBlob(decoder, "key check") };
    case SealedKind.Mode: {
      const encrypted = parseMode(decoding.readVarString(decoder));
      const keyCheck = decoding.readVarUint8Array(decoder);
      if (keyCheck.byteLength > 0 && keyCheck.byteLength < SEAL_OVERHEAD) throw new ProtocolError("malformed key check");
      return { type, kind, encrypted, keyCheck };
    }
    case SealedKind.Append:
      return { type, kind, sealed: readSealedBlob(decoder, "sealed update") };
    case SealedKind.Appended: {
      const seq = decoding.readVarUint(decoder);
      return { type, kind, seq, sealed: readSealedBlob(decoder, "sealed update") };
    }
    case SealedKind.Stored:
    case SealedKind.CaughtUp:
      return { type, kind, seq: decoding.readVarUint(decoder) };
    case SealedKind.Fetch:
      return { type, kind, since: decoding.readVarUint(decoder) };
    case SealedKind.Snapshot: {
      const upTo = decoding.readVarUint(decoder);
      return { type, kind, upTo, sealed: readSealedBlob(decoder, "sealed snapshot") };
    }
    case SealedKind.SnapshotWanted:
      return { type, kind, upTo: decoding.readVarUint(decoder) };
    case SealedKind.Awareness: {
      const clientId = decoding.readVarUint(decoder);
      return { type, kind, clientId, sealed: readSealedBlob(decoder, "sealed awareness") };
    }
    case SealedKind.Left: {
      const count = decoding.readVarUint(decoder);
      if (count > MAX_LEFT_CLIENTS) throw new ProtocolError(`Left names ${count} clients, more than ${MAX_LEFT_CLIENTS}`);
      const clientIds: number[] = [];
      for (let i = 0; i < count; i++) clientIds.push(decoding.readVarUint(decoder));
      return { type, kind, clientIds };
    }
    default:
      throw new ProtocolError(`unknown sealed message ${kind}`);
  }
}

function sealedFrame(kind: SealedKind, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SEALED_MESSAGE_TYPE);
  encoding.writeVarUint(encoder, kind);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Client -> room: make the (empty) room encrypted, with `keyCheck` = seal(key, room, "key-check", KEY_CHECK_TEXT). */
export function encodeSealedInit(keyCheck: Uint8Array): Uint8Array {
  return sealedFrame(SealedKind.Init, (e) => encoding.writeVarUint8Array(e, keyCheck));
}

/** Room -> client: the room's mode and key check (empty when it has none). */
export function encodeSealedMode(encrypted: boolean, keyCheck: Uint8Array = new Uint8Array(0)): Uint8Array {
  return sealedFrame(SealedKind.Mode, (e) => {
    encoding.writeVarString(e, JSON.stringify({ encrypted }));
    encoding.writeVarUint8Array(e, keyCheck);
  });
}

/** Client -> room: append a sealed update to the log. */
export function encodeSealedAppend(sealed: Uint8Array): Uint8Array {
  return sealedFrame(SealedKind.Append, (e) => encoding.writeVarUint8Array(e, sealed));
}

/** Room -> client: log entry `seq`. */
export function encodeSealedAppended(seq: number, sealed: Uint8Array): Uint8Array {
  return sealedFrame(SealedKind.Appended, (e) => {
    encoding.writeVarUint(e, seq);
    encoding.writeVarUint8Array(e, sealed);
  });
}

/** Room -> the appender: stored as `seq`. */
export function encodeSealedStored(seq: number): Uint8Array {
  return sealedFrame(SealedKind.Stored, (e) => encoding.writeVarUint(e, seq));
}

/** Client -> room: send the snapshot and entries after `since` (0: everything). */
export function encodeSealedFetch(since: number): Uint8Array {
  return sealedFrame(SealedKind.Fetch, (e) => encoding.writeVarUint(e, since));
}

/** Room -> client: the Fetch answer is complete; the log ends at `seq`. */
export function encodeSealedCaughtUp(seq: number): Uint8Array {
  return sealedFrame(SealedKind.CaughtUp, (e) => encoding.writeVarUint(e, seq));
}

/** Both ways: a sealed snapshot covering the log up to `upTo`. */
export function encodeSealedSnapshot(upTo: number, sealed: Uint8Array): Uint8Array {
  return sealedFrame(SealedKind.Snapshot, (e) => {
    encoding.writeVarUint(e, upTo);
    encoding.writeVarUint8Array(e, sealed);
  });
}

/** Room -> client: send a Snapshot (covering at least `upTo`). */
export function encodeSealedSnapshotWanted(upTo: number): Uint8Array {
  return sealedFrame(SealedKind.SnapshotWanted, (e) => encoding.writeVarUint(e, upTo));
}

/** Both ways: client `clientId`'s sealed awareness state. */
export function encodeSealedAwareness(clientId: number, sealed: Uint8Array): Uint8Array {
  return sealedFrame(SealedKind.Awareness, (e) => {
    encoding.writeVarUint(e, clientId);
    encoding.writeVarUint8Array(e, sealed);
  });
}

/** Room -> client: these awareness clients left. */
export function encodeSealedLeft(clientIds: readonly number[]): Uint8Array {
  return sealedFrame(SealedKind.Left, (e) => {
    encoding.writeVarUint(e, clientIds.length);
    for (const id of clientIds) encoding.writeVarUint(e, id);
  });
}
