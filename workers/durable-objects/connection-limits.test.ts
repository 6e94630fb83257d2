/**
 * Connections from one address, through the real Worker and CodeRoom: a classroom behind one NAT on flaky Wi-Fi keeps
 * getting back in (stock y-websocket clients are refused with an HTTP 429 they back off from, never a close code they take
 * as final, and refused attempts cost no tokens); one address cannot fill a room; a socket that never speaks is closed.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import WebSocket from "ws";
import * as Y from "yjs";
import { fileText, readFiles } from "../../core/project.js";
import { encodeSyncStep1 } from "../../core/protocol.js";
import { RoomClient, type WebSocketConstructor } from "../../core/room-client.js";
import {
  WEBSOCKET_UPGRADE,
  connectClient,
  openRawSocket,
  rawRequest,
  seededRandom,
  sleep,
  startTestWorker,
  waitUntil,
  type TestClient,
  type TestWorker,
} from "../test-support.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A stock y-websocket client whose socket comes from the loopback address `from` (one address: one NAT). */
function stockClientFrom(worker: TestWorker, from: string, room: string): TestClient {
  const client = connectClient(worker, room, { from });
  cleanups.push(() => client.destroy());
  return client;
}

/** Every client connected, synced and holding the same text. */
function converged(clients: TestClient[]): boolean {
  if (!clients.every((c) => c.provider.wsconnected && c.provider.synced)) return false;
  const text = JSON.stringify(readFiles(clients[0]!.doc));
  return clients.every((c) => JSON.stringify(readFiles(c.doc)) === text);
}

/**
 * Six stock clients on one address type for `seconds`; on each keystroke a client's connection drops with probability
 * `dropRate` (the socket is destroyed, as flaky Wi-Fi does). Returns how many drops there were.
 */
async function churn(clients: TestClient[], seconds: number, dropRate: number, seed: number): Promise<number> {
  const random = seededRandom(seed);
  let drops = 0;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    for (const client of clients) {
      fileText(client.doc, "index.tsx").insert(0, String.fromCharCode(97 + Math.floor(random() * 26)));
      const ws = client.provider.ws as unknown as WebSocket | null;
      if (ws && ws.readyState === WebSocket.OPEN && random() < dropRate) {
        ws.terminate();
        drops++;
      }
    }
    await sleep(10);
  }
  return drops;
}

describe("a classroom behind one address", () => {
  let worker: TestWorker;
  before(async () => {
    worker = await startTestWorker();
  });
  after(() => worker?.dispose());

  it("six stock clients with heavy churn for 20 s all converge within 10 s after it stops, at default limits", { timeout: 60_000 }, async () => {
    const clients = Array.from({ length: 6 }, () => stockClientFrom(worker, "127.0.0.21", "flaky-wifi"));
    await waitUntil(() => converged(clients), { what: "the class to join" });
    const drops = await churn(clients, 20, 0.04, 9);
    assert.ok(drops > 100, `only ${drops} drops: not much of a storm`);
    await waitUntil(() => converged(clients), { timeoutMs: 10_000, what: "every client to be back and converged" });
  });

  it("fifty of spike's clients behind one address, dropped all at once twice, all get back in at default limits", { timeout: 60_000 }, async () => {
    class SocketFrom extends WebSocket {
      constructor(url: string) {
        super(url, { localAddress: "127.0.0.22" });
      }
    }
    const WS = SocketFrom as unknown as WebSocketConstructor;
    const sockets: WebSocket[] = [];
    // Record each client's socket so the test can cut it like a dropped Wi-Fi link.
    class Recorded extends SocketFrom {
      constructor(url: string) {
        super(url);
        sockets.push(this);
      }
    }
    const clients = Array.from({ length: 50 }, (_, i) => {
      const client = new RoomClient({ server: worker.url.origin, room: "classroom", WebSocket: Recorded as unknown as typeof WS, user: { name: `Pupil ${i}` } });
      cleanups.push(() => client.destroy());
      return client;
    });
    const lost = clients.map(() => 0);
    clients.forEach((c, i) => c.on("synced", (synced: boolean) => void (synced || lost[i]!++)));
    const allSynced = () => clients.every((c) => c.synced);
    await waitUntil(allSynced, { timeoutMs: 20_000, what: "the class to join" });
    for (let outage = 1; outage <= 2; outage++) {
      for (const ws of sockets.splice(0)) ws.terminate();
      await waitUntil(() => lost.every((n) => n >= outage) && allSynced(), { timeoutMs: 20_000, what: `everyone back after outage ${outage}` });
    }
    fileText(clients[0]!.doc, "index.tsx").insert(0, "// hello class\n");
    await waitUntil(() => clients.every((c) => readFiles(c.doc)["index.tsx"] === "// hello class\n"), { what: "everyone to see it" });
  });
});

describe("refusing a connect", () => {
  let worker: TestWorker;
  before(async () => {
    worker = await startTestWorker({
      vars: {
        RATE_LIMIT_CONNECT_PER_MINUTE: "30",
        RATE_LIMIT_CONNECT_BURST: "6",
        ROOM_MAX_CONNECTIONS_PER_IP: "3",
        ROOM_IDLE_TIMEOUT_SECONDS: "1",
      },
    });
  });
  after(() => worker?.dispose());

  const upgradeFrom = (from: string, path: string) =>
    rawRequest(worker, path, { headers: { ...WEBSOCKET_UPGRADE, "cf-connecting-ip": from } });

  it("over the connect limit, a stock client gets an HTTP 429 with Retry-After before the upgrade; spike's client a 4429 close", async () => {
    const from = "198.51.100.7";
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await upgradeFrom(from, `/live/limited-${i}/ws`));
    const refused = answers.filter((a) => a.status === 429);
    assert.equal(answers.filter((a) => a.status === 101).length, 6, "the burst gets in");
    assert.equal(refused.length, 4);
    for (const answer of refused) {
      assert.ok(Number(answer.headers["retry-after"]) >= 1);
      assert.match(JSON.parse(answer.text).error, /too many connections: at most 30 a minute; retry in \d+ s/);
    }
    const spike = await openRawSocket(worker, "/live/limited-x/ws", { headers: { "cf-connecting-ip": from } });
    const closed = await spike.closed;
    assert.equal(closed.code, 4429);
    assert.match(closed.reason, /retry in \d+ s$/);
  });

  it("one address may hold at most ROOM_MAX_CONNECTIONS_PER_IP sockets in a room; refusals cost no connect tokens; others still join", async () => {
    const from = "198.51.100.8";
    const held = [];
    for (let i = 0; i < 3; i++) {
      const socket = await openRawSocket(worker, "/live/crowded-by-one/ws", { headers: { "cf-connecting-ip": from } });
      socket.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
      held.push(socket);
    }
    cleanups.push(() => held.forEach((s) => s.ws.terminate()));
    const fourth = await openRawSocket(worker, "/live/crowded-by-one/ws", { headers: { "cf-connecting-ip": from } });
    const closed = await fourth.closed;
    assert.equal(closed.code, 1013);
    assert.match(closed.reason, /too many connections from your address to this room \(3\)/);
    const stock = await upgradeFrom(from, "/live/crowded-by-one/ws");
    assert.equal(stock.status, 429);
    assert.match(JSON.parse(stock.text).error, /too many connections from your address/);
    // Refused ten more times: had each refusal spent a connect token, the burst of 6 would be long gone.
    for (let i = 0; i < 10; i++) assert.equal((await upgradeFrom(from, "/live/crowded-by-one/ws")).status, 429);
    assert.equal((await upgradeFrom(from, "/live/elsewhere/ws")).status, 101, "the address still connects to other rooms");
    assert.equal((await upgradeFrom("198.51.100.9", "/live/crowded-by-one/ws")).status, 101, "another address still joins");
  });

  it("a socket that sends nothing within the idle timeout is closed with 4408; one that spoke stays", async () => {
    const silent = await openRawSocket(worker, "/live/idle/ws", { headers: { "cf-connecting-ip": "198.51.100.10" } });
    const talker = await openRawSocket(worker, "/live/idle/ws", { headers: { "cf-connecting-ip": "198.51.100.11" } });
    cleanups.push(() => talker.ws.terminate());
    talker.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    const closed = await silent.closed;
    assert.equal(closed.code, 4408);
    assert.match(closed.reason, /idle: nothing received within 1 s/);
    await sleep(1_500);
    assert.equal(talker.ws.readyState, WebSocket.OPEN);
  });
});
