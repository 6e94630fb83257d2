/**
 * `POST /api/transcribe` through the real Worker under workerd and the real OpenAI SDK, pointed at the loopback fake's
 * multipart transcription endpoint (workers/fake-providers.ts).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startFakeOpenAI, type FakeProvider } from "../fake-providers.js";
import { startTestWorker, type TestWorker } from "../test-support.js";

let worker: TestWorker;
let keyless: TestWorker;
let openai: FakeProvider;

/** Not a real recording: the route and the fake only care that bytes of an audio type arrive intact. */
const AUDIO = new Uint8Array(4096).map((_, i) => (i * 37) % 256);

before(async () => {
  openai = await startFakeOpenAI();
  [worker, keyless] = await Promise.all([
    // Room for every test below from one IP; the limit itself is tested on `keyless`, whose "ai" bucket holds 2.
    startTestWorker({ vars: { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseURL, RATE_LIMIT_AI_PER_MINUTE: "1000" } }),
    startTestWorker({ vars: { OPENAI_BASE_URL: openai.baseURL, RATE_LIMIT_AI_PER_MINUTE: "2" } }),
  ]);
});

after(async () => {
  await worker?.dispose();
  await keyless?.dispose();
  await openai?.close();
});

async function transcribe(
  target: TestWorker,
  init: RequestInit & { duplex?: "half" } = { headers: { "content-type": "audio/webm;codecs=opus" }, body: AUDIO },
): Promise<{ status: number; json: any; headers: Headers }> {
  const response = await fetch(new URL("/api/transcribe", target.url), { method: "POST", signal: AbortSignal.timeout(15_000), ...init });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

describe("POST /api/transcribe", () => {
  test("a recording comes back as text; the SDK sent the file and model as multipart", async () => {
    openai.script({ text: "Make the heading blue" });
    const before = openai.requests.length;
    const { status, json } = await transcribe(worker);
    assert.equal(status, 200, JSON.stringify(json));
    assert.deepEqual(json, { text: "Make the heading blue" });
    const request = openai.requests.slice(before).find((r) => r.path === "/v1/audio/transcriptions");
    assert.ok(request, "the fake received a transcription request");
    assert.match(String(request.headers["content-type"]), /^multipart\/form-data; boundary=/);
    assert.deepEqual(request.body, { model: "whisper-1", file: { name: "audio.webm", type: "audio/webm", size: AUDIO.byteLength } });
  });

  test("other audio types name the file accordingly", async () => {
    openai.script({ text: "wav text" });
    const { status, json } = await transcribe(worker, { headers: { "content-type": "audio/wav" }, body: AUDIO });
    assert.equal(status, 200, JSON.stringify(json));
    assert.equal(json.text, "wav text");
    assert.equal((openai.requests.at(-1)!.body!["file"] as { name: string }).name, "audio.wav");
  });

  test("without a key: 503 naming OPENAI_API_KEY, and the provider is not called", async () => {
    const before = openai.requests.length;
    const { status, json } = await transcribe(keyless);
    assert.equal(status, 503);
    assert.match(json.error, /OPENAI_API_KEY/);
    assert.equal(openai.requests.length, before);
  });

  test("more transcriptions than RATE_LIMIT_AI_PER_MINUTE: 429 with Retry-After and JSON, the provider never called", async () => {
    const before = openai.requests.length;
    // The bucket is per IP for the whole Worker (the test above may have spent some): 503s until it is empty, then 429.
    let answer = await transcribe(keyless);
    for (let i = 0; answer.status === 503 && i < 2; i++) answer = await transcribe(keyless);
    assert.equal(answer.status, 429, JSON.stringify(answer.json));
    assert.match(answer.json.error, /^too many AI requests: at most 2 a minute; retry in \d+ s$/);
    const retryAfter = Number(answer.headers.get("retry-after"));
    assert.ok(retryAfter >= 1 && retryAfter <= 30, `Retry-After ${retryAfter}`);
    assert.equal(answer.json.retryAfter, retryAfter);
    assert.equal(openai.requests.length, before);
  });

  test("a rejected key is a 502 with a readable message", async () => {
    openai.script({ kind: "error", status: 401 });
    const { status, json } = await transcribe(worker);
    assert.equal(status, 502);
    assert.match(json.error, /OpenAI rejected the API key \(401\)/);
  });

  test("the provider's 429 stays a 429 with Retry-After", async () => {
    openai.script({ kind: "error", status: 429, retryAfter: 7 });
    const { status, json, headers } = await transcribe(worker);
    assert.equal(status, 429);
    assert.match(json.error, /rate limiting/);
    assert.equal(headers.get("retry-after"), "7");
  });

  test("a provider 500 is a 502", async () => {
    openai.script({ kind: "error", status: 500 });
    const { status, json } = await transcribe(worker);
    assert.equal(status, 502);
    assert.match(json.error, /server error \(500\)/);
  });

  test("a body that is not audio: 415", async () => {
    const before = openai.requests.length;
    const { status, json } = await transcribe(worker, { headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(status, 415);
    assert.match(json.error, /audio\/webm/);
    assert.equal(openai.requests.length, before);
  });

  test("a body of unknown length (chunked): 411", async () => {
    const chunks = [AUDIO, AUDIO];
    const { status, json } = await transcribe(worker, {
      headers: { "content-type": "audio/webm" },
      body: new ReadableStream({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()!) : c.close()) }),
      duplex: "half",
    });
    assert.equal(status, 411);
    assert.equal(typeof json.error, "string");
  });

  test("a recording over 10 MB: 413", async () => {
    const before = openai.requests.length;
    const { status, json } = await transcribe(worker, { headers: { "content-type": "audio/webm" }, body: new Uint8Array(10 * 1024 * 1024 + 1) });
    assert.equal(status, 413);
    assert.match(json.error, /larger than/);
    assert.equal(openai.requests.length, before);
  });

  test("GET: 405", async () => {
    const response = await fetch(new URL("/api/transcribe", worker.url), { signal: AbortSignal.timeout(15_000) });
    assert.equal(response.status, 405);
    await response.body?.cancel();
  });
});
