/**
 * RoomClient's side of authentication, against a loopback WebSocket server that records raw frames and closes with the
 * codes a room uses: the token goes first, is refreshed on the open socket before it expires, 4401 stops until a new token
 * source, 4429 waits as long as the Auth/Refused before it asked, and a denial's kind (never its text) decides. (What the room does with the token is tested through the real Durable Object in
 * room-client-permissions.test.ts.)
 */
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import WebSocket, { WebSocketServer } from "ws";
import { createTestSigner, type TestSigner } from "../workers/test-tokens.js";
import { until } from "../test-support/wait.js";
import {
  AuthKind,
  CloseCode,
  MessageType,
  decodeMessage,
  encodeAuthGranted,
  encodePermissionDenied,
  encodeRefused,
  type Denial,
  type Message,
} from "./protocol.js";
import { RoomClient, type WebSocketConstructor } from "./room-client.js";
import { acquireRoomClient } from "./room-registry.js";

const WS = WebSocket as unknown as WebSocketConstructor;

/** One accepted socket: its decoded frames, and the server's end to answer on. */
interface Connection {
  socket: WebSocket;
  frames: Message[];
  at: number;
}

let wss: WebSocketServer;
let server: string;
let connections: Connection[] = [];
/** What the server does with each new connection; reset per test. */
let onConnection: (connection: Connection) => void = () => {};
let signer: TestSigner;

before(async () => {
  signer = await createTestSigner();
  wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => wss.once("listening", resolve));
  server = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  wss.on("connection", (socket) => {
    const connection: Connection = { socket, frames: [], at: Date.now() };
    socket.on("message", (data) => connection.frames.push(decodeMessage(new Uint8Array(data as Buffer))));
    connections.push(connection);
    onConnection(connection);
  });
});

after(() => new Promise<void>((resolve) => wss.close(() => resolve())));

function reset(handler: (connection: Connection) => void = () => {}): void {
  connections = [];
  onConnection = handler;
}

const tokensIn = (c: Connection) => c.frames.flatMap((m) => (m.type === MessageType.Auth && m.kind === AuthKind.Token ? [m.token] : []));

test("with a token source the first frame is Auth/Token, before sync step 1 and awareness", async () => {
  reset();
  const token = await signer.sign({ sub: "user_a" });
  const client = new RoomClient({ server, room: "first", WebSocket: WS, getToken: async () => token });
  try {
    await until(() => (connections[0]?.frames.length ?? 0) >= 4, "handshake");
    const [first, second] = connections[0]!.frames;
    assert.deepEqual(first, { type: MessageType.Auth, kind: AuthKind.Token, token });
    assert.equal(second!.type, MessageType.Sync);
    assert.equal(client.status, "connected");
  } finally {
    client.destroy();
  }
});

test("without a token source nothing about auth is sent (a stock y-websocket handshake)", async () => {
  reset();
  const client = new RoomClient({ server, room: "anon", WebSocket: WS });
  try {
    await until(() => (connections[0]?.frames.length ?? 0) >= 3, "handshake");
    assert.equal(connections[0]!.frames.some((m) => m.type === MessageType.Auth), false);
    assert.equal(connections[0]!.frames[0]!.type, MessageType.Sync);
  } finally {
    client.destroy();
  }
});

test("a short-lived token is refreshed on the open socket before it expires, without reconnecting", async () => {
  reset();
  let issued = 0;
  const client = new RoomClient({
    server,
    room: "refresh",
    WebSocket: WS,
    // 3 s tokens: refreshed after 1.5 s; each call signs a new one.
    getToken: () => signer.sign({ sub: "user_a", exp: Math.floor(Date.now() / 1000) + 3, extra: { n: ++issued } }),
  });
  try {
    await until(() => connections[0] !== undefined && tokensIn(connections[0]).length >= 2, "a second token", 6_000);
    assert.equal(connections.length, 1, "the same socket");
    const [a, b] = tokensIn(connections[0]!);
    assert.notEqual(a, b);
  } finally {
    client.destroy();
  }
});

test("grant and denied events: role follows Auth/Granted, a read-only refusal keeps the socket and makes the role viewer", async () => {
  reset((c) =>
    c.socket.send(encodeAuthGranted({ role: "editor", userId: "user_a", visibility: "readonly", expiresAt: Date.now() + 60_000 })),
  );
  const client = new RoomClient({ server, room: "grant", WebSocket: WS, getToken: () => signer.sign({ sub: "user_a" }) });
  const grants: string[] = [];
  const denied: { denial: Denial; reason: string }[] = [];
  client.on("grant", (g) => grants.push(g.role));
  client.on("denied", (d) => denied.push(d));
  try {
    await until(() => client.role === "editor", "editor grant");
    // The kind decides, not the words: a reason that reads "read-only" under another kind changes nothing…
    connections[0]!.socket.send(encodePermissionDenied("owner-only", "read-only: only the owner may change that"));
    await until(() => denied.length === 1, "first denied event");
    assert.equal(client.role, "editor");
    // …and a read-only denial does, whatever its reason says.
    connections[0]!.socket.send(encodePermissionDenied("read-only", "you may watch this room but not edit it"));
    await until(() => denied.length === 2, "second denied event");
    assert.deepEqual(denied, [
      { denial: "owner-only", reason: "read-only: only the owner may change that" },
      { denial: "read-only", reason: "you may watch this room but not edit it" },
    ]);
    assert.equal(client.role, "viewer");
    assert.deepEqual(grants, ["editor", "viewer"]);
    assert.equal(client.status, "connected");
    assert.equal(client.closeReason, null);
  } finally {
    client.destroy();
  }
});

test("4401 is terminal until a new token source, which reconnects and sends the token first", async () => {
  reset((c) => {
    if (tokensIn(c).length === 0) setTimeout(() => c.socket.close(CloseCode.Unauthorized, "authentication required"), 50);
  });
  const client = new RoomClient({ server, room: "private", WebSocket: WS, minBackoffMs: 10, maxBackoffMs: 20 });
  try {
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => client.on("closed", resolve));
    assert.deepEqual(closed, { code: 4401, reason: "authentication required" });
    assert.equal(client.status, "offline");
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(connections.length, 1, "no retry after 4401");
    const token = await signer.sign({ sub: "user_a" });
    client.setTokenSource(() => token);
    await until(() => connections.length === 2 && connections[1]!.frames.length > 0, "reconnect");
    assert.deepEqual(connections[1]!.frames[0], { type: MessageType.Auth, kind: AuthKind.Token, token });
    await until(() => client.status === "connected", "connected");
    assert.equal(client.closeReason, null);
  } finally {
    client.destroy();
  }
});

test("switching to anonymous after a token reconnects, so the room forgets the identity", async () => {
  reset();
  const client = new RoomClient({ server, room: "signout", WebSocket: WS, getToken: () => signer.sign({ sub: "user_a" }) });
  try {
    await until(() => connections[0] !== undefined && tokensIn(connections[0]).length === 1, "token");
    await until(() => client.status === "connected", "connected");
    client.setTokenSource(null);
    await until(() => connections.length === 2 && connections[1]!.frames.length >= 3, "anonymous reconnect");
    assert.equal(tokensIn(connections[1]!).length, 0);
  } finally {
    client.destroy();
  }
});

test("4429 waits at least the seconds of the Auth/Refused before it (not what its reason text says), and is not terminal", async () => {
  reset((c) => {
    if (connections.length > 1) return;
    c.socket.send(encodeRefused({ code: CloseCode.RateLimited, retryAfterSeconds: 2 }));
    c.socket.close(CloseCode.RateLimited, "sending too fast; retry in 1 s");
  });
  const client = new RoomClient({ server, room: "limited", WebSocket: WS, minBackoffMs: 1, maxBackoffMs: 2 });
  try {
    await until(() => connections.length === 2, "reconnect", 6_000);
    const waited = connections[1]!.at - connections[0]!.at;
    assert.ok(waited >= 2000, `reconnected after ${waited} ms`);
    assert.equal(client.closeReason, null);
  } finally {
    client.destroy();
  }
});

test("shared clients: the most recent holder's token source wins; releasing it falls back to the previous one", async () => {
  reset();
  const [tokenA, tokenB] = [await signer.sign({ sub: "user_a" }), await signer.sign({ sub: "user_b" })];
  const options = { server, room: "shared-auth", WebSocket: WS };
  const plain = acquireRoomClient(options);
  const a = acquireRoomClient({ ...options, getToken: () => tokenA });
  const b = acquireRoomClient({ ...options, getToken: () => tokenB });
  try {
    assert.equal(a.client, b.client);
    await until(() => connections[0] !== undefined && tokensIn(connections[0]).includes(tokenB), "b's token");
    b.release();
    await until(() => tokensIn(connections.at(-1)!).at(-1) === tokenA, "fallback to a's token");
    plain.setTokenSource(null); // a holder without a source changes nothing
    a.setTokenSource(null);
    await until(() => connections.length === 2 && connections[1]!.frames.length >= 3, "anonymous reconnect");
    assert.equal(tokensIn(connections[1]!).length, 0);
  } finally {
    a.release();
    plain.release();
  }
});
