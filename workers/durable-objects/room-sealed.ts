/**
 * An end-to-end encrypted room's sockets (docs/PROTOCOL.md "End-to-end encrypted rooms"): the greeting of a socket that
 * asked for e2e (`e2e=1`), the Sealed frames (Init, Append, Fetch, Snapshot, Awareness) and the departure of a sealed
 * awareness client. The room stores and relays blobs it cannot open (room-sealed-store.ts); it sees their sizes, their
 * timing and the clear awareness client ids, never their contents. CodeRoom asks this module first for every frame and
 * greeting; what it does not take goes the plaintext way (room-sync.ts).
 */
import {
  CloseCode,
  MessageType,
  ProtocolError,
  SNAPSHOT_AFTER_BYTES,
  SNAPSHOT_AFTER_ENTRIES,
  SealedKind,
  encodeClaim,
  encodeSealedAppended,
  encodeSealedAwareness,
  encodeSealedCaughtUp,
  encodeSealedLeft,
  encodeSealedMode,
  encodeSealedSnapshot,
  encodeSealedSnapshotWanted,
  encodeSealedStored,
  maxSealedAwarenessBytes,
  type Message,
  type RoomLimits,
  type SealedMessage,
} from "../../core/protocol.js";
import { logEvent } from "../platform/log.js";
import { refuse, type RoomRefusal } from "./room-api.js";
import { AwarenessTooLargeError } from "./awareness-relay.js";
import { RoomLimitError } from "./room-document.js";
import type { SocketFrameLimiter } from "./room-frame-limits.js";
import { canEdit } from "./room-permissions.js";
import type { SealedStore } from "./room-sealed-store.js";
import type { RoomSockets } from "./room-sockets.js";
import { refusedFullState } from "./room-sync.js";
import type { RoomConnections } from "./socket-attachment.js";

/** The close reasons of the two encrypted-room close codes. */
export const ENCRYPTED_REASON = "room is end-to-end encrypted";
export const NOT_ENCRYPTED_REASON = "room is not end-to-end encrypted";

/**
 * The answer of every typed call that reads or writes an encrypted room's contents (session, files, chat, versions, …):
 * 409 `{"error": "room is end-to-end encrypted", "encrypted": true}`. The room has no plaintext to give.
 */
export function encryptedRefusal(): RoomRefusal {
  return refuse(409, ENCRYPTED_REASON, { encrypted: true });
}

/** Once the log is past the threshold, the room asks its appenders again every this many entries until a snapshot comes. */
const SNAPSHOT_ASK_EVERY = 50;

/** What the sealed side needs from its room. */
export interface SealedRoomHost {
  store: SealedStore;
  connections: RoomConnections;
  frames: SocketFrameLimiter;
  limits: Pick<RoomLimits, "maxDocumentBytes" | "maxAwarenessBytes">;
  sockets: Pick<RoomSockets, "roleOf" | "userOf" | "broadcast" | "rateLimited" | "refuseWrite" | "close" | "admitted">;
  /** Every socket of the room. */
  all(): WebSocket[];
  /** True when the room's plaintext document holds content (then it can never become encrypted). */
  plaintextContent(): boolean;
  /** Create the room and run `write`; the claim token when this created it (room-document.ts `created`). */
  created(creator: string | null, write: () => void): string | null;
  /** The room's name, for log lines. */
  room(): string | null;
}

/**
 * @example if (sealed.greet(ws)) return; if (sealed.handle(ws, message)) return; sync.receive(ws, message);
 */
export class SealedRoom {
  #host: SealedRoomHost;
  /** The last sealed awareness state of each client, by clear client id (memory only: clients renew theirs). */
  #states = new Map<number, Uint8Array>();
  /** The last seq at which an appender was asked for a snapshot. */
  #askedAt = 0;

  constructor(host: SealedRoomHost) {
    this.#host = host;
  }

  /** True once the room is end-to-end encrypted (for good): its plaintext calls answer 409, it sends no peer config. */
  get encrypted(): boolean {
    return this.#host.store.encrypted;
  }

  /**
   * Why a socket that asked for e2e (or not) may not open this room at all, decided before its upgrade is answered:
   * 4409 for a plaintext socket on an encrypted room, 4412 for an e2e socket on a plaintext room with content.
   */
  refusal(e2e: boolean): { code: CloseCode; reason: string } | null {
    if (!e2e) return this.#host.store.encrypted ? { code: CloseCode.Encrypted, reason: ENCRYPTED_REASON } : null;
    if (this.#host.store.encrypted || !this.#host.plaintextContent()) return null;
    return { code: CloseCode.NotEncrypted, reason: NOT_ENCRYPTED_REASON };
  }

  /**
   * Greet a socket just admitted, when the sealed side owns its greeting: an e2e socket gets the room's Mode (and the
   * others' sealed awareness), or 4412 on a plaintext room with content; a plaintext socket on an encrypted room gets 4409.
   * False when the socket is a plaintext one on a plaintext room (greet it the plaintext way).
   */
  greet(ws: WebSocket): boolean {
    const { store, connections, sockets } = this.#host;
    if (!connections.e2e(ws)) {
      if (!store.encrypted) return false;
      sockets.close(ws, CloseCode.Encrypted, ENCRYPTED_REASON);
      return true;
    }
    if (store.encrypted) {
      ws.send(encodeSealedMode(true, store.keyCheck));
      this.#sendAwareness(ws);
    } else if (this.#host.plaintextContent()) {
      sockets.close(ws, CloseCode.NotEncrypted, NOT_ENCRYPTED_REASON);
    } else {
      ws.send(encodeSealedMode(false));
    }
    return true;
  }

  /**
   * Handle `message` of an admitted socket when it is the sealed side's: every Sealed frame; a plaintext Sync or Awareness
   * frame in an encrypted room (4409); an e2e socket's QueryAwareness. False otherwise. Throws ProtocolError (1007),
   * RoomLimitError (4413) and AwarenessTooLargeError (1009) for the room to turn into a close.
   */
  handle(ws: WebSocket, message: Message): boolean {
    const { store, connections, sockets } = this.#host;
    switch (message.type) {
      case MessageType.Sealed:
        this.#receive(ws, message);
        return true;
      case MessageType.Sync:
      case MessageType.Awareness:
        if (!store.encrypted) return false;
        sockets.close(ws, CloseCode.Encrypted, ENCRYPTED_REASON);
        return true;
      case MessageType.QueryAwareness:
        if (!connections.e2e(ws)) return false;
        if (refusedFullState(this.#host, ws)) return true;
        this.#sendAwareness(ws);
        return true;
      default:
        return false;
    }
  }

  /** `ws` is gone: its sealed awareness clients left, and the other e2e sockets are told so. */
  left(ws: WebSocket): void {
    const { connections, sockets } = this.#host;
    const ids = connections.sealedClients(ws);
    if (ids.length === 0) return;
    for (const id of ids) this.#states.delete(id);
    connections.setSealedClients(ws, []);
    sockets.broadcast(encodeSealedLeft(ids), ws);
  }

  #receive(ws: WebSocket, message: SealedMessage): void {
    const { store } = this.#host;
    switch (message.kind) {
      case SealedKind.Init:
        if (store.encrypted) return; // a second client's Init, raced or replayed: the room is encrypted already
        if (!this.#mayWrite(ws)) return;
        return this.#init(ws, message.keyCheck);
      case SealedKind.Append:
        if (!this.#encryptedFor(ws) || !this.#mayWrite(ws)) return;
        return this.#append(ws, message.sealed);
      case SealedKind.Fetch:
        if (refusedFullState(this.#host, ws)) return;
        return this.#fetch(ws, message.since);
      case SealedKind.Snapshot:
        if (!this.#encryptedFor(ws) || !this.#mayWrite(ws)) return;
        return this.#snapshot(message.upTo, message.sealed);
      case SealedKind.Awareness:
        if (!this.#encryptedFor(ws)) return;
        return this.#awareness(ws, message.clientId, message.sealed);
      case SealedKind.Mode:
      case SealedKind.Appended:
      case SealedKind.Stored:
      case SealedKind.CaughtUp:
      case SealedKind.SnapshotWanted:
      case SealedKind.Left:
        throw new ProtocolError(`sealed message ${message.kind} is sent by the room only`);
      default:
        message satisfies never;
    }
  }

  #init(ws: WebSocket, keyCheck: Uint8Array): void {
    const { store, sockets, connections } = this.#host;
    if (this.#host.plaintextContent()) return sockets.close(ws, CloseCode.NotEncrypted, NOT_ENCRYPTED_REASON);
    if (keyCheck.byteLength > this.#host.limits.maxDocumentBytes) throw new RoomLimitError(`document would exceed ${this.#host.limits.maxDocumentBytes} bytes`);
    const claimToken = this.#host.created(sockets.userOf(ws), () => store.init(keyCheck));
    logEvent({ type: "room", event: "room_encrypted", room: this.#host.room() });
    if (claimToken) ws.send(encodeClaim(claimToken));
    // Plaintext sockets greeted while the room was empty may not stay; e2e ones learn the room is encrypted now.
    for (const other of this.#host.all()) {
      if (other === ws || other.readyState !== WebSocket.OPEN || !sockets.admitted(other)) continue;
      if (!connections.e2e(other)) sockets.close(other, CloseCode.Encrypted, ENCRYPTED_REASON);
      else other.send(encodeSealedMode(true, store.keyCheck));
    }
  }

  #append(ws: WebSocket, sealed: Uint8Array): void {
    const { store, sockets } = this.#host;
    if (store.has(sealed)) throw new ProtocolError("replayed ciphertext");
    this.#fits(sealed.byteLength);
    const seq = store.append(sealed);
    ws.send(encodeSealedStored(seq));
    sockets.broadcast(encodeSealedAppended(seq, sealed), ws);
    const { rows, bytes } = store.log;
    if ((rows > SNAPSHOT_AFTER_ENTRIES || bytes > SNAPSHOT_AFTER_BYTES) && (this.#askedAt === 0 || seq - this.#askedAt >= SNAPSHOT_ASK_EVERY)) {
      this.#askedAt = seq;
      ws.send(encodeSealedSnapshotWanted(seq));
    }
  }

  #fetch(ws: WebSocket, since: number): void {
    const { store } = this.#host;
    let after = since;
    const snapshot = store.snapshotUpTo > since ? store.snapshot() : null;
    if (snapshot) {
      ws.send(encodeSealedSnapshot(snapshot.upTo, snapshot.sealed));
      after = snapshot.upTo;
    }
    for (const entry of store.entriesAfter(after)) ws.send(encodeSealedAppended(entry.seq, entry.sealed));
    ws.send(encodeSealedCaughtUp(store.lastSeq));
  }

  #snapshot(upTo: number, sealed: Uint8Array): void {
    const { store } = this.#host;
    if (upTo > store.lastSeq) throw new ProtocolError(`snapshot up to ${upTo} is past the log's last seq ${store.lastSeq}`);
    // Two clients answering one SnapshotWanted: the later, older one is no error, and changes nothing.
    if (upTo <= store.snapshotUpTo) return;
    const freed = store.bytesUpTo(upTo) + (store.snapshot()?.sealed.byteLength ?? 0);
    this.#fits(sealed.byteLength - freed);
    store.replaceSnapshot({ upTo, sealed });
    this.#askedAt = 0;
  }

  #awareness(ws: WebSocket, clientId: number, sealed: Uint8Array): void {
    const { connections, frames, sockets, limits } = this.#host;
    const max = maxSealedAwarenessBytes(limits.maxAwarenessBytes);
    if (sealed.byteLength > max) throw new AwarenessTooLargeError(`sealed awareness of ${sealed.byteLength} bytes exceeds ${max}`);
    const taken = frames.takeAwareness(ws, sealed.byteLength);
    if (!taken.ok) return sockets.rateLimited(ws, taken);
    const own = connections.sealedClients(ws);
    if (!own.includes(clientId)) {
      const owner = this.#host.all().find((other) => other !== ws && other.readyState === WebSocket.OPEN && connections.sealedClients(other).includes(clientId));
      if (owner) throw new ProtocolError(`forged awareness: client ${clientId} is not this connection`);
      connections.setSealedClients(ws, [...own, clientId]);
    }
    this.#states.set(clientId, sealed);
    sockets.broadcast(encodeSealedAwareness(clientId, sealed), ws);
  }

  /** Send `ws` the stored sealed awareness of every other open socket's clients. */
  #sendAwareness(ws: WebSocket): void {
    const { connections } = this.#host;
    for (const other of this.#host.all()) {
      if (other === ws || other.readyState !== WebSocket.OPEN) continue;
      for (const id of connections.sealedClients(other)) {
        const sealed = this.#states.get(id);
        if (sealed) ws.send(encodeSealedAwareness(id, sealed));
      }
    }
  }

  /** True when the room is encrypted; else an e2e write on a plaintext room: 4412 when it has content, else ignored. */
  #encryptedFor(ws: WebSocket): boolean {
    if (this.#host.store.encrypted) return true;
    if (this.#host.plaintextContent()) this.#host.sockets.close(ws, CloseCode.NotEncrypted, NOT_ENCRYPTED_REASON);
    return false;
  }

  /** Editors only; others' writes are dropped with one PermissionDenied per grant, as plaintext writes are. */
  #mayWrite(ws: WebSocket): boolean {
    if (canEdit(this.#host.sockets.roleOf(ws))) return true;
    this.#host.sockets.refuseWrite(ws);
    return false;
  }

  #fits(growth: number): void {
    const max = this.#host.limits.maxDocumentBytes;
    if (this.#host.store.bytes + growth > max) throw new RoomLimitError(`document would exceed ${max} bytes`);
  }
}
