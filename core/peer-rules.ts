/**
 * The pure rules of the peer-to-peer mesh (core/room-peers.ts): who offers to whom, who counts as a peer, and what a data
 * channel may deliver. No sockets, no RTCPeerConnection: each rule is a function of its inputs, tested in milliseconds.
 * Written up in docs/PROTOCOL.md "Peer-to-peer: data channels".
 */
import { sanitizeAwarenessUpdate } from "./presence.js";
import {
  MessageType,
  ProtocolError,
  SyncStep,
  decodeAwarenessEntries,
  decodeMessage,
  encodeAwarenessEntries,
  type RoomRole,
} from "./protocol.js";

/** The label of the one data channel per peer pair. */
export const CHANNEL_LABEL = "spike";

/** Most direct peers one client keeps; the rest of the room is reached through the room only. */
export const MAX_PEERS = 8;

/** Largest frame sent over a data channel (64 KiB); a larger update goes by the room only. */
export const MAX_CHANNEL_FRAME = 65_536;

/**
 * Of two peers, the one with the larger awareness client id sends the offer; the other waits for it. Both sides know both
 * ids, so exactly one offers and offers never cross.
 * @example offersTo(7, 3) // true: 7 offers to 3, and 3 waits
 */
export function offersTo(local: number, remote: number): boolean {
  return local > remote;
}

/**
 * The remote clients of an awareness map that take part in peer-to-peer (their state has `peer: true`), smallest id first,
 * without `self`.
 * @example peerClients(awareness.getStates(), doc.clientID) // [12, 40]
 */
export function peerClients(states: ReadonlyMap<number, unknown>, self: number): number[] {
  const ids: number[] = [];
  for (const [id, state] of states) {
    if (id !== self && typeof state === "object" && state !== null && (state as { peer?: unknown }).peer === true) ids.push(id);
  }
  return ids.sort((a, b) => a - b);
}

/** What a frame that arrived over a data channel from a peer becomes. */
export type ChannelDelivery =
  | { kind: "update"; update: Uint8Array }
  | { kind: "awareness"; update: Uint8Array }
  | { kind: "drop"; reason: string };

/**
 * What a data channel may deliver from `sender` (its awareness client id and the role the room stamped on its last signal):
 * a Sync/Update (unless the sender is a viewer: the room drops a viewer's edits, and so do peers), or an Awareness update,
 * kept only for the sender's own client id and checked like one from the room (core/presence.ts). Anything else (sync
 * steps, auth, peer signals, a malformed frame) is dropped.
 * @example channelDelivery(encodeUpdate(u), { clientId: 7, role: "viewer" }) // { kind: "drop", reason: "viewer" }
 */
export function channelDelivery(frame: Uint8Array, sender: { clientId: number; role: RoomRole | null }): ChannelDelivery {
  if (frame.byteLength > MAX_CHANNEL_FRAME) return { kind: "drop", reason: "too large" };
  let message;
  try {
    message = decodeMessage(frame);
  } catch (error) {
    if (error instanceof ProtocolError) return { kind: "drop", reason: "malformed" };
    throw error;
  }
  if (message.type === MessageType.Sync) {
    if (message.step !== SyncStep.Update) return { kind: "drop", reason: "not an update" };
    if (sender.role === "viewer") return { kind: "drop", reason: "viewer" };
    return { kind: "update", update: message.update };
  }
  if (message.type !== MessageType.Awareness) return { kind: "drop", reason: "not for a channel" };
  let own;
  try {
    own = decodeAwarenessEntries(message.update).filter((entry) => entry.clientId === sender.clientId);
  } catch (error) {
    if (error instanceof ProtocolError) return { kind: "drop", reason: "malformed" };
    throw error;
  }
  if (own.length === 0) return { kind: "drop", reason: "not the sender's awareness" };
  const update = sanitizeAwarenessUpdate(encodeAwarenessEntries(own));
  return update ? { kind: "awareness", update } : { kind: "drop", reason: "malformed" };
}
