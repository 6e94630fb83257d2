/**
 * Room permissions through the real Worker and CodeRoom, with tokens signed locally the way Clerk signs them: claiming a
 * room, who may read and change its permissions, what a bad PUT leaves behind (nothing), HTTP access by visibility, a
 * read-only client whose edits reach neither storage nor anyone else, grants that follow a change at once, permissions
 * that survive a restart (and keep a private room closed when the keys are gone), and checks that race with a change.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { fileText, readFiles } from "../../core/project.js";
import {
  AuthKind,
  MessageType,
  SyncStep,
  decodeMessage,
  encodeAuthToken,
  encodeSyncStep1,
  type RoomGrant,
} from "../../core/protocol.js";
import {
  closeOpened,
  fetchSession,
  pollSession,
  openRawSocket,
  rawRequest,
  rawSocket,
  sleep,
  startTestWorker,
  waitForConvergence,
  waitUntil,
  type RawSocket,
  type TestClient,
  type TestWorker,
} from "../test-support.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";

const OWNER = "user_owner";
const EDITOR = "user_editor";
const MEMBER = "user_member";
const STRANGER = "user_stranger";

let signer: TestSigner;
const clients: TestClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  closeOpened();
});

/**
 * A stock y-websocket client that sends `Auth/Token` as its first frame when it has a token: its socket class sends the
 * token from an `open` listener registered before the provider's own (ws runs listeners in order).
 */
function joinAs(worker: TestWorker, room: string, token: string | null): TestClient & { denied: string[]; grants: RoomGrant[] } {
  const denied: string[] = [];
  const grants: RoomGrant[] = [];
  class TokenSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      if (token) this.addEventListener("open", () => this.send(encodeAuthToken(token)));
      this.addEventListener("message", ({ data }) => {
        const frame = new Uint8Array(data as ArrayBuffer);
        if (frame[0] !== MessageType.Auth) return;
        const message = decodeMessage(frame);
        if (message.type === MessageType.Auth && message.kind === AuthKind.Granted) grants.push(message.grant);
        if (message.type === MessageType.Auth && message.kind === AuthKind.PermissionDenied) denied.push(message.reason);
      });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(new URL("/live", worker.url).href.replace(/^http/, "ws"), `${room}/ws`, doc, {
    WebSocketPolyfill: TokenSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const client = {
    doc,
    provider,
    denied,
    grants,
    files: () => readFiles(doc),
    synced: (timeoutMs?: number) => waitUntil(() => provider.wsconnected && provider.synced, { timeoutMs, what: `${room} to sync` }),
    destroy() {
      provider.destroy();
      provider.awareness.destroy();
      doc.destroy();
    },
  };
  clients.push(client);
  return client;
}

/** `fetch` on the worker as `user` (null = anonymous). */
async function as(worker: TestWorker, user: string | null, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (user) headers.set("authorization", `Bearer ${await signer.sign({ sub: user })}`);
  return fetch(new URL(path, worker.url), { ...init, headers, signal: AbortSignal.timeout(15_000) });
}

function putPermissions(worker: TestWorker, user: string | null, room: string, body: unknown): Promise<Response> {
  return as(worker, user, `/live/${room}/permissions`, { method: "PUT", body: typeof body === "string" ? body : JSON.stringify(body) });
}

async function getPermissions(worker: TestWorker, user: string | null, room: string): Promise<{ status: number; body: any }> {
  const response = await as(worker, user, `/live/${room}/permissions`);
  return { status: response.status, body: await response.json() };
}

describe("room permissions (sign-in configured)", () => {
  let worker: TestWorker;
  before(async () => {
    signer = await createTestSigner();
    worker = await startTestWorker({ vars: { CLERK_JWT_KEY: signer.publicKeyPem } });
  });
  after(() => worker?.dispose());

  it("the first signed-in PUT claims the room; only the owner reads and changes it afterwards", async () => {
    const room = "claimed";
    // A room nobody wrote to does not exist yet; once it does, anyone reads its (default) permissions until it is claimed.
    assert.equal((await getPermissions(worker, null, room)).status, 404);
    assert.equal((await as(worker, OWNER, `/live/${room}/files/a.ts`, { method: "PUT", body: "// a\n" })).status, 200);
    assert.deepEqual(await getPermissions(worker, null, room), {
      status: 200,
      body: { room, owner: null, visibility: "public", editors: [], members: [] },
    });
    const anonymous = await putPermissions(worker, null, room, { visibility: "private" });
    assert.equal(anonymous.status, 401);
    assert.equal(typeof (await anonymous.json()).error, "string");

    const claimed = await putPermissions(worker, OWNER, room, { visibility: "readonly", editors: [EDITOR, EDITOR] });
    assert.equal(claimed.status, 200);
    const expected = { room, owner: OWNER, visibility: "readonly", editors: [EDITOR], members: [] };
    assert.deepEqual(await claimed.json(), expected);

    assert.equal((await getPermissions(worker, null, room)).status, 401);
    assert.equal((await getPermissions(worker, EDITOR, room)).status, 403);
    assert.equal((await putPermissions(worker, EDITOR, room, { visibility: "public" })).status, 403);
    assert.equal((await putPermissions(worker, null, room, { visibility: "public" })).status, 401);
    assert.deepEqual(await getPermissions(worker, OWNER, room), { status: 200, body: expected });

    // Editors and members left out keep their value.
    const changed = await putPermissions(worker, OWNER, room, { visibility: "private", members: [MEMBER] });
    assert.deepEqual(await changed.json(), { ...expected, visibility: "private", members: [MEMBER] });
  });

  it("bad PUT bodies are 400 (413 over 16 KB, declared or chunked) and change nothing", async () => {
    const room = "validated";
    const good = { visibility: "readonly", editors: [EDITOR], members: [MEMBER] };
    assert.equal((await putPermissions(worker, OWNER, room, good)).status, 200);
    const before = await getPermissions(worker, OWNER, room);
    const bad: Array<[string, unknown]> = [
      ["not JSON", "{visibility: private"],
      ["an array", [good]],
      ["null", "null"],
      ["no visibility", { editors: [] }],
      ["an unknown visibility", { visibility: "secret" }],
      ["an unknown field", { ...good, owner: STRANGER }],
      ["editors not an array", { visibility: "private", editors: EDITOR }],
      ["a number as a user id", { visibility: "private", editors: [EDITOR, 7] }],
      ["an empty user id", { visibility: "private", members: [""] }],
      ["a user id with a space", { visibility: "private", members: ["user x"] }],
      ["a user id of 129 characters", { visibility: "private", members: ["u".repeat(129)] }],
      ["a non-ASCII user id", { visibility: "private", members: ["usér"] }],
      ["101 editors", { visibility: "private", editors: Array.from({ length: 101 }, (_, i) => `user_${i}`) }],
    ];
    for (const [what, body] of bad) {
      const response = await putPermissions(worker, OWNER, room, body);
      assert.equal(response.status, 400, what);
      assert.equal(typeof (await response.json()).error, "string", what);
    }
    const token = await signer.sign({ sub: OWNER });
    const padded = JSON.stringify({ visibility: "public" }) + " ".repeat(16_384);
    assert.equal((await putPermissions(worker, OWNER, room, padded)).status, 413);
    // A body of unknown length (chunked) is counted as it arrives, and refused the same way once it passes 16 KB.
    const chunked = await rawRequest(worker, `/live/${room}/permissions`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "transfer-encoding": "chunked" },
      body: padded,
    });
    assert.equal(chunked.status, 413);
    assert.deepEqual(await getPermissions(worker, OWNER, room), before, "nothing changed");
    // The limits themselves are accepted: 100 editors and 100 members of 128 characters would not fit 16 KB, 100 do.
    const most = { visibility: "readonly", editors: Array.from({ length: 100 }, (_, i) => `u${i}`.padEnd(128, "x")) };
    assert.equal((await putPermissions(worker, OWNER, room, most)).status, 200);
  });

  it("HTTP reads need the right to open the room, writes the right to edit it (401 anonymous, 403 signed in)", async () => {
    const room = "http-access";
    assert.equal((await as(worker, OWNER, `/live/${room}/files/index.tsx`, { method: "PUT", body: "// hi\n" })).status, 200);
    assert.equal((await putPermissions(worker, OWNER, room, { visibility: "readonly", editors: [EDITOR], members: [MEMBER] })).status, 200);
    const put = (user: string | null) => as(worker, user, `/live/${room}/files/index.tsx`, { method: "PUT", body: `// by ${user}\n` });
    assert.equal((await as(worker, null, `/live/${room}/session.json`)).status, 200, "readonly: anyone reads");
    assert.equal((await put(null)).status, 401);
    assert.equal((await put(MEMBER)).status, 403);
    assert.equal((await put(STRANGER)).status, 403);
    assert.equal((await put(EDITOR)).status, 200);
    const chat = (user: string | null) =>
      as(worker, user, `/live/${room}/chat`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: "hi", model: "gpt-4o-mini", author: "x" }),
      });
    assert.equal((await chat(null)).status, 401);
    assert.equal((await chat(MEMBER)).status, 403);

    assert.equal((await putPermissions(worker, OWNER, room, { visibility: "private" })).status, 200);
    for (const path of ["session.json", "index.tsx", "files/index.tsx", "chat", "index.js"]) {
      const anonymous = await as(worker, null, `/live/${room}/${path}`);
      assert.equal(anonymous.status, 401, `anonymous ${path}`);
      assert.doesNotMatch(await anonymous.text(), /by user_editor/, `anonymous ${path}: no content`);
      assert.equal((await as(worker, STRANGER, `/live/${room}/${path}`)).status, 403, `stranger ${path}`);
    }
    const session = await as(worker, MEMBER, `/live/${room}/session.json`);
    assert.equal(session.status, 200);
    assert.equal((await session.json()).files["index.tsx"], `// by ${EDITOR}\n`);
    assert.equal((await put(MEMBER)).status, 403);
  });

  it("a read-only client's edits reach neither storage nor other clients; it still watches, and is told once", async () => {
    const room = "watched";
    assert.equal((await putPermissions(worker, OWNER, room, { visibility: "readonly", editors: [EDITOR] })).status, 200);
    const editor = joinAs(worker, room, await signer.sign({ sub: EDITOR }));
    const viewer = joinAs(worker, room, null);
    const other = joinAs(worker, room, null);
    await Promise.all([editor.synced(), viewer.synced(), other.synced()]);
    await waitUntil(() => editor.grants.at(-1)?.role === "editor", { what: "the editor's grant" });
    assert.deepEqual(viewer.grants, [{ role: "viewer", userId: null, visibility: "readonly", expiresAt: null }]);

    fileText(editor.doc, "index.tsx").insert(0, "// from the editor\n");
    await waitUntil(() => viewer.files()["index.tsx"] === "// from the editor\n", { what: "the viewer to watch the edit" });
    fileText(viewer.doc, "index.tsx").insert(0, "// from a viewer\n");
    fileText(viewer.doc, "evil.ts").insert(0, "// planted\n");
    await waitUntil(() => viewer.denied.length > 0, { what: "the permission-denied message" });
    assert.match(viewer.denied[0]!, /read-only/);
    fileText(editor.doc, "index.tsx").insert(0, "// later\n");
    await waitUntil(() => other.files()["index.tsx"] === "// later\n// from the editor\n", { what: "the later edit" });
    await sleep(200);
    assert.deepEqual(other.files(), { "index.tsx": "// later\n// from the editor\n" }, "the other client never saw the viewer's edit");
    assert.deepEqual(editor.files(), other.files());
    assert.deepEqual((await fetchSession(worker, room)).files, other.files(), "nor did storage");
    assert.equal(viewer.denied.length, 1, "told once");
  });

  it("a permission change applies at once: new grants, writes allowed or dropped, anonymous sockets of a now private room closed", async () => {
    const room = "regranted";
    assert.equal((await putPermissions(worker, OWNER, room, { visibility: "readonly" })).status, 200);
    const anonymous = joinAs(worker, room, null);
    const member = await rawSocket(worker, room);
    member.ws.send(encodeAuthToken(await signer.sign({ sub: MEMBER })));
    await anonymous.synced();
    await waitUntil(() => grantsOf(member).some((grant) => grant.userId === MEMBER), { what: "the member's grant" });

    assert.equal((await putPermissions(worker, OWNER, room, { visibility: "public" })).status, 200);
    await waitUntil(() => anonymous.grants.at(-1)?.role === "editor", { what: "the anonymous editor grant" });
    fileText(anonymous.doc, "index.tsx").insert(0, "// public now\n");
    await waitUntil(async () => (await pollSession(worker, room))?.files["index.tsx"] === "// public now\n", { what: "the write" });

    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      anonymous.provider.once("connection-close", (event: { code: number; reason: string } | null) => resolve(event!)),
    );
    assert.equal((await putPermissions(worker, OWNER, room, { visibility: "private", members: [MEMBER] })).status, 200);
    const event = await closed;
    assert.equal(event.code, 4401);
    await waitUntil(() => grantsOf(member).some((grant) => grant.visibility === "private" && grant.role === "viewer"), {
      what: "the member's private grant",
    });
    assert.equal(member.ws.readyState, WebSocket.OPEN, "the member stays");

    assert.equal((await putPermissions(worker, OWNER, room, { visibility: "private", members: [] })).status, 200);
    const memberClosed = await member.closed;
    assert.equal(memberClosed.code, 4403);
  });
});

function grantsOf(socket: RawSocket): RoomGrant[] {
  return socket.frames.flatMap((frame) => {
    const message = decodeMessage(frame);
    return message.type === MessageType.Auth && message.kind === AuthKind.Granted ? [message.grant] : [];
  });
}

describe("room permissions without sign-in configured", () => {
  let worker: TestWorker;
  before(async () => {
    signer ??= await createTestSigner();
    worker = await startTestWorker();
  });
  after(() => worker?.dispose());

  it("PUT is 501 with what to set; GET answers the public defaults; every room stays open", async () => {
    const response = await putPermissions(worker, null, "no-auth", { visibility: "private" });
    assert.equal(response.status, 501);
    assert.match((await response.json()).error, /CLERK_JWT_KEY/);
    assert.equal((await as(worker, null, "/live/no-auth/files/a.ts", { method: "PUT", body: "// ok\n" })).status, 200);
    assert.deepEqual((await getPermissions(worker, null, "no-auth")).body.visibility, "public");
  });
});

describe("room permissions across a restart", () => {
  let dir: string;
  let worker: TestWorker | undefined;
  before(async () => {
    signer ??= await createTestSigner();
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
    signer ??= await createTestSigner();
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
