/**
 * What operators and embedders see of every request, through the real Worker: the one-line JSON request log (read from
 * workerd's console), `{error, requestId}` bodies, security headers, Server-Timing, the CORS allow-list, and
 * `GET /api/metrics` with its counters and its access rules.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { writeFile } from "../../core/project.js";
import { startFakeOpenAI, type FakeProvider } from "../fake-providers.js";
import { connectClient, rawRequest, startTestWorker, waitUntil, type TestWorker } from "../test-support.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";
import type { MetricsReport } from "./metrics-route.js";

/** Lines the Worker printed (wrangler hands workerd's console.log to ours), parsed when they are JSON. */
const lines: Record<string, unknown>[] = [];
const rawLines: string[] = [];
const originalLog = console.log;
console.log = (...args: unknown[]) => {
  const text = args.map(String).join(" ");
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    rawLines.push(line);
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not one of ours
    }
  }
};

let signer: TestSigner;
let openai: FakeProvider;
/** Sign-in configured, one admin, origins narrowed to one site, metrics flushed at once, info lines printed. */
let worker: TestWorker;
/** Defaults: no sign-in, any origin. */
let open: TestWorker;

const SITE = "https://blog.example";
const ADMIN = "user_admin";

before(async () => {
  signer = await createTestSigner();
  openai = await startFakeOpenAI();
  [worker, open] = await Promise.all([
    startTestWorker({
      logLevel: "log",
      vars: {
        CLERK_JWT_KEY: signer.publicKeyPem,
        ADMIN_USER_IDS: `user_other, ${ADMIN}`,
        ALLOWED_ORIGINS: `${SITE}, https://docs.example`,
        METRICS_FLUSH_MS: "0",
        OPENAI_API_KEY: openai.apiKey,
        OPENAI_BASE_URL: openai.baseURL,
      },
    }),
    startTestWorker({ vars: { METRICS_FLUSH_MS: "0" } }),
  ]);
});

after(async () => {
  console.log = originalLog;
  await worker?.dispose();
  await open?.dispose();
  await openai?.close();
});

function requestLine(requestId: string): Record<string, unknown> | undefined {
  return lines.find((line) => line.type === "request" && line.requestId === requestId);
}

describe("request log", () => {
  test("one JSON line per request with id, route pattern, status, duration, room, user and IP; never a token or file text", async () => {
    const token = await signer.sign({ azp: SITE, sub: "user_log" });
    const content = "export const secret = 'file-content-never-logged';\n";
    const put = await fetch(new URL("/live/log-room/files/index.tsx?token=query-secret", worker.url), {
      method: "PUT",
      headers: { authorization: `Bearer ${token}` },
      body: content,
    });
    assert.equal(put.status, 200, await put.text());
    const id = put.headers.get("x-request-id");
    assert.ok(id);
    await waitUntil(() => requestLine(id) !== undefined, { what: "the request's log line" });
    const line = requestLine(id)!;
    assert.deepEqual(Object.keys(line).sort(), ["durationMs", "ip", "level", "method", "requestId", "room", "route", "status", "ts", "type", "userId"]);
    assert.equal(line.level, "info");
    assert.equal(line.method, "PUT");
    assert.equal(line.route, "/live/:room/files/:name{.+}");
    assert.equal(line.status, 200);
    assert.equal(typeof line.durationMs, "number");
    assert.equal(line.room, "log-room");
    assert.equal(line.userId, "user_log");
    assert.equal(line.ip, "127.0.0.1");
    assert.ok(!Number.isNaN(Date.parse(String(line.ts))));

    const failed = await fetch(new URL("/live/log-room/session.json", worker.url), { headers: { authorization: "Bearer not.a.token" } });
    assert.equal(failed.status, 401);
    const failedId = failed.headers.get("x-request-id")!;
    await waitUntil(() => requestLine(failedId) !== undefined, { what: "the 401's log line" });
    assert.equal(requestLine(failedId)!.status, 401);
    assert.equal(requestLine(failedId)!.userId, null);

    const everything = rawLines.join("\n");
    for (const secret of [token, token.split(".")[2]!, "query-secret", "file-content-never-logged", "not.a.token"]) {
      assert.ok(!everything.includes(secret), `a log line contains ${secret.slice(0, 20)}…`);
    }
  });

  test("a request no route answers is logged as route (none) with its 404", async () => {
    const response = await fetch(new URL("/api/no-such-thing", worker.url));
    assert.equal(response.status, 404);
    const id = response.headers.get("x-request-id")!;
    await waitUntil(() => requestLine(id) !== undefined, { what: "the 404's log line" });
    assert.equal(requestLine(id)!.route, "(none)");
    assert.equal(requestLine(id)!.room, null);
  });
});

describe("errors and headers", () => {
  test("every JSON error is {error, requestId}, not cached, nosniff; the room's own errors gain the id too", async () => {
    for (const [path, status] of [
      ["/api/nothing-here", 404],
      ["/live/err-room/files/missing.ts", 404], // answered by the CodeRoom
      ["/live/bad%20room!/session.json", 400], // answered by the Worker
    ] as const) {
      const response = await fetch(new URL(path, open.url));
      assert.equal(response.status, status, path);
      const body = (await response.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ["error", "requestId"], path);
      assert.equal(body.requestId, response.headers.get("x-request-id"));
      assert.equal(response.headers.get("cache-control"), "no-store");
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
      assert.ok(!JSON.stringify(body).includes("    at "), "no stack trace");
    }
  });

  test("a client's X-Request-Id is kept when it is a plain token, replaced when it is not", async () => {
    const kept = await fetch(new URL("/api/health", open.url), { headers: { "x-request-id": "trace-123" } });
    assert.equal(kept.headers.get("x-request-id"), "trace-123");
    const replaced = await fetch(new URL("/api/health", open.url), { headers: { "x-request-id": "a b\"<script>" } });
    assert.match(replaced.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
  });

  test("API answers carry Server-Timing: total, plus auth and room where the request went through them", async () => {
    const health = await fetch(new URL("/api/health", open.url));
    assert.match(health.headers.get("server-timing") ?? "", /(^|, )total;dur=\d+(\.\d+)?$/);
    const session = await fetch(new URL("/live/timing-room/session.json", open.url));
    const timing = session.headers.get("server-timing") ?? "";
    for (const name of ["auth", "room", "total"]) assert.match(timing, new RegExp(`(^|, )${name};dur=\\d`), timing);
  });
});

describe("CORS allow-list (ALLOWED_ORIGINS)", () => {
  test("a listed origin gets its preflight and its answers, with Authorization allowed", async () => {
    const preflight = await fetch(new URL("/live/cors-list/chat", worker.url), {
      method: "OPTIONS",
      headers: { origin: SITE, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), SITE);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /authorization/i);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /content-type/i);
    assert.equal(preflight.headers.get("access-control-allow-credentials"), null);
    const answer = await fetch(new URL("/live/cors-list/session.json", worker.url), { headers: { origin: SITE } });
    assert.equal(answer.headers.get("access-control-allow-origin"), SITE);
    assert.match(answer.headers.get("vary") ?? "", /origin/i);
    assert.match(answer.headers.get("access-control-expose-headers") ?? "", /retry-after/i);
  });

  test("another origin's preflight is a 403 JSON and its answers carry no Access-Control-Allow-Origin", async () => {
    const preflight = await fetch(new URL("/api/transcribe", worker.url), {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers.get("access-control-allow-origin"), null);
    assert.match(((await preflight.json()) as { error: string }).error, /ALLOWED_ORIGINS/);
    const put = await fetch(new URL("/live/cors-list/files/a.ts", worker.url), { method: "PUT", body: "// a\n" });
    assert.equal(put.status, 200);
    const answer = await fetch(new URL("/live/cors-list/session.json", worker.url), { headers: { origin: "https://evil.example" } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get("access-control-allow-origin"), null);
  });

  test("without ALLOWED_ORIGINS any origin may call the API", async () => {
    const preflight = await fetch(new URL("/live/cors-any/permissions", open.url), {
      method: "OPTIONS",
      headers: { origin: "https://anywhere.example", "access-control-request-method": "PUT" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
    assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /PUT/);
  });
});

describe("GET /api/metrics", () => {
  async function metrics(target: TestWorker, headers: Record<string, string> = {}): Promise<MetricsReport> {
    const response = await fetch(new URL("/api/metrics", target.url), { headers });
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get("cache-control"), "no-store");
    return (await response.json()) as MetricsReport;
  }

  test("counts requests by status and route, sockets, frames and rooms as clients work", async () => {
    const before = await metrics(open);
    const client = connectClient(open, "metrics-room");
    try {
      await client.synced();
      for (let i = 0; i < 5; i++) writeFile(client.doc, "index.tsx", `export default ${i};\n`);
      await fetch(new URL("/api/missing", open.url));
      await waitUntil(
        async () => {
          const now = await metrics(open);
          return now.sockets.open >= 1 && now.frames.in >= before.frames.in + 5 && (now.requests.byStatus["4xx"] ?? 0) > (before.requests.byStatus["4xx"] ?? 0);
        },
        { what: "metrics to show the open socket, its frames and the 404" },
      );
      const during = await metrics(open);
      assert.ok(during.frames.bytesIn > before.frames.bytesIn);
      assert.ok(during.sockets.opened >= 1);
      assert.ok(during.rooms.loaded >= 1);
      assert.ok(during.rooms.withOpenSockets >= 1);
      assert.ok((during.requests.byRoute["GET /live/:room/ws"] ?? 0) >= 1);
      assert.ok(!Number.isNaN(Date.parse(during.since)));
    } finally {
      client.destroy();
    }
    await waitUntil(async () => (await metrics(open)).sockets.open === 0, { what: "the closed socket to leave the gauge" });
  });

  test("AI calls are counted with their latency, failures as errors", async () => {
    openai.script({ text: "hello" }, { kind: "error", status: 500 });
    const admin = { authorization: `Bearer ${await signer.sign({ azp: SITE, sub: ADMIN })}` };
    const before = await metrics(worker, admin);
    // Sign-in is configured here, so AI needs a signed-in caller (AI_REQUIRE_SIGN_IN's default).
    const audio = { method: "POST", headers: { "content-type": "audio/wav", origin: SITE, ...admin }, body: new Uint8Array(64).fill(7) };
    assert.equal((await fetch(new URL("/api/transcribe", worker.url), audio)).status, 200);
    assert.equal((await fetch(new URL("/api/transcribe", worker.url), audio)).status, 502);
    await waitUntil(async () => (await metrics(worker, admin)).ai.calls >= before.ai.calls + 2, { what: "two AI calls" });
    const after = await metrics(worker, admin);
    assert.equal(after.ai.errors, before.ai.errors + 1);
    assert.equal(after.ai.byKind["transcribe"], (before.ai.byKind["transcribe"] ?? 0) + 2);
    assert.equal(after.ai.latencyMs?.count, (before.ai.latencyMs?.count ?? 0) + 2);
    assert.equal(typeof after.ai.latencyMs?.p95, "number");
  });

  test("with sign-in configured only ADMIN_USER_IDS may read it", async () => {
    const anonymous = await fetch(new URL("/api/metrics", worker.url));
    assert.equal(anonymous.status, 401);
    const user = await fetch(new URL("/api/metrics", worker.url), { headers: { authorization: `Bearer ${await signer.sign({ azp: SITE, sub: "user_nobody" })}` } });
    assert.equal(user.status, 403);
    const expired = await signer.sign({ azp: SITE, sub: ADMIN, exp: Math.floor(Date.now() / 1000) - 60, nbf: Math.floor(Date.now() / 1000) - 120 });
    assert.equal((await fetch(new URL("/api/metrics", worker.url), { headers: { authorization: `Bearer ${expired}` } })).status, 401);
    const admin = await metrics(worker, { authorization: `Bearer ${await signer.sign({ azp: SITE, sub: ADMIN })}` });
    assert.ok(admin.requests.total > 0);
  });

  test("without sign-in only a loopback host may read it", async () => {
    const local = await rawRequest(open, "/api/metrics", { headers: { host: `localhost:${open.url.port}` } });
    assert.equal(local.status, 200);
    const remote = await rawRequest(open, "/api/metrics", { headers: { host: "spike.example.com" } });
    assert.equal(remote.status, 403);
    assert.match(JSON.parse(remote.text).error, /set ADMIN_USER_IDS and sign-in to read metrics/);
  });
});
