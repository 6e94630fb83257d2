/**
 * The one route table of `/live/<room>/…` (workers/main/live-routes.ts) through the real Worker and CodeRoom: each body
 * limit sits on its route (413 `{error, requestId}` for a declared or a chunked body over it, nothing stored, the
 * connection still usable), a body of unknown length within the limit is taken, the room's typed calls refuse a caller
 * who may not edit exactly as the room's HTTP routes did, and each route spends only its own rate-limit bucket.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { rawRequest, startTestWorker, type TestWorker } from "../test-support.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";

const OWNER = "user_owner";
const EDITOR = "user_editor";
const STRANGER = "user_stranger";
const MAX_FILE = 4_096;

let signer: TestSigner;

/** A request as `user` (null: anonymous); `body` as a string is sent with its Content-Length. */
async function as(worker: TestWorker, user: string | null, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (user) headers.set("authorization", `Bearer ${await signer.sign({ sub: user })}`);
  return fetch(new URL(path, worker.url), { ...init, headers, signal: AbortSignal.timeout(15_000) });
}

/** A body of unknown length: `bytes` bytes of `fill`, sent chunked in pieces of 1000. */
function chunkedBody(bytes: number, fill = " "): RequestInit {
  let left = bytes;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left === 0) return controller.close();
      const size = Math.min(1_000, left);
      left -= size;
      controller.enqueue(new TextEncoder().encode(fill.repeat(size)));
    },
  });
  return { body, duplex: "half" } as RequestInit;
}

async function errorOf(response: Response): Promise<{ status: number; keys: string[]; error: unknown; denial: unknown }> {
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, keys: Object.keys(body).sort(), error: body.error, denial: body.denial };
}

describe("body limits, inline on each route", () => {
  let worker: TestWorker;
  before(async () => {
    signer ??= await createTestSigner();
    worker = await startTestWorker({
      vars: { CLERK_JWT_KEY: signer.publicKeyPem, AI_REQUIRE_SIGN_IN: "false", ROOM_MAX_FRAME_BYTES: String(MAX_FILE) },
    });
  });
  after(() => worker?.dispose());

  it("a file, permissions or a question over its limit is 413 {error, requestId}, declared or chunked; nothing changes", async () => {
    const room = "limited";
    assert.equal((await as(worker, OWNER, `/live/${room}/files/a.ts`, { method: "PUT", body: "// a\n" })).status, 200);
    const question = (pad: number) => JSON.stringify({ text: "hi", model: "gpt-4o-mini", author: "ada", pad: " ".repeat(pad) });
    const routes: [string, string, string, number][] = [
      ["PUT", `/live/${room}/files/a.ts`, "file", MAX_FILE],
      ["PUT", `/live/${room}/permissions`, "permissions", 16_384],
      ["POST", `/live/${room}/chat`, "chat request", 64 * 1024],
    ];
    for (const [method, path, what, limit] of routes) {
      const refused = { status: 413, keys: ["error", "requestId"], error: `${what} larger than ${limit} bytes`, denial: undefined };
      const declared = await as(worker, OWNER, path, { method, body: "x".repeat(limit + 1) });
      assert.deepEqual(await errorOf(declared), refused, path);
      const chunked = await as(worker, OWNER, path, { method, ...chunkedBody(limit + 5_000) });
      assert.deepEqual(await errorOf(chunked), refused, `${path} chunked`);
      // The refused body was finished, so the connection it came on answers the next request.
      assert.equal((await as(worker, OWNER, `/live/${room}/session.json`)).status, 200, `after ${path}`);
    }
    // A question padded to just under the chat limit passes it (the room ignores the extra field; with no provider key
    // configured here, the question is taken and its reply ends with what to set).
    assert.equal((await as(worker, OWNER, `/live/${room}/chat`, { method: "POST", body: question(60_000) })).status, 202);

    const session = (await (await as(worker, OWNER, `/live/${room}/session.json`)).json()) as { files: Record<string, string> };
    assert.deepEqual(session.files, { "a.ts": "// a\n" });
    const permissions = (await (await as(worker, OWNER, `/live/${room}/permissions`)).json()) as { owner: string | null };
    assert.equal(permissions.owner, null, "no PUT of the permissions got through");
  });

  it("a body of unknown length within the limit is taken: no Content-Length is needed", async () => {
    const room = "streamed";
    const put = await as(worker, null, `/live/${room}/files/b.ts`, { method: "PUT", ...chunkedBody(MAX_FILE, "b") });
    assert.equal(put.status, 200, await put.clone().text());
    assert.equal((await put.json() as { bytes: number }).bytes, MAX_FILE);
    assert.equal(await (await as(worker, null, `/live/${room}/files/b.ts`)).text(), "b".repeat(MAX_FILE));
    const claim = new Blob([JSON.stringify({ visibility: "readonly" })]).stream();
    const claimed = await as(worker, OWNER, "/live/streamed-claim/permissions", { method: "PUT", body: claim, duplex: "half" } as RequestInit);
    assert.equal(claimed.status, 200, await claimed.clone().text());
    assert.deepEqual(await claimed.json(), { room: "streamed-claim", owner: OWNER, visibility: "readonly", editors: [], members: [] });
  });
});

describe("the room's typed calls refuse as its routes did", () => {
  let worker: TestWorker;
  before(async () => {
    signer ??= await createTestSigner();
    worker = await startTestWorker({ vars: { CLERK_JWT_KEY: signer.publicKeyPem, AI_REQUIRE_SIGN_IN: "false" } });
  });
  after(() => worker?.dispose());

  it("a caller who may not edit gets 401 (anonymous, WWW-Authenticate: Bearer) or 403 on every write; nothing is stored", async () => {
    const room = "guarded";
    const readonly = JSON.stringify({ visibility: "readonly", editors: [EDITOR] });
    assert.equal((await as(worker, OWNER, `/live/${room}/permissions`, { method: "PUT", body: readonly })).status, 200);
    assert.equal((await as(worker, EDITOR, `/live/${room}/files/a.ts`, { method: "PUT", body: "// editor\n" })).status, 200);
    const writes: [string, string, string][] = [
      ["PUT", `/live/${room}/files/a.ts`, "// stranger\n"],
      ["POST", `/live/${room}/chat`, JSON.stringify({ text: "hi", model: "gpt-4o-mini", author: "x" })],
      // A bad body is refused for the permission first, as the room always did: a stranger learns nothing about it.
      ["POST", `/live/${room}/chat`, "{not json"],
      ["POST", `/live/${room}/chat/m1/cancel`, ""],
      ["POST", `/live/${room}/chat/m1/undo`, ""],
      ["DELETE", `/live/${room}/chat`, ""],
    ];
    for (const [method, path, body] of writes) {
      const anonymous = await as(worker, null, path, { method, body });
      assert.equal(anonymous.headers.get("www-authenticate"), "Bearer", path);
      assert.deepEqual(await errorOf(anonymous), { status: 401, keys: ["denial", "error", "requestId"], error: "this room is read-only: sign in to edit it", denial: "read-only" }, path);
      const stranger = await as(worker, STRANGER, path, { method, body });
      assert.deepEqual(await errorOf(stranger), { status: 403, keys: ["denial", "error", "requestId"], error: "you may only read this room", denial: "read-only" }, path);
    }
    // Clearing the chat takes more than the right to edit: the room's owner.
    const clear = await as(worker, EDITOR, `/live/${room}/chat`, { method: "DELETE" });
    assert.deepEqual(await errorOf(clear), { status: 403, keys: ["denial", "error", "requestId"], error: "only the room's owner may clear its chat", denial: "owner-only" });

    assert.equal((await as(worker, OWNER, `/live/${room}/permissions`, { method: "PUT", body: JSON.stringify({ visibility: "private" }) })).status, 200);
    const anonymousRead = await as(worker, null, `/live/${room}/session.json`);
    assert.equal(anonymousRead.headers.get("www-authenticate"), "Bearer");
    assert.deepEqual(await errorOf(anonymousRead), { status: 401, keys: ["denial", "error", "requestId"], error: "this room is private: sign in to open it", denial: "private" });
    const strangerRead = await as(worker, STRANGER, `/live/${room}/files/a.ts`);
    assert.deepEqual(await errorOf(strangerRead), { status: 403, keys: ["denial", "error", "requestId"], error: "you are not a member of this private room", denial: "private" });

    const session = (await (await as(worker, OWNER, `/live/${room}/session.json`)).json()) as { files: Record<string, string> };
    assert.deepEqual(session.files, { "a.ts": "// editor\n" });
    const chat = (await (await as(worker, OWNER, `/live/${room}/chat`)).json()) as { messages: unknown[] };
    assert.deepEqual(chat.messages, []);
  });
});

describe("each route spends its own bucket", () => {
  let worker: TestWorker;
  before(async () => {
    worker = await startTestWorker({ vars: { RATE_LIMIT_UPLOAD_PER_MINUTE: "1", RATE_LIMIT_UPLOAD_BURST: "1" } });
  });
  after(() => worker?.dispose());

  it("a question spends the ai bucket only, not the upload bucket as well", async () => {
    const question = JSON.stringify({ text: "hi", model: "no-such-model", author: "x" });
    const ask = () => rawRequest(worker, "/live/buckets/chat", { method: "POST", body: question });
    assert.equal((await ask()).status, 400);
    assert.equal((await ask()).status, 400, "a second question is not refused by the upload bucket");
    const put = () => rawRequest(worker, "/live/buckets/files/a.ts", { method: "PUT", body: "// a\n" });
    assert.equal((await put()).status, 200);
    assert.equal((await put()).status, 429, "the upload bucket itself still counts");
  });
});
