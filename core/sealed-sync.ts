/**
 * The document and presence half of a RoomClient connection to an end-to-end encrypted room: the encrypted counterpart of
 * core/room-sync.ts. Every Yjs update and awareness state is sealed with the room's key (core/room-crypto.ts) before it
 * leaves; the room stores and relays only ciphertext (core/sealed-protocol.ts, docs/PROTOCOL.md). RoomClient owns the
 * socket and hands this every message that is not Auth.
 */
import * as string from "lib0/string";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { decodeAwarenessEntries } from "./awareness-entries.js";
import { sanitizeAwarenessUpdate } from "./presence.js";
import { MessageType, type Message } from "./protocol.js";
import { KEY_CHECK_TEXT, importRoomKey, open, seal, type SealedPayloadKind as CryptoKind } from "./room-crypto.js";
import { REMOTE_ORIGIN, createAwareness, type RoomUser, type SyncMessage } from "./room-sync.js";
import { ReplayGuard, SeqOrder, decodeSealedPlaintext, encodeSealedPlaintext } from "./sealed-header.js";
import {
  SealedKind,
  encodeSealedAppend,
  encodeSealedAwareness,
  encodeSealedFetch,
  encodeSealedInit,
  encodeSealedSnapshot,
} from "./sealed-protocol.js";

/** Why an encrypted connection stopped for good. */
export type SealedFailure = "wrong-key";

/** What a SealedSync tells its RoomClient. */
export interface SealedSyncEvents {
  /** True once the doc holds everything the room had at connect time; false when the connection is gone. */
  synced(synced: boolean): void;
  /** The room said whether it is encrypted (false: empty, about to be made encrypted by this client). */
  mode(encrypted: boolean): void;
  /** The room's key check does not open with this key: nothing was sent, the connection must end and stay ended. */
  failed(failure: SealedFailure, message: string): void;
  /** A message that did not open, or was a replay, was dropped (for diagnostics and tests). */
  dropped?(reason: "unopened" | "replay" | "foreign-awareness", kind: CryptoKind): void;
}

/** A message from the room on an encrypted connection. */
type SealedMessage = Extract<Message, { type: typeof MessageType.Sealed }>;
type AppendedMessage = Extract<SealedMessage, { kind: typeof SealedKind.Appended }>;

/**
 * @example
 * const sync = new SealedSync(doc, { name: "Ada" }, Math.random, { room, key }, { synced, mode, failed });
 * sync.start((frame) => ws.send(frame)); ws.onmessage = (e) => sync.receive(decodeMessage(e.data));
 */
export class SealedSync {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly room: string;
  #key: Promise<CryptoKey>;
  #events: SealedSyncEvents;
  #send: ((frame: Uint8Array) => void) | null = null;
  /** The current connection; handlers of an older one that finish late see a different object and do nothing. */
  #connection: object | null = null;
  /** What the room sent before `start` (its greeting arrives while the token is still being fetched). */
  #early: SyncMessage[] = [];
  /** True on the current connection once the key check passed and the log caught up: edits and presence go out. */
  #ready = false;
  #synced = false;
  /** Incoming messages are opened one after another (WebCrypto is async), so they apply in the order they came. */
  #incoming: Promise<void> = Promise.resolve();
  /** Outgoing seals likewise, so appends leave in the order the edits were made. */
  #outgoing: Promise<void> = Promise.resolve();
  /** Local updates the room has not acknowledged (Stored), oldest first; the first `#inFlight` went out on this connection. */
  #outbox: Uint8Array[] = [];
  #inFlight = 0;
  #order = new SeqOrder<AppendedMessage>();
  #updates = new ReplayGuard();
  #presence = new ReplayGuard();
  /** This session's counters: one per kind of message, as receivers check them per kind. */
  #counters = { update: 0, awareness: 0 };

  constructor(
    doc: Y.Doc,
    user: Partial<RoomUser> | undefined,
    random: () => number,
    { room, key }: { room: string; key: string },
    events: SealedSyncEvents,
  ) {
    this.doc = doc;
    this.room = room;
    this.#events = events;
    this.#key = importRoomKey(key);
    this.#key.catch(() => {}); // RoomClient checked the key's form; a failure surfaces where it is awaited
    this.awareness = createAwareness(doc, user, random);
    // What the doc held before this client existed goes to the room like an edit made offline.
    if (doc.store.clients.size > 0) this.#outbox.push(Y.encodeStateAsUpdate(doc));
    doc.on("update", this.#onDocUpdate);
    this.awareness.on("update", this.#onAwarenessUpdate);
  }

  /** True once the log caught up on the current connection. */
  get synced(): boolean {
    return this.#synced;
  }

  /** True once `start` ran on the current connection. */
  get started(): boolean {
    return this.#send !== null;
  }

  /** The connection is open (after the token, if any). Nothing goes out until the room's Mode has been checked. */
  start(send: (frame: Uint8Array) => void): void {
    this.#send = send;
    this.#connection = {};
    this.#ready = false;
    this.#inFlight = 0;
    const early = this.#early;
    this.#early = [];
    for (const message of early) this.receive(message);
  }

  /** A message from the room, handled after every earlier one (kept until `start` when it comes before). */
  receive(message: SyncMessage): void {
    if (!this.#send) {
      this.#early.push(message);
      return;
    }
    const connection = this.#connection;
    this.#incoming = this.#incoming
      .then(() => (connection === this.#connection ? this.#handle(message) : undefined))
      .catch(() => {}); // a message that cannot be handled changes nothing
  }

  /** The connection is gone: nothing goes out until the next `start`, remote cursors are cleared, no longer synced. */
  stop(): void {
    this.#send = null;
    this.#early = [];
    this.#connection = null;
    this.#ready = false;
    this.#inFlight = 0;
    this.#presence.clear(); // the room hands everyone's last state out again after a reconnect
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, REMOTE_ORIGIN);
    if (this.#synced) {
      this.#synced = false;
      this.#events.synced(false);
    }
  }

  /** Our presence is removed locally; the room tells the others when the socket closes (Left). */
  announceDeparture(): void {
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], "local");
  }

  destroy(): void {
    this.doc.off("update", this.#onDocUpdate);
    this.awareness.off("update", this.#onAwarenessUpdate);
    this.awareness.destroy();
  }

  async #handle(message: SyncMessage): Promise<void> {
    if (message.type === MessageType.QueryAwareness) return this.#sendPresence();
    if (message.type !== MessageType.Sealed) return; // plaintext sync or awareness has no place here
    switch (message.kind) {
      case SealedKind.Mode:
        return this.#onMode(message.encrypted, message.keyCheck);
      case SealedKind.Appended:
        for (const entry of this.#order.arrive(message.seq, message)) await this.#applyEntry(entry);
        return;
      case SealedKind.Stored:
        // Our own append is in the log: it counts as seen (a snapshot's upTo may cover it) and leaves the outbox.
        if (this.#inFlight > 0) {
          this.#outbox.shift();
          this.#inFlight--;
        }
        for (const entry of this.#order.arrive(message.seq, null)) await this.#applyEntry(entry);
        return;
      case SealedKind.Snapshot: {
        const opened = await this.#open("snapshot", message.sealed);
        // A snapshot merges what it covers: applying it again changes nothing, so it is not held to the counter rule.
        if (opened) Y.applyUpdate(this.doc, opened.payload, REMOTE_ORIGIN);
        for (const entry of this.#order.coverTo(message.upTo)) await this.#applyEntry(entry);
        return;
      }
      case SealedKind.CaughtUp:
        for (const entry of this.#order.flush(message.seq)) await this.#applyEntry(entry);
        return this.#caughtUp();
      case SealedKind.SnapshotWanted:
        if (this.#ready) this.#sealAndSend("snapshot", (sealed) => encodeSealedSnapshot(this.#order.last, sealed), Y.encodeStateAsUpdate(this.doc));
        return;
      case SealedKind.Awareness:
        return this.#applyPresence(message.clientId, message.sealed);
      case SealedKind.Left: {
        const gone = message.clientIds.filter((id) => id !== this.doc.clientID);
        awarenessProtocol.removeAwarenessStates(this.awareness, gone, REMOTE_ORIGIN);
        return;
      }
      default:
        return; // client -> room kinds; a room never sends them
    }
  }

  /** The greeting: check the key against the room's key check (or make the empty room encrypted), then catch up. */
  async #onMode(encrypted: boolean, keyCheck: Uint8Array): Promise<void> {
    const key = await this.#key;
    if (encrypted || keyCheck.length > 0) {
      const text = await open(key, this.room, "key-check", keyCheck).catch(() => null);
      if (!text || string.decodeUtf8(text) !== KEY_CHECK_TEXT) {
        this.#send = null;
        this.#events.failed("wrong-key", "Wrong key for this encrypted room");
        return;
      }
    } else {
      // An empty room: this client makes it encrypted for good; the room keeps only the sealed known text.
      const sealed = await seal(key, this.room, "key-check", string.encodeUtf8(KEY_CHECK_TEXT));
      this.#send?.(encodeSealedInit(sealed));
    }
    this.#events.mode(true);
    this.#send?.(encodeSealedFetch(this.#order.last));
  }

  /** The log is in: synced; then what the room has not acknowledged goes out (edits made offline too), and presence. */
  #caughtUp(): void {
    if (!this.#send) return;
    this.#ready = true;
    if (!this.#synced) {
      this.#synced = true;
      this.#events.synced(true);
    }
    // A second CaughtUp on one connection (the room greets again with Mode when a concurrent Init made it encrypted) sends
    // only what has not gone out on it yet, so Stored acks stay matched to the outbox.
    if (this.#inFlight === 0 && this.#outbox.length > 1) this.#outbox = [Y.mergeUpdates(this.#outbox)];
    for (const update of this.#outbox.slice(this.#inFlight)) this.#append(update);
    this.#sendPresence();
  }

  async #applyEntry(entry: AppendedMessage): Promise<void> {
    const opened = await this.#open("update", entry.sealed);
    if (!opened) return;
    if (opened.sender !== this.doc.clientID && !this.#updates.accept(opened.sender, opened.counter)) {
      this.#events.dropped?.("replay", "update");
      return;
    }
    Y.applyUpdate(this.doc, opened.payload, REMOTE_ORIGIN);
  }

  async #applyPresence(clientId: number, sealed: Uint8Array): Promise<void> {
    if (clientId === this.doc.clientID) return;
    const opened = await this.#open("awareness", sealed);
    if (!opened) return;
    // Only the sealer's own state, under the id the room saw: a key holder cannot move someone else's cursor.
    let entries;
    try {
      entries = decodeAwarenessEntries(opened.payload);
    } catch {
      return;
    }
    if (opened.sender !== clientId || entries.some((entry) => entry.clientId !== clientId)) {
      this.#events.dropped?.("foreign-awareness", "awareness");
      return;
    }
    if (!this.#presence.accept(opened.sender, opened.counter)) {
      this.#events.dropped?.("replay", "awareness");
      return;
    }
    const update = sanitizeAwarenessUpdate(opened.payload);
    if (update) awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN);
  }

  /** Open a sealed message and take its header off; null (and reported) when it does not open. */
  async #open(kind: CryptoKind, sealed: Uint8Array): Promise<ReturnType<typeof decodeSealedPlaintext>> {
    const plaintext = await open(await this.#key, this.room, kind, sealed).catch(() => null);
    const message = plaintext && decodeSealedPlaintext(plaintext);
    if (!message) this.#events.dropped?.("unopened", kind);
    return message;
  }

  #append(update: Uint8Array): void {
    this.#inFlight++;
    this.#sealAndSend("update", encodeSealedAppend, update);
  }

  #sendPresence(): void {
    if (!this.#ready || this.awareness.getLocalState() === null) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]);
    this.#sealAndSend("awareness", (sealed) => encodeSealedAwareness(this.doc.clientID, sealed), update);
  }

  /** Seal `payload` with this session's next counter for its kind, after every earlier seal, and send it if still connected. */
  #sealAndSend(kind: "update" | "snapshot" | "awareness", frame: (sealed: Uint8Array) => Uint8Array, payload: Uint8Array): void {
    const connection = this.#connection;
    this.#outgoing = this.#outgoing
      .then(async () => {
        if (connection !== this.#connection) return;
        const counter = kind === "awareness" ? ++this.#counters.awareness : ++this.#counters.update;
        const sealed = await seal(await this.#key, this.room, kind, encodeSealedPlaintext(this.doc.clientID, counter, payload));
        if (connection === this.#connection) this.#send?.(frame(sealed));
      })
      .catch(() => {});
  }

  #onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === REMOTE_ORIGIN) return;
    this.#outbox.push(update);
    if (this.#ready) this.#append(update);
  };

  #onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    if (origin === REMOTE_ORIGIN) return;
    if ([...added, ...updated, ...removed].includes(this.doc.clientID)) this.#sendPresence();
  };
}
