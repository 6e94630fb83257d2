/**
 * The daily AI budget (AI_DAILY_REQUESTS) through the real Worker, CodeRoom and RateLimiter under workerd, with the
 * official OpenAI SDK pointed at a loopback fake: every call that reaches a provider counts, one deployment-wide counter
 * per UTC day; once it is spent a question's POST and a transcription are 429 with Retry-After until midnight UTC, before
 * any provider is called; and the count survives a restart of the stack.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { ChatMessage } from "../../core/chat.js";
import { startFakeOpenAI, type FakeProvider } from "../fake-providers.js";
import { startTestWorker, waitUntil, type TestWorker } from "../test-support.js";

let openai: FakeProvider;
let dir: string;
let worker: TestWorker | undefined;
const room = `ai-budget-${process.pid}`;
const AUDIO = new Uint8Array(1024).map((_, i) => (i * 13) % 256);

/** OpenAI only (no ANTHROPIC_API_KEY), a budget of 3 a day, storage kept in `dir` across restarts. */
const start = () =>
  startTestWorker({
    persistDir: dir,
    vars: { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseURL, AI_DAILY_REQUESTS: "3", RATE_LIMIT_AI_PER_MINUTE: "1000" },
  });

before(async () => {
  openai = await startFakeOpenAI();
  dir = await mkdtemp(join(tmpdir(), "spike-ai-budget-"));
});

after(async () => {
  await worker?.dispose();
  await openai?.close();
  await rm(dir, { recursive: true, force: true });
});

type Answer = { status: number; json: any; headers: Headers };

async function ask(model = "gpt-4o-mini", text = "What does it do?"): Promise<Answer> {
  const response = await fetch(new URL(`/live/${room}/chat`, worker!.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text, model, author: "Ada" }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

async function transcribe(type = "audio/webm"): Promise<Answer> {
  const response = await fetch(new URL("/api/transcribe", worker!.url), {
    method: "POST",
    headers: { "content-type": type },
    body: AUDIO,
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

async function messages(): Promise<ChatMessage[]> {
  const response = await fetch(new URL(`/live/${room}/chat`, worker!.url), { signal: AbortSignal.timeout(15_000) });
  return ((await response.json()) as { messages: ChatMessage[] }).messages;
}

async function ended(id: string): Promise<ChatMessage> {
  let message: ChatMessage | undefined;
  await waitUntil(
    async () => {
      message = (await messages()).find((m) => m.id === id);
      return message !== undefined && message.status !== "streaming";
    },
    { what: `message ${id} to end` },
  );
  return message!;
}

/** The budget's refusal: 429, Retry-After until the next UTC midnight, and an error that says so. */
function assertSpent(answer: Answer, what: string): void {
  assert.equal(answer.status, 429, `${what}: ${JSON.stringify(answer.json)}`);
  const now = Date.now();
  const midnight = new Date(now);
  midnight.setUTCHours(24, 0, 0, 0);
  const retryAfter = Number(answer.headers.get("retry-after"));
  // The server read its clock a moment before this one: its wait is at most this many seconds longer, never shorter.
  const expected = Math.ceil((midnight.getTime() - now) / 1000);
  assert.ok(retryAfter >= expected && retryAfter <= expected + 60, `${what}: Retry-After ${retryAfter}, midnight in ${expected} s`);
  assert.equal(answer.json.retryAfter, retryAfter);
  assert.equal(answer.json.resetsAt, midnight.toISOString());
  assert.match(answer.json.error, /^the daily AI budget of this server \(3 requests a day\) is spent; it resets at 00:00 UTC, in \d+ (h|min|s)/);
}

describe("AI_DAILY_REQUESTS", () => {
  test("calls that never reach a provider are free; the fourth provider call of the day is a 429 until midnight UTC, and stays one after a restart", async () => {
    worker = await start();
    // Refused for free: not audio, a model that is not allowed, a question whose provider has no key (its message fails).
    assert.equal((await transcribe("text/plain")).status, 415);
    assert.equal((await ask("gpt-4o")).status, 400);
    const keyless = await ask("claude-haiku-4-5");
    assert.equal(keyless.status, 202);
    assert.match((await ended(keyless.json.assistantMessageId)).error ?? "", /ANTHROPIC_API_KEY/);
    const calls = openai.requests.length;

    // Three calls reach the provider: the day's budget.
    openai.script({ text: "one" }, { text: "It renders a counter." }, { text: "three" });
    assert.equal((await transcribe()).status, 200);
    const asked = await ask();
    assert.equal(asked.status, 202, JSON.stringify(asked.json));
    assert.equal((await ended(asked.json.assistantMessageId)).status, "done");
    assert.equal((await transcribe()).status, 200);
    assert.equal(openai.requests.length, calls + 3);

    // Spent: the question's own POST is refused (nothing appended), and so is a transcription; no provider call.
    const before = (await messages()).length;
    assertSpent(await ask("gpt-4o-mini", "one more?"), "question");
    assertSpent(await transcribe(), "transcription");
    assert.equal((await messages()).length, before);
    assert.ok(!(await messages()).some((m) => m.text === "one more?"));
    assert.equal(openai.requests.length, calls + 3);

    // A restart of the whole stack does not hand the day's budget out again.
    await worker.dispose();
    worker = await start();
    assertSpent(await ask("gpt-4o-mini", "after the restart?"), "question after a restart");
    assertSpent(await transcribe(), "transcription after a restart");
    assert.equal(openai.requests.length, calls + 3);
  });
});
