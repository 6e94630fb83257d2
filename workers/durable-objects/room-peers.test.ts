/**
 * WebRTC signalling through the real Worker and CodeRoom in workerd (room-peers.ts, docs/PROTOCOL.md "Peer-to-peer (WebRTC)
 * signalling"), over raw sockets that speak for awareness clients as spike's RoomClient does: a Signal reaches the one socket
 * that speaks for its target as a Relayed message stamped with the sender's role at that moment; spike's clients are
 * offered peer-to-peer (a Config with ICE_SERVERS in their greeting), stock y-websocket clients and a server with
 * PEER_TO_PEER=off offer none; a forged, oversized, malformed or server-only Peer message closes its socket with 1007
 * and reaches nobody, a signal to a client that is not there is dropped and the room keeps working.
 *
 * "Receives nothing" is shown without waiting on time: the sender publishes a presence change after its signal, and once
 * that reaches the other socket, anything the room sent that socket before it has arrived too (one socket's frames are
 * handled and delivered in order).
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { writeFile } from "../../core/project.js";
import {
  MAX_SIGNAL_BYTES,
  MessageType,
  PeerKind,
  SyncStep,
  decodeAwarenessEntries,
  decodeMessage,
  encodeAuthToken,
  encodeAwareness,
  encodeAwarenessEntries,
  encodePeerConfig,
  encodePeerRelayed,
  encodePeerSignal,
  encodeSyncStep1,
  encodeUpdate,
  type Message,
  type PeerMessage,
  type PeerSignal,
} from "../../core/protocol.js";
import { OWNER, as, grantsOf, putPermissions, sharedSigner } from "../../test-support/permissions.js";
import { closeOpened, fetchSession, rawSocket, startTestWorker, uniqueRooms, waitUntil, type CloseInfo, type RawSocket, type TestWorker } from "../test-support.js";

const ICE_SERVERS = [{ urls: "stun:127.0.0.1:3478" }, { urls: ["turn:127.0.0.1:3478"], username: "user", credential: "pass" }];
const OFFER: PeerSignal = { type: "offer", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n" };
const ANSWER: PeerSignal = { type: "answer", sdp: "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\n" };
const CANDIDATE: PeerSignal = { type: "candidate", candidate: "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", sdpMid: "0", sdpMLineIndex: 0 };

const nextRoom = uniqueRooms("peers");
afterEach(closeOpened);

/** One client's presence, as spike's RoomClient publishes it once it was offered peer-to-peer. */
function presence(clientId: number, clock: number): Uint8Array {
  return encodeAwareness(encodeAwarenessEntries([{ clientId, clock, state: JSON.stringify({ user: { name: `c${clientId}` }, peer: true }) }]));
}

function decoded(socket: RawSocket): Message[] {
  return socket.frames.map((frame) => decodeMessage(frame));
}

function peerMessages(socket: RawSocket): PeerMessage[] {
  return decoded(socket).filter((m): m is PeerMessage => m.type === MessageType.Peer);
}

/** A raw client socket (spike's own unless `stock`) that speaks for awareness client `clientId`, after sending `token`. */
interface Peer {
  socket: RawSocket;
  clientId: number;
  clock: number;
}

async function joinPeer(worker: TestWorker, room: string, clientId: number, { token, stock = false }: { token?: string; stock?: boolean } = {}): Promise<Peer> {
  const socket = await rawSocket(worker, room, { closeCodes: !stock });
  if (token) socket.ws.send(encodeAuthToken(token));
  socket.ws.send(presence(clientId, 1));
  return { socket, clientId, clock: 1 };
}

/** Resolves once `socket` has seen awareness client `clientId` at `clock` or later: the room recorded who speaks for it. */
async function sees(socket: RawSocket, clientId: number, clock = 1): Promise<void> {
  const seen = socket.nextFrame((f) => {
    const message = decodeMessage(f);
    return message.type === MessageType.Awareness && decodeAwarenessEntries(message.update).some((e) => e.clientId === clientId && e.clock >= clock);
  });
  const frame = await within(seen, `client ${clientId} at clock ${clock}`);
  assert.ok(frame, `client ${clientId} at clock ${clock} reached the socket before it closed`);
}

/** Every peer sees every other: the room knows which socket speaks for whom. */
async function acquainted(peers: Peer[]): Promise<void> {
  await Promise.all(peers.flatMap((a) => peers.filter((b) => b !== a).map((b) => sees(a.socket, b.clientId))));
}

/** `sender` publishes a presence change; resolves once `receivers` have it (everything sent to them before has arrived). */
async function barrier(sender: Peer, ...receivers: Peer[]): Promise<void> {
  sender.clock += 1;
  sender.socket.ws.send(presence(sender.clientId, sender.clock));
  await Promise.all(receivers.map((r) => sees(r.socket, sender.clientId, sender.clock)));
}

type Relayed = Extract<PeerMessage, { kind: typeof PeerKind.Relayed }>;

/** The Relayed messages `peer` received, once there are at least `count`. */
async function relayedTo(peer: Peer, count: number): Promise<Relayed[]> {
  const relayed = () => peerMessages(peer.socket).filter((m): m is Relayed => m.kind === PeerKind.Relayed);
  await waitUntil(() => relayed().length >= count, { what: `${count} relayed signals` });
  return relayed();
}

/** `promise`, or a failure naming `what` when it has not settled within 10 s (what was awaited never came). */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10_000).unref();
    promise.then(resolve, reject);
  });
}

/** How the room closed `socket`. */
function closeOf(socket: RawSocket): Promise<CloseInfo> {
  return within(socket.closed, "the room to close the socket");
}

/** A Peer frame written by hand: what no encoder of ours would write. */
function peerFrame(kind: number, ...fields: (number | string)[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Peer);
  encoding.writeVarUint(e, kind);
  for (const field of fields) {
    if (typeof field === "number") encoding.writeVarUint(e, field);
    else encoding.writeVarString(e, field);
  }
  return encoding.toUint8Array(e);
}

/** All of the greeting has arrived once the answer to a sync step 1 sent after connecting does. */
async function greeted(socket: RawSocket): Promise<void> {
  socket.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
  const answer = socket.nextFrame((f) => {
    const message = decodeMessage(f);
    return message.type === MessageType.Sync && message.step === SyncStep.Step2;
  });
  const step2 = await within(answer, "the answer to a sync step 1");
  assert.ok(step2, "the room answered the sync step 1");
}

describe("peer signalling (PEER_TO_PEER on, ICE_SERVERS set)", () => {
  let worker: TestWorker;
  before(async () => {
    const signer = await sharedSigner();
    worker = await startTestWorker({ vars: { CLERK_JWT_KEY: signer.publicKeyPem, ICE_SERVERS: JSON.stringify(ICE_SERVERS) } });
  });
  after(() => worker?.dispose());

  it("spike's clients are greeted with a Config carrying ICE_SERVERS; a stock y-websocket client is not", async () => {
    const room = nextRoom();
    const spike = await rawSocket(worker, room);
    const stock = await rawSocket(worker, room, { closeCodes: false });
    await Promise.all([greeted(spike), greeted(stock)]);
    assert.deepEqual(peerMessages(spike), [{ type: MessageType.Peer, kind: PeerKind.Config, config: { iceServers: ICE_SERVERS } }]);
    assert.deepEqual(peerMessages(stock), []);
    // The Config comes right after the room's sync step 1, before anyone's presence.
    assert.deepEqual(decoded(spike).slice(0, 2).map((m) => [m.type, "kind" in m ? m.kind : "step" in m ? m.step : null]), [
      [MessageType.Sync, SyncStep.Step1],
      [MessageType.Peer, PeerKind.Config],
    ]);
  });

  it("offer, answer and candidate go through the room to the one socket that speaks for the target, stamped editor", async () => {
    const room = nextRoom();
    const [alice, bob, carol] = [await joinPeer(worker, room, 1001), await joinPeer(worker, room, 1002), await joinPeer(worker, room, 1003)];
    await acquainted([alice, bob, carol]);
    alice.socket.ws.send(encodePeerSignal(alice.clientId, bob.clientId, OFFER));
    alice.socket.ws.send(encodePeerSignal(alice.clientId, bob.clientId, CANDIDATE));
    assert.deepEqual(await relayedTo(bob, 2), [
      { type: MessageType.Peer, kind: PeerKind.Relayed, from: 1001, role: "editor", signal: OFFER },
      { type: MessageType.Peer, kind: PeerKind.Relayed, from: 1001, role: "editor", signal: CANDIDATE },
    ]);
    bob.socket.ws.send(encodePeerSignal(bob.clientId, alice.clientId, ANSWER));
    bob.socket.ws.send(encodePeerSignal(bob.clientId, alice.clientId, { type: "bye" }));
    assert.deepEqual(await relayedTo(alice, 2), [
      { type: MessageType.Peer, kind: PeerKind.Relayed, from: 1002, role: "editor", signal: ANSWER },
      { type: MessageType.Peer, kind: PeerKind.Relayed, from: 1002, role: "editor", signal: { type: "bye" } },
    ]);
    await Promise.all([barrier(alice, carol), barrier(bob, carol)]);
    assert.deepEqual(peerMessages(carol.socket).filter((m) => m.kind !== PeerKind.Config), [], "the third client received no signal");
  });

  it("the role is the sender's at relay time: a viewer of a read-only room is stamped viewer, then editor once made one", async () => {
    const room = nextRoom();
    assert.equal((await as(worker, OWNER, `/live/${room}/files/index.tsx`, { method: "PUT", body: "// owned\n" })).status, 200);
    assert.equal((await putPermissions(worker, OWNER, room, { visibility: "readonly" })).status, 200);
    const signer = await sharedSigner();
    const owner = await joinPeer(worker, room, 2001, { token: await signer.sign({ sub: OWNER }) });
    const watcher = await joinPeer(worker, room, 2002, { token: await signer.sign({ sub: "user_watcher" }) });
    await waitUntil(() => grantsOf(owner.socket).at(-1)?.role === "owner" && grantsOf(watcher.socket).at(-1)?.role === "viewer", { what: "the grants" });
    await acquainted([owner, watcher]);

    watcher.socket.ws.send(encodePeerSignal(watcher.clientId, owner.clientId, OFFER));
    assert.deepEqual((await relayedTo(owner, 1)).at(-1), { type: MessageType.Peer, kind: PeerKind.Relayed, from: 2002, role: "viewer", signal: OFFER });
    owner.socket.ws.send(encodePeerSignal(owner.clientId, watcher.clientId, ANSWER));
    assert.deepEqual((await relayedTo(watcher, 1)).at(-1), { type: MessageType.Peer, kind: PeerKind.Relayed, from: 2001, role: "owner", signal: ANSWER });

    assert.equal((await putPermissions(worker, OWNER, room, { visibility: "readonly", editors: ["user_watcher"] })).status, 200);
    await waitUntil(() => grantsOf(watcher.socket).at(-1)?.role === "editor", { what: "the watcher's new grant" });
    watcher.socket.ws.send(encodePeerSignal(watcher.clientId, owner.clientId, CANDIDATE));
    assert.deepEqual((await relayedTo(owner, 2)).at(-1), { type: MessageType.Peer, kind: PeerKind.Relayed, from: 2002, role: "editor", signal: CANDIDATE });
  });

  it("a signal as another client (forged from) closes the forger with 1007; its target receives nothing", async () => {
    const room = nextRoom();
    const [alice, bob, mallory] = [await joinPeer(worker, room, 3001), await joinPeer(worker, room, 3002), await joinPeer(worker, room, 3003)];
    await acquainted([alice, bob, mallory]);
    mallory.socket.ws.send(encodePeerSignal(alice.clientId, bob.clientId, OFFER));
    assert.deepEqual(await closeOf(mallory.socket), { code: 1007, reason: "forged signal: client 3001 is not this connection" });
    // A client id nobody speaks for, and a socket that never published a presence, are forgeries too.
    const nobody = await joinPeer(worker, room, 3004);
    await sees(nobody.socket, alice.clientId);
    nobody.socket.ws.send(encodePeerSignal(9999, bob.clientId, OFFER));
    assert.deepEqual(await closeOf(nobody.socket), { code: 1007, reason: "forged signal: client 9999 is not this connection" });
    const silent = await rawSocket(worker, room);
    silent.ws.send(encodePeerSignal(0, bob.clientId, OFFER));
    assert.deepEqual(await closeOf(silent), { code: 1007, reason: "forged signal: client 0 is not this connection" });
    await barrier(alice, bob);
    assert.deepEqual(peerMessages(bob.socket).filter((m) => m.kind !== PeerKind.Config), [], "bob received no signal");
    // The two left keep signalling.
    alice.socket.ws.send(encodePeerSignal(alice.clientId, bob.clientId, OFFER));
    assert.equal((await relayedTo(bob, 1))[0]!.from, alice.clientId);
  });

  it("an oversized, malformed or server-only Peer message closes its socket with 1007 and reaches nobody", async () => {
    const room = nextRoom();
    const [alice, bob] = [await joinPeer(worker, room, 4001), await joinPeer(worker, room, 4002)];
    await acquainted([alice, bob]);
    const oversized = JSON.stringify({ type: "offer", sdp: "v".repeat(MAX_SIGNAL_BYTES) });
    const bad: [string, Uint8Array, string][] = [
      ["oversized", peerFrame(PeerKind.Signal, 4100, bob.clientId, oversized), `signal of ${oversized.length} bytes exceeds ${MAX_SIGNAL_BYTES}`],
      ["not JSON", peerFrame(PeerKind.Signal, 4100, bob.clientId, "{offer"), "signal is not JSON"],
      ["not a signal", peerFrame(PeerKind.Signal, 4100, bob.clientId, '{"type":"offer","sdp":42}'), "malformed signal"],
      ["a Relayed", encodePeerRelayed(4100, "owner", OFFER), "peer relayed and config messages are sent by the room only"],
      ["a Config", encodePeerConfig({ iceServers: [] }), "peer relayed and config messages are sent by the room only"],
      ["an unknown kind", peerFrame(7, 4100, bob.clientId), "unknown peer message 7"],
    ];
    for (const [what, frame, reason] of bad) {
      const sender = await joinPeer(worker, room, 4100);
      await sees(sender.socket, bob.clientId);
      sender.socket.ws.send(frame);
      assert.deepEqual(await closeOf(sender.socket), { code: 1007, reason }, what);
    }
    await barrier(alice, bob);
    assert.deepEqual(peerMessages(bob.socket).filter((m) => m.kind !== PeerKind.Config), [], "bob received no signal");
  });

  it("a signal to a client that is not there, to itself or to a stock client is dropped; the room keeps working", async () => {
    const room = nextRoom();
    const [alice, bob] = [await joinPeer(worker, room, 5001), await joinPeer(worker, room, 5002)];
    const stock = await joinPeer(worker, room, 5003, { stock: true });
    await acquainted([alice, bob, stock]);
    alice.socket.ws.send(encodePeerSignal(alice.clientId, 424_242, OFFER));
    alice.socket.ws.send(encodePeerSignal(alice.clientId, alice.clientId, OFFER));
    alice.socket.ws.send(encodePeerSignal(alice.clientId, stock.clientId, OFFER));
    // An edit after them is stored and reaches the others: the socket is still in and the room still works.
    const doc = new Y.Doc();
    writeFile(doc, "index.tsx", "// after the dropped signals\n");
    alice.socket.ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc)));
    await waitUntil(async () => (await fetchSession(worker, room)).files["index.tsx"] === "// after the dropped signals\n", { what: "the edit to be stored" });
    const updated = (socket: RawSocket) =>
      within(
        socket.nextFrame((f) => {
          const message = decodeMessage(f);
          return message.type === MessageType.Sync && message.step === SyncStep.Update;
        }),
        "the edit",
      );
    assert.ok(await updated(bob.socket), "bob got the edit");
    assert.ok(await updated(stock.socket), "the stock client got the edit");
    await barrier(alice, bob, stock);
    assert.equal(alice.socket.ws.readyState, alice.socket.ws.OPEN);
    for (const peer of [alice, bob, stock]) {
      assert.deepEqual(peerMessages(peer.socket).filter((m) => m.kind !== PeerKind.Config), [], `${peer.clientId} received no signal`);
    }
    // A signal to someone who left is dropped the same way.
    bob.socket.ws.close();
    await sees(alice.socket, bob.clientId, 2); // the room announced bob gone (clock + 1)
    alice.socket.ws.send(encodePeerSignal(alice.clientId, bob.clientId, { type: "bye" }));
    await barrier(alice, stock);
    assert.equal(alice.socket.ws.readyState, alice.socket.ws.OPEN);
  });
});

describe("peer signalling with PEER_TO_PEER=off", () => {
  let worker: TestWorker;
  before(async () => {
    worker = await startTestWorker({ vars: { PEER_TO_PEER: "off", ICE_SERVERS: JSON.stringify(ICE_SERVERS) } });
  });
  after(() => worker?.dispose());

  it("spike's clients get no Config and their signals are not relayed; a forgery is still refused", async () => {
    const room = nextRoom();
    const [alice, bob] = [await joinPeer(worker, room, 6001), await joinPeer(worker, room, 6002)];
    await Promise.all([greeted(alice.socket), greeted(bob.socket)]);
    await acquainted([alice, bob]);
    alice.socket.ws.send(encodePeerSignal(alice.clientId, bob.clientId, OFFER));
    await barrier(alice, bob);
    assert.deepEqual(peerMessages(alice.socket), []);
    assert.deepEqual(peerMessages(bob.socket), []);
    assert.equal(alice.socket.ws.readyState, alice.socket.ws.OPEN);
    bob.socket.ws.send(encodePeerSignal(alice.clientId, alice.clientId, OFFER));
    assert.deepEqual(await closeOf(bob.socket), { code: 1007, reason: "forged signal: client 6001 is not this connection" });
  });
});
