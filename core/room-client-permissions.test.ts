/**
 * RoomClient against the real CodeRoom with sign-in configured (tokens signed locally, CLERK_JWT_KEY = the test key):
 * a private room refuses anonymous and non-member clients and lets a member in after `setTokenSource`; a readonly room
 * makes an anonymous client a viewer whose edits are refused and never stored; a short-lived token is refreshed in place.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import { createTestSigner, type TestSigner } from "../workers/test-tokens.js";
import { startTestWorker, until, type TestWorker } from "../workers/test-support.js";
import { fileText, readFiles } from "./project.js";
import { RoomClient, type WebSocketConstructor } from "./room-client.js";

const WS = WebSocket as unknown as WebSocketConstructor;

describe("RoomClient with room permissions", () => {
  let worker: TestWorker;
  let signer: TestSigner;
  let server: string;
  const clients: RoomClient[] = [];
  const client = (options: Partial<ConstructorParameters<typeof RoomClient>[0]> & { room: string }) => {
    const c = new RoomClient({ server, WebSocket: WS, minBackoffMs: 20, maxBackoffMs: 100, ...options });
    clients.push(c);
    return c;
  };

  before(async () => {
    signer = await createTestSigner();
    worker = await startTestWorker({ vars: { CLERK_JWT_KEY: signer.publicKeyPem } });
    server = worker.url.origin;
  });

  after(async () => {
    for (const c of clients) c.destroy();
    await worker?.dispose();
  });

  async function setPermissions(room: string, body: object): Promise<void> {
    const response = await fetch(`${server}/live/${room}/permissions`, {
      method: "PUT",
      headers: { authorization: `Bearer ${await signer.sign({ sub: "user_owner" })}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, await response.text());
  }

  async function storedText(room: string): Promise<string | undefined> {
    const response = await fetch(`${server}/live/${room}/session.json`, {
      headers: { authorization: `Bearer ${await signer.sign({ sub: "user_owner" })}` },
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { files: Record<string, string> }).files["index.tsx"];
  }

  test("private room: anonymous gets 4401 and no data, a non-member 4403, a member syncs after setTokenSource", async () => {
    const room = "client-private";
    const owner = client({ room, getToken: () => signer.sign({ sub: "user_owner" }) });
    await owner.whenSynced();
    await setPermissions(room, { visibility: "private", editors: ["user_editor"], members: ["user_member"] });
    fileText(owner.doc, "index.tsx").insert(0, "secret");
    await until(() => owner.role === "owner", "owner grant");
    await until(() => false, "settle", 300).catch(() => {});

    const anonymous = client({ room });
    const refused = await new Promise<{ code: number; reason: string }>((resolve) => anonymous.on("closed", resolve));
    assert.equal(refused.code, 4401);
    assert.equal(anonymous.synced, false);
    assert.deepEqual(readFiles(anonymous.doc), {}, "nothing of the room reached the anonymous client");

    const stranger = client({ room, getToken: () => signer.sign({ sub: "user_stranger" }) });
    assert.equal((await new Promise<{ code: number }>((resolve) => stranger.on("closed", resolve))).code, 4403);
    assert.deepEqual(readFiles(stranger.doc), {});

    anonymous.setTokenSource(() => signer.sign({ sub: "user_editor" }));
    await anonymous.whenSynced();
    assert.equal(readFiles(anonymous.doc)["index.tsx"], "secret");
    await until(() => anonymous.role === "editor", "editor grant");
    assert.equal(anonymous.grant?.userId, "user_editor");
    assert.equal(anonymous.grant?.visibility, "private");
  });

  test("readonly room: an anonymous client is a viewer, its edit is refused in-band and never stored", async () => {
    const room = "client-readonly";
    const owner = client({ room, getToken: () => signer.sign({ sub: "user_owner" }) });
    await owner.whenSynced();
    await setPermissions(room, { visibility: "readonly" });
    fileText(owner.doc, "index.tsx").insert(0, "watch me");
    await until(() => false, "settle", 300).catch(() => {});

    const viewer = client({ room });
    const denied: { denial: string; reason: string }[] = [];
    viewer.on("denied", (d) => denied.push(d));
    await viewer.whenSynced();
    await until(() => viewer.role === "viewer", "viewer grant");
    fileText(viewer.doc, "index.tsx").insert(0, "vandal ");
    await until(() => denied.length > 0, "a permission-denied message");
    assert.equal(denied[0]!.denial, "read-only");
    assert.match(denied[0]!.reason, /read-only/);
    assert.equal(viewer.status, "connected", "the socket stays open");
    assert.equal(await storedText(room), "watch me");
    assert.equal(readFiles(owner.doc)["index.tsx"], "watch me", "other clients never see it");
  });

  test("edits made before connecting reach a public room even when the token is slow to arrive", async () => {
    const room = "client-slow-token";
    const watcher = client({ room });
    await watcher.whenSynced();
    const slow = client({
      room,
      connect: false,
      getToken: async () => {
        await new Promise((r) => setTimeout(r, 300)); // the room's step 1 arrives before our token
        return signer.sign({ sub: "user_slow" });
      },
    });
    fileText(slow.doc, "index.tsx").insert(0, "written offline");
    slow.connect();
    await slow.whenSynced();
    await until(() => readFiles(watcher.doc)["index.tsx"] === "written offline", "the offline edit at the other client");
    assert.equal(await storedText(room), "written offline");
    assert.equal(slow.role, "editor");
  });

  test("a token that expires in 4 s is refreshed on the open socket: edits keep being accepted past its expiry", async () => {
    const room = "client-refresh";
    const owner = client({ room, getToken: () => signer.sign({ sub: "user_owner" }) });
    await owner.whenSynced();
    await setPermissions(room, { visibility: "private", editors: ["user_short"] });
    let issued = 0;
    const short = client({
      room,
      getToken: () => signer.sign({ sub: "user_short", exp: Math.floor(Date.now() / 1000) + 4, extra: { n: ++issued } }),
    });
    await short.whenSynced();
    const text = fileText(short.doc, "index.tsx");
    for (let i = 0; i < 5; i++) {
      text.insert(text.length, `${i}`);
      await new Promise((r) => setTimeout(r, 2_000));
    }
    assert.ok(issued >= 4, `${issued} tokens fetched`);
    assert.equal(short.closeReason, null);
    await until(() => readFiles(owner.doc)["index.tsx"] === "01234", "all five edits at the owner", 5_000);
    assert.equal(await storedText(room), "01234");
  });
});
