/**
 * `POST /live/<room>/fork` through the real Worker and CodeRoom, with sign-in configured (tokens signed locally the way
 * Clerk signs them): an anonymous reader forks a read-only template into a public room of their own with an unguessable id
 * that says where it came from; a signed-in caller owns their (private) fork; forks of rooms or versions that do not exist,
 * bad bodies and callers who may not read the template are refused and create nothing; the room-creation limit applies.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestWorker, type TestWorker } from "../test-support.js";
import { OWNER, STRANGER, as, getPermissions, putPermissions, sharedSigner } from "../../test-support/permissions.js";

let worker: TestWorker;
before(async () => {
  const signer = await sharedSigner();
  // Two new rooms a minute per address: each test forks from an address of its own.
  worker = await startTestWorker({
    vars: { CLERK_JWT_KEY: signer.publicKeyPem, RATE_LIMIT_CREATE_PER_MINUTE: "1", RATE_LIMIT_CREATE_BURST: "2" },
  });
});
after(() => worker?.dispose());

const TEMPLATE_FILES = { "index.tsx": 'import { greet } from "./greet";\nexport default () => <h1>{greet()}</h1>;\n', "greet.ts": 'export const greet = () => "hello";\n' };

/** A read-only template owned by a user of its own (the creation limit counts per user too), created from `ip`. */
async function template(room: string, ip: string, visibility: "readonly" | "private" = "readonly"): Promise<void> {
  const owner = `${OWNER}_${room}`;
  for (const [name, text] of Object.entries(TEMPLATE_FILES)) {
    const put = await as(worker, owner, `/live/${room}/files/${name}`, { method: "PUT", body: text, headers: { "cf-connecting-ip": ip } });
    assert.equal(put.status, 200, await put.text());
  }
  assert.equal((await putPermissions(worker, owner, room, { visibility })).status, 200);
}

function fork(room: string, user: string | null, ip: string, body?: string): Promise<Response> {
  return as(worker, user, `/live/${room}/fork`, { method: "POST", headers: { "cf-connecting-ip": ip }, ...(body === undefined ? {} : { body }) });
}

async function session(room: string, user: string | null = null): Promise<{ status: number; body: any }> {
  const response = await as(worker, user, `/live/${room}/session.json`);
  return { status: response.status, body: await response.json() };
}

describe("POST /live/<room>/fork", () => {
  it("an anonymous reader forks a read-only template: a public room with an unguessable id and the template's files, which says where it came from; the template is unchanged", async () => {
    await template("tpl-anon", "198.51.100.1");
    const response = await fork("tpl-anon", null, "198.51.100.2");
    assert.equal(response.status, 201);
    const created = (await response.json()) as { room: string; forkedFrom: unknown; claimToken?: string };
    assert.match(created.room, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(created.forkedFrom, { room: "tpl-anon", version: null });
    assert.equal(typeof created.claimToken, "string", "an anonymous fork comes with the token to claim it after signing in");

    const forked = await session(created.room);
    assert.equal(forked.status, 200);
    assert.deepEqual(forked.body.files, TEMPLATE_FILES);
    assert.deepEqual(forked.body.forkedFrom, { room: "tpl-anon", version: null });

    // The fork is anyone's to edit; the template still is not, and keeps its text.
    const edit = await as(worker, null, `/live/${created.room}/files/greet.ts`, { method: "PUT", body: 'export const greet = () => "mine";\n' });
    assert.equal(edit.status, 200);
    assert.equal((await as(worker, null, `/live/tpl-anon/files/greet.ts`, { method: "PUT", body: "// vandal\n" })).status, 401);
    const original = await session("tpl-anon");
    assert.deepEqual(original.body.files, TEMPLATE_FILES);
    assert.equal(original.body.forkedFrom, undefined, "a room that is no fork has no forkedFrom");

    // Two forks of one template are two rooms.
    const second = (await (await fork("tpl-anon", null, "198.51.100.2")).json()) as { room: string };
    assert.notEqual(second.room, created.room);
    assert.deepEqual((await session(second.room)).body.files, TEMPLATE_FILES);
  });

  it("a signed-in caller owns their fork, which is private until they share it", async () => {
    await template("tpl-signed", "198.51.100.3");
    const response = await fork("tpl-signed", STRANGER, "198.51.100.4", "{}");
    assert.equal(response.status, 201);
    const created = (await response.json()) as { room: string; claimToken?: string };
    assert.equal(created.claimToken, undefined);
    const permissions = await getPermissions(worker, STRANGER, created.room);
    assert.deepEqual(permissions.body, { room: created.room, owner: STRANGER, visibility: "private", editors: [], members: [] });
    assert.equal((await session(created.room)).status, 401, "anonymous readers may not open a private fork");
    const mine = await session(created.room, STRANGER);
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.files, TEMPLATE_FILES);
    const edit = await as(worker, STRANGER, `/live/${created.room}/files/index.tsx`, { method: "PUT", body: "export default () => null;\n" });
    assert.equal(edit.status, 200);
  });

  it("forks of a room nobody wrote to, of a version the room does not have, of a private room by a stranger, and bad bodies are refused", async () => {
    const ip = "198.51.100.5";
    await template("tpl-private", "198.51.100.6", "private");
    await template("tpl-bad", "198.51.100.6");
    const refusals: [string, string | undefined, string | null, number, RegExp][] = [
      ["never-written", undefined, null, 404, /no room "never-written"/],
      ["tpl-bad", '{"version":7}', null, 404, /room "tpl-bad" has no version 7/],
      ["tpl-private", undefined, null, 401, /private: sign in/],
      ["tpl-private", undefined, STRANGER, 403, /not a member/],
      ["tpl-bad", "not json", null, 400, /must be JSON/],
      ["tpl-bad", "[1]", null, 400, /JSON object/],
      ["tpl-bad", '{"version":0}', null, 400, /positive integer/],
      ["tpl-bad", '{"version":1.5}', null, 400, /positive integer/],
      ["tpl-bad", '{"version":"2"}', null, 400, /positive integer/],
      ["tpl-bad", '{"room":"x"}', null, 400, /unknown field "room"/],
      ["tpl-bad", JSON.stringify({ version: 1, pad: "x".repeat(2000) }), null, 413, /fork request/],
      ["bad.id", undefined, null, 400, /room/],
    ];
    for (const [room, body, user, status, error] of refusals) {
      const response = await fork(room, user, ip, body);
      assert.equal(response.status, status, `${room} ${body}`);
      assert.match(((await response.json()) as { error: string }).error, error, `${room} ${body}`);
    }
    const wrongMethod = await as(worker, null, "/live/tpl-bad/fork");
    assert.equal(wrongMethod.status, 405);
    // None of those took a room-creation token: this address may still create its two rooms.
    assert.equal((await fork("tpl-bad", null, ip)).status, 201);
    assert.equal((await fork("tpl-bad", null, ip)).status, 201);
  });

  it("the room-creation limit applies to forks: over it, a 429 with Retry-After, and no room", async () => {
    await template("tpl-limit", "198.51.100.7");
    const ip = "198.51.100.8";
    assert.equal((await fork("tpl-limit", null, ip)).status, 201);
    assert.equal((await fork("tpl-limit", null, ip)).status, 201);
    const over = await fork("tpl-limit", null, ip);
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers.get("retry-after")) >= 1);
    assert.match(((await over.json()) as { error: string }).error, /too many new rooms/);
    // Another address is not held back by this one.
    assert.equal((await fork("tpl-limit", null, "198.51.100.9")).status, 201);
  });
});
