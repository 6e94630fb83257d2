#!/usr/bin/env node
/**
 * What sign-in and permissions cost: token verification on connect and the permission + rate checks on every frame, in µs.
 * Two views: the functions themselves in node (the same modules the Worker and CodeRoom run, timed in a tight loop), and
 * the real Worker + CodeRoom under workerd (unstable_startWorker), where a token-authenticated editor of a read-only room
 * is compared with an anonymous editor of a public room: connect-to-synced time and frame relay time between two clients.
 *
 *   node --import tsx bench/auth-overhead.mjs [--iterations 2000] [--connects 60] [--frames 400] [--json]
 *
 * See bench/README.md. Everything listens on / connects to 127.0.0.1 only.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import * as Y from "yjs";
import {
  AuthKind,
  MessageType,
  SyncStep,
  decodeMessage,
  encodeAuthToken,
  encodeSyncStep1,
  encodeUpdate,
} from "../core/protocol.ts";
import { roomSocketUrl } from "../core/api.ts";
import { RoomHttp } from "../core/room-http.ts";
import { verifyToken } from "../workers/platform/auth.ts";
import { canEdit, policyOf, roleIn } from "../workers/durable-objects/room-permissions.ts";
import { DEFAULT_FRAME_LIMITS } from "../workers/platform/config.ts";
import { SocketFrameLimiter } from "../workers/durable-objects/room-frame-limits.ts";
import { createTestSigner } from "../workers/test-tokens.ts";
import { startTestWorker } from "../workers/test-support.ts";
import { onCleanup, runBench, summarize, table, versionOf, withTimeout } from "./support.mjs";

const opts = { iterations: 2000, connects: 60, frames: 400, json: false };
for (let i = 2; i < process.argv.length; i++) {
  const flag = process.argv[i];
  if (flag === "--json") opts.json = true;
  else if (flag === "--help") {
    console.log("usage: node --import tsx bench/auth-overhead.mjs [--iterations 2000] [--connects 60] [--frames 400] [--json]");
    process.exit(0);
  } else if (["--iterations", "--connects", "--frames"].includes(flag)) opts[flag.slice(2)] = Number(process.argv[++i]);
  else throw new Error(`unknown option ${flag}`);
}

const us = (ms) => ms * 1000;
const fmt = (value) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

// ---- 1. the functions, in node ---------------------------------------------------------------------------------------

async function functionFigures(signer) {
  const env = { CLERK_JWT_KEY: signer.publicKeyPem, ALLOWED_ORIGINS: "http://localhost:8787" };
  const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => signer.sign({ sub: `user_${i}`, azp: "http://localhost:8787" })));
  // Cold: the key text differs each time (extra whitespace inside the PEM body, which normalizePem removes), so the
  // per-isolate key cache misses and the PEM is imported again: what an isolate's first token pays.
  const cold = [];
  for (let i = 0; i < Math.min(200, opts.iterations); i++) {
    const pem = signer.publicKeyPem.replace("-----\n", `-----\n${" ".repeat(i + 1)}`);
    const t0 = performance.now();
    await verifyToken(tokens[i % tokens.length], { ...env, CLERK_JWT_KEY: pem });
    cold.push(us(performance.now() - t0));
  }
  const warm = [];
  for (let i = 0; i < opts.iterations; i++) {
    const t0 = performance.now();
    await verifyToken(tokens[i % tokens.length], env);
    warm.push(us(performance.now() - t0));
  }

  // Per frame: the role lookup and edit check the room makes for every write (room-socket-access.ts roleNow: the user's
  // role under the room's policy, here a read-only room's), and the socket's two token buckets.
  const policy = policyOf({ owner: null, visibility: "readonly", editors: [], members: [] });
  const sockets = Array.from({ length: 50 }, () => ({}));
  const limiter = new SocketFrameLimiter({ ...DEFAULT_FRAME_LIMITS, frameBurst: 1e12, byteBurst: 1e15 });
  const rounds = 2_000_000;
  let allowed = 0;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) {
    const role = roleIn(policy, i % 3 === 0 ? null : `user_${i % 50}`);
    if (canEdit(role) || role === "viewer") allowed++;
  }
  const roleUs = us(performance.now() - t0) / rounds;
  const t1 = performance.now();
  for (let i = 0; i < rounds; i++) if (limiter.take(sockets[i % 50], 64).ok) allowed++;
  const limiterUs = us(performance.now() - t1) / rounds;
  if (allowed === 0) throw new Error("nothing was allowed");
  return { verifyCold: summarize(cold), verifyWarm: summarize(warm), roleCheckUs: roleUs, frameLimiterUs: limiterUs };
}

// ---- 2. the real Worker and CodeRoom -----------------------------------------------------------------------------------

function open(url) {
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  const inbox = [];
  let wake = null;
  ws.on("message", (data) => {
    inbox.push(decodeMessage(new Uint8Array(data)));
    wake?.();
  });
  const next = (predicate, what) =>
    withTimeout(
      new Promise((resolve) => {
        const check = () => {
          const i = inbox.findIndex(predicate);
          if (i < 0) return void (wake = check);
          wake = null;
          resolve(inbox.splice(0, i + 1)[i]);
        };
        check();
      }),
      10_000,
      what,
    );
  return { ws, next, opened: new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject))) };
}

const isStep2 = (m) => m.type === MessageType.Sync && m.step === SyncStep.Step2;
const isGrant = (m) => m.type === MessageType.Auth && m.kind === AuthKind.Granted;
const isUpdate = (m) => m.type === MessageType.Sync && m.step === SyncStep.Update;

/** Open a socket, send the token first when given, and wait for the server's SyncStep2 (and the grant). */
async function connect(base, room, token) {
  const url = roomSocketUrl(base, room);
  const t0 = performance.now();
  const socket = open(url);
  await socket.opened;
  if (token) socket.ws.send(encodeAuthToken(token));
  socket.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
  if (token) await socket.next(isGrant, "grant");
  await socket.next(isStep2, "sync step 2");
  return { socket, ms: performance.now() - t0 };
}

async function roomFigures(signer) {
  const worker = await startTestWorker({
    vars: { CLERK_JWT_KEY: signer.publicKeyPem, RATE_LIMIT_CONNECT_BURST: "100000", RATE_LIMIT_CREATE_BURST: "100000" },
  });
  onCleanup(() => worker.dispose());
  const base = worker.url.origin;
  const owner = await signer.sign({ sub: "user_owner", exp: Math.floor(Date.now() / 1000) + 3600 });
  const editor = await signer.sign({ sub: "user_editor", exp: Math.floor(Date.now() / 1000) + 3600 });
  // Claiming the room; a refusal rejects with an ApiError naming why.
  await new RoomHttp({ server: base, room: "bench-readonly", token: async () => owner })
    .setPermissions({ visibility: "readonly", editors: ["user_editor"], members: [] });

  const modes = [
    { name: "public room, anonymous", room: "bench-public", token: null },
    { name: "read-only room, editor with token", room: "bench-readonly", token: editor },
  ];
  const results = {};
  for (const mode of modes) {
    const connects = [];
    for (let i = 0; i < opts.connects; i++) {
      const { socket, ms } = await connect(base, mode.room, mode.token);
      if (i >= 5) connects.push(us(ms));
      socket.ws.close();
    }
    // Frame relay: A writes single-character inserts, B sees each; the room checks A's role and buckets on every one.
    const a = await connect(base, mode.room, mode.token);
    const b = await connect(base, mode.room, mode.token);
    const doc = new Y.Doc();
    const relay = [];
    for (let i = 0; i < opts.frames; i++) {
      const before = Y.encodeStateVector(doc);
      doc.getText("bench").insert(0, "x");
      const update = Y.encodeStateAsUpdate(doc, before);
      const t0 = performance.now();
      a.socket.ws.send(encodeUpdate(update));
      await b.socket.next(isUpdate, "relayed update");
      if (i >= 20) relay.push(us(performance.now() - t0));
    }
    a.socket.ws.close();
    b.socket.ws.close();
    results[mode.name] = { connect: summarize(connects), relay: summarize(relay) };
  }
  await worker.dispose();
  return results;
}

// ---- run -------------------------------------------------------------------------------------------------------------

await runBench("auth-overhead", 240, async () => {
  const signer = await createTestSigner();
  const fn = await functionFigures(signer);
  const room = await roomFigures(signer);
  const result = {
    machine: `${os.cpus().length} cores, node ${process.versions.node}, jose ${versionOf("jose")}, wrangler ${versionOf("wrangler")}`,
    functions: fn,
    room,
  };
  if (opts.json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`auth-overhead (${result.machine})\n`);
    console.log("In node, the same modules the Worker and room run (µs per call):");
    console.log(
      table(
        ["check", "p50", "p95", "p99", "n"],
        [
          ["verifyToken, first use of a key (PEM import + RS256)", fmt(fn.verifyCold.p50), fmt(fn.verifyCold.p95), fmt(fn.verifyCold.p99), fn.verifyCold.count],
          ["verifyToken, cached key (RS256 verify + claims)", fmt(fn.verifyWarm.p50), fmt(fn.verifyWarm.p95), fmt(fn.verifyWarm.p99), fn.verifyWarm.count],
          ["per frame: role lookup + edit check", fmt(fn.roleCheckUs), "", "", "2e6"],
          ["per frame: frames + bytes token buckets", fmt(fn.frameLimiterUs), "", "", "2e6"],
        ],
        ["l", "r", "r", "r", "r"],
      ),
    );
    console.log("\nThrough the real Worker and CodeRoom under workerd (µs):");
    const rows = [];
    for (const [name, r] of Object.entries(room)) {
      rows.push([`${name}: connect -> synced`, fmt(r.connect.p50), fmt(r.connect.p95), fmt(r.connect.p99), r.connect.count]);
      rows.push([`${name}: frame relay A -> B`, fmt(r.relay.p50), fmt(r.relay.p95), fmt(r.relay.p99), r.relay.count]);
    }
    console.log(table(["path", "p50", "p95", "p99", "n"], rows, ["l", "r", "r", "r", "r"]));
  }
});
