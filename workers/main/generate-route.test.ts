/**
 * `POST /live/<room>/assets/generate` through the real Worker, CodeRoom and R2 under workerd and the real `replicate` SDK,
 * pointed at the loopback Replicate fake (workers/fake-replicate.ts): a prompt becomes a room asset, with and without
 * `Prefer: wait` answering at once; a failed or canceled prediction, a bad body or model, a caller who may not edit and a
 * server without a token are clean errors that store nothing.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { PNG } from "pngjs";
import { EDITOR, OWNER, STRANGER, as, sharedSigner } from "../../test-support/permissions.js";
import { startFakeReplicate, type FakeReplicate } from "../fake-replicate.js";
import { startTestWorker, uniqueRooms, type TestWorker } from "../test-support.js";

let worker: TestWorker;
let tokenless: TestWorker;
/** A daily AI budget of one call and an "ai" bucket of two. */
let stingy: TestWorker;
let replicate: FakeReplicate;
const nextRoom = uniqueRooms("generate");
/** Long enough for the polling tests on a loaded machine; the hanging prediction waits this long. */
const TIMEOUT_S = 8;
const VERSION = "5599ed30703defd1d160a25a63321b4dec97101d98b4674bcc56e41f62f35637";

/** A real PNG of one colour, as an image model would answer. */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Uint8Array {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) image.data.set([r, g, b, 255], i * 4);
  return new Uint8Array(PNG.sync.write(image));
}
const RED = png(24, 16, [220, 20, 20]);

before(async () => {
  replicate = await startFakeReplicate();
  const signer = await sharedSigner();
  [worker, tokenless, stingy] = await Promise.all([
    startTestWorker({
      vars: {
        REPLICATE_API_TOKEN: replicate.token,
        REPLICATE_BASE_URL: replicate.baseURL,
        CLERK_JWT_KEY: signer.publicKeyPem,
        AI_REQUIRE_SIGN_IN: "false",
        RATE_LIMIT_AI_PER_MINUTE: "1000",
        REPLICATE_TIMEOUT_SECONDS: String(TIMEOUT_S),
      },
    }),
    startTestWorker({ vars: { REPLICATE_BASE_URL: replicate.baseURL } }),
    startTestWorker({
      vars: { REPLICATE_API_TOKEN: replicate.token, REPLICATE_BASE_URL: replicate.baseURL, AI_DAILY_REQUESTS: "1", RATE_LIMIT_AI_PER_MINUTE: "2", RATE_LIMIT_AI_BURST: "2" },
    }),
  ]);
  // The first request through a fresh local stack can take seconds; take it here, outside every test.
  await Promise.all([worker, tokenless, stingy].map((w) => fetch(new URL("/live/warm-up/session.json", w.url), { signal: AbortSignal.timeout(60_000) })));
});

after(async () => {
  await Promise.all([worker?.dispose(), tokenless?.dispose(), stingy?.dispose()]);
  await replicate?.close();
});

type Answer = { status: number; json: any; headers: Headers };

async function generate(target: TestWorker, room: string, body: unknown, user: string | null = null, signal?: AbortSignal): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (user) headers["authorization"] = `Bearer ${await (await sharedSigner()).sign({ sub: user })}`;
  const response = await fetch(new URL(`/live/${room}/assets/generate`, target.url), {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
    // Generous: a loaded machine is slow, and no assertion here is about time.
    signal: signal ?? AbortSignal.timeout(60_000),
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

async function assetNames(room: string): Promise<string[]> {
  const response = await fetch(new URL(`/live/${room}/assets`, worker.url));
  if (response.status === 404) return [];
  assert.equal(response.status, 200);
  return ((await response.json()) as { assets: { name: string }[] }).assets.map((a) => a.name);
}

const sinceLast = (count: number) => replicate.requests.slice(count);

describe("POST /live/<room>/assets/generate", () => {
  test("Prefer: wait answers with the image: it becomes an asset named after the prompt, served as it was generated", async () => {
    const room = nextRoom();
    replicate.script({ image: RED });
    const seen = replicate.requests.length;
    const { status, json } = await generate(worker, room, { prompt: "A red square, flat colour!" });
    assert.equal(status, 201, JSON.stringify(json));
    assert.equal(json.name, "a-red-square-flat-colour.png");
    assert.equal(json.type, "image/png");
    assert.equal(json.size, RED.byteLength);
    assert.equal(json.model, "black-forest-labs/flux-schnell");
    assert.match(json.predictionId, /^fake\d+$/);
    const [create, download] = sinceLast(seen);
    assert.equal(create!.path, "/v1/models/black-forest-labs/flux-schnell/predictions");
    assert.equal(create!.headers["prefer"], "wait=60");
    assert.equal(create!.headers.authorization, `Bearer ${replicate.token}`);
    assert.deepEqual(create!.body, { input: { prompt: "A red square, flat colour!" } });
    assert.match(download!.path, /^\/files\/fake\d+\/out-0\.png$/);

    const served = await fetch(new URL(`/live/${room}/assets/${json.name}`, worker.url));
    assert.equal(served.status, 200);
    assert.equal(served.headers.get("content-type"), "image/png");
    assert.deepEqual(new Uint8Array(await served.arrayBuffer()), RED);
    assert.deepEqual(await assetNames(room), [json.name]);
  });

  test("a prediction still running when the wait ends is polled until it succeeds; a version goes to POST /v1/predictions", async () => {
    const room = nextRoom();
    const blue = png(8, 8, [10, 40, 230]);
    replicate.script({ image: blue, polls: 3, output: "string" });
    const seen = replicate.requests.length;
    const { status, json } = await generate(worker, room, { prompt: "blue", model: `someone/painter:${VERSION}`, name: "sky.png" });
    assert.equal(status, 201, JSON.stringify(json));
    assert.equal(json.name, "sky.png");
    assert.equal(json.model, `someone/painter:${VERSION}`);
    const requests = sinceLast(seen);
    assert.equal(requests[0]!.path, "/v1/predictions");
    assert.deepEqual(requests[0]!.body, { version: VERSION, input: { prompt: "blue" } });
    const polls = requests.filter((r) => r.method === "GET" && r.path === `/v1/predictions/${json.predictionId}`);
    assert.equal(polls.length, 3, "polled until it ended");
    assert.equal(replicate.predictions.get(json.predictionId)?.status, "succeeded");
    const served = await fetch(new URL(`/live/${room}/assets/sky.png`, worker.url));
    assert.deepEqual(new Uint8Array(await served.arrayBuffer()), blue);
  });

  test("an image of another type than the name says keeps the name's stem and takes the type's extension", async () => {
    const room = nextRoom();
    // A minimal GIF89a: what a model that answers GIF sends.
    const gif = Uint8Array.from(Buffer.from("R0lGODlhAQABAIAAAP8AAP///ywAAAAAAQABAAACAkQBADs=", "base64"));
    replicate.script({ image: gif, type: "image/gif" });
    const { status, json } = await generate(worker, room, { prompt: "dot", name: "dot.png" });
    assert.equal(status, 201, JSON.stringify(json));
    assert.equal(json.name, "dot.gif");
    assert.equal(json.type, "image/gif");
  });

  test("a failed prediction is a 502 with Replicate's reason; nothing is stored", async () => {
    const room = nextRoom();
    replicate.script({ kind: "fail", error: "NSFW content detected. Try a different prompt.", polls: 1 });
    const { status, json } = await generate(worker, room, { prompt: "something" });
    assert.equal(status, 502, JSON.stringify(json));
    assert.equal(json.error, "the prediction failed on Replicate: NSFW content detected. Try a different prompt.");
    assert.deepEqual(await assetNames(room), []);
  });

  test("a prediction canceled on Replicate is a 502 that says so; nothing is stored", async () => {
    const room = nextRoom();
    replicate.script({ kind: "cancel", polls: 2 });
    const { status, json } = await generate(worker, room, { prompt: "something" });
    assert.equal(status, 502, JSON.stringify(json));
    assert.match(json.error, /^the prediction fake\d+ was canceled on Replicate$/);
    assert.deepEqual(await assetNames(room), []);
  });

  test("a prediction still running at REPLICATE_TIMEOUT_SECONDS is canceled on Replicate and answered 504; nothing is stored", async () => {
    const room = nextRoom();
    replicate.script({ kind: "hang" });
    const seen = replicate.requests.length;
    const { status, json } = await generate(worker, room, { prompt: "forever" });
    assert.equal(status, 504, JSON.stringify(json));
    assert.equal(json.error, `Replicate did not finish within ${TIMEOUT_S} s; the prediction was canceled`);
    const id = sinceLast(seen).find((r) => r.method === "GET" && r.path.startsWith("/v1/predictions/"))!.path.split("/")[3]!;
    assert.equal(replicate.predictions.get(id)?.status, "canceled");
    assert.ok(sinceLast(seen).some((r) => r.method === "POST" && r.path === `/v1/predictions/${id}/cancel`));
    assert.deepEqual(await assetNames(room), []);
  });

  test("bad bodies and models are 400s that never reach Replicate; a model Replicate does not know is a 400 too", async () => {
    const room = nextRoom();
    const seen = replicate.requests.length;
    const bad: [unknown, RegExp][] = [
      ["{not json", /^the body must be JSON/],
      [[1, 2], /JSON object/],
      [{}, /^prompt must be a non-empty string$/],
      [{ prompt: "   " }, /^prompt must be a non-empty string$/],
      [{ prompt: "x".repeat(2001) }, /^prompt longer than 2000 characters$/],
      [{ prompt: "a fox", model: "flux" }, /^model must be "owner\/name"/],
      [{ prompt: "a fox", model: "a/b:notahexversion" }, /^model must be/],
      [{ prompt: "a fox", model: 7 }, /^model must be a string/],
      [{ prompt: "a fox", name: "../escape.png" }, /^name must be a plain file name/],
      [{ prompt: "a fox", name: "dir/fox.png" }, /^name must be a plain file name/],
    ];
    for (const [body, error] of bad) {
      const { status, json } = await generate(worker, room, body);
      assert.equal(status, 400, JSON.stringify(body));
      assert.match(json.error, error, JSON.stringify(body));
    }
    assert.equal(replicate.requests.length, seen, "Replicate never called");

    replicate.script({ kind: "error", status: 404 });
    const unknown = await generate(worker, room, { prompt: "a fox", model: "nobody/nothing" });
    assert.equal(unknown.status, 400, JSON.stringify(unknown.json));
    assert.equal(unknown.json.error, "Replicate does not know the model nobody/nothing (404)");
    replicate.script({ kind: "error", status: 422 });
    const refused = await generate(worker, room, { prompt: "a fox", model: "some/model" });
    assert.equal(refused.status, 400, JSON.stringify(refused.json));
    assert.match(refused.json.error, /^Replicate refused the input for some\/model \(422\): - input: prompt is required$/);
    assert.deepEqual(await assetNames(room), []);
  });

  test("only the room's editors: a viewer gets 401 (anonymous) or 403 before Replicate is called; an editor may", async () => {
    const room = nextRoom();
    const readonly = JSON.stringify({ visibility: "readonly", editors: [EDITOR] });
    assert.equal((await as(worker, OWNER, `/live/${room}/permissions`, { method: "PUT", body: readonly })).status, 200);
    const seen = replicate.requests.length;
    const anonymous = await generate(worker, room, { prompt: "a fox" });
    assert.equal(anonymous.status, 401, JSON.stringify(anonymous.json));
    assert.equal(anonymous.json.denial, "read-only");
    const stranger = await generate(worker, room, { prompt: "a fox" }, STRANGER);
    assert.equal(stranger.status, 403, JSON.stringify(stranger.json));
    assert.equal(replicate.requests.length, seen, "Replicate never called");
    replicate.script({ image: RED });
    const editor = await generate(worker, room, { prompt: "a fox" }, EDITOR);
    assert.equal(editor.status, 201, JSON.stringify(editor.json));
    assert.deepEqual(await assetNames(room), ["a-fox.png"]);
  });

  test("GET on the route is a 405", async () => {
    const response = await fetch(new URL(`/live/${nextRoom()}/assets/generate`, worker.url), { method: "GET" });
    assert.equal(response.status, 405);
    assert.match(((await response.json()) as { error: string }).error, /POST \{prompt/);
  });

  test("without REPLICATE_API_TOKEN: 503 naming it, and Replicate is not called", async () => {
    const seen = replicate.requests.length;
    const { status, json } = await generate(tokenless, nextRoom(), { prompt: "a fox" });
    assert.equal(status, 503, JSON.stringify(json));
    assert.match(json.error, /REPLICATE_API_TOKEN/);
    assert.equal(replicate.requests.length, seen);
  });

  test("the daily AI budget and the \"ai\" rate limit apply: 429s with their retry delays, Replicate called once", async () => {
    const room = nextRoom();
    const seen = replicate.requests.filter((r) => r.method === "POST").length;
    replicate.script({ image: RED });
    const first = await generate(stingy, room, { prompt: "one" });
    assert.equal(first.status, 201, JSON.stringify(first.json));
    const spent = await generate(stingy, room, { prompt: "two" });
    assert.equal(spent.status, 429, JSON.stringify(spent.json));
    assert.match(spent.json.error, /^the daily AI budget of this server \(1 requests a day\) is spent/);
    assert.ok(spent.json.resetsAt, "says when it resets");
    const limited = await generate(stingy, room, { prompt: "three" });
    assert.equal(limited.status, 429, JSON.stringify(limited.json));
    assert.match(limited.json.error, /^too many AI requests: at most 2 a minute; retry in \d+ s$/);
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    assert.equal(replicate.requests.filter((r) => r.method === "POST").length, seen + 1, "one prediction created");
  });
});
