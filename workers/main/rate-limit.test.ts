/**
 * Rate limits through the real Worker, RateLimiter and CodeRoom under workerd. Distinct clients are distinct loopback
 * addresses (127.0.0.x): wrangler dev sets `CF-Connecting-IP` from the socket's address, as Cloudflare does from the client's.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import { AuthKind, CloseCode, MessageType, decodeMessage, type SocketRefusal } from "../../core/protocol.js";
import { readFiles, writeFile } from "../../core/project.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";
import { connectClient, sleep, startTestWorker, uniqueRooms, waitUntil, type TestClient, type TestWorker } from "../test-support.js";
import { ipKey } from "../platform/caller.js";

test("an IPv4 client is keyed by its address, an IPv6 client by its /64 (it could rotate through the rest)", () => {
  assert.equal(ipKey("203.0.113.7"), "203.0.113.7");
  assert.equal(ipKey("2001:db8:1:2:aaaa:bbbb:cccc:1"), "2001:db8:1:2::/64");
  assert.equal(ipKey("2001:0db8:0001:0002::1"), ipKey("2001:db8:1:2:ffff::9"));
  assert.equal(ipKey("2001:db8::1"), "2001:db8:0:0::/64");
  assert.equal(ipKey("::1"), "0:0:0:0::/64");
  assert.equal(ipKey(null), "unknown");
});

let worker: TestWorker;
let signer: TestSigner;
const nextRoom = uniqueRooms("limits");

before(async () => {
  signer = await createTestSigner();
  worker = await startTestWorker({
    vars: {
      CLERK_JWT_KEY: signer.publicKeyPem,
      // Small limits so a test can empty a bucket in a few requests; everything else keeps its default.
      RATE_LIMIT_CONNECT_PER_MINUTE: "30",
      RATE_LIMIT_CONNECT_BURST: "5",
      RATE_LIMIT_UPLOAD_PER_MINUTE: "60",
      RATE_LIMIT_UPLOAD_BURST: "3",
      ADMIN_USER_IDS: "user_admin",
      METRICS_FLUSH_MS: "0",
    },
  });
});

after(async () => {
  await worker?.dispose();
});

/** A response read in full. */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any;
}

/** One HTTP request from the loopback address `from` (node:http: fetch cannot choose its source address). */
function send(
  from: string,
  path: string,
  { method = "GET", headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const bytes = body === undefined ? undefined : Buffer.from(body);
    const req = request({
      host: worker.url.hostname,
      port: worker.url.port,
      path,
      method,
      localAddress: from,
      agent: false,
      headers: bytes ? { "content-length": String(bytes.byteLength), ...headers } : headers,
    });
    req.on("error", reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer to ${method} ${path} in 15 s`)));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
      });
    });
    req.end(bytes);
  });
}

function putFile(from: string, room: string, text: string, token?: string): Promise<Answer> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return send(from, `/live/${room}/files/index.tsx`, { method: "PUT", headers, body: text });
}

/** Assert the shape of a refusal: 429, `Retry-After` in whole seconds, JSON `{error, retryAfter}` with the same wait. */
function assertRefused(answer: Answer, what: RegExp): number {
  assert.equal(answer.status, 429, JSON.stringify(answer.json));
  const retryAfter = Number(answer.headers["retry-after"]);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${answer.headers["retry-after"]}`);
  assert.match(answer.json.error, what);
  assert.match(answer.json.error, new RegExp(`retry in ${retryAfter} s$`));
  assert.equal(answer.json.retryAfter, retryAfter);
  assert.equal(answer.json.requestId, answer.headers["x-request-id"]);
  return retryAfter;
}

/**
 * How a socket from `from` ended up: let in by the room (it sent a frame of the room) or closed by the server, with the
 * Auth/Refused it sent first (null when none came).
 */
type SocketOutcome =
  | { accepted: true; ws: WebSocket }
  | { accepted: false; code: number; reason: string; refusal: SocketRefusal | null };

/**
 * A socket from `from` that, like spike's RoomClient, reads close codes (`?client=spike`): refusals come as an Auth/Refused
 * with the wait, then a 4429 close.
 */
function connectFrom(from: string, room: string): Promise<SocketOutcome> {
  const ws = new WebSocket(new URL(`/live/${room}/ws?client=spike`, worker.url).href.replace(/^http/, "ws"), { localAddress: from });
  let refusal: SocketRefusal | null = null;
  return new Promise((resolve, reject) => {
    ws.on("message", (data) => {
      const message = decodeMessage(new Uint8Array(data as Buffer));
      if (message.type === MessageType.Auth && message.kind === AuthKind.Refused) refusal = message.refusal;
      else resolve({ accepted: true, ws });
    });
    ws.once("close", (code, reason) => resolve({ accepted: false, code, reason: reason.toString("utf8"), refusal }));
    ws.once("error", reject);
  });
}

/** A stock y-websocket client whose socket comes from the loopback address `from`. */
function yClientFrom(from: string, room: string): TestClient {
  return connectClient(worker, room, { from });
}

describe("rate limits", () => {
  test("a flood of connects from one IP is closed with 4429 and a retry hint while another IP joins the room and syncs", async () => {
    const room = nextRoom();
    const started = Date.now();
    const flood = Promise.all(Array.from({ length: 40 }, () => connectFrom("127.0.0.2", room)));
    const alice = yClientFrom("127.0.0.3", room);
    const bob = yClientFrom("127.0.0.3", room);
    try {
      const outcomes = await flood;
      const seconds = (Date.now() - started) / 1000;
      const accepted = outcomes.filter((o) => o.accepted);
      const refused = outcomes.filter((o): o is Extract<SocketOutcome, { accepted: false }> => !o.accepted);
      // Burst 5, refilling 0.5 a second: the flood gets 5 in, plus what refilled while it lasted.
      const most = 5 + Math.ceil(seconds * 0.5);
      assert.ok(accepted.length >= 5 && accepted.length <= most, `${accepted.length} of 40 accepted in ${seconds.toFixed(1)} s`);
      assert.equal(refused.length, 40 - accepted.length);
      for (const { code, reason } of refused) {
        assert.equal(code, CloseCode.RateLimited);
        assert.match(reason, /^too many connections: at most 30 a minute; retry in \d+ s$/);
      }
      // The wait travels as data before the close, and the reason says the same for people.
      for (const { reason, refusal } of refused) {
        assert.ok(refusal, "an Auth/Refused came before the close");
        assert.equal(refusal.code, CloseCode.RateLimited);
        assert.ok(refusal.retryAfterSeconds >= 1 && refusal.retryAfterSeconds <= 2, JSON.stringify(refusal));
        assert.ok(reason.endsWith(`retry in ${refusal.retryAfterSeconds} s`), reason);
      }

      // Meanwhile the other address joined and its two clients edit together.
      await waitUntil(() => alice.provider.synced && bob.provider.synced, { what: "127.0.0.3's clients to sync" });
      writeFile(alice.doc, "index.tsx", "export default 'from .3';\n");
      await waitUntil(() => readFiles(bob.doc)["index.tsx"] === "export default 'from .3';\n", { what: "bob to see alice's edit" });
      // The flooder's accepted sockets are not touched by the limit on new connects.
      assert.ok(accepted.every((o) => o.accepted && o.ws.readyState === WebSocket.OPEN));
    } finally {
      alice.destroy();
      bob.destroy();
      for (const outcome of await flood) if (outcome.accepted) outcome.ws.close();
    }
  });

  test("an HTTP flood at default limits: hundreds of requests from one IP, the excess 429 with Retry-After and JSON", async () => {
    // /npm/* is the "compute" bucket: 300 at once, then 10 a second. A package outside the offline set: a cheap 404.
    const path = "/npm/not-a-package";
    const total = 500;
    const answers: Answer[] = [];
    const started = Date.now();
    for (let i = 0; i < total; i += 50) {
      answers.push(...(await Promise.all(Array.from({ length: 50 }, () => send("127.0.0.4", path)))));
    }
    const seconds = (Date.now() - started) / 1000;
    const ok = answers.filter((a) => a.status === 404).length;
    const refused = answers.filter((a) => a.status === 429);
    assert.equal(ok + refused.length, total, `statuses: ${[...new Set(answers.map((a) => a.status))].join(", ")}`);
    assert.ok(ok >= 300 && ok <= 300 + Math.ceil(seconds * 10) + 1, `${ok} of ${total} let through in ${seconds.toFixed(1)} s`);
    assert.ok(refused.length >= total - 300 - Math.ceil(seconds * 10) - 1);
    for (const answer of refused) assertRefused(answer, /^too many requests: at most 600 a minute; /);
    // Readable from a page on another origin, like the route's own answers.
    assert.equal(refused[0]!.headers["access-control-allow-origin"], "*");
    // One "compute" bucket for every CPU-heavy route: the flooder's bundle and transpile requests are refused too.
    assertRefused(await send("127.0.0.4", `/live/${nextRoom()}/index.js`), /^too many requests: /);
    assertRefused(await send("127.0.0.4", "/api/transpile", { method: "POST", body: "{}" }), /^too many requests: /);
    // Another address is unaffected.
    assert.equal((await send("127.0.0.5", path)).status, 404);
  });

  test("a signed-in user's bucket follows the user across IPs", async () => {
    const room = nextRoom();
    const ada = await signer.sign({ sub: "user_ada" });
    const bo = await signer.sign({ sub: "user_bo" });
    for (let i = 0; i < 3; i++) assert.equal((await putFile("127.0.0.6", room, `ada ${i}`, ada)).status, 200);
    // A fresh address, the same user: refused by the user's bucket.
    assertRefused(await putFile("127.0.0.7", room, "ada from elsewhere", ada), /^too many uploads: at most 60 a minute; /);
    // The same fresh address is fine for another user and for an anonymous client.
    assert.equal((await putFile("127.0.0.8", room, "bo", bo)).status, 200);
    assert.equal((await putFile("127.0.0.8", room, "anonymous")).status, 200);
    const session = await send("127.0.0.9", `/live/${room}/session.json`);
    assert.equal(session.json.files["index.tsx"], "anonymous");
  });

  test("a bucket refills: refused, then let in again after Retry-After; X-Forwarded-For does not pick another bucket", async () => {
    const room = nextRoom();
    for (let i = 0; i < 3; i++) assert.equal((await putFile("127.0.0.10", room, `v${i}`)).status, 200);
    const retryAfter = assertRefused(await putFile("127.0.0.10", room, "too soon"), /^too many uploads: /);
    assert.equal(retryAfter, 1);
    const spoofed = await send("127.0.0.10", `/live/${room}/files/index.tsx`, {
      method: "PUT",
      headers: { "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.9" },
      body: "spoofed",
    });
    assertRefused(spoofed, /^too many uploads: /);
    await sleep(retryAfter * 1000 + 100);
    assert.equal((await putFile("127.0.0.10", room, "after the wait")).status, 200);
    assertRefused(await putFile("127.0.0.10", room, "too soon again"), /^too many uploads: /);
  });

  test("refusals are counted by bucket in GET /api/metrics", async () => {
    const read = async () => {
      const token = await signer.sign({ sub: "user_admin" });
      const answer = await send("127.0.0.1", "/api/metrics", { headers: { authorization: `Bearer ${token}` } });
      assert.equal(answer.status, 200, JSON.stringify(answer.json));
      return answer.json.rateLimited as { total: number; byBucket: Record<string, number> };
    };
    const before = await read();
    const room = nextRoom();
    let refused = 0;
    for (let i = 0; i < 5; i++) if ((await putFile("127.0.0.12", room, `m${i}`)).status === 429) refused += 1;
    assert.equal(refused, 2);
    await waitUntil(async () => ((await read()).byBucket["upload"] ?? 0) >= (before.byBucket["upload"] ?? 0) + 2, {
      what: "the upload refusals to be counted",
    });
    const after = await read();
    assert.equal(after.byBucket["upload"], (before.byBucket["upload"] ?? 0) + 2);
    assert.ok(after.total >= after.byBucket["upload"]!);
  });

  test("connects refill too: a refused address gets in after the wait it was told", async () => {
    const room = nextRoom();
    const sockets: WebSocket[] = [];
    try {
      let outcome = await connectFrom("127.0.0.11", room);
      while (outcome.accepted) {
        sockets.push(outcome.ws);
        assert.ok(sockets.length <= 6, "the connect bucket never ran out");
        outcome = await connectFrom("127.0.0.11", room);
      }
      assert.equal(outcome.code, CloseCode.RateLimited);
      assert.ok(outcome.refusal, "the wait came as an Auth/Refused");
      await sleep(outcome.refusal.retryAfterSeconds * 1000 + 100);
      const again = await connectFrom("127.0.0.11", room);
      assert.ok(again.accepted, JSON.stringify(again));
      sockets.push(again.ws);
    } finally {
      for (const ws of sockets) ws.close();
    }
  });
});
