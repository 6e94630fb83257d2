/**
 * A connect that is still in flight when the room's permissions change, through the real Worker and CodeRoom. A connect to a
 * room that does not exist yet awaits the room-creation limit (the RateLimiter) before the socket is accepted; here that
 * take is held by a stand-in RateLimiter (workers/test-held-rate-limiter/) while the owner makes the room private, then let
 * go. The room must decide on the socket under the permissions in force once it resumes.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { unstable_startWorker } from "wrangler";
import { AuthKind, MessageType, decodeMessage, type RoomGrant } from "../../core/protocol.js";
import { devRegistry } from "../../scripts/dev-registry.mjs";
import { openRawSocket, startTestWorker, waitUntil, type CloseInfo, type RawSocket, type TestWorker } from "../test-support.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";

/** The stand-in's Worker name, from its wrangler.jsonc. */
const HELD_LIMITER = "spike-test-held-rate-limiter";
const OWNER = "user_owner";
const MEMBER = "user_member";
const STRANGER = "user_stranger";

/** The stand-in RateLimiter's Worker, and its controls. */
interface HeldRateLimiter {
  hold(): Promise<void>;
  held(): Promise<number>;
  release(): Promise<void>;
  dispose(): Promise<void>;
}

async function startHeldRateLimiter(): Promise<HeldRateLimiter> {
  const worker = await unstable_startWorker({
    config: fileURLToPath(new URL("../test-held-rate-limiter/wrangler.jsonc", import.meta.url)),
    sendMetrics: false,
    dev: { registry: devRegistry(), server: { hostname: "127.0.0.1", port: 0 }, inspector: false, persist: false, watch: false, logLevel: "warn" },
  });
  try {
    await worker.ready;
  } catch (error) {
    await worker.dispose();
    throw error;
  }
  const url = await worker.url;
  const call = async (method: string, path: string) => {
    const response = await fetch(new URL(path, url), { method });
    assert.equal(response.status, 200);
    return ((await response.json()) as { held: number }).held;
  };
  return {
    hold: async () => void (await call("POST", "/hold")),
    held: () => call("GET", "/held"),
    release: async () => void (await call("POST", "/release")),
    dispose: () => worker.dispose(),
  };
}

describe("a connect in flight while the room turns private", () => {
  let limiter: HeldRateLimiter;
  let worker: TestWorker;
  let signer: TestSigner;
  const sockets: RawSocket[] = [];

  before(async () => {
    signer = await createTestSigner();
    limiter = await startHeldRateLimiter();
    worker = await startTestWorker({
      vars: { CLERK_JWT_KEY: signer.publicKeyPem },
      bindings: { RATE_LIMITER: { type: "durable_object_namespace", class_name: "RateLimiter", script_name: HELD_LIMITER } },
    });
  });
  after(async () => {
    await worker?.dispose();
    await limiter?.dispose();
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.ws.terminate();
  });

  /**
   * Open a socket to the new room `room` as `userId` (an `Authorization: Bearer` upgrade, verified by the Worker), and make
   * the room private with `members` while the room awaits that connect's creation check. Resolves with the socket.
   */
  async function connectWhileTurningPrivate(room: string, userId: string, members: string[]): Promise<RawSocket> {
    await limiter.hold();
    const heldBefore = await limiter.held();
    const authorization = `Bearer ${await signer.sign({ sub: userId })}`;
    const opening = openRawSocket(worker, `/live/${room}/ws`, { headers: { authorization } });
    await waitUntil(async () => (await limiter.held()) > heldBefore, { what: "the connect's creation check to be held" });
    const response = await fetch(new URL(`/live/${room}/permissions`, worker.url), {
      method: "PUT",
      headers: { authorization: `Bearer ${await signer.sign({ sub: OWNER })}`, "content-type": "application/json" },
      body: JSON.stringify({ visibility: "private", members }),
    });
    assert.equal(response.status, 200, await response.text());
    await limiter.release();
    const socket = await opening;
    sockets.push(socket);
    return socket;
  }

  it("a non-member holding a valid token gets 4403 and not one byte of the room", async () => {
    const socket = await connectWhileTurningPrivate("race-private", STRANGER, [MEMBER]);
    // Whichever comes first: a close, or a frame (a greeting sent to a socket the room let in).
    const outcome = await Promise.race([socket.closed, socket.nextFrame(() => true).then(() => "a frame" as const)]);
    assert.deepEqual(socket.frames.map((frame) => [...frame.slice(0, 2)]), [], "no sync step, update, awareness or grant");
    assert.deepEqual(outcome as CloseInfo, { code: 4403, reason: "you are not a member of this private room" });
  });

  it("a member connecting meanwhile is admitted under the new permissions: a viewer of a private room", async () => {
    const socket = await connectWhileTurningPrivate("race-member", MEMBER, [MEMBER]);
    const frame = await socket.nextFrame((f) => f[0] === MessageType.Auth && f[1] === AuthKind.Granted);
    assert.ok(frame, "a grant");
    const message = decodeMessage(frame);
    assert.ok(message.type === MessageType.Auth && message.kind === AuthKind.Granted);
    const grant: RoomGrant = message.grant;
    assert.deepEqual({ ...grant, expiresAt: typeof grant.expiresAt }, {
      role: "viewer",
      userId: MEMBER,
      visibility: "private",
      expiresAt: "number",
    });
    await socket.nextFrame((f) => f[0] === MessageType.Sync);
  });
});
