#!/usr/bin/env node
/**
 * AI chat streaming latency: from the moment the (fake) provider writes a token on the wire to the moment that token is in
 * the Y.Text of a second client of the room. The real main Worker and CodeRoom run under wrangler dev / workerd
 * (unstable_startWorker, through workers/test-support.ts); the official OpenAI and Anthropic SDKs inside the room talk to
 * the loopback fakes of workers/fake-providers.ts, which run in this process, as does the second client (a stock
 * y-websocket client), so both timestamps come from the same clock.
 *
 *   node --import tsx bench/chat-latency.mjs [--questions 30] [--tokens 40] [--delay-ms 20] [--providers openai,anthropic]
 *                                            [--max-seconds 170] [--json]
 *
 * See bench/README.md. Everything listens on / connects to 127.0.0.1 only.
 */
import http from "node:http";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { RoomHttp } from "../core/room-http.ts";
import { startFakeAnthropic, startFakeOpenAI } from "../workers/fake-providers.ts";
import { connectClient, startTestWorker } from "../workers/test-support.ts";
import { onCleanup, runBench, summarize, useLocalWranglerState, withTimeout } from "./support.mjs";

const HOST = "127.0.0.1";
/** The room writes streamed tokens to the doc at most this often (TOKEN_BATCH_MS in workers/durable-objects/room-chat-reply.ts). */
const SERVER_BATCH_MS = 30;

const PROVIDERS = {
  openai: { model: "gpt-4o-mini", title: "OpenAI SDK (gpt-4o-mini)" },
  anthropic: { model: "claude-haiku-4-5", title: "Anthropic SDK (claude-haiku-4-5)" },
};

// ---- options ---------------------------------------------------------------------------------------------------------

const HELP = `usage: node --import tsx bench/chat-latency.mjs [options]     (or: npm run bench:chat -- [options])
  --questions 30           questions per provider, asked one after another in one room
  --warmup 3               unmeasured questions per provider before
  --tokens 40              tokens per reply (each token is one 5-character chunk, one SSE frame)
  --delay-ms 20            pause of the fake provider between two tokens
  --providers openai,anthropic
  --question-timeout-ms 15000  a reply not complete at the second client within this fails the run
  --max-seconds 170        hard stop for the whole run (cleans up, exits 1)
  --json                   also print the raw samples`;

function parseArgs(argv) {
  const opts = { questions: 30, warmup: 3, tokens: 40, delayMs: 20, providers: ["openai", "anthropic"], questionTimeoutMs: 15_000, maxSeconds: 170, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const num = () => {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value < 0) throw new Error(`${flag} needs a non-negative number`);
      return value;
    };
    switch (flag) {
      case "--questions": opts.questions = Math.max(1, Math.floor(num())); break;
      case "--warmup": opts.warmup = Math.floor(num()); break;
      case "--tokens": opts.tokens = Math.min(999, Math.max(1, Math.floor(num()))); break;
      case "--delay-ms": opts.delayMs = num(); break;
      case "--providers": {
        opts.providers = String(argv[++i] ?? "").split(",").filter(Boolean);
        const unknown = opts.providers.filter((p) => !(p in PROVIDERS));
        if (unknown.length > 0 || opts.providers.length === 0) throw new Error(`--providers: use some of ${Object.keys(PROVIDERS).join(",")}`);
        break;
      }
      case "--question-timeout-ms": opts.questionTimeoutMs = num(); break;
      case "--max-seconds": opts.maxSeconds = num(); break;
      case "--json": opts.json = true; break;
      case "--help": case "-h": console.log(HELP); process.exit(0);
      default: throw new Error(`unknown option ${flag}\n${HELP}`);
    }
  }
  return opts;
}

// ---- token send times at the fake providers -----------------------------------------------------------------------------

/**
 * Tokens are `t000 `, `t001 `, … (5 characters each, one per SSE frame), so the frame a fake provider writes names its
 * token. The fakes call `res.write(frame)`; this wrapper notes the time just before each such write on a provider path.
 * Only this process's ServerResponse objects are affected (workerd is another process).
 */
const TOKEN_IN_FRAME = /"(?:content|text)":"t(\d{3}) "/;
let onTokenWritten = null;
const originalWrite = http.ServerResponse.prototype.write;
http.ServerResponse.prototype.write = function write(chunk, ...rest) {
  if (onTokenWritten && typeof chunk === "string") {
    const url = this.req?.url ?? "";
    if (url.endsWith("/chat/completions") || url.endsWith("/messages")) {
      const match = TOKEN_IN_FRAME.exec(chunk);
      if (match) onTokenWritten(Number(match[1]), performance.now());
    }
  }
  return originalWrite.call(this, chunk, ...rest);
};
onCleanup(() => {
  http.ServerResponse.prototype.write = originalWrite;
});

const replyText = (tokens) => Array.from({ length: tokens }, (_, i) => `t${String(i).padStart(3, "0")} `).join("");

// ---- one question ---------------------------------------------------------------------------------------------------

/**
 * Ask one question and follow the reply at the second client. Returns per-token send and arrival times (ms,
 * performance.now() of this process).
 */
async function askOne(worker, client, room, model, opts) {
  const sent = new Array(opts.tokens).fill(NaN);
  const arrived = new Array(opts.tokens).fill(NaN);
  onTokenWritten = (index, t) => {
    if (index < sent.length && Number.isNaN(sent[index])) sent[index] = t;
  };
  const chat = client.doc.getArray("chat");
  // The question and the assistant message are appended together, so the reply is the entry after the question.
  const replyIndex = chat.length + 1;
  let status = "";
  let resolveDone;
  const done = new Promise((resolve) => (resolveDone = resolve));
  const observe = () => {
    const now = performance.now();
    const entry = chat.length > replyIndex ? chat.get(replyIndex) : undefined;
    if (!entry) return;
    const text = entry.get("text");
    const complete = Math.min(opts.tokens, Math.floor((text?.length ?? 0) / 5));
    for (let i = 0; i < complete; i++) if (Number.isNaN(arrived[i])) arrived[i] = now;
    status = String(entry.get("status") ?? "");
    if (status !== "streaming" && status !== "") resolveDone();
  };
  chat.observeDeep(observe);
  try {
    const http = new RoomHttp({ server: worker.url.origin, room });
    await withTimeout(http.sendChat({ text: "Count for me, please.", model, author: "bench" }), 15_000, `the question in ${room}`);
    observe();
    await withTimeout(done, opts.questionTimeoutMs, `the reply in ${room}`);
    if (status !== "done") {
      const entry = chat.get(replyIndex);
      throw new Error(`the reply ended ${status}: ${entry.get("error") ?? ""}`);
    }
  } finally {
    chat.unobserveDeep(observe);
    onTokenWritten = null;
  }
  const missing = arrived.findIndex((t, i) => Number.isNaN(t) || Number.isNaN(sent[i]));
  if (missing >= 0) throw new Error(`token ${missing} was ${Number.isNaN(sent[missing]) ? "never written by the fake" : "never seen by the client"}`);
  return { sent, arrived };
}

// ---- report --------------------------------------------------------------------------------------------------------------

const ms = (v) => (Number.isFinite(v) ? v.toFixed(1).padStart(7) : "      -");

function report(results, opts, meta) {
  const out = [];
  out.push("");
  out.push(`chat-latency: provider writes a token -> the token is in a second client's Y.Text (ms)`);
  out.push(`  ${meta.machine}`);
  out.push(`  ${opts.questions} questions per provider (after ${opts.warmup} warm-up), one at a time, ${opts.tokens} tokens of 5 chars per reply, ${opts.delayMs} ms apart at the fake`);
  out.push(`  server-side batching: the room writes tokens to the doc at most every ${SERVER_BATCH_MS} ms after the previous write, leading edge first (the first token goes out at once)`);
  out.push("");
  out.push(`  ${"".padEnd(35)} | first token                     | every token                     | tokens/s      | updates`);
  out.push(`  ${"provider".padEnd(35)} |     p50     p95     max    mean |     p50     p95     max    mean |   sent   seen | /reply`);
  for (const r of results) {
    const f = summarize(r.firstToken);
    const a = summarize(r.perToken);
    out.push(
      `  ${r.title.padEnd(35)} | ${ms(f.p50)} ${ms(f.p95)} ${ms(f.max)} ${ms(f.mean)} | ${ms(a.p50)} ${ms(a.p95)} ${ms(a.max)} ${ms(a.mean)} | ${r.sentRate.toFixed(1).padStart(6)} ${r.seenRate.toFixed(1).padStart(6)} | ${r.updatesPerReply.toFixed(1).padStart(6)}`,
    );
  }
  out.push("");
  out.push("  first token: the first token's send at the fake -> its arrival at the second client (one sample per question).");
  out.push("  every token: each token's send -> its arrival (questions x tokens samples).");
  out.push("  tokens/s sent: rate the fake wrote them (first to last token); seen: rate they became visible at the client, same span.");
  out.push("  updates/reply: distinct arrival moments per reply at the client (how many doc updates the tokens came in).");
  out.push(`  load average now ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; total run time ${((performance.now() - meta.startedAt) / 1000).toFixed(1)} s`);
  console.log(out.join("\n"));
  if (opts.json) console.log(JSON.stringify(results.map(({ title, samples }) => ({ title, samples })), null, 1));
}

// ---- main -----------------------------------------------------------------------------------------------------------------

async function main(opts, startedAt) {
  useLocalWranglerState();
  const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`;

  const openai = await startFakeOpenAI();
  onCleanup(() => openai.close());
  const anthropic = await startFakeAnthropic();
  onCleanup(() => anthropic.close());
  for (const fake of [openai, anthropic]) {
    if (new URL(fake.baseURL).hostname !== HOST) throw new Error(`fake provider on ${fake.baseURL}, expected ${HOST}`);
    fake.defaultReply = { text: replyText(opts.tokens), chunkSize: 5, delayMs: opts.delayMs };
  }
  console.error("chat-latency: starting the worker (wrangler dev / workerd) …");
  const worker = await withTimeout(
    startTestWorker({
      vars: {
        OPENAI_API_KEY: openai.apiKey,
        OPENAI_BASE_URL: openai.baseURL,
        ANTHROPIC_API_KEY: anthropic.apiKey,
        ANTHROPIC_BASE_URL: anthropic.baseURL,
        CHAT_RATE_LIMIT_PER_MINUTE: "100000",
      },
    }),
    60_000,
    "worker start",
  );
  onCleanup(() => worker.dispose());
  if (worker.url.hostname !== HOST) throw new Error(`worker listens on ${worker.url.hostname}, expected ${HOST}`);

  const results = [];
  for (const name of opts.providers) {
    const { model, title } = PROVIDERS[name];
    const room = `bench-chat-${name}-${process.pid}`;
    const client = connectClient(worker, room);
    onCleanup(() => client.destroy());
    await client.synced(15_000);
    console.error(`chat-latency: ${title}: ${opts.warmup} warm-up + ${opts.questions} questions …`);
    const samples = [];
    for (let q = 0; q < opts.warmup + opts.questions; q++) {
      const sample = await askOne(worker, client, room, model, opts);
      if (q >= opts.warmup) samples.push(sample);
    }
    client.destroy();
    const firstToken = samples.map((s) => s.arrived[0] - s.sent[0]);
    const perToken = samples.flatMap((s) => s.arrived.map((t, i) => t - s.sent[i]));
    const span = (times) => times[times.length - 1] - times[0];
    const rate = (pick) => {
      const total = samples.reduce((sum, s) => sum + span(pick(s)), 0);
      return total > 0 ? (samples.length * (opts.tokens - 1)) / (total / 1000) : NaN;
    };
    const updatesPerReply = samples.reduce((sum, s) => sum + new Set(s.arrived).size, 0) / samples.length;
    results.push({ title, firstToken, perToken, sentRate: rate((s) => s.sent), seenRate: rate((s) => s.arrived), updatesPerReply, samples });
  }
  report(results, opts, { machine, startedAt });
}

const startedAt = performance.now();
let opts0;
try {
  opts0 = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
await runBench("chat-latency", opts0.maxSeconds, () => main(opts0, startedAt));
