/**
 * The room's AI chat through the real Worker and CodeRoom under workerd, with the official OpenAI and Anthropic SDKs pointed
 * at loopback fakes that speak the providers' wire formats (workers/fake-providers.ts).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { readChat, type ChatMessage } from "../../core/chat.js";
import { startFakeAnthropic, startFakeOpenAI, type FakeProvider } from "../fake-providers.js";
import { connectClient, fetchSession, startTestWorker, uniqueRooms, waitUntil, type TestWorker } from "../test-support.js";

let worker: TestWorker;
let openai: FakeProvider;
let anthropic: FakeProvider;
const nextRoom = uniqueRooms("chat");

before(async () => {
  openai = await startFakeOpenAI();
  anthropic = await startFakeAnthropic();
  worker = await startTestWorker({
    vars: {
      OPENAI_API_KEY: openai.apiKey,
      OPENAI_BASE_URL: openai.baseURL,
      ANTHROPIC_API_KEY: anthropic.apiKey,
      ANTHROPIC_BASE_URL: anthropic.baseURL,
      // These tests ask dozens of questions from one IP; the limit itself is tested below with a small one.
      RATE_LIMIT_AI_PER_MINUTE: "1000",
      // Every model, the larger ones included (the default allows only the inexpensive tier; see ai-limits.test.ts).
      AI_MODELS: "*",
    },
  });
});

after(async () => {
  await worker?.dispose();
  await openai?.close();
  await anthropic?.close();
});

async function ask(target: TestWorker, room: string, body: unknown): Promise<{ status: number; json: any; headers: Headers }> {
  const response = await fetch(new URL(`/live/${room}/chat`, target.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

async function post(target: TestWorker, path: string): Promise<{ status: number; json: any }> {
  const response = await fetch(new URL(path, target.url), { method: "POST", signal: AbortSignal.timeout(15_000) });
  return { status: response.status, json: await response.json() };
}

async function messages(target: TestWorker, room: string): Promise<ChatMessage[]> {
  const response = await fetch(new URL(`/live/${room}/chat`, target.url), { signal: AbortSignal.timeout(15_000) });
  assert.equal(response.status, 200);
  return ((await response.json()) as { messages: ChatMessage[] }).messages;
}

/** Wait until message `id` has left `streaming`, as the room reports it; returns it. */
async function ended(target: TestWorker, room: string, id: string): Promise<ChatMessage> {
  let message: ChatMessage | undefined;
  await waitUntil(
    async () => {
      message = (await messages(target, room)).find((m) => m.id === id);
      return message !== undefined && message.status !== "streaming";
    },
    { timeoutMs: 15_000, what: `message ${id} to end` },
  );
  return message!;
}

async function putFile(room: string, name: string, text: string): Promise<void> {
  const response = await fetch(new URL(`/live/${room}/files/${name}`, worker.url), { method: "PUT", body: text });
  assert.equal(response.status, 200, await response.text());
}

describe("chat", () => {
  test("an OpenAI answer streams into the doc a second client sees", async () => {
    const room = nextRoom();
    const client = connectClient(worker, room);
    try {
      await client.synced();
      const answer = "Hello! Buttons are styled with CSS; nothing to change here.";
      openai.script({ text: answer, chunkSize: 4, delayMs: 20 });
      const partial: string[] = [];
      client.doc.on("update", () => {
        const reply = readChat(client.doc).find((m) => m.role === "assistant");
        if (reply?.status === "streaming" && reply.text) partial.push(reply.text);
      });
      const { status, json } = await ask(worker, room, { text: "Why is the button blue?", model: "gpt-4o-mini", author: "Ada" });
      assert.equal(status, 202);
      assert.equal(typeof json.userMessageId, "string");
      assert.equal(typeof json.assistantMessageId, "string");
      await waitUntil(() => readChat(client.doc).some((m) => m.id === json.assistantMessageId && m.status === "done"), {
        timeoutMs: 15_000,
        what: "the reply to finish on the second client",
      });
      const [question, reply] = readChat(client.doc);
      assert.deepEqual(
        { role: question!.role, author: question!.author, text: question!.text, model: question!.model, status: question!.status },
        { role: "user", author: "Ada", text: "Why is the button blue?", model: "gpt-4o-mini", status: "done" },
      );
      assert.equal(reply!.role, "assistant");
      assert.equal(reply!.text, answer);
      assert.equal(reply!.model, "gpt-4o-mini");
      assert.ok(partial.length > 0 && partial.every((text) => answer.startsWith(text)), "tokens arrived before the end");
      const sent = openai.requests.at(-1)!;
      assert.equal(sent.headers.authorization, `Bearer ${openai.apiKey}`);
      assert.equal(sent.body?.model, "gpt-4o-mini");
      assert.equal(sent.body?.stream, true);
      const chat = sent.body?.messages as { role: string; content: string }[];
      assert.equal(chat[0]!.role, "system");
      assert.ok(chat.some((m) => m.role === "user" && m.content.includes("Why is the button blue?")));
      assert.deepEqual((await messages(worker, room)).map((m) => m.id), [json.userMessageId, json.assistantMessageId]);
    } finally {
      client.destroy();
    }
  });

  test("an Anthropic answer streams through the Anthropic SDK", async () => {
    const room = nextRoom();
    anthropic.script({ text: "Claude says hi, in several small pieces.", chunkSize: 5 });
    const { status, json } = await ask(worker, room, { text: "Hi?", model: "claude-haiku-4-5", author: "Bo" });
    assert.equal(status, 202);
    const reply = await ended(worker, room, json.assistantMessageId);
    assert.equal(reply.status, "done", reply.error);
    assert.equal(reply.text, "Claude says hi, in several small pieces.");
    const sent = anthropic.requests.at(-1)!;
    assert.ok([sent.headers["x-api-key"], sent.headers.authorization].some((key) => key?.endsWith(anthropic.apiKey)));
    assert.equal(sent.body?.model, "claude-haiku-4-5");
    assert.equal(typeof sent.body?.system, "string");
    assert.ok((sent.body?.messages as { content: string }[]).some((m) => JSON.stringify(m.content).includes("Hi?")));
  });

  test("an edit in the reply changes the file; undo restores it", async () => {
    const room = nextRoom();
    const original = 'export const color = "blue";\nexport const size = 3;\n';
    await putFile(room, "theme.ts", original);
    openai.script({
      text: 'Making it red.\n\n```edit:theme.ts\n<<<<<<< SEARCH\nexport const color = "blue";\n=======\nexport const color = "red";\n>>>>>>> REPLACE\n```\n',
    });
    const { json } = await ask(worker, room, { text: "Make it red", model: "gpt-4o-mini", author: "Ada" });
    const reply = await ended(worker, room, json.assistantMessageId);
    assert.equal(reply.status, "done", reply.error);
    const changed = 'export const color = "red";\nexport const size = 3;\n';
    assert.equal((await fetchSession(worker, room)).files["theme.ts"], changed);
    // The undo copy keeps only the span that changed, not two copies of the whole file.
    assert.deepEqual(reply.edits?.map((e) => ({ file: e.file, at: e.at, before: e.before, after: e.after, length: e.length })), [
      { file: "theme.ts", at: original.indexOf("blue"), before: "blue", after: "red", length: changed.length },
    ]);
    const undo = await post(worker, `/live/${room}/chat/${json.assistantMessageId}/undo`);
    assert.equal(undo.status, 200);
    assert.deepEqual(undo.json, { undone: ["theme.ts"], conflicts: [] });
    assert.equal((await fetchSession(worker, room)).files["theme.ts"], original);
  });

  test("undo leaves a file someone changed since, and says so", async () => {
    const room = nextRoom();
    await putFile(room, "a.css", "a { color: blue }\n");
    openai.script({ text: "```file:a.css\na { color: red }\n```\n" });
    const { json } = await ask(worker, room, { text: "red", model: "gpt-4o-mini", author: "Ada" });
    assert.equal((await ended(worker, room, json.assistantMessageId)).status, "done");
    assert.equal((await fetchSession(worker, room)).files["a.css"], "a { color: red }\n");
    await putFile(room, "a.css", "a { color: green }\n");
    const undo = await post(worker, `/live/${room}/chat/${json.assistantMessageId}/undo`);
    assert.deepEqual(undo.json, { undone: [], conflicts: ["a.css"] });
    assert.equal((await fetchSession(worker, room)).files["a.css"], "a { color: green }\n");
  });

  const failures: { name: string; model: string; provider: () => FakeProvider; reply: Parameters<FakeProvider["script"]>[0]; error: RegExp }[] = [
    { name: "OpenAI 401", model: "gpt-4o-mini", provider: () => openai, reply: { kind: "error", status: 401 }, error: /OpenAI rejected the API key \(401\)/ },
    { name: "OpenAI 429", model: "gpt-4.1", provider: () => openai, reply: { kind: "error", status: 429 }, error: /OpenAI .*\(429\)/ },
    { name: "OpenAI 500", model: "gpt-4o-mini", provider: () => openai, reply: { kind: "error", status: 500 }, error: /OpenAI .*\(500\)/ },
    { name: "OpenAI cut stream", model: "gpt-4o-mini", provider: () => openai, reply: { kind: "cut", text: "a".repeat(200) }, error: /OpenAI stream/ },
    { name: "Anthropic 401", model: "claude-sonnet-4-5", provider: () => anthropic, reply: { kind: "error", status: 401 }, error: /Anthropic rejected the API key \(401\)/ },
    { name: "Anthropic 429", model: "claude-haiku-4-5", provider: () => anthropic, reply: { kind: "error", status: 429 }, error: /Anthropic .*\(429\)/ },
    { name: "Anthropic 529", model: "claude-haiku-4-5", provider: () => anthropic, reply: { kind: "error", status: 529 }, error: /Anthropic .*\(529\)/ },
    { name: "Anthropic cut stream", model: "claude-haiku-4-5", provider: () => anthropic, reply: { kind: "cut", text: "b".repeat(200) }, error: /Anthropic stream/ },
  ];
  for (const { name, model, provider, reply, error } of failures) {
    test(`${name} ends the message with a readable error`, async () => {
      const room = nextRoom();
      provider().script(reply);
      const { status, json } = await ask(worker, room, { text: "hello", model, author: "Ada" });
      assert.equal(status, 202);
      const message = await ended(worker, room, json.assistantMessageId);
      assert.equal(message.status, "error");
      assert.match(message.error ?? "", error);
      // The room is free again.
      provider().script({ text: "fine now" });
      const again = await ask(worker, room, { text: "again", model, author: "Ada" });
      assert.equal(again.status, 202);
      assert.equal((await ended(worker, room, again.json.assistantMessageId)).text, "fine now");
    });
  }

  test("one reply at a time: a second question is 409 until the first is cancelled", async () => {
    const room = nextRoom();
    openai.script({ kind: "hold", text: "thinking about it..." });
    const first = await ask(worker, room, { text: "long one", model: "gpt-4o-mini", author: "Ada" });
    await waitUntil(async () => (await messages(worker, room)).some((m) => m.text === "thinking about it..."), {
      timeoutMs: 15_000,
      what: "the first tokens",
    });
    const busy = await ask(worker, room, { text: "me too", model: "gpt-4o-mini", author: "Bo" });
    assert.equal(busy.status, 409);
    assert.match(busy.json.error, /still answering/);
    const cancel = await post(worker, `/live/${room}/chat/${first.json.assistantMessageId}/cancel`);
    assert.equal(cancel.status, 200);
    const message = await ended(worker, room, first.json.assistantMessageId);
    assert.equal(message.status, "cancelled");
    assert.equal(message.text, "thinking about it...");
    assert.equal((await post(worker, `/live/${room}/chat/${first.json.assistantMessageId}/cancel`)).status, 409);
    const next = await ask(worker, room, { text: "now?", model: "gpt-4o-mini", author: "Bo" });
    assert.equal(next.status, 202);
    assert.equal((await ended(worker, room, next.json.assistantMessageId)).status, "done");
  });

  test("bad input is a 4xx with a JSON error", async () => {
    const room = nextRoom();
    await putFile(room, "index.tsx", "// a room that exists\n");
    const good = { text: "hi", model: "gpt-4o-mini", author: "Ada" };
    const cases: [unknown, number, RegExp][] = [
      ["{not json", 400, /JSON/],
      [[1, 2], 400, /object/],
      [{ ...good, text: "" }, 400, /text/],
      [{ ...good, text: "   " }, 400, /text/],
      [{ ...good, text: "x".repeat(8001) }, 400, /8000/],
      [{ ...good, model: "gpt-2" }, 400, /unknown model "gpt-2"/],
      [{ ...good, model: 4 }, 400, /model/],
      [{ ...good, author: "" }, 400, /author/],
      [{ ...good, author: "a".repeat(65) }, 400, /author/],
    ];
    for (const [body, status, error] of cases) {
      const answer = await ask(worker, room, body);
      assert.equal(answer.status, status, JSON.stringify(body).slice(0, 80));
      assert.match(answer.json.error, error);
    }
    assert.deepEqual(await messages(worker, room), [], "nothing was appended");
    const badRoom = await ask(worker, "bad room!", good);
    assert.equal(badRoom.status, 400);
    assert.match(badRoom.json.error, /room ids/);
    assert.equal((await post(worker, `/live/${room}/chat/nope/undo`)).status, 404);
    assert.equal((await post(worker, `/live/${room}/chat/nope/cancel`)).status, 404);
    const badId = await post(worker, `/live/${room}/chat/${"x".repeat(65)}/undo`);
    assert.equal(badId.status, 400);
    const put = await fetch(new URL(`/live/${room}/chat`, worker.url), { method: "PUT", body: "x" });
    assert.equal(put.status, 405);
    assert.match(((await put.json()) as { error: string }).error, /not allowed/);
  });
});

describe("chat without provider keys", () => {
  let bare: TestWorker;
  before(async () => {
    bare = await startTestWorker({ vars: { CHAT_RATE_LIMIT_PER_MINUTE: "2", AI_MODELS: "*" } });
  });
  after(async () => {
    await bare?.dispose();
  });

  test("no key: the message says which variable to set", async () => {
    const room = nextRoom();
    const openaiAsk = await ask(bare, room, { text: "hi", model: "gpt-4o-mini", author: "Ada" });
    assert.equal(openaiAsk.status, 202);
    const message = await ended(bare, room, openaiAsk.json.assistantMessageId);
    assert.equal(message.status, "error");
    assert.equal(message.error, "Set OPENAI_API_KEY (in .dev.vars or the environment) to use gpt-4o-mini");
    const claudeAsk = await ask(bare, room, { text: "hi", model: "claude-sonnet-4-5", author: "Ada" });
    const claude = await ended(bare, room, claudeAsk.json.assistantMessageId);
    assert.equal(claude.error, "Set ANTHROPIC_API_KEY (in .dev.vars or the environment) to use claude-sonnet-4-5");
  });

  test("more questions than the per-minute limit (CHAT_RATE_LIMIT_PER_MINUTE, the older name of RATE_LIMIT_AI_PER_MINUTE) get 429 with Retry-After", async () => {
    // The "ai" bucket is per client IP across rooms (the test above may have spent some of it): at most 2 pass, then 429.
    const room = nextRoom();
    let question = "q0";
    let limited = await ask(bare, room, { text: question, model: "gpt-4o-mini", author: "Ada" });
    for (let i = 1; limited.status === 202 && i <= 2; i++) {
      await ended(bare, room, limited.json.assistantMessageId);
      question = `q${i}`;
      limited = await ask(bare, room, { text: question, model: "gpt-4o-mini", author: "Ada" });
    }
    assert.equal(limited.status, 429);
    assert.match(limited.json.error, /too many AI requests: at most 2 a minute; retry in \d+ s/);
    const retryAfter = Number(limited.headers.get("retry-after"));
    assert.ok(retryAfter >= 1 && retryAfter <= 30, `Retry-After ${retryAfter}`);
    assert.equal(limited.json.retryAfter, retryAfter);
    // Refused in the Worker, before the room: the refused question was never appended (nor the room created by it).
    const chat = await fetch(new URL(`/live/${room}/chat`, bare.url));
    const listed = chat.status === 404 ? [] : ((await chat.json()) as { messages: { role: string; text: string }[] }).messages;
    assert.ok(!listed.some((m) => m.role === "user" && m.text === question));
  });
});
