/**
 * The contract of a RoomClient (core/room-client.ts): its options, its events, its connection states, and the part of
 * the WebSocket API it needs, in a module of their own so the class reads as behaviour.
 */
import type * as Y from "yjs";
import type { TokenSource } from "./auth.js";
import type { Denial, RoomGrant } from "./protocol.js";
import type { FetchLike } from "./room-http.js";
import type { PeerConnectionConstructor } from "./peer-link.js";
import type { RoomPeer } from "./room-peers.js";
import type { RoomUser } from "./room-sync.js";

/** Connection state as shown to users. `offline` covers "not yet retried" and "gave up" (see `closeReason`). */
export type RoomStatus = "connecting" | "connected" | "offline";

/** The subset of the WebSocket API RoomClient needs; the browser's WebSocket and node's `ws` both fit. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface RoomClientOptions {
  /** Base URL of the spike server, e.g. `http://localhost:8787` (http(s) or ws(s)). */
  server: string;
  /** Room id, 1-64 chars of `[A-Za-z0-9_-]`. */
  room: string;
  /** Document to sync; a new one by default. */
  doc?: Y.Doc;
  /** WebSocket implementation; `globalThis.WebSocket` by default (pass `ws` in node). */
  WebSocket?: WebSocketConstructor;
  /** Name and colour shown on this user's cursor; generated when omitted. */
  user?: Partial<RoomUser>;
  /** First reconnect delay cap in ms (default 250); doubles per failed attempt. */
  minBackoffMs?: number;
  /** Largest reconnect delay cap in ms (default 10 000). */
  maxBackoffMs?: number;
  /** Reconnect when nothing arrived for this long (default 30 000; the server relays awareness every 15 s). */
  idleTimeoutMs?: number;
  /** Random source for jitter (tests pass a seeded one). */
  random?: () => number;
  /** Connect right away (default true). */
  connect?: boolean;
  /** fetch implementation for `http`; `globalThis.fetch` by default. */
  fetch?: FetchLike;
  /**
   * Where the session token comes from (a function, or `clerkTokenSource(Clerk)`); none means anonymous. Asked on every
   * connect and again before the token expires. See {@link RoomClient.setTokenSource}.
   */
  getToken?: TokenSource | null;
  /**
   * Keep the doc in IndexedDB (browsers only; loads y-indexeddb on demand): a page opened offline shows the room as it
   * was last synced, and edits made offline survive a reload until the room takes them. See {@link RoomClient.persist}.
   */
  persist?: boolean;
  /**
   * Exchange edits and cursors directly with other clients of the room over WebRTC data channels when the room offers it
   * (default true where there is an RTCPeerConnection; always off with a `key`). The room still gets every edit and stays
   * the fallback.
   */
  peerToPeer?: boolean;
  /** RTCPeerConnection implementation; `globalThis.RTCPeerConnection` by default (in node, werift's). */
  RTCPeerConnection?: PeerConnectionConstructor;
  /**
   * The room's end-to-end key (base64url of 256 bits, from `generateRoomKey()`): every update and awareness state is
   * sealed with it before it leaves, and an empty room becomes encrypted for good. A malformed key throws a TypeError.
   */
  key?: string;
}

export interface RoomClientEvents {
  /** The connection state changed. */
  status: (status: RoomStatus) => void;
  /** True once the doc holds everything the server had at connect time; false on disconnect. */
  synced: (synced: boolean) => void;
  /**
   * The server closed the socket with a code after which retrying is pointless (see CloseCode). After 4401 (sign-in
   * needed, or a bad token) and 4403 (no access) a new token source (`setTokenSource`) reconnects.
   */
  closed: (close: { code: number; reason: string }) => void;
  /** The room told this connection what it may do (after a token, or when the room's permissions changed). */
  grant: (grant: RoomGrant) => void;
  /**
   * The room refused something this connection did (e.g. an edit on a read-only connection: `denial` "read-only"); the
   * socket stays open. `reason` is for people.
   */
  denied: (denied: { denial: Denial; reason: string }) => void;
  /** This client created the room (its first stored write): the token that lets this page claim it. See `claimToken`. */
  claim: (claimToken: string) => void;
  /** Another client came or went, or its transport (`webrtc` direct, or `websocket` through the room) changed. See `peers`. */
  peers: (peers: ReadonlyMap<number, RoomPeer>) => void;
  /** The client learned whether the room is end-to-end encrypted (see `encrypted`). */
  encrypted: (encrypted: boolean) => void;
  /** The key does not open this encrypted room: the client stopped, sent nothing, and will not reconnect. */
  "e2e-error": (error: { error: "wrong-key"; message: string }) => void;
  [key: string]: (...args: any[]) => void;
}
