/**
 * The peer-to-peer mesh of a RoomClient: once the room's greeting says peer-to-peer is on (Peer/Config), this client
 * announces `peer: true` in its awareness, connects directly to up to 8 other such clients (core/peer-link.ts, signalling
 * through the room), and sends its own edits and presence over those data channels as well as to the room. The room stays
 * the durable authority: when a channel goes, the client asks the room for anything it missed. Rules: core/peer-rules.ts.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { PeerLink, type PeerConnectionConstructor } from "./peer-link.js";
import { MAX_CHANNEL_FRAME, MAX_PEERS, channelDelivery, offersTo, peerClients } from "./peer-rules.js";
import {
  PeerKind,
  encodeAwareness,
  encodePeerSignal,
  encodeSyncStep1,
  encodeUpdate,
  type IceServer,
  type PeerMessage,
  type PeerSignal,
  type RoomRole,
} from "./protocol.js";
import { REMOTE_ORIGIN } from "./room-sync.js";

/** How another client of the room is reached: directly over a data channel, or only through the room. */
export interface RoomPeer {
  transport: "webrtc" | "websocket";
  /** Its role as the room stamped it on its last signal to this client; null before any. */
  role: RoomRole | null;
}

export interface RoomPeersOptions {
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  /** Null where there is no WebRTC (or peer-to-peer is switched off): every peer is then reached through the room. */
  RTCPeerConnection: PeerConnectionConstructor | null;
  /** Send a frame to the room on the current socket (dropped when there is none). */
  send(frame: Uint8Array): void;
  /** `peers` changed. */
  onChange(peers: ReadonlyMap<number, RoomPeer>): void;
}

/** How long a connection may take to open its channel before the peer is reached through the room only. */
const OPEN_TIMEOUT_MS = 15_000;
/**
 * How often in a row an offering client connects again after the other side said "bye" (it changed role, or had no room
 * for another peer) or a negotiation failed, before it leaves that peer to the room.
 */
const MAX_REOFFERS = 3;

/**
 * @example
 * const peers = new RoomPeers({ doc, awareness, RTCPeerConnection, send: (f) => ws.send(f), onChange: render });
 * peers.receive(message); // every Peer message from the room
 */
export class RoomPeers {
  #options: RoomPeersOptions;
  #links = new Map<number, PeerLink>();
  #timers = new Map<number, ReturnType<typeof setTimeout>>();
  /** The role the room stamped on each remote client's last signal. */
  #roles = new Map<number, RoomRole>();
  /** Remote clients this client stopped offering to while they stay (their channel failed or closed). */
  #gaveUp = new Set<number>();
  #reoffers = new Map<number, number>();
  /** The room's Config on the current connection; null while peer-to-peer is off or there is no connection. */
  #iceServers: IceServer[] | null = null;
  #peers: ReadonlyMap<number, RoomPeer> = new Map();

  constructor(options: RoomPeersOptions) {
    this.#options = options;
    options.doc.on("update", this.#onDocUpdate);
    options.awareness.on("update", this.#onAwarenessUpdate);
    options.awareness.on("change", this.#onAwarenessChange);
  }

  /** Every other client of the room (by awareness client id) and how it is reached. */
  get peers(): ReadonlyMap<number, RoomPeer> {
    return this.#peers;
  }

  /** A Peer message from the room: Config turns peer-to-peer on for this connection; Relayed carries a peer's signal. */
  receive(message: PeerMessage): void {
    switch (message.kind) {
      case PeerKind.Config:
        return this.#configure(message.config.iceServers);
      case PeerKind.Relayed:
        return this.#signalled(message.from, message.role, message.signal);
      case PeerKind.Signal:
        return; // a client's message; a room never sends it
      default:
        message satisfies never;
    }
  }

  /** The socket is gone: every direct connection closes (signalling needs the room), until the next Config. */
  stop(): void {
    this.#iceServers = null;
    for (const remote of [...this.#links.keys()]) this.#close(remote, { resync: false });
    this.#gaveUp.clear();
    this.#reoffers.clear();
    const { awareness } = this.#options;
    if (awareness.getLocalState()?.["peer"] === true) awareness.setLocalStateField("peer", false);
    this.#refresh();
  }

  /** This client's role changed: peers must see the new one stamped, so every connection closes and is signalled anew. */
  regrant(): void {
    if (!this.#iceServers || this.#links.size === 0) return;
    for (const remote of [...this.#links.keys()]) {
      this.#signal(remote, { type: "bye" });
      this.#close(remote, { resync: false });
    }
    this.#gaveUp.clear();
    this.#reoffers.clear();
    this.#reconcile();
  }

  destroy(): void {
    this.stop();
    this.#options.doc.off("update", this.#onDocUpdate);
    this.#options.awareness.off("update", this.#onAwarenessUpdate);
    this.#options.awareness.off("change", this.#onAwarenessChange);
  }

  #configure(iceServers: IceServer[]): void {
    if (!this.#options.RTCPeerConnection) return;
    this.#iceServers = iceServers;
    this.#options.awareness.setLocalStateField("peer", true);
    this.#reconcile();
  }

  #signalled(from: number, role: RoomRole, signal: PeerSignal): void {
    this.#roles.set(from, role);
    const self = this.#options.doc.clientID;
    if (this.#iceServers && from !== self) {
      if (signal.type === "offer" && !offersTo(self, from)) this.#answer(from, signal);
      else if (signal.type === "bye") this.#bye(from);
      else this.#links.get(from)?.receive(signal);
    }
    this.#refresh();
  }

  /** An offer from a larger client id: a connection it had is replaced (it reconnects after a role change). */
  #answer(from: number, offer: PeerSignal): void {
    this.#close(from, { resync: true });
    if (this.#links.size >= MAX_PEERS) return this.#signal(from, { type: "bye" });
    this.#connect(from, false).receive(offer);
  }

  /** The other side closed on purpose: the offering side connects again, a few times at most. */
  #bye(from: number): void {
    this.#close(from, { resync: true });
    // Its channel may have closed before the bye came through the room: the bye still asks for a new connection.
    this.#gaveUp.delete(from);
    this.#retry(from);
  }

  /** Offer to `remote` again if this side offers, unless it did so {@link MAX_REOFFERS} times without a channel opening. */
  #retry(remote: number): void {
    if (!offersTo(this.#options.doc.clientID, remote)) return;
    const count = (this.#reoffers.get(remote) ?? 0) + 1;
    this.#reoffers.set(remote, count);
    if (count > MAX_REOFFERS) this.#gaveUp.add(remote);
    this.#reconcile();
  }

  /** Offer to every peer this client should connect to and has not; close connections to clients that left. */
  #reconcile(): void {
    if (!this.#iceServers) return;
    const { doc, awareness } = this.#options;
    const wanted = peerClients(awareness.getStates(), doc.clientID);
    for (const remote of [...this.#links.keys()]) if (!wanted.includes(remote)) this.#close(remote, { resync: true });
    // A client that left (or stopped offering peer-to-peer) starts afresh when it comes back, e.g. after its socket dropped.
    for (const remote of [...this.#gaveUp, ...this.#reoffers.keys()]) {
      if (!wanted.includes(remote)) this.#gaveUp.delete(remote), this.#reoffers.delete(remote);
    }
    for (const remote of wanted) {
      if (this.#links.size >= MAX_PEERS) break;
      if (offersTo(doc.clientID, remote) && !this.#links.has(remote) && !this.#gaveUp.has(remote)) this.#connect(remote, true).offer();
    }
  }

  #connect(remote: number, offerer: boolean): PeerLink {
    let opened = false;
    const link: PeerLink = new PeerLink(this.#options.RTCPeerConnection!, { iceServers: this.#iceServers ?? [] }, offerer, {
      signal: (signal) => this.#signal(remote, signal),
      open: () => {
        opened = true;
        this.#reoffers.delete(remote);
        clearTimeout(this.#timers.get(remote));
        const { awareness, doc } = this.#options;
        if (awareness.getLocalState() !== null) link.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])));
        this.#refresh();
      },
      frame: (frame) => this.#deliver(remote, frame),
      lost: () => {
        if (this.#links.get(remote) !== link) return;
        this.#close(remote, { resync: true });
        // A channel that closed stays closed on this connection; a negotiation that failed (an answer to an offer both
        // sides had already replaced, when both changed role at once) is tried again, a few times at most.
        if (opened) this.#gaveUp.add(remote);
        else this.#retry(remote);
      },
    });
    this.#links.set(remote, link);
    this.#timers.set(
      remote,
      setTimeout(() => {
        if (this.#links.get(remote) !== link || link.open) return;
        this.#gaveUp.add(remote);
        this.#close(remote, { resync: false });
      }, OPEN_TIMEOUT_MS),
    );
    return link;
  }

  /**
   * Close the connection to `remote`, if any. With `resync`, when its channel had been open the room is asked for anything
   * it carried that the room did not (a sync step 1 on the socket; the answer merges, duplicates are dropped by Yjs).
   */
  #close(remote: number, { resync }: { resync: boolean }): void {
    const link = this.#links.get(remote);
    if (!link) return;
    const wasOpen = link.open;
    this.#links.delete(remote);
    clearTimeout(this.#timers.get(remote));
    this.#timers.delete(remote);
    link.close();
    if (resync && wasOpen) this.#options.send(encodeSyncStep1(Y.encodeStateVector(this.#options.doc)));
    this.#refresh();
  }

  #deliver(remote: number, frame: Uint8Array): void {
    const delivery = channelDelivery(frame, { clientId: remote, role: this.#roles.get(remote) ?? null });
    if (delivery.kind === "update") Y.applyUpdate(this.#options.doc, delivery.update, REMOTE_ORIGIN);
    else if (delivery.kind === "awareness") awarenessProtocol.applyAwarenessUpdate(this.#options.awareness, delivery.update, REMOTE_ORIGIN);
  }

  #signal(remote: number, signal: PeerSignal): void {
    this.#options.send(encodePeerSignal(this.#options.doc.clientID, remote, signal));
  }

  #broadcast(frame: Uint8Array): void {
    for (const link of this.#links.values()) link.send(frame);
  }

  /** Our own edits go to every open channel as well as to the room (RoomSync sends those); a large one by the room only. */
  #onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === REMOTE_ORIGIN || this.#links.size === 0) return;
    const frame = encodeUpdate(update);
    if (frame.byteLength <= MAX_CHANNEL_FRAME) this.#broadcast(frame);
  };

  /** Our own presence (cursor, name, typing, departure) goes over every open channel too. */
  #onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const self = this.#options.doc.clientID;
    if (origin === REMOTE_ORIGIN || this.#links.size === 0 || ![...added, ...updated, ...removed].includes(self)) return;
    this.#broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.#options.awareness, [self])));
  };

  #onAwarenessChange = (): void => {
    this.#reconcile();
    this.#refresh();
  };

  /** Recompute `peers` from awareness and the open channels; tell the client when it changed. */
  #refresh(): void {
    const self = this.#options.doc.clientID;
    const next = new Map<number, RoomPeer>();
    for (const id of [...this.#options.awareness.getStates().keys()].sort((a, b) => a - b)) {
      if (id === self) continue;
      next.set(id, { transport: this.#links.get(id)?.open ? "webrtc" : "websocket", role: this.#roles.get(id) ?? null });
    }
    const before = this.#peers;
    const same =
      before.size === next.size &&
      [...next].every(([id, peer]) => before.get(id)?.transport === peer.transport && before.get(id)?.role === peer.role);
    if (same) return;
    this.#peers = next;
    this.#options.onChange(next);
  }
}
