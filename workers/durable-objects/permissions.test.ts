/**
 * Room permissions through the real Worker and CodeRoom, with tokens signed locally the way Clerk signs them: claiming a
 * room, who may read and change its permissions, what a bad PUT leaves behind (nothing), HTTP access by visibility, a
 * read-only client whose edits reach neither storage nor anyone else, grants that follow a change at once. Permissions
 * that survive a restart, and checks that race with a change: permissions-restart.test.ts.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import WebSocket from "ws";
import { fileText } from "../../core/project.js";
import { encodeAuthToken } from "../../core/protocol.js";
import {
  closeOpened,
  fetchSession,
  pollSession,
  rawRequest,
  rawSocket,
  sleep,
  startTestWorker,
  waitUntil,
  type TestWorker,
} from "../test-support.js";
import type { TestSigner } from "../test-tokens.js";
import {
  EDITOR,
  MEMBER,
  OWNER,
  STRANGER,
  as,
  destroyClients,
  getPermissions,
  grantsOf,
  joinAs,
  putPermissions,
  sharedSigner,
} from "../../test-support/permissions.js";

let signer: TestSigner;
afterEach(() => {
  destroyClients();
  closeOpened();
});

describe("room permissions (sign-in configured)", () => {
  let worker: TestWorker;
  before(async () => {
    signer = await sharedSigner();
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

describe("room permissions without sign-in configured", () => {
  let worker: TestWorker;
  before(async () => {
    signer ??= await sharedSigner();
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
