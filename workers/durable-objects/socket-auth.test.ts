/**
 * In-band socket authentication through the real Worker and CodeRoom (raw `ws` sockets, tokens signed locally with Clerk's
 * claims): a private room sends nothing before a token admits the socket, bad/expired/foreign tokens are closed with
 * 4401/4403, frames sent while a token is verified are handled in order, a long-lived socket re-authenticates, and an
 * expired token falls back to anonymous.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, it } from "node:test";
import * as Y from "yjs";
import {
  AuthKind,
  MessageType,
  PeerKind,
  SyncStep,
  decodeMessage,
  encodeAuthToken,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeUpdate,
  type Message,
  type RoomGrant,
} from "../../core/protocol.js";
import { writeFile } from "../../core/project.js";
import { closeOpened, fetchSession, pollSession, rawSocket, sleep, startTestWorker, waitUntil, type RawSocket, type TestWorker } from "../test-support.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";

afterEach(closeOpened);

const decoded = (socket: RawSocket): Message[] => socket.frames.map((frame) => decodeMessage(frame));
const isGrant = (frame: Uint8Array) => frame[0] === MessageType.Auth && frame[1] === AuthKind.Granted;
const isStep1 = (frame: Uint8Array) => frame[0] === MessageType.Sync && frame[1] === SyncStep.Step1;
const isStep2 = (frame: Uint8Array) => frame[0] === MessageType.Sync && frame[1] === SyncStep.Step2;
const isDenied = (frame: Uint8Array) => frame[0] === MessageType.Auth && frame[1] === AuthKind.PermissionDenied;

function grantOf(frame: Uint8Array | null): RoomGrant {
  assert.ok(frame, "expected an Auth/Granted frame");
  const message = decodeMessage(frame);
  assert.ok(message.type === MessageType.Auth && message.kind === AuthKind.Granted);
  return message.grant;
}

/** The files of the Yjs update in a SyncStep2 frame. */
function filesOfStep2(frame: Uint8Array | null): Record<string, string> {
  assert.ok(frame);
  const message = decodeMessage(frame);
  assert.ok(message.type === MessageType.Sync && message.step !== SyncStep.Step1);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, message.update);
  return Object.fromEntries([...doc.getMap<Y.Text>("files")].map(([name, text]) => [name, text.toString()]));
}

/** A Yjs update that writes `name`, as a client's Update frame. */
function writing(name: string, text: string): Uint8Array {
  const doc = new Y.Doc();
  writeFile(doc, name, text);
  return encodeUpdate(Y.encodeStateAsUpdate(doc));
}

describe("socket authentication (sign-in configured)", () => {
  let worker: TestWorker;
  let signer: TestSigner;
  const owner = "user_owner";
  const member = "user_member";
  const headers = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });

  async function setPermissions(room: string, body: object): Promise<void> {
    const response = await fetch(new URL(`/live/${room}/permissions`, worker.url), {
      method: "PUT",
      headers: headers(await signer.sign({ sub: owner })),
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, await response.text());
  }

  async function putFile(room: string, name: string, text: string): Promise<void> {
    const response = await fetch(new URL(`/live/${room}/files/${name}`, worker.url), {
      method: "PUT",
      headers: { authorization: `Bearer ${await signer.sign({ sub: owner })}` },
      body: text,
    });
    assert.equal(response.status, 200, await response.text());
  }

  before(async () => {
    signer = await createTestSigner();
    worker = await startTestWorker({ vars: { CLERK_JWT_KEY: signer.publicKeyPem, ROOM_AUTH_TIMEOUT_SECONDS: "1.5" } });
  });
  after(() => worker?.dispose());

  it("a private room sends nothing before a token, not even a collaborator's edit; a member's token admits the socket", async () => {
    const room = "private-leak";
    await putFile(room, "secret.ts", "export const secret = 1;\n");
    await setPermissions(room, { visibility: "private", members: [member] });

    const socket = await rawSocket(worker, room);
    await putFile(room, "secret.ts", "export const secret = 2;\n"); // a broadcast the waiting socket must not get
    await sleep(300);
    assert.equal(socket.frames.length, 0, "no byte before authentication");

    // The token first, then a step 1 that waits while the token is verified.
    socket.ws.send(encodeAuthToken(await signer.sign({ sub: member })));
    socket.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    const grant = grantOf(await socket.nextFrame(isGrant));
    assert.deepEqual({ ...grant, expiresAt: typeof grant.expiresAt }, {
      role: "viewer",
      userId: member,
      visibility: "private",
      expiresAt: "number",
    });
    // The greeting (step 1, and the peer-to-peer offer to this spike client) follows the grant, then the answer to the
    // step 1 sent behind the token.
    assert.deepEqual(filesOfStep2(await socket.nextFrame(isStep2)), { "secret.ts": "export const secret = 2;\n" });
    const order = decoded(socket).map((m) => (m.type === MessageType.Auth || m.type === MessageType.Peer ? `${m.type}/${m.kind}` : `${m.type}.${"step" in m ? m.step : ""}`));
    assert.deepEqual(order.slice(0, 4), [`${MessageType.Auth}/${AuthKind.Granted}`, "0.0", `${MessageType.Peer}/${PeerKind.Config}`, "0.1"]);
  });

  it("no token in time: 4401 with nothing sent; a bad, expired or foreign-key token: 4401 with its reason; a non-member: 4403", async () => {
    const room = "private-closed";
    await setPermissions(room, { visibility: "private", members: [member] });

    // A stock client's opening step 1 instead of a token: refused at once, with nothing sent.
    const anonymous = await rawSocket(worker, room);
    anonymous.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    const refused = await anonymous.closed;
    assert.equal(refused.code, 4401);
    assert.match(refused.reason, /authentication required: this room is private/);
    assert.equal(anonymous.frames.length, 0);

    // A socket that sends nothing is closed when its time runs out (ROOM_AUTH_TIMEOUT_SECONDS). workerd sends the close
    // frame on time but ends the TCP connection only ~10 s later, and `ws` reports the close only then.
    const silent = await rawSocket(worker, room);
    const timedOut = await silent.closed;
    assert.equal(timedOut.code, 4401);
    assert.match(timedOut.reason, /authentication required: send a token/);
    assert.equal(silent.frames.length, 0);

    const stranger = await createTestSigner();
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string, string, number, RegExp]> = [
      ["garbage", "not.a.jwt", 4401, /malformed/],
      ["signed by another key", await stranger.sign({ sub: member }), 4401, /signature/],
      ["expired", await signer.sign({ sub: member, iat: now - 120, nbf: now - 120, exp: now - 60 }), 4401, /expired/],
      ["a non-member", await signer.sign({ sub: "user_stranger" }), 4403, /not a member/],
    ];
    for (const [what, token, code, reason] of cases) {
      const socket = await rawSocket(worker, room);
      socket.ws.send(encodeAuthToken(token));
      socket.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
      const closed = await socket.closed;
      assert.equal(closed.code, code, what);
      assert.match(closed.reason, reason, what);
      assert.equal(socket.frames.length, 0, `${what}: nothing sent`);
    }
  });

  it("a long-lived socket re-authenticates with a fresh token; an expired token falls back to anonymous (private: closed)", async () => {
    const room = "reauth";
    await setPermissions(room, { visibility: "readonly", editors: [member] });
    const now = Math.floor(Date.now() / 1000);
    // Within the 5 s clock tolerance, so it verifies, but counts only about 2 s more.
    const expiring = () => signer.sign({ sub: member, iat: now - 60, nbf: now - 60, exp: now - 3 });

    // Renewed in time: still an editor after the first token ran out.
    const renewed = await rawSocket(worker, room);
    await renewed.nextFrame(isGrant); // the anonymous viewer grant at connect
    renewed.ws.send(encodeAuthToken(await expiring()));
    await waitUntil(() => renewed.frames.filter(isGrant).length === 2, { what: "the editor grant" });
    assert.equal(grantOf(renewed.frames.filter(isGrant)[1]!).role, "editor");
    renewed.ws.send(encodeAuthToken(await signer.sign({ sub: member })));
    await waitUntil(() => renewed.frames.filter(isGrant).length === 3, { what: "the renewed grant" });
    const fresh = grantOf(renewed.frames.filter(isGrant)[2]!);
    assert.equal(fresh.role, "editor");
    assert.ok(fresh.expiresAt! > Date.now() + 30_000, "the new token's expiry");

    // Not renewed: the next frame after expiry finds an anonymous viewer.
    const lapsed = await rawSocket(worker, room);
    lapsed.ws.send(encodeAuthToken(await expiring()));
    await waitUntil(() => lapsed.frames.filter(isGrant).some((f) => grantOf(f).role === "editor"), { what: "editor grant" });
    await sleep(2_600);
    renewed.ws.send(writing("renewed.ts", "// kept\n"));
    lapsed.ws.send(writing("lapsed.ts", "// dropped\n"));
    await lapsed.nextFrame(isDenied);
    const grants = lapsed.frames.filter(isGrant).map(grantOf);
    assert.deepEqual(grants.at(-1), { role: "viewer", userId: null, visibility: "readonly", expiresAt: null });
    await waitUntil(async () => (await pollSession(worker, room))?.files["renewed.ts"] === "// kept\n", { what: "the edit" });
    assert.equal((await fetchSession(worker, room)).files["lapsed.ts"], undefined);

    // In a private room the lapsed socket is closed instead.
    const secret = "reauth-private";
    await setPermissions(secret, { visibility: "private", members: [member] });
    const closing = await rawSocket(worker, secret);
    closing.ws.send(encodeAuthToken(await expiring()));
    await closing.nextFrame(isStep1);
    await sleep(2_600);
    closing.ws.send(encodeQueryAwareness());
    const closed = await closing.closed;
    assert.deepEqual([closed.code, closed.reason], [4401, "token expired"]);
  });
});

describe("socket authentication (sign-in not configured)", () => {
  let worker: TestWorker;
  before(async () => {
    worker = await startTestWorker();
  });
  after(() => worker?.dispose());

  it("a token is answered with the anonymous editor grant and the socket keeps working", async () => {
    const signer = await createTestSigner();
    const socket = await rawSocket(worker, "no-auth");
    await socket.nextFrame(isStep1);
    socket.ws.send(encodeAuthToken(await signer.sign({ sub: "user_a" })));
    assert.deepEqual(grantOf(await socket.nextFrame(isGrant)), { role: "editor", userId: null, visibility: "public", expiresAt: null });
    socket.ws.send(writing("index.tsx", "// still editing\n"));
    await waitUntil(async () => (await pollSession(worker, "no-auth"))?.files["index.tsx"] === "// still editing\n", {
      what: "the edit to be stored",
    });
  });
});

describe("frames sent while a token is being verified", () => {
  let worker: TestWorker;
  let jwks: Server;
  let signer: TestSigner;

  before(async () => {
    signer = await createTestSigner();
    // Signing keys that take 1.5 s to arrive keep the first verification in flight while the client keeps sending.
    jwks = createServer((_req, res) => {
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [signer.publicJwk] })), 1_500);
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    worker = await startTestWorker({ vars: { CLERK_JWKS_URL: url } });
  });
  after(async () => {
    await worker?.dispose();
    await new Promise<void>((resolve) => jwks.close(() => resolve()));
  });

  it("more than the queue cap closes the socket with 1008 and nothing is answered", async () => {
    const socket = await rawSocket(worker, "queue-cap");
    await socket.nextFrame(isStep1); // a public room greets at once
    const greeted = socket.frames.length;
    socket.ws.send(encodeAuthToken(await signer.sign({ sub: "user_flood" })));
    for (let i = 0; i < 65; i++) socket.ws.send(encodeQueryAwareness());
    const closed = await socket.closed;
    assert.equal(closed.code, 1008);
    assert.match(closed.reason, /too much data before authentication/);
    assert.equal(socket.frames.length, greeted, "none of the queued frames was answered");
  });
});
