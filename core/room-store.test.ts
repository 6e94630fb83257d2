/** The IndexedDB copy of a room (core/room-store.ts) where there is none: node. The browser side: elements/offline.e2e.test.ts. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { RoomClient, type WebSocketConstructor } from "./room-client.js";
import { roomStoreName } from "./room-store.js";

/** A socket class that must never be used: the clients here do not connect. */
const NoSocket = class {
  constructor() {
    throw new Error("no socket expected");
  }
} as unknown as WebSocketConstructor;

test("one database per server and room, named by the room's socket URL without its query", () => {
  const client = new RoomClient({ server: "http://localhost:8787", room: "demo", WebSocket: NoSocket, connect: false });
  // Every client is destroyed: its awareness keeps a timer that would hold this process open.
  const other = new RoomClient({ server: "http://127.0.0.1:8787", room: "demo", WebSocket: NoSocket, connect: false });
  try {
    assert.equal(roomStoreName(client.url), "spike-room:ws://localhost:8787/live/demo/ws");
    assert.notEqual(roomStoreName(client.url), roomStoreName(other.url));
  } finally {
    client.destroy();
    other.destroy();
  }
});

test("without IndexedDB (node), persist() says why and the client works as without it", async () => {
  const client = new RoomClient({ server: "http://localhost:8787", room: "demo", WebSocket: NoSocket, connect: false, persist: true });
  try {
    assert.equal(client.persisted, true);
    await assert.rejects(client.persist(), /no IndexedDB here/);
    client.doc.getText("t").insert(0, "still editable");
    assert.equal(client.doc.getText("t").toString(), "still editable");
    assert.equal(client.status, "offline");
  } finally {
    client.destroy();
  }
});
