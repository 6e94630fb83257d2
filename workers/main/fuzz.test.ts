/**
 * A short seeded fuzz of the real Worker: random methods (odd ones included), paths, headers (one of 100 KB), URLs of
 * 64 KB and bodies against every route, then random binary, text, Auth and Peer frames on room sockets. No answer may be a
 * 500 (a 5xx at all, but the upstream routes' documented 502/503), the Worker keeps answering /api/health, and a witness
 * room nobody fuzzes keeps its text. Replay a failure with FUZZ_SEED=<seed>.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as encoding from "lib0/encoding";
import { MAX_SIGNAL_BYTES, MessageType, PeerKind, encodeAuthToken, encodeAwareness, encodeAwarenessEntries, encodePeerSignal } from "../../core/protocol.js";
import {
  WEBSOCKET_UPGRADE,
  fetchSession,
  openRawSocket,
  rawRequest,
  seededRandom,
  startTestWorker,
  type TestWorker,
} from "../test-support.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_501);
const random = seededRandom(SEED);
const WITNESS = { room: "fuzz-witness", file: "index.tsx", text: "export default () => <p>fuzz witness</p>;\n" };

/** Upstream routes may answer 502 (upstream failed) or 503 (not configured): documented, not crashes. */
const UPSTREAM = /^\/(npm\/|api\/(transpile|bundle|transcribe)|live\/[^/]+\/(index\.js|chat|assets\/generate|screenshot\.png|page\.pdf|og\.png|v\/[^/]+\/index\.js))/;

let worker: TestWorker;
let signer: TestSigner;

before(async () => {
  signer = await createTestSigner();
  worker = await startTestWorker({
    // With the transpiler running, its service binding resolves: a call to a missing one made wrangler dev restart the
    // main Worker, failing whichever request was in flight with "Your worker restarted mid-request".
    transpiler: true,
    vars: {
      CLERK_JWT_KEY: signer.publicKeyPem,
      // Generous limits: this test checks answers to bad input, not throttling (a 429 is accepted anyway).
      RATE_LIMIT_CONNECT_PER_MINUTE: "100000",
      RATE_LIMIT_CONNECT_BURST: "100000",
      RATE_LIMIT_UPLOAD_PER_MINUTE: "100000",
      RATE_LIMIT_UPLOAD_BURST: "100000",
      RATE_LIMIT_READ_PER_MINUTE: "100000",
      RATE_LIMIT_READ_BURST: "100000",
      RATE_LIMIT_COMPUTE_PER_MINUTE: "100000",
      RATE_LIMIT_COMPUTE_BURST: "100000",
      RATE_LIMIT_CREATE_PER_MINUTE: "100000",
      RATE_LIMIT_CREATE_BURST: "100000",
    },
  });
  const put = await fetch(new URL(`/live/${WITNESS.room}/files/${WITNESS.file}`, worker.url), { method: "PUT", body: WITNESS.text });
  assert.equal(put.status, 200, await put.text());
});
after(() => worker?.dispose());

const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (max: number) => Math.floor(random() * max);
function bytes(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => int(256));
}
function printable(n: number): string {
  return Array.from({ length: n }, () => String.fromCharCode(0x21 + int(94))).join("");
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "TRACE", "MKCOL", "QUERY", "FOO"];
const ROOMS = ["fuzz-a", "fuzz-b", "%2e%2e", "a".repeat(200), "%00", "r%2Fs", "", "caf%C3%A9", "%ZZ"];
const ROUTES = [
  "/api/health",
  "/api/config",
  "/api/metrics",
  "/api/transcribe",
  "/api/transpile",
  "/api/bundle",
  "/api/nope",
  "/npm/react",
  "/npm/%40scope%2F..%2F..",
  "/npm/" + "x".repeat(300),
  "/live/ROOM/ws",
  "/live/ROOM/session.json",
  "/live/ROOM/index.tsx",
  "/live/ROOM/index.js",
  "/live/ROOM/files/index.tsx",
  "/live/ROOM/files/..%2F..%2Fetc",
  "/live/ROOM/files/a/b/c.css",
  "/live/ROOM/permissions",
  "/live/ROOM/assets",
  "/live/ROOM/assets/logo.png",
  "/live/ROOM/assets/..%2Flogo.png",
  "/live/ROOM/chat",
  "/live/ROOM/chat/m1/cancel",
  "/live/ROOM/chat/m1/undo",
  "/live/ROOM/assets/generate",
  "/live/ROOM",
  "/live/ROOM/embed",
  "/oembed",
  "/oembed?url=http%3A%2F%2F127.0.0.1%2Flive%2FROOM",
  "/oembed?format=xml&url=http%3A%2F%2F127.0.0.1%2Flive%2FROOM%2Fembed",
  "/preview/frame.html",
  "/spike.js",
  "/%2e%2e/%2e%2e/etc/passwd",
];

/**
 * Routes added later (forks, versions, renders, agent tokens), drawn from their own seeded stream for every fourth request, so the sequence of
 * the routes above (and of every method, header and body) stays what it was before they were added.
 */
const LATER_ROUTES = [
  "/live/ROOM/fork",
  "/live/ROOM/versions",
  "/live/ROOM/versions/1",
  "/live/ROOM/versions/0/restore",
  "/live/ROOM/versions/1/restore",
  "/live/ROOM/restores/000000000-00000000/undo",
  "/live/ROOM/restores/..%2F..%2Fx/undo",
  "/live/ROOM/v/1/session.json",
  "/live/ROOM/v/1/index.tsx",
  "/live/ROOM/v/1/index.js",
  "/live/ROOM/v/1/files/index.tsx",
  "/live/ROOM/v/latest/files/..%2F..%2Fetc",
  "/live/ROOM/screenshot.png",
  "/live/ROOM/screenshot.png?width=99999&theme=x",
  "/live/ROOM/page.pdf?version=0",
  "/live/ROOM/og.png",
  "/live/ROOM/agent-tokens",
  "/live/ROOM/agent-tokens/AAAAAAAAAAAAAAAA",
  "/live/ROOM/agent-tokens/..%2F..%2Fx",
  "/mcp",
  // The preview's console log (console-routes.ts).
  "/live/ROOM/console",
  "/live/ROOM/console?since=-1",
];
const laterRandom = seededRandom(SEED + 1);

function randomRequest(i: number): { method: string; path: string; headers: Record<string, string>; body?: Uint8Array | string } {
  const method = pick(METHODS);
  let path = pick(ROUTES).replace("ROOM", pick(ROOMS));
  if (i % 4 === 3) path = LATER_ROUTES[Math.floor(laterRandom() * LATER_ROUTES.length)]!.replace("ROOM", ROOMS[Math.floor(laterRandom() * ROOMS.length)]!);
  if (random() < 0.3) path += `?${printable(int(40))}`.replace(/#/g, "");
  if (i % 97 === 0) path += `?q=${"a".repeat(64 * 1024)}`; // a 64 KB URL
  const headers: Record<string, string> = {};
  if (random() < 0.3) headers["content-type"] = pick(["application/json", "text/plain", "audio/webm", "multipart/form-data; boundary=x", "x/\u007f"]);
  if (random() < 0.2) headers.authorization = pick(["Bearer ", "Bearer x.y.z", "Basic abc", `Bearer ${printable(int(3000))}`, "Bearer eyJhbGciOiJub25lIn0.e30."]);
  if (random() < 0.2) headers.origin = pick(["https://evil.example", "null", printable(30)]);
  if (random() < 0.1) headers["x-spike-identity"] = JSON.stringify({ userId: "user_forged", expiresAt: Date.now() + 1e6 });
  if (random() < 0.1) headers["cf-connecting-ip"] = printable(int(60));
  if (random() < 0.1) headers["access-control-request-method"] = pick(METHODS);
  if (i % 101 === 0) headers["x-huge"] = "h".repeat(100 * 1024); // a 100 KB header
  // Upgrade headers on GET only: wrangler dev's proxy forwards any upgrade to the Worker as a GET and then fails its own
  // handshake with the client with a bare 500 ("WebSocket must be initiated with a GET request"), outside the Worker.
  if (path.endsWith("/ws") && method === "GET" && random() < 0.7) Object.assign(headers, WEBSOCKET_UPGRADE);
  let body: Uint8Array | string | undefined;
  if (method !== "GET" && method !== "HEAD" && method !== "TRACE" && random() < 0.7) {
    body = pick([
      () => bytes(int(2048)),
      () => JSON.stringify({ visibility: pick(["public", "private", "x", 1]), editors: [printable(10)], members: "x" }),
      () => `{"question": ${JSON.stringify(printable(int(100)))}, "model": "gpt-4o-mini"}`,
      () => "{".repeat(int(5000)),
      () => "",
    ])();
    headers["content-length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
    // Not fuzzed: a malformed or lying Content-Length. workerd's HTTP layer refuses "-1"/"abc" with a bare 500 before any
    // Worker code runs (Cloudflare's edge answers 400), and a length larger than the body just waits for the rest.
  }
  return { method, path, headers, body };
}

/** A 5xx other than the documented upstream ones is a bug; so is a connection the server dropped without answering. */
function acceptable(path: string, status: number, text: string): boolean {
  if (status < 500) return status >= 100;
  // workerd refuses a method it does not know (FOO) itself, before the Worker: a 501, as HTTP says.
  if (status === 501 && /Unrecognized request method/.test(text)) return true;
  // oEmbed answers a format other than json with 501, as its spec says.
  if (status === 501 && path.startsWith("/oembed")) return true;
  return UPSTREAM.test(path) && (status === 502 || status === 503);
}

test(`HTTP fuzz (seed ${SEED}): no 500s, JSON errors, the Worker keeps answering`, async () => {
  const failures: string[] = [];
  let transportErrors = 0;
  for (let i = 0; i < 400; i++) {
    const request = randomRequest(i);
    const label = `#${i} ${request.method} ${request.path.slice(0, 120)}${request.path.length > 120 ? "…" : ""}`;
    try {
      const response = await rawRequest(worker, request.path, request);
      if (!acceptable(request.path, response.status, response.text)) failures.push(`${label}: ${response.status} ${response.text.slice(0, 200)}`);
      const type = String(response.headers["content-type"] ?? "");
      if (response.status >= 400 && type.includes("json") && request.method !== "HEAD") {
        const body = JSON.parse(response.text) as Record<string, unknown>;
        // `/mcp` answers JSON-RPC: its error is `{code, message}` (workers/main/mcp/route.ts rpcError).
        const rpc = request.path.startsWith("/mcp") && body.jsonrpc === "2.0" && typeof (body.error as { message?: unknown } | null)?.message === "string";
        if (typeof body.error !== "string" && !rpc) failures.push(`${label}: error body without error: ${response.text.slice(0, 200)}`);
        if (/\n\s+at /.test(response.text)) failures.push(`${label}: a stack trace reached the client`);
      }
    } catch (error) {
      // Node's own client refuses some of its inputs (e.g. a header it will not send), and a server may reset a
      // connection it answered early; count them, but the Worker must still be up afterwards.
      transportErrors += 1;
      if (!/Invalid|ECONNRESET|socket hang up|EPIPE/.test(String(error))) failures.push(`${label}: ${String(error)}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(transportErrors < 40, `${transportErrors} requests failed in transport`);
  const health = await fetch(new URL("/api/health", worker.url));
  assert.equal(health.status, 200);
});

/**
 * Peer (WebRTC signalling) frames, added later, drawn from their own seeded stream and sent on a socket of their own after
 * each round, so the frames above stay what they were: a presence for a client id, then signals from it, from another id,
 * oversized, malformed, and the room's own kinds.
 */
const peerRandom = seededRandom(SEED + 2);
function peerFrames(): Uint8Array[] {
  const n = (max: number) => Math.floor(peerRandom() * max);
  const own = 1 + n(1000);
  const presence = encodeAwareness(encodeAwarenessEntries([{ clientId: own, clock: 1, state: '{"peer":true}' }]));
  const raw = (kind: number, tail: Uint8Array) => Uint8Array.of(MessageType.Peer, kind, ...tail);
  const signal = (text: string) => {
    const e = encoding.createEncoder();
    for (const field of [MessageType.Peer, PeerKind.Signal, own, n(1000)]) encoding.writeVarUint(e, field);
    encoding.writeVarString(e, text);
    return encoding.toUint8Array(e);
  };
  const choices = [
    () => encodePeerSignal(own, n(1000), { type: "offer", sdp: "v=0\r\n" }),
    () => encodePeerSignal(n(1000), n(1000), { type: "bye" }),
    () => signal("v".repeat(MAX_SIGNAL_BYTES + 1 + n(100))),
    () => signal(String.fromCharCode(...Array.from({ length: n(64) }, () => 0x20 + n(95)))),
    () => raw(PeerKind.Relayed, Uint8Array.from({ length: n(32) }, () => n(256))),
    () => raw(PeerKind.Config, Uint8Array.from({ length: n(32) }, () => n(256))),
    () => raw(n(256), Uint8Array.from({ length: n(16) }, () => n(256))),
  ];
  return [presence, ...Array.from({ length: 3 }, () => choices[n(choices.length)]!())];
}

test(`WebSocket fuzz (seed ${SEED}): random binary, text, Auth and Peer frames never crash a room or change the witness`, async () => {
  const closes: string[] = [];
  const valid = await signer.sign({ sub: "user_fuzz" });
  for (let round = 0; round < 30; round++) {
    const room = pick(["fuzz-a", "fuzz-b", "fuzz-c"]);
    const socket = await openRawSocket(worker, `/live/${room}/ws`);
    for (let n = 0; n < 20 && socket.ws.readyState === socket.ws.OPEN; n++) {
      const kind = int(6);
      if (kind === 0) socket.ws.send(printable(int(200))); // text frame
      else if (kind === 1) socket.ws.send(bytes(1 + int(512)));
      else if (kind === 2) socket.ws.send(encodeAuthToken(pick([valid, printable(int(400)), "", "a.b.c"]))); // Auth/Token
      else if (kind === 3) socket.ws.send(Uint8Array.of(MessageType.Auth, int(256), ...bytes(int(64)))); // Auth, random kind
      else if (kind === 4) socket.ws.send(Uint8Array.of(int(256), ...bytes(int(16)))); // random message type
      else socket.ws.send(new Uint8Array(0));
    }

    const timeout = setTimeout(() => socket.ws.terminate(), 2_000);
    socket.ws.close();
    const { code } = await socket.closed;
    clearTimeout(timeout);
    closes.push(String(code));
    // 1011 (internal error) would mean a frame crashed the room.
    assert.notEqual(code, 1011, `round ${round}: the room closed with 1011`);
    // Peer frames on a socket of their own (the one above is mostly closed by then).
    const peer = await openRawSocket(worker, `/live/${room}/ws`);
    for (const frame of peerFrames()) if (peer.ws.readyState === peer.ws.OPEN) peer.ws.send(frame);
    const peerTimeout = setTimeout(() => peer.ws.terminate(), 2_000);
    peer.ws.close();
    const peerClose = await peer.closed;
    clearTimeout(peerTimeout);
    assert.notEqual(peerClose.code, 1011, `round ${round}: a Peer frame made the room close with 1011`);
  }
  const health = await fetch(new URL("/api/health", worker.url));
  assert.equal(health.status, 200);
  const witness = await fetchSession(worker, WITNESS.room);
  assert.equal(witness.files[WITNESS.file], WITNESS.text);
  // Every fuzzed room still answers.
  for (const room of ["fuzz-a", "fuzz-b", "fuzz-c"]) {
    const session = await fetch(new URL(`/live/${room}/session.json`, worker.url));
    assert.ok(session.status < 500, `${room}: ${session.status}`);
  }
  assert.ok(closes.length === 30);
});
