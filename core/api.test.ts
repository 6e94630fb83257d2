/**
 * The room API's URLs and its error type (core/api.ts), in node: every `/live/<room>/…` URL from one place, and an
 * ApiError whose denial and retry delay come from the body's fields (or the Retry-After header), never from its text.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ApiError, apiUrl, roomRoutes, roomSocketUrl, roomUrl, type HttpResponseLike } from "./api.js";

function response(status: number, body: string, headers: Record<string, string> = {}): HttpResponseLike {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: status === 429 ? "Too Many Requests" : "",
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    text: async () => body,
  };
}

describe("URLs", () => {
  test("room routes, on a server with or without a path, http or ws", () => {
    assert.equal(roomSocketUrl("http://localhost:8787", "demo"), "ws://localhost:8787/live/demo/ws");
    assert.equal(roomSocketUrl("https://spike.example/base/", "r"), "wss://spike.example/base/live/r/ws");
    assert.equal(roomUrl("ws://localhost:8787", "demo", roomRoutes.session), "http://localhost:8787/live/demo/session.json");
    assert.equal(roomUrl("wss://spike.example/base", "r", roomRoutes.bundle), "https://spike.example/base/live/r/index.js");
    assert.equal(roomUrl("http://h.test/?x=1#y", "r", roomRoutes.permissions), "http://h.test/live/r/permissions");
    assert.equal(apiUrl("https://spike.example/base/", "transcribe"), "https://spike.example/base/api/transcribe");
  });

  test("file names keep their folders and have each segment encoded; chat actions encode the id", () => {
    assert.equal(roomUrl("http://h.test", "r", roomRoutes.file("components/App.tsx")), "http://h.test/live/r/files/components/App.tsx");
    assert.equal(roomUrl("http://h.test", "r", roomRoutes.file("a b/c#d.ts")), "http://h.test/live/r/files/a%20b/c%23d.ts");
    assert.equal(roomUrl("http://h.test", "r", roomRoutes.chatAction("m_1", "undo")), "http://h.test/live/r/chat/m_1/undo");
  });
});

describe("ApiError.from", () => {
  test("a 429 body's retryAfter is a number of seconds; the text is the message", async () => {
    const error = await ApiError.from(
      response(429, JSON.stringify({ error: "too many uploads: at most 60 a minute; retry in 9 s", requestId: "r1", retryAfter: 2 }), {
        "retry-after": "2",
      }),
    );
    assert.ok(error instanceof Error && error instanceof ApiError);
    assert.equal(error.status, 429);
    assert.equal(error.message, "too many uploads: at most 60 a minute; retry in 9 s");
    assert.equal(error.retryAfterSeconds, 2, "the field, not the 9 in the text");
    assert.equal(error.requestId, "r1");
    assert.equal(error.denial, null);
  });

  test("a denial kind comes from the body; one it does not know is left out", async () => {
    const known = await ApiError.from(response(403, JSON.stringify({ error: "you may only read this room", denial: "read-only" })));
    assert.equal(known.denial, "read-only");
    const unknown = await ApiError.from(response(403, JSON.stringify({ error: "read-only: no", denial: "sideways" })));
    assert.equal(unknown.denial, null);
  });

  test("without a body field the Retry-After header counts, in seconds or as a date", async () => {
    assert.equal((await ApiError.from(response(429, '{"error": "slow down"}', { "retry-after": "7" }))).retryAfterSeconds, 7);
    const date = new Date(Date.now() + 30_000).toUTCString();
    const byDate = (await ApiError.from(response(503, "", { "retry-after": date }))).retryAfterSeconds;
    assert.ok(byDate !== null && byDate >= 28 && byDate <= 31, String(byDate));
    assert.equal((await ApiError.from(response(429, '{"error": "x", "retryAfter": "soon"}'))).retryAfterSeconds, null);
  });

  test("a body that is not JSON gives the status line; the request id falls back to X-Request-Id", async () => {
    const error = await ApiError.from(response(429, "<html>busy</html>", { "x-request-id": "abc" }));
    assert.equal(error.message, "429 Too Many Requests");
    assert.equal(error.requestId, "abc");
    assert.equal(error.resetsAt, null);
  });

  test("resetsAt of a spent daily budget", async () => {
    const body = { error: "the daily AI budget is spent", retryAfter: 3600, resetsAt: "2026-12-03T00:00:00.000Z" };
    const error = await ApiError.from(response(429, JSON.stringify(body)));
    assert.equal(error.resetsAt, "2026-12-03T00:00:00.000Z");
    assert.equal(error.retryAfterSeconds, 3600);
  });
});
