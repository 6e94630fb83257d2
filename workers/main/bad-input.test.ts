/**
 * What the room server does with input no well-behaved client sends, at its edges: bad room ids and bad HTTP requests
 * (file names, bodies, methods). Each must get its documented answer, and after each one the room keeps its stored text
 * and the server keeps serving other rooms. Bad frames and the room's limits: bad-frames.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as Y from "yjs";
import { encodeUpdate } from "../../core/protocol.js";
import { WEBSOCKET_UPGRADE, fetchSession, pollSession, rawRequest, waitUntil, type TestWorker } from "../test-support.js";
import { WITNESS, assertClosedWith, badInputStack } from "../../test-support/bad-input.js";

let worker: TestWorker;
const { join, rawSocket, seedRoom, assertUnharmed } = badInputStack((started) => (worker = started));


describe("invalid room ids", () => {
  const BAD_IDS = [
    "", // empty
    "x".repeat(65), // one too long
    "a.b",
    "a~b",
    "a*b",
    "a:b",
    "a@b",
    "a%20b", // space
    "caf%C3%A9", // é
    "%E2%80%AE", // right-to-left override
    "%3Cscript%3E",
    "%00",
    "a%2Fb", // an encoded slash
    "%2e%2e.", // dots, but not a dot segment
    "%ZZ", // not valid percent-encoding
    "%",
    "%C3%28", // not valid UTF-8
  ];

  it("are a 400 JSON error for ws, session.json, index.tsx and files, and harm nothing", async () => {
    const stored = await fetchSession(worker, WITNESS.room);
    for (const id of BAD_IDS) {
      const requests: [string, Parameters<typeof rawRequest>[2]][] = [
        [`/live/${id}/ws`, { headers: WEBSOCKET_UPGRADE }],
        [`/live/${id}/session.json`, {}],
        [`/live/${id}/index.tsx`, {}],
        [`/live/${id}/files/index.tsx`, {}],
        [`/live/${id}/files/index.tsx`, { method: "PUT", body: "export {};\n" }],
      ];
      for (const [path, options] of requests) {
        const response = await rawRequest(worker, path, options);
        const what = `${options?.method ?? "GET"} ${path}`;
        assert.equal(response.status, 400, `${what}: ${response.status} ${response.text}`);
        assert.match(String(response.headers["content-type"]), /^application\/json/, what);
        assert.equal(typeof (JSON.parse(response.text) as { error?: unknown }).error, "string", what);
      }
      await assertUnharmed(WITNESS.room, stored);
    }
  });

  it("dot segments are resolved before routing, as a browser would, and reach no room", async () => {
    for (const path of ["/live/%2e%2e/ws", "/live/../session.json", "/live/%2E%2E/files/index.tsx"]) {
      const response = await rawRequest(worker, path, { headers: WEBSOCKET_UPGRADE });
      assert.equal(response.status, 404, `${path}: ${response.status} ${response.text}`);
      assert.equal(typeof (JSON.parse(response.text) as { error?: unknown }).error, "string", path);
    }
  });

  it("accept the longest valid id", async () => {
    const room = "r".repeat(64);
    const put = await fetch(new URL(`/live/${room}/files/a.ts`, worker.url), { method: "PUT", body: "// longest\n" });
    assert.equal(put.status, 200);
    assert.equal((await fetchSession(worker, room)).room, room);
  });
});

// ---- frames ---------------------------------------------------------------------------------------------------------


// ---- HTTP -----------------------------------------------------------------------------------------------------------

describe("bad HTTP requests", () => {
  it("PUT rejects invalid file names, non-UTF-8 bodies and oversized bodies, storing nothing", async () => {
    const room = "file-guard";
    const stored = await seedRoom(room, { "index.tsx": "// guarded\n" });
    const put = (name: string, body: Uint8Array | string) =>
      rawRequest(worker, `/live/${room}/files/${name}`, { method: "PUT", body });
    const CASES: [string, string, Uint8Array | string, number][] = [
      ["an encoded ../", "..%2Fx", "x", 400],
      ["an encoded ../ in the middle", "a%2F..%2F..%2Fb.ts", "x", 400],
      ["an encoded dot-dot inside a name", "a%2F%2e%2e", "x", 400],
      ["a name of 129 characters", "n".repeat(126) + ".ts", "x", 400],
      ["a space", "a%20b.ts", "x", 400],
      ["a NUL", "a%00.ts", "x", 400],
      ["a leading slash", "/abs.ts", "x", 400],
      ["a backslash", "a%5Cb.ts", "x", 400],
      ["not UTF-8", "index.tsx", new Uint8Array([0xff, 0xfe, 0x00, 0xc3, 0x28]), 415],
      ["a lone surrogate encoded as UTF-8", "index.tsx", new Uint8Array([0xed, 0xa0, 0x80]), 415],
      ["a body over ROOM_MAX_FRAME_BYTES", "index.tsx", "a".repeat(70_000), 413],
      ["a body that would grow the document past its limit", "other.ts", "b".repeat(50_000), 413],
    ];
    for (const [what, name, body, status] of CASES) {
      const response = await put(name, body);
      assert.equal(response.status, status, `${what}: ${response.status} ${response.text}`);
      assert.equal(typeof (JSON.parse(response.text) as { error?: unknown }).error, "string", what);
      await assertUnharmed(room, stored);
    }

    // A body with no content-length (chunked) is counted as it arrives and refused once it passes the limit.
    const chunks = [new TextEncoder().encode("c".repeat(40_000)), new TextEncoder().encode("c".repeat(40_000))];
    const chunked = await fetch(new URL(`/live/${room}/files/index.tsx`, worker.url), {
      method: "PUT",
      body: new ReadableStream({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()!) : c.close()) }),
      duplex: "half",
    } as RequestInit);
    assert.equal(chunked.status, 413, await chunked.text());
    await assertUnharmed(room, stored);

    // Reading with a bad name and writing with another method are refused as well.
    assert.equal((await rawRequest(worker, `/live/${room}/files/..%2Fx`)).status, 400);
    assert.equal((await rawRequest(worker, `/live/${room}/files/index.tsx`, { method: "DELETE" })).status, 405);
    assert.equal((await rawRequest(worker, `/live/${room}/files/index.tsx`, { method: "POST", body: "x" })).status, 405);
    await assertUnharmed(room, stored);
  });

  it("a collaborator who puts non-text values in the files map breaks neither reads nor writes", async () => {
    const room = "odd-values";
    const stored = await seedRoom(room, { "index.tsx": "// real file\n" });
    const mallory = join(room);
    await mallory.synced();
    mallory.doc.transact(() => {
      const files = mallory.doc.getMap<unknown>("files");
      files.set("null.ts", null);
      files.set("plain.ts", "a string, not a Y.Text");
      files.set("../escape.ts", new Y.Text("bad name"));
    });
    await waitUntil(async () => ((await pollSession(worker, room))?.version ?? 0) > stored.version, { what: "the odd values to be stored" });
    const session = await fetchSession(worker, room);
    assert.deepEqual(session.files, stored.files, "only real files are listed");
    assert.equal((await rawRequest(worker, `/live/${room}/files/null.ts`)).status, 404);
    const put = await fetch(new URL(`/live/${room}/files/plain.ts`, worker.url), { method: "PUT", body: "now a file\n" });
    assert.equal(put.status, 200, await put.text());
    assert.equal((await fetchSession(worker, room)).files["plain.ts"], "now a file\n");
  });

  it("updates whose history never arrives cannot pile up in the room's memory: 1007", async () => {
    const room = "gaps";
    const stored = await seedRoom(room, { "index.tsx": "// gaps\n" });
    const socket = await rawSocket(room);
    // Each update depends on an earlier one from its client that is never sent, so Yjs can only park it.
    for (let client = 100; client < 110; client++) {
      const doc = new Y.Doc();
      doc.clientID = client;
      const text = doc.getText("scratch");
      text.insert(0, "x");
      const before = Y.encodeStateVector(doc);
      text.insert(1, "y".repeat(30_000));
      if (socket.ws.readyState !== socket.ws.OPEN) break;
      socket.ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc, before)));
    }
    const closed = await assertClosedWith(socket, 1007, "gapped updates");
    assert.match(closed.reason, /history this room never received/);
    await assertUnharmed(room, stored);
  });

  it("a plain GET of /ws is a 426 JSON error", async () => {
    const room = "not-upgraded";
    const stored = await seedRoom(room, { "index.tsx": "// plain\n" });
    const response = await rawRequest(worker, `/live/${room}/ws`);
    assert.equal(response.status, 426, response.text);
    assert.equal(typeof (JSON.parse(response.text) as { error?: unknown }).error, "string");
    await assertUnharmed(room, stored);
  });
});
