/**
 * Agent tokens through the real Worker and CodeRoom in workerd: the owner creates, lists and revokes them over HTTP; they
 * are kept only as SHA-256 (the token is nowhere in the room's files on disk); and a token acts in its room exactly by its
 * scope, through the room's own checks, as `/mcp` uses it (workers/test-agent-tokens adds the one test route that does
 * what `/mcp` does: check the token with `agentIdentity`, then make a room call as that identity). A read token cannot
 * write, a revoked token is a 401, a token of room A is nobody in room B, tokens survive a restart of the room, and bad
 * requests change nothing.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { AgentTokenCreated, AgentTokenList } from "../../core/api.js";
import { agentTokenRoom, hashAgentToken } from "../platform/agent-tokens.js";
import { MEMBER, OWNER, STRANGER, as, putPermissions, sharedSigner } from "../../test-support/permissions.js";
import { startTestWorker, uniqueRooms, type TestWorker } from "../test-support.js";

const ENTRYPOINT = "workers/test-agent-tokens/index.ts";
let worker: TestWorker;
let persistDir: string;
const rooms = uniqueRooms("agent-tokens");

before(async () => {
  persistDir = await mkdtemp(join(tmpdir(), "spike-agent-tokens-"));
  const signer = await sharedSigner();
  worker = await startTestWorker({ entrypoint: ENTRYPOINT, persistDir, vars: { CLERK_JWT_KEY: signer.publicKeyPem } });
});
after(async () => {
  await worker?.dispose();
  await rm(persistDir, { recursive: true, force: true });
});

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  return JSON.parse(text) as T;
}

/** A room `user` created (with index.tsx) and, when `visibility` is given, claimed with it. */
async function roomOf(user: string | null, visibility?: "public" | "readonly" | "private", members: string[] = []): Promise<string> {
  const room = rooms();
  await json(await as(worker, user, `/live/${room}/files/index.tsx`, { method: "PUT", body: "export default () => <p>hi</p>;\n" }), 200);
  if (visibility) await json(await putPermissions(worker, user, room, { visibility, members }), 200);
  return room;
}

function create(user: string | null, room: string, body: unknown): Promise<Response> {
  return as(worker, user, `/live/${room}/agent-tokens`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });
}

async function list(user: string | null, room: string): Promise<AgentTokenList> {
  return json<AgentTokenList>(await as(worker, user, `/live/${room}/agent-tokens`), 200);
}

/** What `/mcp` would do with `token`: check it with its room, then make `call` on `room` as the identity it got. */
async function asAgent(token: string, room: string, call: string, ...args: unknown[]): Promise<{ step: string; status: number; value?: any; error?: string }> {
  const response = await fetch(new URL("/api/test-agent", worker.url), { method: "POST", body: JSON.stringify({ token, room, call, args }) });
  return json(response, 200);
}

const body = (text: string) => ({ ok: true, value: { text, bytes: new TextEncoder().encode(text).byteLength } });

async function session(room: string): Promise<Record<string, string>> {
  return (await json<{ files: Record<string, string> }>(await as(worker, OWNER, `/live/${room}/session.json`), 200)).files;
}

describe("agent tokens", () => {
  it("the owner creates a token (shown once), lists tokens without secrets and revokes one, which then opens nothing", async () => {
    const room = await roomOf(OWNER, "private");
    const created = await json<AgentTokenCreated>(await create(OWNER, room, { scope: "edit", name: "  Claude (MCP) " }), 201);
    assert.match(created.token, /^sat1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    assert.equal(agentTokenRoom(created.token), room);
    assert.match(created.id, /^[A-Za-z0-9_-]{16}$/);
    assert.deepEqual({ ...created, token: "", id: "", createdAt: "" }, { token: "", id: "", createdAt: "", name: "Claude (MCP)", scope: "edit", createdBy: OWNER, room });
    const unnamed = await json<AgentTokenCreated>(await create(OWNER, room, { scope: "read" }), 201);
    assert.equal(unnamed.name, "AI agent");

    const listed = await list(OWNER, room);
    assert.deepEqual(listed.tokens.map((token) => [token.id, token.name, token.scope]), [[created.id, "Claude (MCP)", "edit"], [unnamed.id, "AI agent", "read"]]);
    const text = JSON.stringify(listed);
    assert.ok(!text.includes(created.token.split(".")[2]!) && !text.includes(await hashAgentToken(created.token)), "no secret or hash is listed");

    const identity = await asAgent(created.token, room, "session");
    assert.equal(identity.status, 200, identity.error);
    assert.equal(identity.value.files["index.tsx"], "export default () => <p>hi</p>;\n", "an edit token opens its private room");

    // Every check of the room knows the token's user: an identity held from before the revocation (here as a signed-in
    // user id, the way each HTTP route hands it to the room) writes until the token is revoked, and nothing after.
    const held = `agent:${created.id}`;
    await json(await as(worker, held, `/live/${room}/files/held.ts`, { method: "PUT", body: "export const held = 1;\n" }), 200);

    assert.deepEqual(await json(await as(worker, OWNER, `/live/${room}/agent-tokens/${created.id}`, { method: "DELETE" }), 200), { id: created.id, revoked: true });
    await json(await as(worker, held, `/live/${room}/files/held.ts`, { method: "PUT", body: "after" }), 403);
    await json(await as(worker, held, `/live/${room}/session.json`), 403);
    assert.equal((await session(room))["held.ts"], "export const held = 1;\n");
    assert.deepEqual((await list(OWNER, room)).tokens.map((token) => token.id), [unnamed.id]);
    const revoked = await asAgent(created.token, room, "session");
    assert.deepEqual([revoked.step, revoked.status, revoked.error], ["identity", 401, "unknown or revoked agent token"]);
    await json(await as(worker, OWNER, `/live/${room}/agent-tokens/${created.id}`, { method: "DELETE" }), 404);
  });

  it("keeps only the token's SHA-256: the token is nowhere in the room's storage on disk", async () => {
    const room = await roomOf(OWNER, "public");
    const created = await json<AgentTokenCreated>(await create(OWNER, room, { scope: "edit" }), 201);
    // Make sure what the room wrote has reached its files: another write, and a read of the tokens.
    await json(await as(worker, OWNER, `/live/${room}/files/b.ts`, { method: "PUT", body: "export const b = 1;\n" }), 200);
    await list(OWNER, room);
    const contents = await filesUnder(persistDir);
    const secret = created.token.split(".")[2]!;
    const hash = await hashAgentToken(created.token);
    assert.ok(contents.some((bytes) => bytes.includes(Buffer.from(hash))), "the hash is in the room's storage (the right files were read)");
    assert.ok(!contents.some((bytes) => bytes.includes(Buffer.from(secret))), "the token's secret is not stored");
  });

  it("a token acts by its scope through the room's checks: read reads, edit writes, neither manages tokens", async () => {
    const room = await roomOf(OWNER, "private", [MEMBER]);
    const reader = await json<AgentTokenCreated>(await create(OWNER, room, { scope: "read" }), 201);
    const editor = await json<AgentTokenCreated>(await create(OWNER, room, { scope: "edit" }), 201);

    assert.equal((await asAgent(reader.token, room, "readFile", "index.tsx")).status, 200);
    for (const [call, ...args] of [["writeFile", "index.tsx", body("hacked")], ["saveVersion", { ok: true, value: { name: null, author: null } }], ["clearChat"]] as const) {
      const refused = await asAgent(reader.token, room, call, ...args);
      assert.deepEqual([call, refused.status, refused.error], [call, 403, "you may only read this room"]);
    }
    assert.equal((await session(room))["index.tsx"], "export default () => <p>hi</p>;\n", "the read token changed nothing");

    const wrote = await asAgent(editor.token, room, "writeFile", "agent.ts", body("export const x = 1;\n"));
    assert.equal(wrote.status, 200, wrote.error);
    assert.equal((await session(room))["agent.ts"], "export const x = 1;\n");

    for (const token of [reader.token, editor.token]) {
      const minted = await asAgent(token, room, "createAgentToken", { ok: true, value: { name: "more", scope: "edit" } });
      assert.deepEqual([minted.status, minted.error], [403, "an agent token cannot manage agent tokens"]);
      assert.equal((await asAgent(token, room, "agentTokens")).status, 403);
    }
    assert.equal((await list(OWNER, room)).tokens.length, 2);
  });

  it("a token of room A is nobody in room B, even where B lets anyone edit; a forged token naming B is unknown", async () => {
    const a = await roomOf(OWNER, "private");
    const b = await roomOf(null); // public, nobody owns it: anyone edits
    const token = (await json<AgentTokenCreated>(await create(OWNER, a, { scope: "edit" }), 201)).token;
    for (const [call, ...args] of [["session"], ["readFile", "index.tsx"], ["writeFile", "index.tsx", body("hacked")]] as const) {
      const refused = await asAgent(token, b, call, ...args);
      assert.deepEqual([call, refused.step, refused.status], [call, "call", 403]);
    }
    const forged = `sat1.${Buffer.from(b).toString("base64url")}.${token.split(".")[2]}`;
    assert.deepEqual(await asAgent(forged, b, "session").then((r) => [r.step, r.status]), ["identity", 401]);
    assert.equal((await session(b))["index.tsx"], "export default () => <p>hi</p>;\n");
  });

  it("only the owner manages tokens (anyone who may edit a room nobody owns); a missing room is a 404", async () => {
    const room = await roomOf(OWNER, "readonly", [MEMBER]);
    for (const [user, status] of [[null, 401], [STRANGER, 403], [MEMBER, 403]] as const) {
      await json(await create(user, room, { scope: "edit" }), status);
      await json(await as(worker, user, `/live/${room}/agent-tokens`), status);
      await json(await as(worker, user, `/live/${room}/agent-tokens/AAAAAAAAAAAAAAAA`, { method: "DELETE" }), status);
    }
    assert.equal((await list(OWNER, room)).tokens.length, 0);
    const unowned = await roomOf(null);
    const anonymous = await json<AgentTokenCreated>(await create(null, unowned, { scope: "read" }), 201);
    assert.equal(anonymous.createdBy, null);
    await json(await create(OWNER, rooms(), { scope: "read" }), 404);
  });

  it("keeps live tokens, their scopes and revocations across a restart of the room", async () => {
    const room = await roomOf(OWNER, "private");
    const reader = await json<AgentTokenCreated>(await create(OWNER, room, { scope: "read", name: "reader" }), 201);
    const gone = await json<AgentTokenCreated>(await create(OWNER, room, { scope: "edit" }), 201);
    await json(await as(worker, OWNER, `/live/${room}/agent-tokens/${gone.id}`, { method: "DELETE" }), 200);

    await worker.dispose();
    worker = await startTestWorker({ entrypoint: ENTRYPOINT, persistDir, vars: { CLERK_JWT_KEY: (await sharedSigner()).publicKeyPem } });

    assert.deepEqual((await list(OWNER, room)).tokens.map((token) => [token.id, token.name, token.scope]), [[reader.id, "reader", "read"]]);
    assert.equal((await asAgent(reader.token, room, "readFile", "index.tsx")).status, 200);
    assert.equal((await asAgent(reader.token, room, "writeFile", "index.tsx", body("hacked"))).status, 403);
    assert.deepEqual(await asAgent(gone.token, room, "session").then((r) => [r.step, r.status]), ["identity", 401]);
  });

  it("refuses bad requests with a clear 4xx and stores nothing", async () => {
    const room = await roomOf(OWNER, "public");
    const refusals: [unknown, number, RegExp][] = [
      ["not json", 400, /must be JSON/],
      [[], 400, /JSON object/],
      [{ scope: "admin" }, 400, /scope must be "read" or "edit"/],
      [{}, 400, /scope must be/],
      [{ scope: "edit", name: "x".repeat(61) }, 400, /1-60 characters/],
      [{ scope: "edit", name: "   " }, 400, /1-60 characters/],
      [{ scope: "edit", name: "a\nb" }, 400, /control characters/],
      [{ scope: "edit", owner: "me" }, 400, /unknown field "owner"/],
      [{ scope: "edit", name: "y".repeat(2000) }, 413, /./],
    ];
    for (const [input, status, error] of refusals) {
      const answer = await json<{ error: string }>(await create(OWNER, room, input), status);
      assert.match(answer.error, error, JSON.stringify(input).slice(0, 80));
    }
    await json(await as(worker, OWNER, `/live/${room}/agent-tokens/not-an-id`, { method: "DELETE" }), 400);
    await json(await as(worker, OWNER, `/live/${room}/agent-tokens`, { method: "PUT" }), 405);
    assert.equal((await list(OWNER, room)).tokens.length, 0);

    const made = [];
    for (let i = 0; i < 18; i++) made.push(await json<AgentTokenCreated>(await create(OWNER, room, { scope: "read", name: `agent ${i}` }), 201));
    // Three at once for the last two places: two get them.
    const racing = await Promise.all([0, 1, 2].map(() => create(OWNER, room, { scope: "edit" })));
    assert.deepEqual(racing.map((response) => response.status).sort(), [201, 201, 409]);
    assert.equal((await list(OWNER, room)).tokens.length, 20);
    assert.match((await json<{ error: string }>(await create(OWNER, room, { scope: "read" }), 409)).error, /20 agent tokens already/);
    await json(await as(worker, OWNER, `/live/${room}/agent-tokens/${made[0]!.id}`, { method: "DELETE" }), 200);
    await json(await create(OWNER, room, { scope: "read" }), 201);
  });
});

/** Every file under `dir`, read whole. */
async function filesUnder(dir: string): Promise<Buffer[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(entries.filter((entry) => entry.isFile()).map((entry) => readFile(join(entry.parentPath, entry.name))));
}
