/**
 * RoomClient: one WebSocket to one room, speaking core/protocol.ts. Connects, reconnects with capped exponential backoff
 * and full jitter, reports `connecting | connected | offline`, keeps edits made offline in the Y.Doc and merges them on
 * reconnect (sync step 1/2), and carries awareness (user name, colour, cursor). Runs in a page, a Worker and node (pass `ws`).
 */
import { ObservableV2 } from "lib0/observable";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import {
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
}

export interface RoomClientEvents {
  /** The connection state changed. */
  status: (status: RoomStatus) => void;
  /** True once the doc holds everything the server had at connect time; false on disconnect. */
  synced: (synced: boolean) => void;
  /** The server closed the socket with a code after which retrying is pointless (see CloseCode). */
  closed: (close: { code: number; reason: string }) => void;
  [key: string]: (...args: any[]) => void;
}

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

  constructor(options: RoomClientOptions) {
    super();
    if (!isValidRoomId(options.room)) throw new TypeError(`invalid room id "${options.room}": use 1-64 of [A-Za-z0-9_-]`);
    this.room = options.room;
    this.url = roomSocketUrl(options.server, options.room);
    this.#ownsDoc = !options.doc;
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
      this.#setStatus("connected");
      this.#send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
      if (this.awareness.getLocalState() !== null) {
        this.#send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID])));
      }
      this.#send(encodeQueryAwareness());
      this.#startIdleCheck();
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
      this.#detach();
      if (TERMINAL_CLOSE_CODES.has(event.code)) {
        this.#shouldConnect = false;
        this.#closeReason = { code: event.code, reason: event.reason };
        this.#setStatus("offline");
        this.emit("closed", [this.#closeReason]);
        return;
      }
      this.#scheduleRetry();
    };
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
          this.#send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)));
          return;
        }
        Y.applyUpdate(this.doc, message.update, REMOTE_ORIGIN);
        if (message.step === SyncStep.Step2 && !this.#synced) {
          this.#synced = true;
          this.#attempts = 0;
          this.emit("synced", [true]);
        }
        return;
      case MessageType.Awareness:
        awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, REMOTE_ORIGIN);
        return;
      case MessageType.QueryAwareness:
        this.#send(
          encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])),
        );
        return;
      case MessageType.Auth:
        this.#closeReason = { code: 0, reason: message.reason };
        this.emit("closed", [this.#closeReason]);
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
    if (ws && ws.readyState === 1) {
      try {
        ws.send(frame);
      } catch {
        // closing; the doc keeps the edit and the next sync step 2 carries it
      }
    }
  }

  /** Capped exponential backoff with full jitter: delay = random() * min(max, min * 2^attempts). */
  #scheduleRetry(): void {
    if (!this.#shouldConnect) return this.#setStatus("offline");
    const delay = reconnectDelay(this.#attempts++, this.#options);
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
