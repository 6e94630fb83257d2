import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as encoding from "lib0/encoding";
import {
  MAX_SIGNAL_BYTES,
  MessageType,
  PeerKind,
  ProtocolError,
  decodeMessage,
  encodePeerConfig,
  encodePeerRelayed,
  encodePeerSignal,
  toIceServers,
  type PeerSignal,
} from "./protocol.js";

/** A Peer frame written by hand, as a client that does not use the encoders would: strings and numbers in order. */
function peerFrame(kind: number, ...fields: (number | string | Uint8Array)[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Peer);
  encoding.writeVarUint(e, kind);
  for (const field of fields) {
    if (typeof field === "number") encoding.writeVarUint(e, field);
    else if (typeof field === "string") encoding.writeVarString(e, field);
    else encoding.writeVarUint8Array(e, field);
  }
  return encoding.toUint8Array(e);
}

const SIGNALS: PeerSignal[] = [
  { type: "offer", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" },
  { type: "answer", sdp: "v=0\r\n" },
  { type: "candidate", candidate: "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", sdpMid: "0", sdpMLineIndex: 0 },
  { type: "candidate", candidate: "", sdpMid: null, sdpMLineIndex: null },
  { type: "bye" },
];

describe("peer protocol", () => {
  test("MessageType.Peer is 4 and its kinds are Signal 0, Relayed 1, Config 2", () => {
    assert.equal(MessageType.Peer, 4);
    assert.deepEqual(PeerKind, { Signal: 0, Relayed: 1, Config: 2 });
  });

  test("every kind of signal round-trips as a Signal and as a Relayed message", () => {
    for (const signal of SIGNALS) {
      assert.deepEqual(decodeMessage(encodePeerSignal(7, 4_294_967_295, signal)), {
        type: MessageType.Peer,
        kind: PeerKind.Signal,
        from: 7,
        to: 4_294_967_295,
        signal,
      });
      for (const role of ["owner", "editor", "viewer"] as const) {
        assert.deepEqual(decodeMessage(encodePeerRelayed(7, role, signal)), { type: MessageType.Peer, kind: PeerKind.Relayed, from: 7, role, signal });
      }
    }
  });

  test("a config round-trips with STUN and TURN servers, and with none", () => {
    const iceServers = [
      { urls: "stun:stun.example.com:3478" },
      { urls: ["turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349"], username: "u", credential: "p" },
    ];
    assert.deepEqual(decodeMessage(encodePeerConfig({ iceServers })), { type: MessageType.Peer, kind: PeerKind.Config, config: { iceServers } });
    assert.deepEqual(decodeMessage(encodePeerConfig({ iceServers: [] })), { type: MessageType.Peer, kind: PeerKind.Config, config: { iceServers: [] } });
  });

  test("a signal's fields that do not belong to its type are not carried", () => {
    const frame = peerFrame(PeerKind.Signal, 1, 2, JSON.stringify({ type: "bye", sdp: "x", note: "hi" }));
    assert.deepEqual(decodeMessage(frame), { type: MessageType.Peer, kind: PeerKind.Signal, from: 1, to: 2, signal: { type: "bye" } });
  });

  test("a malformed signal is a protocol error", () => {
    for (const bad of [
      "not json",
      "null",
      "[]",
      '"offer"',
      "{}",
      '{"type": "hello"}',
      '{"type": "offer"}',
      '{"type": "offer", "sdp": ""}',
      '{"type": "answer", "sdp": 5}',
      '{"type": "candidate", "sdpMid": "0", "sdpMLineIndex": 0}',
      '{"type": "candidate", "candidate": "c", "sdpMLineIndex": 0}',
      '{"type": "candidate", "candidate": "c", "sdpMid": 0, "sdpMLineIndex": 0}',
      '{"type": "candidate", "candidate": "c", "sdpMid": "0", "sdpMLineIndex": -1}',
      '{"type": "candidate", "candidate": "c", "sdpMid": "0", "sdpMLineIndex": 0.5}',
      '{"type": "candidate", "candidate": "c", "sdpMid": "0", "sdpMLineIndex": "0"}',
    ]) {
      assert.throws(() => decodeMessage(peerFrame(PeerKind.Signal, 1, 2, bad)), ProtocolError, `signal ${bad}`);
      assert.throws(() => decodeMessage(peerFrame(PeerKind.Relayed, 1, "editor", bad)), ProtocolError, `relayed ${bad}`);
    }
    // Bytes that are not UTF-8.
    assert.throws(() => decodeMessage(peerFrame(PeerKind.Signal, 1, 2, new Uint8Array([0xff, 0xfe, 0x7b]))), ProtocolError);
  });

  test("a signal over MAX_SIGNAL_BYTES is a protocol error that names its size; one at the limit is not", () => {
    const json = (size: number) => {
      const base = JSON.stringify({ type: "offer", sdp: "" });
      return JSON.stringify({ type: "offer", sdp: "v".repeat(size - base.length) });
    };
    assert.equal(new TextEncoder().encode(json(MAX_SIGNAL_BYTES)).byteLength, MAX_SIGNAL_BYTES);
    assert.equal(decodeMessage(peerFrame(PeerKind.Signal, 1, 2, json(MAX_SIGNAL_BYTES))).type, MessageType.Peer);
    assert.throws(
      () => decodeMessage(peerFrame(PeerKind.Signal, 1, 2, json(MAX_SIGNAL_BYTES + 1))),
      (error: unknown) => error instanceof ProtocolError && error.message === `signal of ${MAX_SIGNAL_BYTES + 1} bytes exceeds ${MAX_SIGNAL_BYTES}`,
    );
    assert.throws(() => decodeMessage(peerFrame(PeerKind.Relayed, 1, "viewer", json(MAX_SIGNAL_BYTES + 1))), /exceeds 16384/);
    // Multi-byte characters count as the bytes they take.
    const wide = JSON.stringify({ type: "offer", sdp: "é".repeat(MAX_SIGNAL_BYTES / 2) });
    assert.throws(() => decodeMessage(peerFrame(PeerKind.Signal, 1, 2, wide)), /exceeds 16384/);
    // The encoder refuses to write what the room would refuse.
    assert.throws(() => encodePeerSignal(1, 2, { type: "offer", sdp: "v".repeat(MAX_SIGNAL_BYTES) }), RangeError);
    // A signal at the limit whose numbers re-encode longer (6e4 -> 60000) is still relayed by the room.
    const base = JSON.stringify({ type: "candidate", candidate: "", sdpMid: null, sdpMLineIndex: 0 }).replace(":0}", ":6e4}");
    const atLimit = base.replace('"candidate":""', `"candidate":"${"c".repeat(MAX_SIGNAL_BYTES - base.length)}"`);
    const decoded = decodeMessage(peerFrame(PeerKind.Signal, 1, 2, atLimit));
    assert.ok(decoded.type === MessageType.Peer && decoded.kind === PeerKind.Signal);
    assert.ok(encodePeerRelayed(1, "editor", decoded.signal).byteLength > MAX_SIGNAL_BYTES);
  });

  test("an unknown kind or role, a malformed config, a truncated frame and trailing bytes are protocol errors", () => {
    assert.throws(() => decodeMessage(peerFrame(3)), /unknown peer message 3/);
    assert.throws(() => decodeMessage(peerFrame(PeerKind.Relayed, 1, "admin", '{"type":"bye"}')), /unknown role/);
    for (const bad of [
      "[]",
      "null",
      "{}",
      '{"iceServers": {}}',
      '{"iceServers": [{}]}',
      '{"iceServers": [{"urls": []}]}',
      '{"iceServers": [{"urls": "http://example.com"}]}',
      '{"iceServers": [{"urls": "turn:turn.example.com"}]}',
      '{"iceServers": [{"urls": "stun:a", "username": 1}]}',
    ]) {
      assert.throws(() => decodeMessage(peerFrame(PeerKind.Config, bad)), ProtocolError, bad);
    }
    const signal = encodePeerSignal(1, 2, { type: "bye" });
    for (let end = 1; end < signal.byteLength; end++) {
      assert.throws(() => decodeMessage(signal.subarray(0, end)), ProtocolError, `cut at ${end}`);
    }
    for (const frame of [signal, encodePeerRelayed(1, "owner", { type: "bye" }), encodePeerConfig({ iceServers: [] })]) {
      const longer = new Uint8Array([...frame, 0]);
      assert.throws(() => decodeMessage(longer), /1 trailing bytes/);
    }
  });

  test("toIceServers keeps only what RTCPeerConnection reads and refuses what it would throw on", () => {
    assert.deepEqual(toIceServers([{ urls: "stun:a:3478", extra: true }]), [{ urls: "stun:a:3478" }]);
    assert.deepEqual(toIceServers([]), []);
    assert.equal(toIceServers({ urls: "stun:a" }), null);
    assert.equal(toIceServers([{ urls: "turns:a:5349", username: "u" }]), null);
    assert.equal(toIceServers([{ urls: "stun: a" }]), null);
  });
});
