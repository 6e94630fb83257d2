/** Elements on other sites call the chat and transcription routes from the page: preflights and answers carry CORS. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestWorker, type TestWorker } from "../test-support.js";

let worker: TestWorker;
before(async () => {
  worker = await startTestWorker();
});
after(() => worker?.dispose());

const ORIGIN = "https://blog.example";

for (const [path, method] of [
  ["/live/cors-room/chat", "POST"],
  ["/live/cors-room/chat/m1/cancel", "POST"],
  ["/api/transcribe", "POST"],
] as const) {
  test(`a preflight for ${method} ${path} from another site is allowed`, async () => {
    const response = await fetch(new URL(path, worker.url), {
      method: "OPTIONS",
      headers: { origin: ORIGIN, "access-control-request-method": method, "access-control-request-headers": "content-type" },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.match(response.headers.get("access-control-allow-methods") ?? "", new RegExp(method));
    assert.match(response.headers.get("access-control-allow-headers") ?? "", /content-type/i);
  });
}

test("the chat's answers (and its errors) carry CORS for the page that asked", async () => {
  const put = await fetch(new URL("/live/cors-room/files/a.ts", worker.url), { method: "PUT", body: "// a\n" });
  assert.equal(put.status, 200);
  const list = await fetch(new URL("/live/cors-room/chat", worker.url), { headers: { origin: ORIGIN } });
  assert.equal(list.status, 200);
  assert.equal(list.headers.get("access-control-allow-origin"), "*");
  const bad = await fetch(new URL("/live/cors-room/chat", worker.url), {
    method: "POST",
    headers: { origin: ORIGIN, "content-type": "application/json" },
    body: "{not json",
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get("access-control-allow-origin"), "*");
});
