/**
 * The versions client (core/room-versions.ts) in node, against a fetch that records what it is asked: the URLs and
 * methods of every call, the token on each, and a refusal turned into an ApiError with its status and body's fields.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ApiError, type HttpResponseLike } from "./api.js";
import type { HttpRequestInit } from "./room-http.js";
import { RoomVersionsHttp, pinnedUrl } from "./room-versions.js";

function answer(status: number, body: unknown): HttpResponseLike {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: "",
    headers: { get: () => null },
    text: async () => JSON.stringify(body),
  };
}

describe("RoomVersionsHttp", () => {
  test("each call goes to its route with the current token, and answers with the body", async () => {
    const calls: Array<{ url: string; init: HttpRequestInit }> = [];
    const versions = new RoomVersionsHttp({
      server: "https://spike.example/base/",
      room: "demo",
      token: async () => "tok",
      fetch: async (url, init) => {
        calls.push({ url, init });
        return answer(url.endsWith("/versions") && init.method === "GET" ? 200 : 201, url.endsWith("/versions") && init.method === "GET" ? { versions: [{ n: 2 }, { n: 1 }] } : { n: 3 });
      },
    });
    assert.deepEqual(await versions.save({ name: "v" }), { n: 3 });
    assert.deepEqual(await versions.list(), [{ n: 2 }, { n: 1 }]);
    await versions.read(2);
    await versions.restore(2);
    await versions.undoRestore("lxyz00000-abcdef12");
    await versions.pinnedSession(2);
    assert.deepEqual(
      calls.map(({ url, init }) => `${init.method} ${url}`),
      [
        "POST https://spike.example/base/live/demo/versions",
        "GET https://spike.example/base/live/demo/versions",
        "GET https://spike.example/base/live/demo/versions/2",
        "POST https://spike.example/base/live/demo/versions/2/restore",
        "POST https://spike.example/base/live/demo/restores/lxyz00000-abcdef12/undo",
        "GET https://spike.example/base/live/demo/v/2/session.json",
      ],
    );
    assert.ok(calls.every(({ init }) => init.headers.authorization === "Bearer tok"));
    assert.equal(calls[0]!.init.body, '{"name":"v"}');
    assert.equal(calls[0]!.init.headers["content-type"], "application/json");
  });

  test("a refusal rejects with an ApiError carrying its status and denial", async () => {
    const versions = new RoomVersionsHttp({
      server: "http://localhost:8787",
      room: "demo",
      fetch: async () => answer(403, { error: "read-only room", denial: "read-only" }),
    });
    await assert.rejects(versions.restore(1), (error: unknown) => error instanceof ApiError && error.status === 403 && error.denial === "read-only");
    assert.throws(() => new RoomVersionsHttp({ server: "http://localhost:8787", room: "../x" }), TypeError);
  });

  test("pinned URLs encode each segment of a file name and refuse a version that cannot exist", () => {
    assert.equal(pinnedUrl("ws://localhost:8787", "demo", 3, "index.js"), "http://localhost:8787/live/demo/v/3/index.js");
    assert.equal(pinnedUrl("http://h.test", "r", 1, "files/components/My App.tsx"), "http://h.test/live/r/v/1/files/components/My%20App.tsx");
    assert.throws(() => pinnedUrl("http://h.test", "r", 0, "index.js"), TypeError);
    assert.throws(() => pinnedUrl("http://h.test", "r", 1.5, "index.js"), TypeError);
  });
});
