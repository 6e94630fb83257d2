/**
 * Runtime configuration through the real Worker and KV: `PUT /admin/config` changes allowed origins, a rate limit and a
 * feature flag without a restart; the environment wins over KV; bad changes store nothing; only admins may change it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startTestWorker, type TestWorker } from "../test-support.js";
import { effectiveEnv, effectiveSetting, settable } from "../platform/runtime-config.js";

describe("runtime configuration in KV", () => {
  let worker: TestWorker;
  before(async () => {
    // FEATURE_FORKS is set by the environment: KV must not be able to switch it off.
    worker = await startTestWorker({ vars: { FEATURE_FORKS: "on" } });
  });
  after(() => worker?.dispose());

  const url = (path: string) => new URL(path, worker.url);
  const put = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url("/admin/config"), { method: "PUT", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const read = async () => (await (await fetch(url("/admin/config"))).json()) as { settings: Record<string, string>; overriddenByEnvironment: string[]; features: Record<string, boolean> };
  const preflight = (origin: string) =>
    fetch(url("/api/health"), { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET" } });

  test("an allowed-origins change applies to the next request, and removing it opens the API again", async () => {
    assert.equal((await preflight("https://reader.example")).status, 204);
    const changed = await put({ ALLOWED_ORIGINS: "https://blog.example" });
    assert.equal(changed.status, 200, await changed.clone().text());
    assert.deepEqual((await changed.json() as { settings: unknown }).settings, { ALLOWED_ORIGINS: "https://blog.example" });
    const refused = await preflight("https://reader.example");
    assert.equal(refused.status, 403);
    assert.match(((await refused.json()) as { error: string }).error, /ALLOWED_ORIGINS/);
    const allowed = await preflight("https://blog.example");
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get("access-control-allow-origin"), "https://blog.example");
    assert.equal((await put({ ALLOWED_ORIGINS: null })).status, 200);
    assert.equal((await preflight("https://reader.example")).status, 204);
  });

  test("a feature flag switches a route off with a 503 naming it; the environment's flag wins over KV", async () => {
    assert.equal((await put({ FEATURE_AI: "off", FEATURE_FORKS: "off" })).status, 200);
    const chat = await fetch(url("/live/flags-room/chat"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "hi" }) });
    assert.equal(chat.status, 503);
    assert.match(((await chat.json()) as { error: string }).error, /turned off AI \(FEATURE_AI=off\)/);
    const config = await read();
    assert.deepEqual(config.overriddenByEnvironment, ["FEATURE_FORKS"]);
    assert.equal(config.features.AI, false);
    assert.equal(config.features.FORKS, true);
    // Switching saving off leaves reading on: published embeds keep working.
    assert.equal((await put({ FEATURE_VERSIONS: "off", FEATURE_ASSETS: "0", FEATURE_RENDERER: "false" })).status, 200);
    const save = await fetch(url("/live/flags-room/versions"), { method: "POST", body: "{}" });
    assert.equal(save.status, 503);
    assert.match(((await save.json()) as { error: string }).error, /FEATURE_VERSIONS=off/);
    assert.notEqual((await fetch(url("/live/flags-room/versions"))).status, 503);
    assert.equal((await fetch(url("/live/flags-room/assets/logo.png"), { method: "PUT", body: "x" })).status, 503);
    assert.notEqual((await fetch(url("/live/flags-room/assets"))).status, 503);
    assert.equal((await fetch(url("/live/flags-room/screenshot.png"))).status, 503);
    // The MCP endpoint is off as a whole, before any token is looked at: a JSON-RPC error body.
    assert.equal((await put({ FEATURE_MCP: "off" })).status, 200);
    const mcp = await fetch(url("/mcp"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) });
    assert.equal(mcp.status, 503);
    assert.match(((await mcp.json()) as { error: { message: string } }).error.message, /FEATURE_MCP=off/);
    assert.equal((await put({ FEATURE_AI: null, FEATURE_FORKS: null, FEATURE_VERSIONS: null, FEATURE_ASSETS: null, FEATURE_RENDERER: null, FEATURE_MCP: null })).status, 200);
    // On again: a call without a token is told to bring one.
    assert.equal((await fetch(url("/mcp"), { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status, 401);
    const back = await fetch(url("/live/flags-room/chat"), { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.notEqual(back.status, 503);
  });

  test("a rate limit set at runtime is enforced on the next requests", async () => {
    assert.equal((await put({ RATE_LIMIT_UPLOAD_PER_MINUTE: 1, RATE_LIMIT_UPLOAD_BURST: 1 })).status, 200);
    try {
      const write = () => fetch(url("/live/limit-room/files/a.ts"), { method: "PUT", body: "export const a = 1;", headers: { "cf-connecting-ip": "198.51.100.7" } });
      assert.equal((await write()).status, 200);
      const second = await write();
      assert.equal(second.status, 429);
      assert.match(((await second.json()) as { error: string }).error, /at most 1 a minute/);
    } finally {
      await put({ RATE_LIMIT_UPLOAD_PER_MINUTE: null, RATE_LIMIT_UPLOAD_BURST: null });
    }
  });

  test("bad changes are refused with 400 and store nothing", async () => {
    assert.equal((await put({ LOG_LEVEL: "warn" })).status, 200);
    const cases: [unknown, RegExp][] = [
      ["not json", /not JSON/],
      [["ALLOWED_ORIGINS"], /JSON object/],
      [{}, /names no setting/],
      [{ OPENAI_API_KEY: "sk-1" }, /OPENAI_API_KEY cannot be set at runtime/],
      [{ ADMIN_USER_IDS: "user_1" }, /ADMIN_USER_IDS cannot be set at runtime/],
      [{ ROOM_MAX_CONNECTIONS: "3" }, /ROOM_MAX_CONNECTIONS cannot be set at runtime/],
      [{ RATE_LIMIT_READ_PER_MINUTE: "lots" }, /RATE_LIMIT_READ_PER_MINUTE is "lots", not a positive number/],
      [{ FEATURE_VERSIONS: "maybe" }, /FEATURE_VERSIONS is "maybe", not on or off/],
      [{ AI_MODELS: "gpt-9-ultra" }, /gpt-9-ultra/],
      [{ LOG_LEVEL: { level: "debug" } }, /must be a string/],
      [{ ALLOWED_ORIGINS: "x".repeat(5000) }, /longer than 4096/],
    ];
    for (const [body, error] of cases) {
      const response = await put(body);
      assert.equal(response.status, 400, JSON.stringify(body).slice(0, 80));
      assert.match(((await response.json()) as { error: string }).error, error);
    }
    assert.deepEqual((await read()).settings, { LOG_LEVEL: "warn" });
    assert.equal((await put({ LOG_LEVEL: null })).status, 200);
  });

  test("only an admin may read or change it: a caller from another machine is refused", async () => {
    const away = { "cf-connecting-ip": "203.0.113.9" };
    const refused = await put({ FEATURE_AI: "off" }, away);
    assert.equal(refused.status, 403);
    assert.match(((await refused.json()) as { error: string }).error, /ADMIN_USER_IDS and sign-in to change the configuration/);
    assert.equal((await fetch(url("/admin/config"), { headers: away })).status, 403);
    assert.deepEqual((await read()).settings, {});
    assert.equal((await fetch(url("/admin/config"), { method: "DELETE" })).status, 405);
  });
});

test("the environment wins over KV only when it is set and not empty; secrets are never settable", () => {
  assert.equal(settable("RATE_LIMIT_AI_BURST"), true);
  assert.equal(settable("CLERK_JWT_KEY"), false);
  assert.equal(settable("PREVIEW_ORIGIN"), false);
  assert.equal(effectiveSetting({ ALLOWED_ORIGINS: "https://a.example" }, "ALLOWED_ORIGINS"), "https://a.example");
  assert.equal(effectiveSetting({}, "ALLOWED_ORIGINS"), undefined);
  const env = { LOG_LEVEL: "" };
  assert.equal(effectiveEnv(env), env, "nothing loaded: the environment itself");
});
