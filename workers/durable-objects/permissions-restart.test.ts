/**
 * Room permissions that must hold beyond one request: stored across a restart of the runtime (and a private room kept
 * closed when the keys are gone), and checks that race with a change (a body still arriving, two claims at once, a token
 * that runs out on a silent socket). The rest of the permission tests: permissions.test.ts.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import * as Y from "yjs";
import { MessageType, SyncStep, encodeAuthToken, encodeSyncStep1 } from "../../core/protocol.js";
import { closeOpened, openRawSocket, sleep, startTestWorker, waitForConvergence, type TestWorker } from "../test-support.js";
import type { TestSigner } from "../test-tokens.js";
import { EDITOR, MEMBER, OWNER, as, destroyClients, getPermissions, joinAs, putPermissions, sharedSigner } from "../../test-support/permissions.js";

let signer: TestSigner;
afterEach(() => {
  destroyClients();
  closeOpened();
});

describe("room permissions across a restart", () => {
  let dir: string;
  let worker: TestWorker | undefined;
  before(async () => {
    signer ??= await sharedSigner();
    dir = await mkdtemp(join(tmpdir(), "spike-permissions-test-"));
  });
  after(async () => {
    await worker?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("permissions are stored in the room and survive a restart of the runtime", async () => {
    const vars = { CLERK_JWT_KEY: signer.publicKeyPem };
    worker = await startTestWorker({ vars, persistDir: dir });
    const room = "durable-permissions";
    assert.equal((await as(worker, OWNER, `/live/${room}/files/a.ts`, { method: "PUT", body: "// a\n" })).status, 200);
    const saved = await putPermissions(worker, OWNER, room, { visibility: "private", editors: [EDITOR], members: [MEMBER] });
    assert.equal(saved.status, 200);
    const expected = await saved.json();
    await worker.dispose();

    worker = await startTestWorker({ vars, persistDir: dir });
    assert.deepEqual(await getPermissions(worker, OWNER, room), { status: 200, body: expected });
    assert.equal((await as(worker, null, `/live/${room}/session.json`)).status, 401);
    const editor = joinAs(worker, room, await signer.sign({ sub: EDITOR }));
    await editor.synced();
    assert.deepEqual(editor.files(), { "a.ts": "// a\n" });
    await waitForConvergence([editor]);
    editor.destroy();
    await worker.dispose();

    // The sign-in keys removed from the configuration: the private room stays closed instead of falling open.
    worker = await startTestWorker({ persistDir: dir });
    assert.equal((await as(worker, null, `/live/${room}/session.json`)).status, 401);
    assert.equal((await as(worker, null, `/live/${room}/files/a.ts`, { method: "PUT", body: "// b\n" })).status, 401);
    const socket = await openRawSocket(worker, `/live/${room}/ws`);
    socket.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    assert.equal((await socket.closed).code, 4401);
    assert.equal(socket.frames.length, 0);
    // A token cannot be verified now, so it admits nobody either.
    const withToken = await openRawSocket(worker, `/live/${room}/ws`);
    withToken.ws.send(encodeAuthToken(await signer.sign({ sub: EDITOR })));
    const refused = await withToken.closed;
    assert.equal(refused.code, 4401);
    assert.match(refused.reason, /sign-in is not configured/);
    assert.equal(withToken.frames.length, 0);
  });
});

describe("permission checks that race with a change", () => {
  let worker: TestWorker;
  before(async () => {
    signer ??= await sharedSigner();
    // AI open to anonymous callers, so the anonymous question below reaches the room and meets its re-check there.
    worker = await startTestWorker({ vars: { CLERK_JWT_KEY: signer.publicKeyPem, AI_REQUIRE_SIGN_IN: "false" } });
  });
  after(() => worker?.dispose());

  /** Start a request whose body arrives in two parts; returns a function that sends the rest and resolves to the status. */
  function slowRequest(method: string, path: string, body: string, headers: Record<string, string> = {}) {
    const req = httpRequest(new URL(path, worker.url), { method, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } });
    const status = new Promise<number>((resolve, reject) => {
      req.on("response", (res) => (res.resume(), resolve(res.statusCode ?? 0)));
      req.on("error", reject);
    });
    req.write(body.slice(0, 4));
    return async () => {
      req.end(body.slice(4));
      return status;
    };
  }

  it("a write whose body was still arriving when the room turned private is refused, and nothing is stored", async () => {
    const room = "race-private";
    assert.equal((await as(worker, OWNER, `/live/${room}/files/a.ts`, { method: "PUT", body: "// a\n" })).status, 200);
    const finishPut = slowRequest("PUT", `/live/${room}/files/evil.ts`, "// written by nobody\n");
    const finishChat = slowRequest("POST", `/live/${room}/chat`, JSON.stringify({ text: "hi", model: "gpt-4o-mini", author: "x" }), {
      "content-type": "application/json",
    });
    await sleep(200); // both requests have reached the room and passed its first check
    assert.equal((await putPermissions(worker, OWNER, room, { visibility: "readonly" })).status, 200);
    assert.equal(await finishPut(), 401);
    assert.equal(await finishChat(), 401);
    const session = await as(worker, OWNER, `/live/${room}/session.json`);
    const body = (await session.json()) as { files: Record<string, string> };
    assert.deepEqual(Object.keys(body.files), ["a.ts"]);
    const chat = (await (await as(worker, OWNER, `/live/${room}/chat`)).json()) as { messages: unknown[] };
    assert.deepEqual(chat.messages, []);
  });

  it("two users claiming one room at once: exactly one becomes the owner, the other is refused", async () => {
    for (let i = 0; i < 5; i++) {
      const room = `race-claim-${i}`;
      const [a, b] = await Promise.all([
        putPermissions(worker, "user_a", room, { visibility: "private" }),
        putPermissions(worker, "user_b", room, { visibility: "public", editors: ["user_b"] }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [200, 403], `round ${i}`);
      const winner = a.status === 200 ? "user_a" : "user_b";
      assert.equal((await getPermissions(worker, winner, room)).body.owner, winner);
    }
  });

  it("a silent socket whose token ran out stops receiving a private room's data", async () => {
    const room = "race-expiry";
    assert.equal((await putPermissions(worker, OWNER, room, { visibility: "private", members: [MEMBER] })).status, 200);
    const socket = await openRawSocket(worker, `/live/${room}/ws`);
    const now = Math.floor(Date.now() / 1000);
    // Within the 5 s clock tolerance, so it verifies, but it counts for only about 2 s more.
    socket.ws.send(encodeAuthToken(await signer.sign({ sub: MEMBER, iat: now - 60, nbf: now - 60, exp: now - 3 })));
    await socket.nextFrame((frame) => frame[0] === MessageType.Sync && frame[1] === SyncStep.Step1);
    await sleep(3_500); // the token runs out; the socket sends nothing at all
    assert.equal((await as(worker, OWNER, `/live/${room}/files/secret.ts`, { method: "PUT", body: "TOP SECRET\n" })).status, 200);
    await sleep(300);
    const leaked = socket.frames.some((frame) => Buffer.from(frame).includes("TOP SECRET"));
    assert.equal(leaked, false, "the expired socket received the secret");
    assert.notEqual(socket.ws.readyState, socket.ws.OPEN, "the room closed the expired socket");
    socket.ws.terminate();
  });
});
