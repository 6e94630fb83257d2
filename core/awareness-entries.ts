/**
 * The payload of an Awareness message, entry by entry (y-protocols' `encodeAwarenessUpdate` format), without a Y.Doc or an
 * Awareness instance: the room's relay tracks which clients a socket speaks for, and RoomClient checks remote states
 * before applying them (core/presence.ts). The frame around it is core/protocol.ts's.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { ProtocolError } from "./protocol-error.js";

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
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(e, clientId);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, state);
  }
  return encoding.toUint8Array(e);
}
