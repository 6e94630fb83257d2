/**
 * What one question may cost, through the real Worker and CodeRoom under workerd with the official OpenAI and Anthropic
 * SDKs pointed at loopback fakes: the models a caller may pick (AI_MODELS, the inexpensive tier by default, also listed
 * by `GET /api/config`) and the longest reply asked of either provider (AI_MAX_OUTPUT_TOKENS, read off the requests the
 * fakes received).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ChatMessage } from "../../core/chat.js";
import { startFakeAnthropic, startFakeOpenAI, type FakeProvider } from "../fake-providers.js";
import { startTestWorker, uniqueRooms, waitUntil, type TestWorker } from "../test-support.js";

let openai: FakeProvider;
let anthropic: FakeProvider;
/** No AI_MODELS, no AI_MAX_OUTPUT_TOKENS. */
let defaults: TestWorker;
/** AI_MODELS=o4-mini, claude-sonnet-4-5 and AI_MAX_OUTPUT_TOKENS=1234. */
let custom: TestWorker;
/** AI_MODELS naming a model spike does not know. */
let misnamed: TestWorker;
const nextRoom = uniqueRooms("ai-limits");
const DEFAULT_MODELS = ["gpt-4o-mini", "gpt-4.1-mini", "claude-haiku-4-5"];

before(async () => {
  openai = await startFakeOpenAI();
  anthropic = await startFakeAnthropic();
  const keys = {
    OPENAI_API_KEY: openai.apiKey,
    OPENAI_BASE_URL: openai.baseURL,
    ANTHROPIC_API_KEY: anthropic.apiKey,
    ANTHROPIC_BASE_URL: anthropic.baseURL,
    RATE_LIMIT_AI_PER_MINUTE: "1000",
  };
  [defaults, custom, misnamed] = await Promise.all([
    startTestWorker({ vars: keys }),
    startTestWorker({ vars: { ...keys, AI_MODELS: " o4-mini,claude-sonnet-4-5 ", AI_MAX_OUTPUT_TOKENS: "1234" } }),
    startTestWorker({ vars: { ...keys, AI_MODELS: "gpt-4o-mini, gpt-5-turbo" } }),
  ]);
});

after(async () => {
  await Promise.all([defaults?.dispose(), custom?.dispose(), misnamed?.dispose()]);
  await Promise.all([openai?.close(), anthropic?.close()]);
});

async function ask(target: TestWorker, room: string, model: string): Promise<{ status: number; json: any }> {
  const response = await fetch(new URL(`/live/${room}/chat`, target.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text: "Explain the code", model, author: "Ada" }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, json: await response.json() };
}

/** The room's chat; empty for a room nothing was ever written to (its reads are 404s). */
async function messages(target: TestWorker, room: string): Promise<ChatMessage[]> {
  const response = await fetch(new URL(`/live/${room}/chat`, target.url), { signal: AbortSignal.timeout(15_000) });
  if (response.status === 404) return [];
  return ((await response.json()) as { messages: ChatMessage[] }).messages;
}

/** Ask `model` and wait for the reply to finish; returns the request the provider's fake received. */
async function askedBody(target: TestWorker, model: string, fake: FakeProvider): Promise<Record<string, unknown>> {
  const room = nextRoom();
  const before = fake.requests.length;
  const { status, json } = await ask(target, room, model);
  assert.equal(status, 202, JSON.stringify(json));
  await waitUntil(async () => (await messages(target, room)).some((m) => m.id === json.assistantMessageId && m.status === "done"), {
    what: `the ${model} reply`,
  });
  const request = fake.requests.slice(before).at(-1);
  assert.ok(request?.body, `${model}: the provider got the question`);
  return request.body;
}

async function configuredModels(target: TestWorker): Promise<string[]> {
  const response = await fetch(new URL("/api/config", target.url));
  return ((await response.json()) as { aiModels: string[] }).aiModels;
}

describe("AI_MODELS", () => {
  test("by default only the inexpensive tier: a larger model is a 400 naming the allowed ones, before anything is appended or asked", async () => {
    const room = nextRoom();
    const calls = openai.requests.length + anthropic.requests.length;
    for (const model of ["gpt-4o", "gpt-4.1", "o4-mini", "claude-sonnet-4-5"]) {
      const { status, json } = await ask(defaults, room, model);
      assert.equal(status, 400, model);
      assert.equal(json.error, `model "${model}" is not allowed on this server; use one of ${DEFAULT_MODELS.join(", ")}`);
    }
    assert.deepEqual(await messages(defaults, room), []);
    assert.equal(openai.requests.length + anthropic.requests.length, calls);
    for (const model of DEFAULT_MODELS) {
      assert.equal((await askedBody(defaults, model, model.startsWith("claude") ? anthropic : openai)).model, model);
    }
  });

  test("AI_MODELS picks the models: those listed are asked, the default ones are now refused", async () => {
    assert.equal((await askedBody(custom, "o4-mini", openai)).model, "o4-mini");
    assert.equal((await askedBody(custom, "claude-sonnet-4-5", anthropic)).model, "claude-sonnet-4-5");
    const { status, json } = await ask(custom, nextRoom(), "gpt-4o-mini");
    assert.equal(status, 400);
    assert.equal(json.error, 'model "gpt-4o-mini" is not allowed on this server; use one of o4-mini, claude-sonnet-4-5');
    // A name spike does not know at all still says so.
    assert.match((await ask(custom, nextRoom(), "gpt-2")).json.error, /^unknown model "gpt-2"; use one of o4-mini, claude-sonnet-4-5$/);
  });

  test("an AI_MODELS naming an unknown model is a 503 that names it (nothing is asked), and /api/config offers no model", async () => {
    const room = nextRoom();
    const calls = openai.requests.length;
    const { status, json } = await ask(misnamed, room, "gpt-4o-mini");
    assert.equal(status, 503);
    assert.match(json.error, /AI_MODELS names unknown models "gpt-5-turbo"; known: gpt-4o-mini, gpt-4o, /);
    assert.deepEqual(await messages(misnamed, room), []);
    assert.equal(openai.requests.length, calls);
    assert.deepEqual(await configuredModels(misnamed), []);
  });

  test("GET /api/config lists the models a chat may offer", async () => {
    assert.deepEqual(await configuredModels(defaults), DEFAULT_MODELS);
    assert.deepEqual(await configuredModels(custom), ["o4-mini", "claude-sonnet-4-5"]);
  });
});

describe("AI_MAX_OUTPUT_TOKENS", () => {
  test("every OpenAI request carries max_completion_tokens (the field the o-series requires), 4096 by default; never max_tokens", async () => {
    const body = await askedBody(defaults, "gpt-4o-mini", openai);
    assert.equal(body.max_completion_tokens, 4096);
    assert.equal(body.max_tokens, undefined);
    const reasoning = await askedBody(custom, "o4-mini", openai);
    assert.equal(reasoning.max_completion_tokens, 1234);
    assert.equal(reasoning.max_tokens, undefined);
  });

  test("every Anthropic request carries max_tokens, 4096 by default", async () => {
    assert.equal((await askedBody(defaults, "claude-haiku-4-5", anthropic)).max_tokens, 4096);
    assert.equal((await askedBody(custom, "claude-sonnet-4-5", anthropic)).max_tokens, 1234);
  });
});
