/**
 * Who may spend AI provider money (AI_REQUIRE_SIGN_IN), through the real Worker and CodeRoom under workerd, with the
 * official OpenAI SDK pointed at a loopback fake: with sign-in configured an anonymous question or transcription is a 401
 * before it reaches a room or the provider; `off` opens AI again; `true` without sign-in is a configuration error.
 * Without sign-in configured AI stays open (chat.test.ts and transcribe-route.test.ts ask anonymously).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ChatMessage } from "../../core/chat.js";
import { startFakeOpenAI, type FakeProvider } from "../fake-providers.js";
import { startTestWorker, uniqueRooms, waitUntil, type TestWorker } from "../test-support.js";
import { createTestSigner, type TestSigner } from "../test-tokens.js";

let openai: FakeProvider;
let signer: TestSigner;
/** Sign-in configured, AI_REQUIRE_SIGN_IN unset (so on). */
let guarded: TestWorker;
/** Sign-in configured, AI_REQUIRE_SIGN_IN=off. */
let opened: TestWorker;
/** AI_REQUIRE_SIGN_IN=true without sign-in configured. */
let impossible: TestWorker;
/** AI_REQUIRE_SIGN_IN set to something that is not a boolean, sign-in configured. */
let typo: TestWorker;
const nextRoom = uniqueRooms("ai-access");
const AUDIO = new Uint8Array(2048).map((_, i) => (i * 31) % 256);

before(async () => {
  openai = await startFakeOpenAI();
  signer = await createTestSigner();
  const ai = { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseURL, RATE_LIMIT_AI_PER_MINUTE: "1000" };
  const signIn = { CLERK_JWT_KEY: signer.publicKeyPem, CLERK_PUBLISHABLE_KEY: signer.publishableKey };
  [guarded, opened, impossible, typo] = await Promise.all([
    startTestWorker({ vars: { ...ai, ...signIn } }),
    startTestWorker({ vars: { ...ai, ...signIn, AI_REQUIRE_SIGN_IN: "off" } }),
    startTestWorker({ vars: { ...ai, AI_REQUIRE_SIGN_IN: "true" } }),
    startTestWorker({ vars: { ...ai, ...signIn, AI_REQUIRE_SIGN_IN: "maybe" } }),
  ]);
});

after(async () => {
  await Promise.all([guarded?.dispose(), opened?.dispose(), impossible?.dispose(), typo?.dispose()]);
  await openai?.close();
});

type Answer = { status: number; json: any; headers: Headers };

async function ask(target: TestWorker, room: string, token?: string): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers["authorization"] = `Bearer ${token}`;
  const response = await fetch(new URL(`/live/${room}/chat`, target.url), {
    method: "POST",
    headers,
    body: JSON.stringify({ text: "What does this do?", model: "gpt-4o-mini", author: "Ada" }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

async function transcribe(target: TestWorker, token?: string): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "audio/webm" };
  if (token) headers["authorization"] = `Bearer ${token}`;
  const response = await fetch(new URL("/api/transcribe", target.url), { method: "POST", headers, body: AUDIO, signal: AbortSignal.timeout(15_000) });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

async function messages(target: TestWorker, room: string): Promise<ChatMessage[]> {
  const response = await fetch(new URL(`/live/${room}/chat`, target.url), { signal: AbortSignal.timeout(15_000) });
  assert.equal(response.status, 200);
  return ((await response.json()) as { messages: ChatMessage[] }).messages;
}

/** A public room that exists: created a moment ago by an anonymous write, as anyone may. */
async function freshRoom(target: TestWorker): Promise<string> {
  const room = nextRoom();
  const put = await fetch(new URL(`/live/${room}/files/index.tsx`, target.url), { method: "PUT", body: "export default 1;\n" });
  assert.equal(put.status, 200, await put.text());
  return room;
}

describe("AI_REQUIRE_SIGN_IN", () => {
  test("with sign-in configured, an anonymous question in a public room is a 401 before the room: nothing appended, no provider call", async () => {
    const room = await freshRoom(guarded);
    const calls = openai.requests.length;
    const answer = await ask(guarded, room);
    assert.equal(answer.status, 401);
    assert.match(answer.headers.get("www-authenticate") ?? "", /^Bearer/);
    assert.match(answer.json.error, /^sign in to use AI on this server/);
    assert.deepEqual(await messages(guarded, room), []);
    assert.equal(openai.requests.length, calls);
  });

  test("with sign-in configured, an anonymous transcription is a 401, and the provider is not called", async () => {
    const calls = openai.requests.length;
    const answer = await transcribe(guarded);
    assert.equal(answer.status, 401);
    assert.match(answer.headers.get("www-authenticate") ?? "", /^Bearer/);
    assert.match(answer.json.error, /^sign in to use AI on this server/);
    assert.equal(openai.requests.length, calls);
  });

  test("a signed-in caller asks and transcribes", async () => {
    const room = await freshRoom(guarded);
    openai.script({ text: "It renders 1." }, { text: "Make it two" });
    const asked = await ask(guarded, room, await signer.sign({ sub: "user_ada" }));
    assert.equal(asked.status, 202, JSON.stringify(asked.json));
    await waitUntil(async () => (await messages(guarded, room)).some((m) => m.id === asked.json.assistantMessageId && m.status === "done"), {
      what: "the reply",
    });
    const heard = await transcribe(guarded, await signer.sign({ sub: "user_ada" }));
    assert.equal(heard.status, 200, JSON.stringify(heard.json));
    assert.equal(heard.json.text, "Make it two");
  });

  test("AI_REQUIRE_SIGN_IN=off lets anonymous callers ask and transcribe even with sign-in configured", async () => {
    const room = await freshRoom(opened);
    openai.script({ text: "Sure." }, { text: "spoken" });
    assert.equal((await ask(opened, room)).status, 202);
    assert.equal((await transcribe(opened)).status, 200);
  });

  test("AI_REQUIRE_SIGN_IN=true without sign-in configured is a 503 saying what to set, not an open door; so is a non-boolean value", async () => {
    const calls = openai.requests.length;
    for (const [target, error] of [
      [impossible, /AI_REQUIRE_SIGN_IN is on but sign-in is not configured on this server: set CLERK_JWT_KEY/],
      [typo, /AI_REQUIRE_SIGN_IN must be true or false, not "maybe"/],
    ] as const) {
      const room = await freshRoom(target);
      const asked = await ask(target, room);
      assert.equal(asked.status, 503);
      assert.match(asked.json.error, error);
      const heard = await transcribe(target);
      assert.equal(heard.status, 503);
      assert.match(heard.json.error, error);
      assert.deepEqual(await messages(target, room), []);
    }
    assert.equal(openai.requests.length, calls);
  });
});
