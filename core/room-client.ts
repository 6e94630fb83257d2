/**
 * RoomClient: one WebSocket to one room, speaking core/protocol.ts. Connects, reconnects with capped exponential backoff
 * and full jitter (core/reconnect.ts), reports `connecting | connected | offline`, keeps edits made offline in the Y.Doc and
 * merges them on reconnect (sync step 1/2), and carries awareness (user name, colour, cursor). With a token source it
 * authenticates in-band (Auth/Token first on every connect, again before the token expires) and reports the role the room
 * grants. Its `http` makes the room's HTTP calls with the same token (core/room-http.ts). With `persist` it also keeps the
 * doc in IndexedDB (core/room-store.ts, loaded on demand). Runs in a page, a Worker and node (pass `ws`).
 */
import { ObservableV2 } from "lib0/observable";
import type * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { roomSocketUrl } from "./api.js";
import type { TokenSource } from "./auth.js";
import { loadClaim, saveClaim } from "./claim-store.js";
import { Backoff, IdleWatch, afterClose } from "./reconnect.js";
import type { RoomClientEvents, RoomClientOptions, RoomStatus, WebSocketConstructor, WebSocketLike } from "./room-client-types.js";
import { RoomHttp } from "./room-http.js";
import type { PeerConnectionConstructor } from "./peer-link.js";
import { RoomPeers, type RoomPeer } from "./room-peers.js";
import { isRoomKey } from "./room-crypto.js";
import { RoomSync } from "./room-sync.js";
import { SealedSync } from "./sealed-sync.js";
import type { RoomStore } from "./room-store.js";
import { RoomToken } from "./room-token.js";
import {
  AuthKind,
  CloseCode,
  MessageType,
  ProtocolError,
  decodeMessage,
  isValidRoomId,
  ROOM_CLIENT_PARAM,
  SyncStep,
  type Message,
  type RoomGrant,
  type RoomRole,
  type SocketRefusal,
} from "./protocol.js";

export { REMOTE_ORIGIN, type RoomUser } from "./room-sync.js";
export type { RoomPeer } from "./room-peers.js";
export type { RoomClientEvents, RoomClientOptions, RoomStatus, WebSocketConstructor, WebSocketLike } from "./room-client-types.js";

/** Close codes that mean "a different token might get in": `setTokenSource` reconnects after them. */
const AUTH_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.Unauthorized, CloseCode.Forbidden]);

/**
 * Sync a Y.Doc with a room.
 * @example
 * const client = new RoomClient({ server: "http://localhost:8787", room: "demo" });
 * client.on("status", (s) => console.log(s));
 * client.doc.getMap("files");
 */
export class RoomClient extends ObservableV2<RoomClientEvents> {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly room: string;
  readonly url: string;
  /**
   * The room's HTTP API with this client's token: files, permissions, chat, transcription.
   * @example await client.http.sendChat({ text: "Add a button", model: "gpt-4o-mini", author: "Ada" });
   */
  readonly http: RoomHttp;
  #status: RoomStatus = "offline";
  #sync: RoomSync | SealedSync;
  #encrypted: boolean | null = null;
  #e2eError: { error: "wrong-key"; message: string } | null = null;
  #closeReason: { code: number; reason: string } | null = null;
  #ws: WebSocketLike | null = null;
  #WebSocket: WebSocketConstructor;
  #shouldConnect = false;
  #backoff: Backoff;
  #idle: IdleWatch;
  #ownsDoc: boolean;
  #token: RoomToken;
  #grant: RoomGrant | null = null;
  /** Set after one reconnect that a 4401 earned; cleared by the next grant. */
  #authRetried = false;
  #claimToken: string | null;
  /** What the room said, as data, before it closed the current socket (Auth/Refused). */
  #refusal: SocketRefusal | null = null;
  /** The IndexedDB copy once asked for (see `persist`). */
  #store: Promise<RoomStore> | null = null;
  #destroyed = false;
  /** Direct connections to other clients of the room over WebRTC, when the room offers them (core/room-peers.ts). */
  #peers: RoomPeers;

  constructor(options: RoomClientOptions) {
    super();
    if (!isValidRoomId(options.room)) throw new TypeError(`invalid room id "${options.room}": use 1-64 of [A-Za-z0-9_-]`);
    this.room = options.room;
    // The marker tells the room this client reads close codes: it refuses us with Auth/Refused and a close code (4429),
    // where a stock client gets an HTTP status it backs off from.
    this.url = `${roomSocketUrl(options.server, options.room)}?${ROOM_CLIENT_PARAM.name}=${ROOM_CLIENT_PARAM.value}`;
    if (options.key !== undefined && !isRoomKey(options.key)) throw new TypeError("invalid room key: use generateRoomKey() (43 base64url characters)");
    if (options.key !== undefined) this.url += "&e2e=1";
    this.#claimToken = loadClaim(this.url);
    this.#ownsDoc = !options.doc;
    this.#token = new RoomToken(options.getToken ?? null, {
      socket: () => this.#ws,
      ready: () => this.#sync.started,
      send: (frame) => this.#ws?.send(frame),
      grantedExpiry: () => this.#grant?.expiresAt ?? null,
      signedOut: () => this.#reconnect(),
    });
    this.doc = options.doc ?? new Y.Doc();
    const ctor = options.WebSocket ?? (globalThis as unknown as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!ctor) throw new TypeError("no WebSocket implementation: pass options.WebSocket (for node, the `ws` package)");
    this.#WebSocket = ctor;
    const random = options.random ?? Math.random;
    this.#backoff = new Backoff({ minBackoffMs: options.minBackoffMs ?? 250, maxBackoffMs: options.maxBackoffMs ?? 10_000, random });
    this.#idle = new IdleWatch(options.idleTimeoutMs ?? 30_000);
    this.http = new RoomHttp({ server: options.server, room: options.room, token: () => this.token(), ...(options.fetch ? { fetch: options.fetch } : {}) });
    const onSynced = (synced: boolean) => {
      if (synced) this.#backoff.reset();
      this.emit("synced", [synced]);
    };
    // With a key every update and awareness state is sealed before it leaves (core/sealed-sync.ts).
    this.#sync = options.key
      ? new SealedSync(this.doc, options.user, random, { room: options.room, key: options.key }, {
          synced: onSynced,
          mode: () => this.#setEncrypted(true),
          failed: (error, message) => this.#failSealed(error, message),
        })
      : new RoomSync(this.doc, options.user, random, onSynced);
    this.awareness = this.#sync.awareness;
    // An end-to-end encrypted room's edits never leave in the clear, not even to a peer: no data channels with a key.
    const RTCPeerConnection = options.peerToPeer === false || options.key ? null : (options.RTCPeerConnection ?? globalPeerConnection());
    this.#peers = new RoomPeers({
      doc: this.doc,
      awareness: this.awareness,
      RTCPeerConnection,
      send: (frame) => {
        if (this.#ws && this.#sync.started) sendOn(this.#ws, frame);
      },
      onChange: (peers) => this.emit("peers", [peers]),
    });
    if (options.persist) this.persist().catch(() => {}); // no IndexedDB here: the room works as without persist
    browserWindow()?.addEventListener("online", this.#onOnline);
    if (options.connect !== false) this.connect();
  }

  /**
   * Keep the doc in IndexedDB from now on (browsers only; y-indexeddb loads on first use; calling again changes nothing).
   * Resolves with true when IndexedDB held this room already: the doc then shows it as it was last synced from here, edits
   * made offline included, and merges with the room once connected. Rejects where there is no IndexedDB.
   * @example if (await client.persist()) showFiles(client.doc); // offline, yet the last synced files
   */
  async persist(): Promise<boolean> {
    this.#store ??= import("./room-store.js").then(async ({ openRoomStore, roomStoreName }) => {
      const store = await openRoomStore(roomStoreName(this.url), this.doc);
      if (this.#destroyed) store.destroy();
      return store;
    });
    return (await this.#store).restored;
  }

  /** True when the doc is kept in IndexedDB (`persist`). */
  get persisted(): boolean {
    return this.#store !== null;
  }

  /**
   * Whether the room is end-to-end encrypted, as far as this client knows: true once a keyed client's room checked out (or
   * a client without the key was refused with 4409), false once a plaintext sync finished (or a keyed client was refused
   * with 4412), null before.
   */
  get encrypted(): boolean | null {
    return this.#encrypted;
  }

  /** Why a keyed client stopped for good (the key does not open the room's key check), if it did. */
  get e2eError(): { error: "wrong-key"; message: string } | null {
    return this.#e2eError;
  }

  /** Current connection state. */
  get status(): RoomStatus {
    return this.#status;
  }

  /**
   * Every other client of the room by awareness client id, and how it is reached: `webrtc` over a direct data channel
   * (edits and cursors arrive from it directly, and still through the room), or `websocket` through the room only.
   */
  get peers(): ReadonlyMap<number, RoomPeer> {
    return this.#peers.peers;
  }

  /** True once the initial exchange with the server finished on the current connection. */
  get synced(): boolean {
    return this.#sync.synced;
  }

  /** Why the server ended the connection for good, if it did. */
  get closeReason(): { code: number; reason: string } | null {
    return this.#closeReason;
  }

  /**
   * What this connection may do, as the room last said: `owner`, `editor` or `viewer` (who only watches; the room drops
   * its edits). Null until the room says (a public room does not bother for anonymous connections: they edit).
   */
  get role(): RoomRole | null {
    return this.#grant?.role ?? null;
  }

  /**
   * The claim token the room handed this client when it created the room (its first stored write), kept for the page's
   * session (sessionStorage where there is one). Whoever holds it may claim the room, although others edited it since:
   * `client.http.setPermissions({ visibility, claimToken })` while signed in. Null when this page did not create it.
   */
  get claimToken(): string | null {
    return this.#claimToken;
  }

  /** The room's last Auth/Granted for this connection (role, verified user id, visibility, token expiry), if any. */
  get grant(): RoomGrant | null {
    return this.#grant;
  }

  /**
   * Use `source` for the session token from now on (null: anonymous). On an open socket the new token is sent at once
   * (the room re-authenticates it in place); switching to anonymous after a token reconnects, so the room forgets the
   * identity. After a 4401/4403 close this reconnects.
   * @example client.setTokenSource(() => window.Clerk.session?.getToken() ?? null);
   */
  setTokenSource(source: TokenSource | null): void {
    this.#token.setSource(source);
    if (this.#closeReason && AUTH_CLOSE_CODES.has(this.#closeReason.code)) {
      this.#setGrant(null);
      this.connect();
      return;
    }
    if (!this.#ws || !this.#sync.started) return; // the handshake in flight or the next connect asks the new source
    if (!source) {
      if (this.#token.sent) this.#reconnect();
      return;
    }
    void this.#token.refresh();
  }

  /**
   * A current token from the token source, for HTTP calls about this room (`client.http` sends it); null when anonymous.
   * @example const token = await client.token();
   */
  token(): Promise<string | null> {
    return this.#token.fetch();
  }

  /** Resolves once synced (immediately if already). */
  whenSynced(): Promise<void> {
    if (this.#sync.synced) return Promise.resolve();
    return new Promise((resolve) => {
      const onSynced = (synced: boolean) => {
        if (!synced) return;
        this.off("synced", onSynced);
        resolve();
      };
      this.on("synced", onSynced);
    });
  }

  /** Start (or resume) connecting; edits made meanwhile stay in the doc and are sent once connected. */
  connect(): void {
    this.#shouldConnect = true;
    this.#closeReason = null;
    if (!this.#ws && !this.#backoff.pending) this.#open();
  }

  /** Close the socket and stop reconnecting. The doc stays usable offline. */
  disconnect(): void {
    this.#shouldConnect = false;
    this.#backoff.clear();
    this.#drop("client disconnect");
    this.#setStatus("offline");
  }

  /** Disconnect, announce departure and release listeners (and the doc if this client created it). */
  override destroy(): void {
    this.#destroyed = true;
    browserWindow()?.removeEventListener("online", this.#onOnline);
    void this.#store?.then((store) => store.destroy(), () => {});
    this.#sync.announceDeparture();
    this.disconnect();
    this.#peers.destroy();
    this.#sync.destroy();
    if (this.#ownsDoc) this.doc.destroy();
    super.destroy();
  }

  /** The browser says the network is back: retry now rather than when the backoff's timer fires. */
  #onOnline = (): void => {
    if (!this.#shouldConnect || this.#ws) return;
    this.#backoff.clear();
    this.#backoff.reset();
    this.#open();
  };

  #open(): void {
    // The browser knows it has no network: no doomed socket; look again after the backoff (or at once on `online`).
    if ((globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === false) return this.#scheduleRetry(0);
    this.#setStatus("connecting");
    let ws: WebSocketLike;
    try {
      ws = new this.#WebSocket(this.url);
    } catch {
      this.#scheduleRetry(0);
      return;
    }
    ws.binaryType = "arraybuffer";
    this.#ws = ws;
    this.#refusal = null;
    ws.onopen = () => {
      this.#idle.start(() => this.#ws?.close(4000, "idle timeout"));
      if (!this.#token.source) return this.#handshake(ws, null);
      void this.#authenticate(ws);
    };
    ws.onmessage = (event) => {
      this.#idle.heard();
      const data = event.data;
      if (!(data instanceof ArrayBuffer)) return; // the protocol is binary; ignore anything else
      this.#receive(new Uint8Array(data));
    };
    ws.onerror = () => {
      // onclose follows and handles the retry
    };
    ws.onclose = (event) => {
      if (this.#ws !== ws) return;
      const decision = afterClose({
        code: event.code,
        sentToken: this.#token.sent !== null,
        hasTokenSource: this.#token.source !== null,
        authRetried: this.#authRetried,
        refusal: this.#refusal,
      });
      this.#detach();
      if (decision.action === "retry") {
        this.#authRetried = decision.authRetried;
        return this.#scheduleRetry(decision.minDelayMs);
      }
      this.#shouldConnect = false;
      this.#closeReason = { code: event.code, reason: event.reason };
      if (AUTH_CLOSE_CODES.has(event.code)) this.#grant = null;
      if (event.code === CloseCode.Encrypted || event.code === CloseCode.NotEncrypted) this.#setEncrypted(event.code === CloseCode.Encrypted);
      this.#setStatus("offline");
      this.emit("closed", [this.#closeReason]);
    };
  }

  /** Fetch a token (asking again if the source changed meanwhile), then send it and the handshake on `ws`. */
  async #authenticate(ws: WebSocketLike): Promise<void> {
    const token = await this.#token.current();
    if (this.#ws === ws) this.#handshake(ws, token);
  }

  /** Auth/Token first (so a private room can check it before anything else), then the sync handshake (core/room-sync.ts). */
  #handshake(ws: WebSocketLike, token: string | null): void {
    if (ws.readyState !== 1) return;
    if (token) this.#token.send(token);
    this.#sync.start((frame) => sendOn(ws, frame));
    this.#setStatus("connected");
  }

  /** Drop the current socket and connect again at once (to change identity). */
  #reconnect(): void {
    this.#setGrant(null);
    this.#drop("reconnecting with another identity");
    this.#backoff.clear();
    this.#backoff.reset();
    if (this.#shouldConnect) this.#open();
  }

  #setGrant(grant: RoomGrant | null): void {
    const before = this.#grant;
    this.#grant = grant;
    if (grant && before?.role !== grant.role) this.#peers.regrant(); // peers must see the new role stamped
    if (grant && (before?.role !== grant.role || before.userId !== grant.userId || before.visibility !== grant.visibility)) {
      this.emit("grant", [grant]);
    }
  }

  #receive(frame: Uint8Array): void {
    let message;
    try {
      message = decodeMessage(frame);
    } catch (error) {
      if (error instanceof ProtocolError) return; // a newer server's message type: ignore, stay connected
      throw error;
    }
    if (message.type === MessageType.Auth) this.#receiveAuth(message);
    else if (message.type === MessageType.Peer) this.#peers.receive(message);
    else {
      if (message.type === MessageType.Sync && message.step === SyncStep.Step2) this.#setEncrypted(false);
      this.#sync.receive(message);
    }
  }

  #receiveAuth(message: Extract<Message, { type: typeof MessageType.Auth }>): void {
    switch (message.kind) {
      case AuthKind.Granted:
        this.#authRetried = false;
        this.#setGrant(message.grant);
        this.#token.ensureRefresh();
        return;
      case AuthKind.PermissionDenied:
        // A refused edit means this connection only watches, whether or not the room said so before.
        if (message.denial === "read-only" && this.#grant?.role !== "viewer") {
          const { userId = null, visibility = "readonly", expiresAt = null } = this.#grant ?? {};
          this.#setGrant({ role: "viewer", userId, visibility, expiresAt });
        }
        this.emit("denied", [{ denial: message.denial, reason: message.reason }]);
        return;
      case AuthKind.Claim:
        this.#claimToken = message.claimToken;
        saveClaim(this.url, message.claimToken);
        this.emit("claim", [message.claimToken]);
        return;
      case AuthKind.Refused:
        this.#refusal = message.refusal; // acted on when the close that follows arrives
        return;
      case AuthKind.Token:
        return; // a client's message; a server never sends it
      default:
        message satisfies never;
    }
  }

  /** The next backoff delay (core/reconnect.ts), and at least `minDelayMs`. */
  #scheduleRetry(minDelayMs: number): void {
    if (!this.#shouldConnect) return this.#setStatus("offline");
    this.#backoff.schedule(minDelayMs, () => {
      if (this.#shouldConnect && !this.#ws) this.#open();
    });
    this.#setStatus("offline");
  }

  /** Detach the current socket, if any, and close it with 1000 and `reason`. */
  #drop(reason: string): void {
    const ws = this.#ws;
    if (!ws) return;
    this.#detach();
    // Closing a socket that is still connecting reports an error; node's `ws` throws it if nobody listens.
    ws.onerror = () => {};
    try {
      ws.close(CloseCode.Normal, reason);
    } catch {
      // never opened
    }
  }

  /** Forget the current socket: no more callbacks from it; remote cursors are cleared. */
  #detach(): void {
    const ws = this.#ws;
    if (ws) ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    this.#ws = null;
    this.#token.reset();
    this.#idle.stop();
    this.#peers.stop();
    this.#sync.stop();
  }

  #setEncrypted(encrypted: boolean): void {
    if (this.#encrypted === encrypted) return;
    this.#encrypted = encrypted;
    this.emit("encrypted", [encrypted]);
  }

  /** The key does not fit the room: close without sending anything more, and stay closed (another key needs a new client). */
  #failSealed(error: "wrong-key", message: string): void {
    this.#e2eError = { error, message };
    this.#setEncrypted(true);
    this.#shouldConnect = false;
    this.#backoff.clear();
    this.#drop(message);
    this.#setStatus("offline");
    this.emit("e2e-error", [this.#e2eError]);
  }

  #setStatus(status: RoomStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.emit("status", [status]);
  }
}

/** The page's window events, where there are any (not in node); core is typed without the DOM. */
function browserWindow(): { addEventListener(type: string, listener: () => void): void; removeEventListener(type: string, listener: () => void): void } | null {
  const scope = globalThis as { addEventListener?: unknown; removeEventListener?: unknown };
  return typeof scope.addEventListener === "function" && typeof scope.removeEventListener === "function" ? (scope as never) : null;
}

/** The page's RTCPeerConnection, where there is one (not in node: pass werift's as `options.RTCPeerConnection`). */
function globalPeerConnection(): PeerConnectionConstructor | null {
  return (globalThis as { RTCPeerConnection?: PeerConnectionConstructor }).RTCPeerConnection ?? null;
}

/** Send on `ws` while it is open; a socket closing under us drops the frame (the doc keeps the edit, the next step 2 carries it). */
function sendOn(ws: WebSocketLike, frame: Uint8Array): void {
  if (ws.readyState !== 1) return;
  try {
    ws.send(frame);
  } catch {
    // closing
  }
}
