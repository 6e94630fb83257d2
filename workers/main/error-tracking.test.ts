/**
 * Error tracking through the real Worker and CodeRoom (workers/test-faults/ adds the faults): with SENTRY_DSN pointing at a
 * loopback Sentry, an error in a route and in a Durable Object arrive as envelopes tagged with the request id, route and
 * room, and without the Authorization header, the token or any file text; every error is counted by route and by class
 * and listed on `/api/metrics` and `/admin`. Without a DSN the same errors are counted and nothing leaves the Worker.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { startSentryIngest, type ReceivedEnvelope, type SentryIngest } from "../../test-support/sentry-ingest.js";
import { closeOpened, rawSocket, startTestWorker, uniqueRooms, waitUntil, type TestWorker } from "../test-support.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";
import type { MetricsReport } from "./metrics-route.js";

const FAULTS = "workers/test-faults/index.ts";
const FILE_TEXT = "export const secretSauce = 'file-text-that-must-never-leave';\n";
const ADMIN = "user_admin";
const nextRoom = uniqueRooms("faulty");

let signer: TestSigner;
let sentry: SentryIngest;
/** SENTRY_DSN set to the loopback Sentry; sign-in configured, so requests carry real Bearer tokens. */
let tracked: TestWorker;
/** No SENTRY_DSN; every outbound fetch of the Worker and its objects is recorded here instead of sent. */
let untracked: TestWorker;
const outbound: string[] = [];

before(async () => {
  [signer, sentry] = await Promise.all([createTestSigner(), startSentryIngest()]);
  const vars = { CLERK_JWT_KEY: signer.publicKeyPem, ADMIN_USER_IDS: ADMIN, METRICS_FLUSH_MS: "0" };
  [tracked, untracked] = await Promise.all([
    startTestWorker({ entrypoint: FAULTS, vars: { ...vars, SENTRY_DSN: sentry.dsn, SENTRY_ENVIRONMENT: "test" } }),
    startTestWorker({
      entrypoint: FAULTS,
      vars,
      outbound: (request) => {
        outbound.push(`${request.method} ${request.url}`);
        return new Response("no network in this test", { status: 502 });
      },
    }),
  ]);
});
after(async () => {
  await Promise.all([tracked?.dispose(), untracked?.dispose(), sentry?.close()]);
});
afterEach(closeOpened);

/** Cause the three faults on `worker`; answers the request ids of the two HTTP ones. */
async function causeFaults(worker: TestWorker, room: string): Promise<{ routeRequest: string; roomRequest: string }> {
  const token = await signer.sign({ sub: "user_writer" });
  const headers = { authorization: `Bearer ${token}`, cookie: "session=cookie-never-sent" };
  const route = await fetch(new URL("/api/test-fault", worker.url), { method: "POST", headers, body: FILE_TEXT });
  assert.equal(route.status, 500);
  const routeBody = (await route.json()) as { error: string; requestId: string };
  assert.equal(routeBody.error, "internal error");
  const put = await fetch(new URL(`/live/${room}/files/index.tsx`, worker.url), { method: "PUT", headers, body: FILE_TEXT });
  assert.equal(put.status, 500);
  const putBody = (await put.json()) as { requestId: string };
  const socket = await rawSocket(worker, room);
  socket.ws.send("fault");
  return { routeRequest: routeBody.requestId, roomRequest: putBody.requestId };
}

async function metrics(worker: TestWorker): Promise<MetricsReport> {
  const token = await signer.sign({ sub: ADMIN });
  const response = await fetch(new URL("/api/metrics", worker.url), { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  return (await response.json()) as MetricsReport;
}

/** The event of an envelope (its `event` item's payload), with the tags this Worker sets. */
function eventOf(envelope: ReceivedEnvelope): { tags: Record<string, string>; exception: { values: { type: string; value: string }[] } } {
  const item = envelope.items.find((candidate) => candidate.header.type === "event");
  assert.ok(item, `an event item in ${envelope.raw.slice(0, 200)}`);
  return item.payload as ReturnType<typeof eventOf>;
}

describe("with SENTRY_DSN", () => {
  test("an error in a route and in a Durable Object arrive as envelopes with the request id, route and room, never the Authorization header or file text", async () => {
    const room = nextRoom();
    const { routeRequest, roomRequest } = await causeFaults(tracked, room);
    const events = () => sentry.envelopes.map(eventOf);
    const find = (predicate: (tags: Record<string, string>) => boolean) => events().find((event) => predicate(event.tags));
    await waitUntil(() => events().length >= 4, { what: "four envelopes (route, room's writeFile and its route, room's socket)" });

    const routeEvent = find((tags) => tags.request_id === routeRequest);
    assert.ok(routeEvent);
    assert.equal(routeEvent.tags.route, "POST /api/test-fault");
    assert.equal(routeEvent.tags.worker, "spike");
    assert.equal(routeEvent.exception.values[0]!.value, "injected fault in a route");

    const roomEvent = find((tags) => tags.request_id === roomRequest && tags.durable_object === "CodeRoom");
    assert.ok(roomEvent, "the room reports its own error, under the Worker's request id");
    assert.equal(roomEvent.tags.method, "writeFile");
    assert.equal(roomEvent.tags.room, room);
    const roomRoute = find((tags) => tags.request_id === roomRequest && tags.route !== undefined);
    assert.equal(roomRoute?.tags.route, "PUT /live/:room/files/:name{.+}");
    assert.equal(roomRoute?.tags.room, room);

    const socketEvent = find((tags) => tags.method === "webSocketMessage");
    assert.equal(socketEvent?.tags.room, room);
    assert.equal(socketEvent?.tags.durable_object, "CodeRoom");

    for (const envelope of sentry.envelopes) {
      assert.equal(envelope.project, "42");
      assert.equal(eventOf(envelope).tags.environment ?? "test", "test");
      for (const secret of ["file-text-that-must-never-leave", "secretSauce", "Bearer", "eyJ", "cookie-never-sent"]) {
        assert.ok(!envelope.raw.includes(secret), `an envelope carries "${secret}": ${envelope.raw.slice(0, 300)}`);
      }
      assert.ok(!/authorization/i.test(envelope.raw), "no Authorization header in an envelope");
    }
  });

  test("/api/metrics counts the errors by route and by class, lists the last ones, and has latency p50/p95 by route", async () => {
    const report = await metrics(tracked);
    assert.ok((report.errors.byRoute["POST /api/test-fault"] ?? 0) >= 1);
    assert.ok((report.errors.byRoute["PUT /live/:room/files/:name{.+}"] ?? 0) >= 1);
    assert.ok((report.errors.byObject.CodeRoom ?? 0) >= 2, JSON.stringify(report.errors.byObject));
    const recent = report.errors.recent.find((error) => error.where === "CodeRoom.writeFile");
    assert.equal(recent?.message, "injected fault in writeFile");
    assert.match(recent?.requestId ?? "", /\S/);
    assert.ok(!JSON.stringify(report.errors).includes("file-text-that-must-never-leave"));
    const latency = report.requests.latencyMs["POST /api/test-fault"];
    assert.ok(latency && latency.count >= 1 && latency.p50 !== null && latency.p95 !== null && latency.p95 >= latency.p50);
  });
});

describe("/admin", () => {
  test("shows the metrics and the last errors to an admin, escaped, with no script", async () => {
    const token = await signer.sign({ sub: ADMIN });
    const response = await fetch(new URL("/admin", tracked.url), { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(response.headers.get("content-security-policy") ?? "", /default-src 'none'/);
    const page = await response.text();
    assert.ok(page.includes("POST /api/test-fault"));
    assert.ok(page.includes("CodeRoom.writeFile"));
    assert.ok(page.includes("injected fault in writeFile"));
    assert.ok(page.includes("/live/:room/files/:name{.+}"));
    assert.ok(!page.includes("<script"));
  });

  test("is refused to anyone but an admin", async () => {
    assert.equal((await fetch(new URL("/admin", tracked.url))).status, 401);
    const other = await signer.sign({ sub: "user_other" });
    assert.equal((await fetch(new URL("/admin", tracked.url), { headers: { authorization: `Bearer ${other}` } })).status, 403);
  });
});

describe("without SENTRY_DSN", () => {
  test("the same errors are counted and nothing is sent: the Worker and its objects make no request at all", async () => {
    const room = nextRoom();
    const { roomRequest } = await causeFaults(untracked, room);
    await waitUntil(async () => (await metrics(untracked)).errors.byObject.CodeRoom === 2, { what: "both room errors to be counted" });
    const report = await metrics(untracked);
    assert.ok(report.errors.recent.some((error) => error.requestId === roomRequest));
    assert.equal(report.errors.byRoute["POST /api/test-fault"], 1);
    assert.deepEqual(outbound, []);
  });
});
