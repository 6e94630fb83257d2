/** RoomClient against the real CodeRoom Durable Object in workerd, in node with `ws`. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { unstable_startWorker } from "wrangler";
import { devRegistry } from "../scripts/dev-registry.mjs";
import { freePort } from "../scripts/free-port.mjs";
import { startTestWorker, until } from "../workers/test-support.js";
import WebSocket from "ws";
import * as Y from "yjs";
import { fileText, readFiles } from "./project.js";
import { RoomClient, type RoomStatus, type WebSocketConstructor } from "./room-client.js";
import { acquireRoomClient, sharedClientCount } from "./room-registry.js";

const WS = WebSocket as unknown as WebSocketConstructor;

// Static assets are irrelevant here; an empty folder keeps a concurrent `npm run build` from reloading the runtime mid-test.
const assets = mkdtempSync(join(tmpdir(), "spike-client-assets-"));
after(() => rmSync(assets, { recursive: true, force: true }));

/** The Worker on a fixed port with storage in `persist`, so a test can stop it and start it again at the same address. */
const startWorker = (port: number, persist: string) => startTestWorker({ port, persistDir: persist });

describe("RoomClient", () => {
  let port: number;
  let persist: string;
  let server: string;
  let worker: Awaited<ReturnType<typeof startWorker>> | null = null;

  before(async () => {
    port = await freePort();
    persist = mkdtempSync(join(tmpdir(), "spike-client-"));
    server = `http://127.0.0.1:${port}`;
    worker = await startWorker(port, persist);
  });

  after(async () => {
    await worker?.dispose();
    rmSync(persist, { recursive: true, force: true });
  });

  test("syncs two clients and reports status transitions", async () => {
    const statuses: RoomStatus[] = [];
    const a = new RoomClient({ server, room: "status", WebSocket: WS, connect: false });
    a.on("status", (s) => statuses.push(s));
    a.connect();
    const b = new RoomClient({ server, room: "status", WebSocket: WS });
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    fileText(a.doc, "index.tsx").insert(0, "const x = 1;");
    await until(() => b.doc.getMap<Y.Text>("files").get("index.tsx")?.toString() === "const x = 1;", "b to receive");
    assert.deepEqual(statuses, ["connecting", "connected"]);
    a.disconnect();
    assert.equal(a.status, "offline");
    a.destroy();
    b.destroy();
  });

  test("awareness carries user name and colour to the other client, and departure removes it", async () => {
    const a = new RoomClient({ server, room: "aware", WebSocket: WS, user: { name: "Ada", color: "#123456" } });
    const b = new RoomClient({ server, room: "aware", WebSocket: WS });
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    const seenByB = () => (b.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } } | undefined)?.user;
    await until(() => seenByB()?.name === "Ada", "b to see Ada");
    assert.deepEqual(seenByB(), { name: "Ada", color: "#123456" });
    a.destroy();
    await until(() => !b.awareness.getStates().has(a.doc.clientID), "Ada to leave b's awareness");
    b.destroy();
  });

  test("edits made offline merge on reconnect after the whole stack restarts", async () => {
    const a = new RoomClient({ server, room: "offline", WebSocket: WS, minBackoffMs: 50, maxBackoffMs: 200 });
    const b = new RoomClient({ server, room: "offline", WebSocket: WS, minBackoffMs: 50, maxBackoffMs: 200 });
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    fileText(a.doc, "index.tsx").insert(0, "shared\n");
    await until(() => readFiles(b.doc)["index.tsx"] === "shared\n", "initial sync");

    await worker!.dispose();
    worker = null;
    await until(() => a.status !== "connected" && b.status !== "connected", "clients to notice");
    // Both edit while the server is down.
    fileText(a.doc, "index.tsx").insert(0, "from a\n");
    fileText(b.doc, "index.tsx").insert(fileText(b.doc, "index.tsx").length, "from b\n");

    worker = await startWorker(port, persist);
    await until(() => a.synced && b.synced, "reconnect", 20_000);
    const merged = () => readFiles(a.doc)["index.tsx"];
    await until(() => merged() === readFiles(b.doc)["index.tsx"] && merged()!.includes("from b"), "merge");
    assert.equal(merged(), "from a\nshared\nfrom b\n");
    const session = (await (await fetch(`${server}/live/offline/session.json`)).json()) as { files: Record<string, string> };
    assert.equal(session.files["index.tsx"], "from a\nshared\nfrom b\n");
    a.destroy();
    b.destroy();
  });

  test("a terminal close code stops reconnecting and reports why", async () => {
    const limitedPort = await freePort();
    const limited = await unstable_startWorker({
      config: "wrangler.jsonc",
      assets,
      bindings: { ROOM_MAX_DOCUMENT_BYTES: { type: "plain_text", value: "4096" } },
      dev: { registry: devRegistry(), server: { hostname: "127.0.0.1", port: limitedPort }, inspector: false, persist: false, watch: false, logLevel: "error" },
    });
    try {
      await limited.ready;
      const a = new RoomClient({ server: `http://127.0.0.1:${limitedPort}`, room: "terminal", WebSocket: WS, minBackoffMs: 10, maxBackoffMs: 20 });
      await a.whenSynced();
      const closed = new Promise<{ code: number; reason: string }>((resolve) => a.on("closed", resolve));
      fileText(a.doc, "index.tsx").insert(0, "x".repeat(10_000));
      const close = await closed;
      assert.equal(close.code, 4413);
      assert.match(close.reason, /document would exceed 4096 bytes/);
      assert.equal(a.status, "offline");
      assert.deepEqual(a.closeReason, close);
      // No retry follows a terminal close.
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(a.status, "offline");
      a.destroy();
    } finally {
      await limited.dispose();
    }
  });

  test("clients for the same server and room are shared; the last release disconnects", async () => {
    const one = acquireRoomClient({ server, room: "shared", WebSocket: WS });
    const two = acquireRoomClient({ server: `${server}/`, room: "shared", WebSocket: WS });
    const other = acquireRoomClient({ server, room: "shared-2", WebSocket: WS });
    assert.equal(one.client, two.client);
    assert.notEqual(one.client, other.client);
    assert.equal(sharedClientCount(), 2);
    await one.client.whenSynced();
    one.release();
    one.release();
    assert.equal(two.client.status, "connected");
    two.release();
    other.release();
    assert.equal(sharedClientCount(), 0);
    assert.equal(one.client.status, "offline");
  });

  test("disconnecting while the socket is still connecting raises nothing", async () => {
    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.on("uncaughtException", onError);
    try {
      for (let i = 0; i < 5; i++) {
        const client = new RoomClient({ server, room: "early-close", WebSocket: WS });
        assert.equal(client.status, "connecting");
        client.destroy();
        assert.equal(client.status, "offline");
      }
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(errors, []);
    } finally {
      process.off("uncaughtException", onError);
    }
  });

  test("rejects an invalid room id before connecting", () => {
    assert.throws(() => new RoomClient({ server, room: "../etc", WebSocket: WS }), /invalid room id/);
  });
});

void Y;
