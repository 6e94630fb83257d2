/**
 * WebRTC signalling between a room's clients (docs/PROTOCOL.md "Peer-to-peer (WebRTC) signalling"): which sockets are
 * offered peer-to-peer (a Peer/Config in their greeting), and the relay of a client's Signal to the one socket that speaks
 * for its target, stamped with the sender's role at that moment. The room reads a signal's shape (core/peer-protocol.ts),
 * never acts on it: the sessions themselves run between the browsers. Used by CodeRoom through RoomSync.
 */
import { PeerKind, ProtocolError, encodePeerConfig, encodePeerRelayed, type PeerConfig, type PeerMessage } from "../../core/protocol.js";
import type { Config } from "../platform/config.js";
import { logEvent } from "../platform/log.js";
import type { AwarenessRelay } from "./awareness-relay.js";
import type { RoomSockets } from "./room-sockets.js";
import type { RoomConnections } from "./socket-attachment.js";

/** What the relay needs from its room. */
export interface RoomPeersHost {
  /** PEER_TO_PEER and ICE_SERVERS (workers/platform/config.ts). */
  config: Config["peers"];
  /** Whether a socket is spike's own client (socket-attachment.ts, from `?client=spike` at connect). */
  connections: Pick<RoomConnections, "get">;
  /** Which awareness clients each socket speaks for. */
  awareness: Pick<AwarenessRelay, "speaksFor" | "socketOf">;
  /** The role of a socket now, and whether it may be sent anything now. */
  sockets: Pick<RoomSockets, "roleOf" | "mayReceive">;
  /**
   * True when the room is end-to-end encrypted: its clients are offered no peer-to-peer (no Config in the greeting) and
   * their signals are not relayed. Asked afresh for every greeting and every signal.
   */
  encrypted(): boolean;
  /** The room's name, for log lines. */
  room(): string | null;
}

/**
 * @example
 * const peers = new RoomPeers({ config: config.peers, connections, awareness, sockets, encrypted: () => false, room: () => name });
 * peers.greet(ws); // in the greeting
 * peers.receive(ws, message); // a decoded Peer message of an admitted socket
 */
export class RoomPeers {
  #host: RoomPeersHost;
  #configFrame: Uint8Array;

  constructor(host: RoomPeersHost) {
    this.#host = host;
    const config: PeerConfig = { iceServers: host.config.iceServers };
    this.#configFrame = encodePeerConfig(config);
  }

  /**
   * True when `ws` takes part in peer-to-peer: spike's own client (a stock y-websocket client would not know a Peer
   * message), PEER_TO_PEER on, and the room not end-to-end encrypted.
   */
  offered(ws: WebSocket): boolean {
    return this.#host.config.enabled && this.#host.connections.get(ws).spike && !this.#host.encrypted();
  }

  /** The greeting's part: a Config, which tells the client peer-to-peer is available and with which ICE servers. */
  greet(ws: WebSocket): void {
    if (this.offered(ws)) ws.send(this.#configFrame);
  }

  /**
   * A Peer message from admitted socket `ws`. A Signal goes, as a Relayed message, to the socket that speaks for its `to`
   * (dropped when there is none, it is `ws` itself, or either side is not offered peer-to-peer: the peer left, or never
   * took part). Throws ProtocolError, which closes `ws` with 1007, for a Signal `from` a client `ws` does not speak for, and
   * for the messages only the room sends.
   */
  receive(ws: WebSocket, message: PeerMessage): void {
    switch (message.kind) {
      case PeerKind.Signal: {
        const { from, to, signal } = message;
        if (!this.#host.awareness.speaksFor(ws, from)) {
          logEvent({ level: "warn", type: "room", event: "forged_signal", room: this.#host.room() });
          throw new ProtocolError(`forged signal: client ${from} is not this connection`);
        }
        if (!this.offered(ws)) return;
        const target = this.#host.awareness.socketOf(to);
        if (!target || target === ws || !this.offered(target) || !this.#host.sockets.mayReceive(target)) return;
        // The role now, not at connect: a peer that was made a viewer is stamped a viewer from its next signal on.
        const role = this.#host.sockets.roleOf(ws);
        if (role === null) return;
        try {
          target.send(encodePeerRelayed(from, role, signal));
        } catch {
          // the target is closing under us; its peer hears of it from its departure
        }
        return;
      }
      case PeerKind.Relayed:
      case PeerKind.Config:
        throw new ProtocolError("peer relayed and config messages are sent by the room only");
      default:
        message satisfies never;
    }
  }
}
