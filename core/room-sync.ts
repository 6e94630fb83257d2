/**
 * The document and presence half of a RoomClient connection: sync step 1/2 and updates both ways, awareness out and
 * (checked, core/presence.ts) in. RoomClient owns the socket, its lifecycle and authentication, and hands this the
 * messages that are not Auth; nothing here knows about tokens or reconnects.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { sanitizeAwarenessUpdate } from "./presence.js";
import {
  MessageType,
  SyncStep,
  encodeAwareness,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  type Message,
} from "./protocol.js";

/** How this client's user appears to others. */
export interface RoomUser {
  name: string;
  color: string;
}

/** The messages a RoomSync handles: everything but Auth and Peer (WebRTC signalling). */
export type SyncMessage = Exclude<Message, { type: typeof MessageType.Auth | typeof MessageType.Peer }>;

/** Origin of transactions applied from the server, so bindings can tell remote changes from local ones. */
export const REMOTE_ORIGIN = Symbol("spike-remote");

const USER_COLORS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#008080", "#9a6324", "#800000", "#000075", "#f032e6"];

/**
 * The doc's awareness with this user's name and colour (generated when not given); core/sealed-sync.ts shares it.
 * @example const awareness = createAwareness(doc, { name: "Ada" }, Math.random);
 */
export function createAwareness(doc: Y.Doc, user: Partial<RoomUser> | undefined, random: () => number): awarenessProtocol.Awareness {
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalStateField("user", {
    name: user?.name ?? `Guest ${Math.floor(random() * 900 + 100)}`,
    color: user?.color ?? USER_COLORS[Math.floor(random() * USER_COLORS.length)]!,
  } satisfies RoomUser);
  return awareness;
}

/**
 * @example
 * const sync = new RoomSync(doc, { name: "Ada" }, Math.random, (synced) => console.log(synced));
 * sync.start((frame) => ws.send(frame)); ws.onmessage = (e) => sync.receive(decodeMessage(e.data));
 */
export class RoomSync {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  #send: ((frame: Uint8Array) => void) | null = null;
  /** The room's step 1 that arrived before our handshake went out (while the token was fetched). */
  #pendingStateVector: Uint8Array | null = null;
  #synced = false;
  #onSynced: (synced: boolean) => void;

  constructor(doc: Y.Doc, user: Partial<RoomUser> | undefined, random: () => number, onSynced: (synced: boolean) => void) {
    this.doc = doc;
    this.#onSynced = onSynced;
    this.awareness = createAwareness(doc, user, random);
    doc.on("update", this.#onDocUpdate);
    this.awareness.on("update", this.#onAwarenessUpdate);
  }

  /** True once the initial exchange finished on the current connection. */
  get synced(): boolean {
    return this.#synced;
  }

  /** True once `start` ran on the current connection: edits and presence go out. */
  get started(): boolean {
    return this.#send !== null;
  }

  /**
   * The handshake (after the token, if any): sync step 1, our awareness, a query for everyone else's, and the answer to a
   * step 1 that came early. Edits made before this point are not lost: step 2 carries them.
   */
  start(send: (frame: Uint8Array) => void): void {
    this.#send = send;
    send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    if (this.awareness.getLocalState() !== null) {
      send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID])));
    }
    send(encodeQueryAwareness());
    const pending = this.#pendingStateVector;
    this.#pendingStateVector = null;
    if (pending) send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, pending)));
  }

  /** A message from the room. The first step 2 makes the client synced. */
  receive(message: SyncMessage): void {
    switch (message.type) {
      case MessageType.Sync:
        if (message.step === SyncStep.Step1) {
          // Before our token went out, a step 2 would be written as anonymous: answer once the handshake is sent.
          if (!this.#send) this.#pendingStateVector = message.stateVector;
          else this.#send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)));
          return;
        }
        Y.applyUpdate(this.doc, message.update, REMOTE_ORIGIN);
        if (message.step === SyncStep.Step2 && !this.#synced) {
          this.#synced = true;
          this.#onSynced(true);
        }
        return;
      case MessageType.Awareness: {
        // Any client can publish any state, and editors render what they find there: only checked states get in.
        const update = sanitizeAwarenessUpdate(message.update);
        if (update) awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN);
        return;
      }
      case MessageType.QueryAwareness:
        this.#send?.(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])));
        return;
      case MessageType.Sealed:
        return; // an encrypted room's frames: a plaintext sync has nothing to apply
      default:
        message satisfies never;
    }
  }

  /** The connection is gone: nothing goes out until the next `start`, remote cursors are cleared, no longer synced. */
  stop(): void {
    this.#send = null;
    this.#pendingStateVector = null;
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, REMOTE_ORIGIN);
    if (this.#synced) {
      this.#synced = false;
      this.#onSynced(false);
    }
  }

  /** Announce our departure: our presence is removed, and the room relays that (call while the socket is still open). */
  announceDeparture(): void {
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], "local");
  }

  destroy(): void {
    this.doc.off("update", this.#onDocUpdate);
    this.awareness.off("update", this.#onAwarenessUpdate);
    this.awareness.destroy();
  }

  #onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin !== REMOTE_ORIGIN) this.#send?.(encodeUpdate(update));
  };

  #onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin === REMOTE_ORIGIN) return;
    const changed = [...added, ...updated, ...removed];
    this.#send?.(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
  };
}
