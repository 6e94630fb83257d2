/**
 * RoomClient: one WebSocket to one room, speaking core/protocol.ts. Connects, reconnects with capped exponential backoff
 * and full jitter, reports `connecting | connected | offline`, keeps edits made offline in the Y.Doc and merges them on
 * reconnect (sync step 1/2), and carries awareness (user name, colour, cursor). With a token source it authenticates
 * in-band (Auth/Token first on every connect, again before the token expires) and reports the role the room grants.
 * Runs in a page, a Worker and node (pass `ws`).
 */
import { ObservableV2 } from "lib0/observable";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { TokenSource } from "./auth.js";
import { sanitizeAwarenessUpdate } from "./presence.js";
import { RoomToken } from "./room-token.js";
import {
  AuthKind,
  CloseCode,
  MessageType,
  ProtocolError,
  SyncStep,
  TERMINAL_CLOSE_CODES,
  decodeMessage,
  encodeAwareness,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  isValidRoomId,
  retryAfterSeconds,
  ROOM_CLIENT_PARAM,
  type RoomGrant,
  type RoomRole,
} from "./protocol.js";

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

/** How this client's user appears to others. */
export interface RoomUser {
  name: string;
  color: string;
}

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
  /**
   * Where the session token comes from (a function, or `clerkTokenSource(Clerk)`); none means anonymous. Asked on every
   * connect and again before the token expires. See {@link RoomClient.setTokenSource}.
   */
  getToken?: TokenSource | null;
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
  /** The room refused something this connection did (e.g. an edit on a read-only connection); the socket stays open. */
  denied: (reason: string) => void;
  /** This client created the room (its first stored write): the token that lets this page claim it. See `claimToken`. */
  claim: (claimToken: string) => void;
  [key: string]: (...args: any[]) => void;
}

/** Close codes that mean "a different token might get in": `setTokenSource` reconnects after them. */
const AUTH_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.Unauthorized, CloseCode.Forbidden]);

/** Origin of transactions applied from the server, so bindings can tell remote changes from local ones. */
export const REMOTE_ORIGIN = Symbol("spike-remote");

const USER_COLORS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#008080", "#9a6324", "#800000", "#000075", "#f032e6"];

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
  #status: RoomStatus = "offline";
  #synced = false;
  #closeReason: { code: number; reason: string } | null = null;
  #ws: WebSocketLike | null = null;
  #WebSocket: WebSocketConstructor;
  #shouldConnect = false;
  #attempts = 0;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #idleTimer: ReturnType<typeof setInterval> | null = null;
  #lastMessageAt = 0;
  #options: Required<Pick<RoomClientOptions, "minBackoffMs" | "maxBackoffMs" | "idleTimeoutMs" | "random">>;
  #ownsDoc: boolean;
  #token: RoomToken;
  /** True once the handshake (token, step 1, awareness) went out on the current socket: edits may be sent. */
  #ready = false;
  #grant: RoomGrant | null = null;
  /** The room's step 1 that arrived while we were still fetching our token. */
  #pendingStateVector: Uint8Array | null = null;
  /** Set after one reconnect that a 4401 earned; cleared by the next grant. */
  #authRetried = false;
  #claimToken: string | null;

  constructor(options: RoomClientOptions) {
    super();
    if (!isValidRoomId(options.room)) throw new TypeError(`invalid room id "${options.room}": use 1-64 of [A-Za-z0-9_-]`);
    this.room = options.room;
    // The marker tells the room this client reads close codes: it refuses us with a code and a reason (4429 "retry in N s"),
    // where a stock client gets an HTTP status it backs off from.
    this.url = `${roomSocketUrl(options.server, options.room)}?${ROOM_CLIENT_PARAM.name}=${ROOM_CLIENT_PARAM.value}`;
    this.#claimToken = claims()?.getItem(claimKey(this.url)) ?? null;
    this.#ownsDoc = !options.doc;
    this.#token = new RoomToken(options.getToken ?? null, {
      socket: () => this.#ws,
      ready: () => this.#ready,
      send: (frame) => this.#ws?.send(frame),
      grantedExpiry: () => this.#grant?.expiresAt ?? null,
      signedOut: () => this.#reconnect(),
    });
    this.doc = options.doc ?? new Y.Doc();
    const ctor = options.WebSocket ?? (globalThis as unknown as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!ctor) throw new TypeError("no WebSocket implementation: pass options.WebSocket (for node, the `ws` package)");
    this.#WebSocket = ctor;
    this.#options = {
      minBackoffMs: options.minBackoffMs ?? 250,
      maxBackoffMs: options.maxBackoffMs ?? 10_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
      random: options.random ?? Math.random,
    };
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    const random = this.#options.random;
    this.awareness.setLocalStateField("user", {
      name: options.user?.name ?? `Guest ${Math.floor(random() * 900 + 100)}`,
      color: options.user?.color ?? USER_COLORS[Math.floor(random() * USER_COLORS.length)]!,
    } satisfies RoomUser);
    this.doc.on("update", this.#onDocUpdate);
    this.awareness.on("update", this.#onAwarenessUpdate);
    if (options.connect !== false) this.connect();
  }

  /** Current connection state. */
  get status(): RoomStatus {
    return this.#status;
  }

  /** True once the initial exchange with the server finished on the current connection. */
  get synced(): boolean {
    return this.#synced;
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
   * `PUT /live/<room>/permissions` with `{visibility, claimToken}` while signed in. Null when this page did not create it.
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
    if (!this.#ws || !this.#ready) return; // the handshake in flight or the next connect asks the new source
    if (!source) {
      if (this.#token.sent) this.#reconnect();
      return;
    }
    void this.#token.refresh();
  }

  /**
   * A current token from the token source, for HTTP calls about this room (`Authorization: Bearer …`); null when anonymous.
   * @example fetch(url, { headers: { authorization: `Bearer ${await client.token()}` } })
   */
  token(): Promise<string | null> {
    return this.#token.fetch();
  }

  /** Resolves once synced (immediately if already). */
  whenSynced(): Promise<void> {
    if (this.#synced) return Promise.resolve();
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
    if (!this.#ws && !this.#retryTimer) this.#open();
  }

  /** Close the socket and stop reconnecting. The doc stays usable offline. */
  disconnect(): void {
    this.#shouldConnect = false;
    this.#clearRetry();
    const ws = this.#ws;
    if (ws) {
      this.#detach();
      // Closing a socket that is still connecting reports an error; node's `ws` throws it if nobody listens.
      ws.onerror = () => {};
      try {
        ws.close(CloseCode.Normal, "client disconnect");
      } catch {
        // never opened
      }
    }
    this.#setStatus("offline");
  }

  /** Disconnect, announce departure and release listeners (and the doc if this client created it). */
  override destroy(): void {
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], "local");
    this.disconnect();
    this.doc.off("update", this.#onDocUpdate);
    this.awareness.off("update", this.#onAwarenessUpdate);
    this.awareness.destroy();
    if (this.#ownsDoc) this.doc.destroy();
    super.destroy();
  }

  #open(): void {
    this.#setStatus("connecting");
    let ws: WebSocketLike;
    try {
      ws = new this.#WebSocket(this.url);
    } catch {
      this.#scheduleRetry();
      return;
    }
    ws.binaryType = "arraybuffer";
    this.#ws = ws;
    ws.onopen = () => {
      this.#lastMessageAt = Date.now();
      this.#startIdleCheck();
      if (!this.#token.source) return this.#handshake(ws, null);
      void this.#authenticate(ws);
    };
    ws.onmessage = (event) => {
      this.#lastMessageAt = Date.now();
      const data = event.data;
      if (!(data instanceof ArrayBuffer)) return; // the protocol is binary; ignore anything else
      this.#receive(new Uint8Array(data));
    };
    ws.onerror = () => {
      // onclose follows and handles the retry
    };
    ws.onclose = (event) => {
      if (this.#ws !== ws) return;
      const sentToken = this.#token.sent !== null;
      this.#detach();
      // A 4401 after we sent a token may be one that expired while the socket slept: one more try with a fresh token.
      if (event.code === CloseCode.Unauthorized && sentToken && this.#token.source && !this.#authRetried) {
        this.#authRetried = true;
        return this.#scheduleRetry();
      }
      if (TERMINAL_CLOSE_CODES.has(event.code)) {
        this.#shouldConnect = false;
        this.#closeReason = { code: event.code, reason: event.reason };
        if (AUTH_CLOSE_CODES.has(event.code)) this.#grant = null;
        this.#setStatus("offline");
        this.emit("closed", [this.#closeReason]);
        return;
      }
      // Rate limited: wait at least as long as the room asked, then back off as usual.
      this.#scheduleRetry(event.code === CloseCode.RateLimited ? retryAfterSeconds(event.reason) * 1000 : 0);
    };
  }

  /** Fetch a token (asking again if the source changed meanwhile), then send it and the handshake on `ws`. */
  async #authenticate(ws: WebSocketLike): Promise<void> {
    const token = await this.#token.current();
    if (this.#ws === ws) this.#handshake(ws, token);
  }

  /**
   * Auth/Token first (so a private room can check it before anything else), then sync step 1, our awareness, and a query
   * for everyone else's. Edits made before this point are not lost: step 2 carries them.
   */
  #handshake(ws: WebSocketLike, token: string | null): void {
    if (ws.readyState !== 1) return;
    if (token) this.#token.send(token);
    this.#ready = true;
    this.#setStatus("connected");
    this.#send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    if (this.awareness.getLocalState() !== null) {
      this.#send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID])));
    }
    this.#send(encodeQueryAwareness());
    const pending = this.#pendingStateVector;
    this.#pendingStateVector = null;
    if (pending) this.#send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, pending)));
  }

  /** Drop the current socket and connect again at once (to change identity). */
  #reconnect(): void {
    const ws = this.#ws;
    this.#setGrant(null);
    if (ws) {
      this.#detach();
      ws.onerror = () => {};
      try {
        ws.close(CloseCode.Normal, "reconnecting with another identity");
      } catch {
        // never opened
      }
    }
    this.#clearRetry();
    this.#attempts = 0;
    if (this.#shouldConnect) this.#open();
  }

  #setGrant(grant: RoomGrant | null): void {
    const before = this.#grant;
    this.#grant = grant;
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
    switch (message.type) {
      case MessageType.Sync:
        if (message.step === SyncStep.Step1) {
          // Before our token went out, a step 2 would be written as anonymous: answer once the handshake is sent.
          if (!this.#ready) this.#pendingStateVector = message.stateVector;
          else this.#send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)));
          return;
        }
        Y.applyUpdate(this.doc, message.update, REMOTE_ORIGIN);
        if (message.step === SyncStep.Step2 && !this.#synced) {
          this.#synced = true;
          this.#attempts = 0;
          this.emit("synced", [true]);
        }
        return;
      case MessageType.Awareness: {
        // Any client can publish any state, and editors render what they find there: only checked states get in.
        const update = sanitizeAwarenessUpdate(message.update);
        if (update) awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN);
        return;
      }
      case MessageType.QueryAwareness:
        this.#send(
          encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])),
        );
        return;
      case MessageType.Auth:
        switch (message.kind) {
          case AuthKind.Granted:
            this.#authRetried = false;
            this.#setGrant(message.grant);
            this.#token.ensureRefresh();
            return;
          case AuthKind.PermissionDenied:
            // A refused edit means this connection only watches, whether or not the room said so before.
            if (/^read-only\b/i.test(message.reason) && this.#grant?.role !== "viewer") {
              const { userId = null, visibility = "readonly", expiresAt = null } = this.#grant ?? {};
              this.#setGrant({ role: "viewer", userId, visibility, expiresAt });
            }
            this.emit("denied", [message.reason]);
            return;
          case AuthKind.Claim:
            this.#claimToken = message.claimToken;
            try {
              claims()?.setItem(claimKey(this.url), message.claimToken);
            } catch {
              // storage full or denied: the token stays in memory for this page
            }
            this.emit("claim", [message.claimToken]);
            return;
          case AuthKind.Token:
            return; // a client's message; a server never sends it
          default:
            message satisfies never;
        }
        return;
      default:
        message satisfies never;
    }
  }

  #onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin !== REMOTE_ORIGIN) this.#send(encodeUpdate(update));
  };

  #onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin === REMOTE_ORIGIN) return;
    const changed = [...added, ...updated, ...removed];
    this.#send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
  };

  #send(frame: Uint8Array): void {
    const ws = this.#ws;
    if (ws && this.#ready && ws.readyState === 1) {
      try {
        ws.send(frame);
      } catch {
        // closing; the doc keeps the edit and the next sync step 2 carries it
      }
    }
  }

  /** Capped exponential backoff with full jitter: delay = random() * min(max, min * 2^attempts), and at least `minDelayMs`. */
  #scheduleRetry(minDelayMs = 0): void {
    if (!this.#shouldConnect) return this.#setStatus("offline");
    const delay = Math.max(minDelayMs, reconnectDelay(this.#attempts++, this.#options));
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (this.#shouldConnect && !this.#ws) this.#open();
    }, delay);
    this.#setStatus("offline");
  }

  #startIdleCheck(): void {
    this.#stopIdleCheck();
    const timeout = this.#options.idleTimeoutMs;
    this.#idleTimer = setInterval(() => {
      if (Date.now() - this.#lastMessageAt > timeout) this.#ws?.close(4000, "idle timeout");
    }, Math.max(100, timeout / 10));
  }

  #stopIdleCheck(): void {
    if (this.#idleTimer) clearInterval(this.#idleTimer);
    this.#idleTimer = null;
  }

  #clearRetry(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  /** Forget the current socket: no more callbacks from it; remote cursors are cleared. */
  #detach(): void {
    const ws = this.#ws;
    if (ws) ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    this.#ws = null;
    this.#ready = false;
    this.#pendingStateVector = null;
    this.#token.reset();
    this.#stopIdleCheck();
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, REMOTE_ORIGIN);
    if (this.#synced) {
      this.#synced = false;
      this.emit("synced", [false]);
    }
  }

  #setStatus(status: RoomStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.emit("status", [status]);
  }
}

/** The part of the Web Storage API the claim token needs. */
interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The page's sessionStorage, or null where there is none (node, Workers) or it may not be used (sandboxed frames). */
function claims(): KeyValueStore | null {
  try {
    return (globalThis as { sessionStorage?: KeyValueStore }).sessionStorage ?? null;
  } catch {
    return null;
  }
}

function claimKey(url: string): string {
  return `spike-claim:${url}`;
}

/**
 * Delay before reconnect attempt number `attempt` (0-based): capped exponential backoff with full jitter, so clients
 * dropped together by a restart do not reconnect together. https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 * @example reconnectDelay(3, { minBackoffMs: 250, maxBackoffMs: 10_000, random: () => 0.5 }) // 1000
 */
export function reconnectDelay(
  attempt: number,
  { minBackoffMs, maxBackoffMs, random }: { minBackoffMs: number; maxBackoffMs: number; random: () => number },
): number {
  const cap = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.min(attempt, 30));
  return random() * cap;
}

/**
 * The WebSocket URL of a room.
 * @example roomSocketUrl("http://localhost:8787", "demo") // "ws://localhost:8787/live/demo/ws"
 */
export function roomSocketUrl(server: string, room: string): string {
  const url = new URL(server);
  url.protocol = url.protocol === "https:" || url.protocol === "wss:" ? "wss:" : "ws:";
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/live/${encodeURIComponent(room)}/ws`;
  url.search = "";
  url.hash = "";
  return url.toString();
}
