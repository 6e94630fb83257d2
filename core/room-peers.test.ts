/**
 * RoomClients as WebRTC peers (werift, on 127.0.0.1 only) through the real CodeRoom under workerd, which relays their
 * signalling: edits arrive over the data channel while the room's copy is held back, arrive through the room again once
 * the channel is gone with none lost, and a viewer's edits over a channel are dropped by the peer as by the room.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { RTCPeerConnection } from "werift";
import WebSocket from "ws";
import { startTestWorker, until, type TestWorker } from "../workers/test-support.js";
import { createTestSigner, type TestSigner } from "../workers/test-tokens.js";
import type { DataChannelLike, PeerConnectionConstructor } from "./peer-link.js";
import { fileText, readFiles } from "./project.js";
import { MessageType, SyncStep } from "./protocol.js";
import { RoomClient, type RoomClientOptions, type WebSocketConstructor, type WebSocketLike } from "./room-client.js";

const WS = WebSocket as unknown as WebSocketConstructor;

/** Data channels opened by this process's offering peers, so a test can close one as a network would. */
const channels: DataChannelLike[] = [];

/** werift's RTCPeerConnection kept on loopback: only 127.0.0.1 candidate pairs are tried. */
class LoopbackPeerConnection extends RTCPeerConnection {
  constructor(config: object) {
    super({
      ...config,
      iceUseIpv4: true,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ["127.0.0.1"],
      iceFilterCandidatePair: (pair) => pair.localCandidate.host === "127.0.0.1" && pair.remoteCandidate.host === "127.0.0.1",
    });
  }

  override createDataChannel(...args: Parameters<RTCPeerConnection["createDataChannel"]>) {
    const channel = super.createDataChannel(...args);
    channels.push(channel as unknown as DataChannelLike);
    return channel;
  }
}
const Loopback = LoopbackPeerConnection as unknown as PeerConnectionConstructor;

/** Which incoming frames a {@link heldBackSocket} drops, and how many it dropped. */
interface Hold {
  updates: boolean;
  awareness: boolean;
  dropped: number;
  /** Every socket opened with it, newest last, so a test can drop one as a network would. */
  sockets?: WebSocket[];
}

/**
 * A `ws` socket that drops incoming Sync/Update (and, when asked, Awareness) frames while `hold` says so: the room's relay
 * of other clients' edits to this client is blocked, everything else (handshake, step 2, signalling) still arrives.
 */
function heldBackSocket(hold: Hold): WebSocketConstructor {
  return class implements WebSocketLike {
    #ws: WebSocket;
    constructor(url: string) {
      this.#ws = new WebSocket(url);
      hold.sockets?.push(this.#ws);
    }
    get binaryType() {
      return this.#ws.binaryType;
    }
    set binaryType(value: string) {
      this.#ws.binaryType = value as "arraybuffer";
    }
    get readyState() {
      return this.#ws.readyState;
    }
    set onopen(handler: WebSocketLike["onopen"]) {
      this.#ws.onopen = handler;
    }
    set onclose(handler: WebSocketLike["onclose"]) {
      this.#ws.onclose = handler;
    }
    set onerror(handler: WebSocketLike["onerror"]) {
      this.#ws.onerror = handler;
    }
    set onmessage(handler: WebSocketLike["onmessage"]) {
      this.#ws.onmessage = handler
        ? (event) => {
            const bytes = new Uint8Array(event.data as ArrayBuffer);
            const update = bytes[0] === MessageType.Sync && bytes[1] === SyncStep.Update;
            if ((hold.updates && update) || (hold.awareness && bytes[0] === MessageType.Awareness)) {
              hold.dropped++;
              return;
            }
            handler(event);
          }
        : null;
    }
    get onopen() {
      return this.#ws.onopen as WebSocketLike["onopen"];
    }
    get onclose() {
      return this.#ws.onclose as WebSocketLike["onclose"];
    }
    get onerror() {
      return this.#ws.onerror as WebSocketLike["onerror"];
    }
    get onmessage() {
      return this.#ws.onmessage as WebSocketLike["onmessage"];
    }
    send(data: Uint8Array) {
      this.#ws.send(data);
    }
    close(code?: number, reason?: string) {
      this.#ws.close(code, reason);
    }
  };
}

/** The client's index.tsx as it stands (reading never creates the file: a second copy of it would compete with the first). */
const text = (client: RoomClient) => readFiles(client.doc)["index.tsx"] ?? "";
const direct = (a: RoomClient, b: RoomClient) =>
  a.peers.get(b.doc.clientID)?.transport === "webrtc" && b.peers.get(a.doc.clientID)?.transport === "webrtc";

describe("RoomClient peers over WebRTC data channels", () => {
  let worker: TestWorker;
  let signer: TestSigner;
  let server: string;
  const clients: RoomClient[] = [];
  const client = (options: Partial<RoomClientOptions> & { room: string }) => {
    const c = new RoomClient({ server, WebSocket: WS, RTCPeerConnection: Loopback, minBackoffMs: 20, maxBackoffMs: 100, ...options });
    clients.push(c);
    return c;
  };

  before(async () => {
    signer = await createTestSigner();
    worker = await startTestWorker({ vars: { CLERK_JWT_KEY: signer.publicKeyPem } });
    server = worker.url.origin;
  });

  after(async () => {
    for (const c of clients) c.destroy();
    await worker?.dispose();
  });

  test("edits arrive over the channel while the room's relay is held back; once the channel closes they arrive through the room, none lost", async () => {
    const room = "peers-channel";
    const hold: Hold = { updates: false, awareness: false, dropped: 0 };
    const a = client({ room, user: { name: "Ada" } });
    const b = client({ room, user: { name: "Bo" }, WebSocket: heldBackSocket(hold) });
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    await until(() => direct(a, b), "a direct channel between a and b", 20_000);
    assert.equal(a.peers.get(b.doc.clientID)?.role, "editor", "the room stamped b's role on its signals");
    assert.equal(a.awareness.getStates().get(b.doc.clientID)?.["peer"], true, "b announced itself as a peer");

    hold.updates = true;
    fileText(a.doc, "index.tsx").insert(0, "direct ");
    await until(() => text(b) === "direct ", "a's edit over the channel");
    await until(() => hold.dropped > 0, "the room's copy of it, dropped before b saw it");
    fileText(b.doc, "index.tsx").insert(text(b).length, "back ");
    await until(() => text(a) === "direct back ", "b's edit over the channel");

    // The channel goes away while an edit is in flight: b asks the room for what it missed.
    fileText(a.doc, "index.tsx").insert(0, "1 ");
    channels.splice(0).forEach((channel) => channel.close());
    await until(() => a.peers.get(b.doc.clientID)?.transport === "websocket" && b.peers.get(a.doc.clientID)?.transport === "websocket", "both to fall back to the room", 20_000);
    await until(() => text(b) === "1 direct back ", "the edit made as the channel closed");

    hold.updates = false;
    for (let i = 2; i <= 5; i++) {
      fileText(a.doc, "index.tsx").insert(0, `${i} `);
      fileText(b.doc, "index.tsx").insert(text(b).length, `b${i} `);
    }
    const expected = "5 4 3 2 1 direct back b2 b3 b4 b5 ";
    await until(() => text(a) === expected && text(b) === expected, "every edit through the room");
    assert.equal(a.peers.get(b.doc.clientID)?.transport, "websocket", "no new channel after one closed on this connection");
  });

  test("a viewer's edits over a channel are dropped by its peer, its presence still arrives", async () => {
    const room = "peers-viewer";
    const owner = client({ room, getToken: () => signer.sign({ sub: "user_owner" }) });
    await owner.whenSynced();
    fileText(owner.doc, "index.tsx").insert(0, "owned");
    const response = await fetch(`${server}/live/${room}/permissions`, {
      method: "PUT",
      headers: { authorization: `Bearer ${await signer.sign({ sub: "user_owner" })}`, "content-type": "application/json" },
      body: JSON.stringify({ visibility: "readonly" }),
    });
    assert.equal(response.status, 200, await response.text());
    await until(() => owner.role === "owner", "the owner's grant");

    const hold: Hold = { updates: false, awareness: false, dropped: 0 };
    const watcher = client({ room, getToken: () => signer.sign({ sub: "user_owner" }), WebSocket: heldBackSocket(hold) });
    const viewer = client({ room });
    await until(() => viewer.role === "viewer" && text(viewer) === "owned", "the anonymous viewer");
    await until(() => direct(watcher, viewer), "a direct channel between the watcher and the viewer", 20_000);
    assert.equal(watcher.peers.get(viewer.doc.clientID)?.role, "viewer");

    // Everything from the room to the watcher is held back: what it gets from the viewer came over the channel, in order.
    hold.updates = hold.awareness = true;
    fileText(viewer.doc, "index.tsx").insert(0, "VIEWER ");
    viewer.awareness.setLocalStateField("marker", "after the edit");
    await until(() => watcher.awareness.getStates().get(viewer.doc.clientID)?.["marker"] === "after the edit", "the viewer's presence over the channel");
    assert.equal(text(watcher), "owned", "the viewer's edit, sent before its presence on the same ordered channel, was dropped");
    hold.updates = hold.awareness = false;
    fileText(owner.doc, "index.tsx").insert(5, "!");
    await until(() => text(watcher) === "owned!", "the owner's later edit");
    assert.equal(text(owner), "owned!", "the room dropped the viewer's edit too");
  });

  test("a peer made a viewer connects anew so its role is stamped afresh, and its channel edits are dropped from then on", async () => {
    const room = "peers-demoted";
    const owner = client({ room, getToken: () => signer.sign({ sub: "user_owner" }), peerToPeer: false });
    await owner.whenSynced();
    fileText(owner.doc, "index.tsx").insert(0, "owned");
    const hold: Hold = { updates: false, awareness: false, dropped: 0 };
    const watcher = client({ room, getToken: () => signer.sign({ sub: "user_owner" }), WebSocket: heldBackSocket(hold) });
    const guest = client({ room });
    await until(() => text(guest) === "owned" && text(watcher) === "owned", "both clients to sync");
    await until(() => direct(watcher, guest) && watcher.peers.get(guest.doc.clientID)?.role === "editor", "a channel to the guest, an editor");
    fileText(guest.doc, "index.tsx").insert(5, " +guest");
    await until(() => text(watcher) === "owned +guest", "the guest's edit while it may edit");

    const response = await fetch(`${server}/live/${room}/permissions`, {
      method: "PUT",
      headers: { authorization: `Bearer ${await signer.sign({ sub: "user_owner" })}`, "content-type": "application/json" },
      body: JSON.stringify({ visibility: "readonly" }),
    });
    assert.equal(response.status, 200, await response.text());
    await until(() => guest.role === "viewer", "the guest's new grant");
    await until(() => direct(watcher, guest) && watcher.peers.get(guest.doc.clientID)?.role === "viewer", "a new channel, stamped viewer", 20_000);

    hold.updates = hold.awareness = true;
    fileText(guest.doc, "index.tsx").insert(0, "DEMOTED ");
    guest.awareness.setLocalStateField("marker", "after the edit");
    await until(() => watcher.awareness.getStates().get(guest.doc.clientID)?.["marker"] === "after the edit", "the guest's presence over the channel");
    assert.equal(text(watcher), "owned +guest", "the demoted guest's channel edit was dropped");
  });

  test("when the room socket drops, its channels close; after reconnecting the peers connect again and no edit is lost", async () => {
    const room = "peers-socket-drop";
    const hold: Hold = { updates: false, awareness: false, dropped: 0, sockets: [] };
    const a = client({ room });
    await a.whenSynced();
    fileText(a.doc, "index.tsx").insert(0, "start");
    const b = client({ room, WebSocket: heldBackSocket(hold) });
    await until(() => text(b) === "start" && direct(a, b), "b synced and directly connected");
    const channelsBefore = channels.length;

    hold.sockets!.at(-1)!.terminate(); // the network drops b's socket without a close handshake
    await until(() => a.peers.get(b.doc.clientID)?.transport !== "webrtc" || b.status !== "connected", "the drop to be noticed");
    fileText(a.doc, "index.tsx").insert(5, " a-while-b-was-away");
    fileText(b.doc, "index.tsx").insert(0, "b-offline ");
    await until(() => b.status === "connected" && b.synced, "b to reconnect", 20_000);
    await until(() => direct(a, b), "a new channel after the reconnect", 20_000);
    assert.ok(channels.length > channelsBefore, "a new connection was negotiated");
    const expected = "b-offline start a-while-b-was-away";
    await until(() => text(a) === expected && text(b) === expected, "both edits on both sides");
  });
});
