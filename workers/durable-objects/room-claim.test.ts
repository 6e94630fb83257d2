/**
 * Claiming a room through the real Worker and CodeRoom with sign-in configured: a stranger who signs in cannot claim a room
 * that holds other people's work (and lock its authors out); the page that created the room gets a claim token and may
 * claim it later; a room created by a signed-in user is that user's to claim; an operator may claim any room.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import WebSocket from "ws";
import { fileText, writeFile } from "../../core/project.js";
import { RoomClient, type WebSocketConstructor } from "../../core/room-client.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";
import { closeOpened, fetchSession, joinRoom, startTestWorker, waitUntil, type TestClient, type TestWorker } from "../test-support.js";

const WS = WebSocket as unknown as WebSocketConstructor;
const OWNER = "user_author";
const STRANGER = "user_stranger";
const OPERATOR = "user_operator";

let worker: TestWorker;
let signer: TestSigner;
const roomClients: RoomClient[] = [];

before(async () => {
  signer = await createTestSigner();
  worker = await startTestWorker({ vars: { CLERK_JWT_KEY: signer.publicKeyPem, ADMIN_USER_IDS: OPERATOR } });
});
after(() => worker?.dispose());
afterEach(() => {
  closeOpened();
  for (const client of roomClients.splice(0)) client.destroy();
});

const stockClient = (room: string): TestClient => joinRoom(worker, room);

function roomClient(room: string, userId?: string): RoomClient {
  const client = new RoomClient({
    server: worker.url.origin,
    room,
    WebSocket: WS,
    getToken: userId ? () => signer.sign({ sub: userId }) : null,
  });
  roomClients.push(client);
  return client;
}

async function claim(room: string, userId: string | null, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (userId) headers.authorization = `Bearer ${await signer.sign({ sub: userId })}`;
  const response = await fetch(new URL(`/live/${room}/permissions`, worker.url), { method: "PUT", headers, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe("claiming a room", () => {
  it("a stranger who signs in cannot claim a room holding others' work: 403, and its authors keep their sockets and their edits", async () => {
    const room = "authored-anonymously";
    const [author, coauthor] = [stockClient(room), stockClient(room)];
    await Promise.all([author.synced(), coauthor.synced()]);
    writeFile(author.doc, "index.tsx", "// the author's work\n");
    await waitUntil(() => coauthor.files()["index.tsx"] === "// the author's work\n", { what: "the co-author to see it" });

    const takeover = await claim(room, STRANGER, { visibility: "private" });
    assert.equal(takeover.status, 403);
    assert.match(String(takeover.json.error), /only its creator can claim it/);
    // A claim token that is not the room's does not help either.
    const guessed = await claim(room, STRANGER, { visibility: "private", claimToken: "A".repeat(43) });
    assert.equal(guessed.status, 403);
    const malformed = await claim(room, STRANGER, { visibility: "private", claimToken: 42 });
    assert.equal(malformed.status, 400);

    // Nothing changed: the room is unowned and public, its authors are still connected and still edit.
    const permissions = await (await fetch(new URL(`/live/${room}/permissions`, worker.url))).json();
    assert.deepEqual(permissions, { room, owner: null, visibility: "public", editors: [], members: [] });
    assert.ok(author.provider.wsconnected && coauthor.provider.wsconnected);
    fileText(coauthor.doc, "index.tsx").insert(0, "// still ours\n");
    await waitUntil(() => author.files()["index.tsx"] === "// still ours\n// the author's work\n", { what: "the edit to arrive" });
    assert.equal((await fetchSession(worker, room)).files["index.tsx"], "// still ours\n// the author's work\n");
  });

  it("the page that created a room gets a claim token, and with it claims the room later although others edited it", async () => {
    const room = "created-by-this-page";
    const creator = roomClient(room);
    const tokens: string[] = [];
    creator.on("claim", (token: string) => tokens.push(token));
    await creator.whenSynced();
    assert.equal(creator.claimToken, null, "no token before the room exists");
    writeFile(creator.doc, "index.tsx", "// mine\n");
    await waitUntil(() => creator.claimToken !== null, { what: "the claim token" });
    assert.deepEqual(tokens, [creator.claimToken]);

    // Someone else joins and edits; that makes them no creator.
    const visitor = roomClient(room);
    await visitor.whenSynced();
    fileText(visitor.doc, "index.tsx").insert(0, "// a visitor was here\n");
    await waitUntil(async () => (await fetchSession(worker, room)).files["index.tsx"]?.startsWith("// a visitor") ?? false, {
      what: "the visitor's edit to be stored",
    });
    assert.equal(visitor.claimToken, null, "only the connection whose write created the room gets the token");

    // The creator signs in later (any account) and claims with the token; the token then has done its job.
    const claimed = await claim(room, OWNER, { visibility: "readonly", claimToken: creator.claimToken });
    assert.equal(claimed.status, 200, JSON.stringify(claimed.json));
    assert.equal(claimed.json.owner, OWNER);
    const again = await claim(room, STRANGER, { visibility: "public", claimToken: creator.claimToken });
    assert.equal(again.status, 403, "the room has an owner now");
  });

  it("a room created while signed in is its creator's to claim, without a token; nobody else's", async () => {
    const room = "created-signed-in";
    const creator = roomClient(room, OWNER);
    await creator.whenSynced();
    writeFile(creator.doc, "index.tsx", "// signed in\n");
    await waitUntil(() => creator.claimToken !== null, { what: "the room to be created" });
    assert.equal((await claim(room, STRANGER, { visibility: "private" })).status, 403);
    const claimed = await claim(room, OWNER, { visibility: "private" });
    assert.equal(claimed.status, 200);
    assert.equal(claimed.json.owner, OWNER);
  });

  it("a file PUT that creates a room answers with its claim token; an operator may claim any unowned room", async () => {
    const room = "created-over-http";
    const put = await fetch(new URL(`/live/${room}/files/index.tsx`, worker.url), { method: "PUT", body: "// headless\n" });
    assert.equal(put.status, 200);
    const { claimToken } = (await put.json()) as { claimToken?: string };
    assert.match(claimToken ?? "", /^[A-Za-z0-9_-]{43}$/);
    const second = await fetch(new URL(`/live/${room}/files/b.ts`, worker.url), { method: "PUT", body: "// b\n" });
    assert.equal(((await second.json()) as { claimToken?: string }).claimToken, undefined, "only the creating write gets one");
    assert.equal((await claim(room, OWNER, { visibility: "public", claimToken })).status, 200);

    const other = "operated";
    assert.equal((await fetch(new URL(`/live/${other}/files/a.ts`, worker.url), { method: "PUT", body: "// a\n" })).status, 200);
    assert.equal((await claim(other, STRANGER, { visibility: "readonly" })).status, 403);
    const operated = await claim(other, OPERATOR, { visibility: "readonly" });
    assert.equal(operated.status, 200);
    assert.equal(operated.json.owner, OPERATOR);
  });

  it("a room nobody wrote to yet is claimed by its first signed-in PUT, which creates it", async () => {
    const claimed = await claim("brand-new", OWNER, { visibility: "private" });
    assert.equal(claimed.status, 200);
    assert.equal(claimed.json.owner, OWNER);
  });
});
