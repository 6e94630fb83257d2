/**
 * WebRTC signalling through the room (docs/PROTOCOL.md "Peer-to-peer (WebRTC) signalling"): the Peer message a client sends
 * to reach one other client of its room, the form the room relays it in (stamped with the sender's role), and the ICE
 * configuration a room offers. Pure encode/decode; core/protocol.ts dispatches type 4 here and re-exports all of it.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as string from "lib0/string";
import { ProtocolError } from "./protocol-error.js";
import type { RoomRole } from "./protocol.js";

/** The first varUint of a Peer message: `MessageType.Peer` in core/protocol.ts, declared here so this module stands alone. */
export const PEER_MESSAGE_TYPE = 4;

/** Second varUint of a Peer message. */
export const PeerKind = {
  /** Client -> room: `from` (an awareness client id the socket speaks for), `to` (another client's id), the signal. */
  Signal: 0,
  /** Room -> the client that owns `to`: `from`, the sender's role at relay time (stamped by the room), the signal. */
  Relayed: 1,
  /** Room -> client, in the greeting: peer-to-peer is available here, with these ICE servers ({@link PeerConfig}). */
  Config: 2,
} as const;
export type PeerKind = (typeof PeerKind)[keyof typeof PeerKind];

/** What one WebRTC peer tells another to connect: an SDP offer or answer, an ICE candidate, or that it hangs up. */
export type PeerSignal =
  | { type: "offer" | "answer"; sdp: string }
  | { type: "candidate"; candidate: string; sdpMid: string | null; sdpMLineIndex: number | null }
  | { type: "bye" };

/** An RTCIceServer as a page's `RTCPeerConnection` takes it: STUN or TURN URLs and, for TURN, its credentials. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** The data of a Peer/Config message. */
export interface PeerConfig {
  iceServers: IceServer[];
}

/** Longest signal (its JSON, in UTF-8 bytes) a Signal or Relayed message may carry; SDP offers are a few KB. */
export const MAX_SIGNAL_BYTES = 16_384;

/** A decoded Peer message (part of core/protocol.ts's `Message`). */
export type PeerMessage =
  | { type: typeof PEER_MESSAGE_TYPE; kind: typeof PeerKind.Signal; from: number; to: number; signal: PeerSignal }
  | { type: typeof PEER_MESSAGE_TYPE; kind: typeof PeerKind.Relayed; from: number; role: RoomRole; signal: PeerSignal }
  | { type: typeof PEER_MESSAGE_TYPE; kind: typeof PeerKind.Config; config: PeerConfig };

/** Every role, checked against RoomRole by the compiler. */
const ROLES = { owner: true, editor: true, viewer: true } as const satisfies Record<RoomRole, true>;

/**
 * Read the rest of a Peer message once its type (4) is read: core/protocol.ts decodeMessage calls this. Throws
 * {@link ProtocolError} on an unknown kind, a malformed or oversized signal, an unknown role or a malformed config.
 */
export function readPeerMessage(decoder: decoding.Decoder): PeerMessage {
  const type = PEER_MESSAGE_TYPE;
  const kind = decoding.readVarUint(decoder);
  switch (kind) {
    case PeerKind.Signal: {
      const from = decoding.readVarUint(decoder);
      const to = decoding.readVarUint(decoder);
      return { type, kind, from, to, signal: readSignal(decoder) };
    }
    case PeerKind.Relayed: {
      const from = decoding.readVarUint(decoder);
      const role = decoding.readVarString(decoder);
      if (!Object.hasOwn(ROLES, role)) throw new ProtocolError(`unknown role "${role.slice(0, 32)}"`);
      return { type, kind, from, role: role as RoomRole, signal: readSignal(decoder) };
    }
    case PeerKind.Config:
      return { type, kind, config: parseConfig(decoding.readVarString(decoder)) };
    default:
      throw new ProtocolError(`unknown peer message ${kind}`);
  }
}

/** The signal string of a Signal or Relayed message: its size is checked before a byte of it is decoded. */
function readSignal(decoder: decoding.Decoder): PeerSignal {
  const bytes = decoding.readVarUint8Array(decoder);
  if (bytes.byteLength > MAX_SIGNAL_BYTES) throw new ProtocolError(`signal of ${bytes.byteLength} bytes exceeds ${MAX_SIGNAL_BYTES}`);
  let value: unknown;
  try {
    value = JSON.parse(string.decodeUtf8(bytes));
  } catch {
    throw new ProtocolError("signal is not JSON");
  }
  const signal = toPeerSignal(value);
  if (!signal) throw new ProtocolError("malformed signal");
  return signal;
}

/**
 * `value` as a {@link PeerSignal} with only the fields that belong to its type, or null when it is not one.
 * @example toPeerSignal({ type: "bye", extra: 1 }) // { type: "bye" }
 */
export function toPeerSignal(value: unknown): PeerSignal | null {
  if (typeof value !== "object" || value === null) return null;
  const signal = value as Record<string, unknown>;
  switch (signal.type) {
    case "offer":
    case "answer":
      return typeof signal.sdp === "string" && signal.sdp.length > 0 ? { type: signal.type, sdp: signal.sdp } : null;
    case "candidate": {
      const { candidate, sdpMid, sdpMLineIndex } = signal;
      if (typeof candidate !== "string") return null; // "" is a browser's end-of-candidates
      if (!(sdpMid === null || typeof sdpMid === "string")) return null;
      if (!(sdpMLineIndex === null || (Number.isInteger(sdpMLineIndex) && (sdpMLineIndex as number) >= 0 && (sdpMLineIndex as number) <= 65_535))) {
        return null;
      }
      return { type: "candidate", candidate, sdpMid, sdpMLineIndex: sdpMLineIndex as number | null };
    }
    case "bye":
      return { type: "bye" };
    default:
      return null;
  }
}

function parseConfig(json: string): PeerConfig {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ProtocolError("peer config is not JSON");
  }
  const iceServers = toIceServers((value as { iceServers?: unknown } | null)?.iceServers);
  if (!iceServers) throw new ProtocolError("malformed peer config");
  return { iceServers };
}

/** The URL schemes an RTCIceServer may use (RFC 7064, RFC 7065). */
const ICE_URL = /^(stuns?|turns?):[^\s]+$/;

/**
 * `value` as a list of ICE servers with only the fields `RTCPeerConnection` reads, or null when any entry is malformed: a
 * URL that is not stun:, stuns:, turn: or turns:, or a TURN server without its username and credential (a browser throws
 * on both). Used for the room's ICE_SERVERS setting too.
 * @example toIceServers([{ urls: "stun:stun.example.com:3478" }]) // [{ urls: "stun:stun.example.com:3478" }]
 */
export function toIceServers(value: unknown): IceServer[] | null {
  if (!Array.isArray(value)) return null;
  const servers: IceServer[] = [];
  for (const entry of value as unknown[]) {
    if (typeof entry !== "object" || entry === null) return null;
    const { urls, username, credential } = entry as Record<string, unknown>;
    const list = typeof urls === "string" ? [urls] : urls;
    if (!Array.isArray(list) || list.length === 0 || !list.every((url) => typeof url === "string" && ICE_URL.test(url))) return null;
    if (username !== undefined && typeof username !== "string") return null;
    if (credential !== undefined && typeof credential !== "string") return null;
    const turn = (list as string[]).some((url) => url.startsWith("turn"));
    if (turn && (username === undefined || credential === undefined)) return null;
    const server: IceServer = { urls: typeof urls === "string" ? urls : [...(list as string[])] };
    if (username !== undefined) server.username = username;
    if (credential !== undefined) server.credential = credential;
    servers.push(server);
  }
  return servers;
}

function frame(kind: PeerKind, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, PEER_MESSAGE_TYPE);
  encoding.writeVarUint(encoder, kind);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/**
 * The JSON of `signal` (only its own fields). With `limit`, a RangeError when it is longer than the room accepts; the
 * room's own copy goes unchecked (a decoded signal re-encoded can be a few bytes longer: `6e4` is written `60000`).
 */
function signalJson(signal: PeerSignal, limit: boolean): string {
  const checked = toPeerSignal(signal);
  if (!checked) throw new TypeError(`not a peer signal: ${JSON.stringify(signal).slice(0, 64)}`);
  const json = JSON.stringify(checked);
  if (!limit) return json;
  const bytes = string.encodeUtf8(json).byteLength;
  if (bytes > MAX_SIGNAL_BYTES) throw new RangeError(`signal of ${bytes} bytes exceeds ${MAX_SIGNAL_BYTES}`);
  return json;
}

/**
 * Client -> room: send `signal` to the client whose awareness id is `to`, as the client `from` (this page's own awareness
 * id; the room closes a socket that signals as a client it does not speak for). Throws a RangeError for a signal over
 * {@link MAX_SIGNAL_BYTES}, which the room would refuse.
 * @example ws.send(encodePeerSignal(doc.clientID, remoteId, { type: "offer", sdp: offer.sdp }));
 */
export function encodePeerSignal(from: number, to: number, signal: PeerSignal): Uint8Array {
  const json = signalJson(signal, true);
  return frame(PeerKind.Signal, (e) => {
    encoding.writeVarUint(e, from);
    encoding.writeVarUint(e, to);
    encoding.writeVarString(e, json);
  });
}

/**
 * Room -> client: `signal` from the client `from`, whose connection has `role` now.
 * @example target.send(encodePeerRelayed(message.from, "editor", message.signal));
 */
export function encodePeerRelayed(from: number, role: RoomRole, signal: PeerSignal): Uint8Array {
  const json = signalJson(signal, false);
  return frame(PeerKind.Relayed, (e) => {
    encoding.writeVarUint(e, from);
    encoding.writeVarString(e, role);
    encoding.writeVarString(e, json);
  });
}

/**
 * Room -> client, in the greeting: peer-to-peer is on for this connection, with these ICE servers.
 * @example ws.send(encodePeerConfig({ iceServers: [{ urls: "stun:stun.example.com:3478" }] }));
 */
export function encodePeerConfig(config: PeerConfig): Uint8Array {
  return frame(PeerKind.Config, (e) => encoding.writeVarString(e, JSON.stringify({ iceServers: config.iceServers })));
}
