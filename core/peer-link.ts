/**
 * One direct connection to one peer of a room: an RTCPeerConnection with the one ordered, reliable "spike" data channel,
 * negotiated with offer/answer and trickled ICE candidates that travel through the room (core/peer-protocol.ts). The mesh
 * (core/room-peers.ts) decides whom to connect to and what goes over the channel; this only connects and carries bytes.
 */
import { CHANNEL_LABEL } from "./peer-rules.js";
import type { IceServer, PeerSignal } from "./protocol.js";

/** The parts of an RTCDataChannel a link uses; the browser's and werift's both fit (core is typed without the DOM). */
export interface DataChannelLike {
  readonly label: string;
  readonly readyState: string;
  binaryType?: string;
  onopen?: ((event?: unknown) => void) | null;
  onclose?: ((event?: unknown) => void) | null;
  onmessage?: ((event: { data: unknown }) => void) | null;
  send(data: Uint8Array): void;
  close(): void;
}

/** An ICE candidate as the browser's `icecandidate` event (and werift's) carry it. */
export interface IceCandidateLike {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
}

/** The parts of an RTCPeerConnection a link uses: the browser's, or werift's in node. */
export interface PeerConnectionLike {
  readonly connectionState: string;
  onicecandidate: ((event: { candidate?: IceCandidateLike | null }) => void) | null;
  ondatachannel: ((event: { channel: DataChannelLike }) => void) | null;
  onconnectionstatechange: ((event?: unknown) => void) | null;
  createDataChannel(label: string, init?: { ordered?: boolean }): DataChannelLike;
  createOffer(): Promise<{ sdp?: string }>;
  createAnswer(): Promise<{ sdp?: string }>;
  setLocalDescription(description: { type: "offer" | "answer"; sdp: string }): Promise<unknown>;
  setRemoteDescription(description: { type: "offer" | "answer"; sdp: string }): Promise<unknown>;
  addIceCandidate(candidate: { candidate: string; sdpMid?: string; sdpMLineIndex?: number }): Promise<unknown>;
  close(): void;
}

/** `globalThis.RTCPeerConnection` in a page; werift's `RTCPeerConnection` in node. */
export type PeerConnectionConstructor = new (config: { iceServers: IceServer[] }) => PeerConnectionLike;

/** What a link tells its mesh. */
export interface PeerLinkEvents {
  /** A signal to send to the remote peer through the room. */
  signal(signal: PeerSignal): void;
  /** The channel opened: frames may go both ways. */
  open(): void;
  /** A binary frame arrived over the channel. */
  frame(frame: Uint8Array): void;
  /** The connection or its channel is gone (failed, closed by either side, or never opened). */
  lost(): void;
}

/**
 * @example
 * const link = new PeerLink(RTCPeerConnection, { iceServers: [] }, true, events);
 * link.offer(); // then link.receive(signal) for every signal from the remote peer
 */
export class PeerLink {
  readonly offerer: boolean;
  #pc: PeerConnectionLike;
  #channel: DataChannelLike | null = null;
  #events: PeerLinkEvents;
  /** Negotiation steps run one after another: a candidate waits for the description it belongs to. */
  #queue: Promise<void> = Promise.resolve();
  /** Our candidates wait until our offer or answer went out (werift gathers before setLocalDescription resolves). */
  #localCandidates: PeerSignal[] | null = [];
  /** Remote candidates wait until the remote description is set (addIceCandidate refuses them before). */
  #remoteCandidates: IceCandidateLike[] | null = [];
  #closed = false;

  constructor(Ctor: PeerConnectionConstructor, config: { iceServers: IceServer[] }, offerer: boolean, events: PeerLinkEvents) {
    this.offerer = offerer;
    this.#events = events;
    const pc = (this.#pc = new Ctor({ iceServers: config.iceServers }));
    pc.onicecandidate = ({ candidate }) => {
      if (!candidate?.candidate) return; // end of candidates: nothing to say
      const signal: PeerSignal = {
        type: "candidate",
        candidate: candidate.candidate,
        sdpMid: candidate.sdpMid ?? null,
        sdpMLineIndex: candidate.sdpMLineIndex ?? null,
      };
      if (this.#localCandidates) this.#localCandidates.push(signal);
      else events.signal(signal);
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "failed" || pc.connectionState === "closed") this.#lose();
    };
    if (offerer) this.#wire(pc.createDataChannel(CHANNEL_LABEL, { ordered: true }));
    else {
      pc.ondatachannel = ({ channel }) => {
        if (channel.label === CHANNEL_LABEL && !this.#channel) this.#wire(channel);
        else channel.close();
      };
    }
  }

  /** True while the channel is open. */
  get open(): boolean {
    return !this.#closed && this.#channel?.readyState === "open";
  }

  /** Send the offer (the offering side calls this once). */
  offer(): void {
    this.#run(async () => {
      const offer = await this.#pc.createOffer();
      await this.#pc.setLocalDescription({ type: "offer", sdp: offer.sdp ?? "" });
      this.#described({ type: "offer", sdp: offer.sdp ?? "" });
    });
  }

  /** A signal from the remote peer: its offer (answered), its answer, or one of its candidates. */
  receive(signal: PeerSignal): void {
    switch (signal.type) {
      case "offer":
        if (this.offerer) return;
        return this.#run(async () => {
          await this.#pc.setRemoteDescription({ type: "offer", sdp: signal.sdp });
          await this.#addRemoteCandidates();
          const answer = await this.#pc.createAnswer();
          await this.#pc.setLocalDescription({ type: "answer", sdp: answer.sdp ?? "" });
          this.#described({ type: "answer", sdp: answer.sdp ?? "" });
        });
      case "answer":
        if (!this.offerer) return;
        return this.#run(async () => {
          await this.#pc.setRemoteDescription({ type: "answer", sdp: signal.sdp });
          await this.#addRemoteCandidates();
        });
      case "candidate": {
        const { candidate, sdpMid, sdpMLineIndex } = signal;
        if (this.#remoteCandidates) this.#remoteCandidates.push({ candidate, sdpMid, sdpMLineIndex });
        else this.#run(() => this.#addCandidate({ candidate, sdpMid, sdpMLineIndex }));
        return;
      }
      case "bye":
        return; // the mesh handles it
      default:
        signal satisfies never;
    }
  }

  /** Send a frame over the channel; false when it is not open (the room still carries everything). */
  send(frame: Uint8Array): boolean {
    if (!this.open) return false;
    try {
      this.#channel!.send(frame);
      return true;
    } catch {
      return false; // closing under us: the close event follows
    }
  }

  /** Close the connection; no events after this. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const channel = this.#channel;
    if (channel) channel.onopen = channel.onclose = channel.onmessage = null;
    const pc = this.#pc;
    pc.onicecandidate = pc.ondatachannel = pc.onconnectionstatechange = null;
    try {
      channel?.close();
    } catch {
      // already closed
    }
    // The channel's close (an SCTP stream reset) goes out before the connection ends; werift's peer hears nothing else.
    setTimeout(() => {
      try {
        pc.close();
      } catch {
        // already closed
      }
    }, 500);
  }

  #wire(channel: DataChannelLike): void {
    this.#channel = channel;
    channel.binaryType = "arraybuffer";
    channel.onopen = () => {
      if (!this.#closed) this.#events.open();
    };
    channel.onclose = () => this.#lose();
    channel.onmessage = ({ data }) => {
      if (this.#closed) return;
      if (data instanceof ArrayBuffer) this.#events.frame(new Uint8Array(data));
      else if (ArrayBuffer.isView(data)) this.#events.frame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      // text frames are not part of the channel protocol: ignored
    };
  }

  /** Our description went out: send it, then the candidates gathered meanwhile (not once closed: a step may outlive it). */
  #described(signal: PeerSignal): void {
    if (this.#closed) return;
    this.#events.signal(signal);
    const pending = this.#localCandidates ?? [];
    this.#localCandidates = null;
    for (const candidate of pending) this.#events.signal(candidate);
  }

  async #addRemoteCandidates(): Promise<void> {
    const pending = this.#remoteCandidates ?? [];
    this.#remoteCandidates = null;
    for (const candidate of pending) await this.#addCandidate(candidate);
  }

  async #addCandidate({ candidate, sdpMid, sdpMLineIndex }: IceCandidateLike): Promise<void> {
    // A candidate the connection cannot use (another network, a garbled line) is skipped, not fatal: others may work.
    await this.#pc
      .addIceCandidate({ candidate, ...(sdpMid != null ? { sdpMid } : {}), ...(sdpMLineIndex != null ? { sdpMLineIndex } : {}) })
      .catch(() => {});
  }

  #run(step: () => Promise<void>): void {
    this.#queue = this.#queue.then(() => (this.#closed ? undefined : step())).catch(() => this.#lose());
  }

  #lose(): void {
    if (this.#closed) return;
    this.close();
    this.#events.lost();
  }
}
