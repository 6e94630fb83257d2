/**
 * readConfig: every setting's default, overrides, the settings whose default follows another one, and what a bad value
 * does (falls back and is reported, or, for the AI settings that must not pass silently, carries an error).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_LIMITS } from "../../core/protocol.js";
import { DEFAULT_AI_MODELS } from "./ai-models.js";
import { DEFAULT_FRAME_LIMITS, RATE_LIMIT_DEFAULTS, readConfig } from "./config.js";

test("an empty environment reads as every default", () => {
  const config = readConfig({});
  assert.deepEqual(config.room.limits, { ...DEFAULT_LIMITS });
  assert.deepEqual(config.room.frames, { ...DEFAULT_FRAME_LIMITS });
  assert.equal(config.room.idleTimeoutMs, 30_000);
  assert.equal(config.room.authTimeoutMs, 10_000);
  assert.equal(config.room.authQueueBytes, 65_536);
  assert.deepEqual(config.room.chat, { maxMessages: 100, maxChars: 200_000 });
  for (const [name, { perMinute, burst }] of Object.entries(RATE_LIMIT_DEFAULTS)) {
    assert.deepEqual(config.rateLimits[name as keyof typeof RATE_LIMIT_DEFAULTS], { capacity: burst, refillPerSecond: perMinute / 60, perMinute });
  }
  assert.deepEqual(config.ai.models, [...DEFAULT_AI_MODELS]);
  assert.equal(config.ai.modelsError, null);
  assert.deepEqual(config.ai.signIn, { required: false, error: null });
  assert.equal(config.ai.maxOutputTokens, 4_096);
  assert.equal(config.ai.dailyRequests, 1_000);
  assert.deepEqual(config.ai.openai, { apiKey: null, baseUrl: undefined });
  assert.equal(config.auth.configured, false);
  assert.equal(config.auth.allowedOrigins, null);
  assert.deepEqual([...config.auth.admins], []);
  assert.equal(config.metricsFlushMs, 1000);
  assert.equal(config.logLevel, "info");
  assert.deepEqual(config.problems, []);
});

test("settings override their defaults, and the ones that follow another setting follow it", () => {
  const config = readConfig({
    ROOM_MAX_CONNECTIONS_PER_IP: "8",
    ROOM_MAX_DOCUMENT_BYTES: "400000",
    ROOM_CHAT_MAX_CHARS: "500000",
    ROOM_CHAT_MAX_MESSAGES: "1",
    ROOM_BYTES_PER_SECOND: "1000",
    ROOM_IDLE_TIMEOUT_SECONDS: "2",
    RATE_LIMIT_CONNECT_PER_MINUTE: "600",
    RATE_LIMIT_UPLOAD_BURST: "5",
    CHAT_RATE_LIMIT_PER_MINUTE: "3",
    AI_MAX_OUTPUT_TOKENS: "1000.7",
    METRICS_FLUSH_MS: "0",
    LOG_LEVEL: " WARN ",
    ADMIN_USER_IDS: "user_a, user_b,",
    ALLOWED_ORIGINS: "https://blog.example/",
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
  });
  assert.equal(config.room.limits.maxConnectionsPerIp, 8);
  // The chat never takes more than a quarter of the room, and keeps at least a question and its answer.
  assert.deepEqual(config.room.chat, { maxMessages: 2, maxChars: 100_000 });
  assert.equal(config.room.frames.byteBurst, 4_000, "the byte burst follows the byte rate");
  assert.equal(config.room.idleTimeoutMs, 2_000);
  assert.deepEqual(config.rateLimits.connect, { capacity: 600, refillPerSecond: 10, perMinute: 600 }, "a minute's worth of burst");
  assert.deepEqual(config.rateLimits.upload, { capacity: 5, refillPerSecond: 2, perMinute: 120 });
  assert.deepEqual(config.rateLimits.ai, { capacity: 3, refillPerSecond: 3 / 60, perMinute: 3 }, "the older name of the AI rate");
  assert.equal(config.ai.maxOutputTokens, 1000);
  assert.equal(config.metricsFlushMs, 0);
  assert.equal(config.logLevel, "warn");
  assert.deepEqual([...config.auth.admins], ["user_a", "user_b"]);
  assert.deepEqual(config.auth.allowedOrigins, ["https://blog.example"]);
  assert.deepEqual(config.ai.openai, { apiKey: "sk-test", baseUrl: "http://127.0.0.1:9/v1" });
  assert.deepEqual(config.problems, []);
});

test("a value that cannot be used falls back to its default and says so", () => {
  const config = readConfig({ ROOM_MAX_CONNECTIONS: "lots", RATE_LIMIT_AI_BURST: "0", LOG_LEVEL: "loud", METRICS_FLUSH_MS: "-1" });
  assert.equal(config.room.limits.maxConnections, DEFAULT_LIMITS.maxConnections);
  assert.equal(config.rateLimits.ai.capacity, RATE_LIMIT_DEFAULTS.ai.burst);
  assert.equal(config.logLevel, "info");
  assert.equal(config.metricsFlushMs, 1000);
  assert.deepEqual(config.problems, [
    `ROOM_MAX_CONNECTIONS is "lots", not a positive number; using ${DEFAULT_LIMITS.maxConnections}`,
    "RATE_LIMIT_AI_BURST is \"0\", not a positive number; using its default",
    'LOG_LEVEL is "loud", not debug, info, warn or error; using info',
    'METRICS_FLUSH_MS is "-1", not a number of ms; using 1000',
  ]);
});

test("AI settings that must not pass silently carry their error", () => {
  assert.match(readConfig({ AI_MODELS: "gpt-4o-mini, gpt-5-ultra" }).ai.modelsError ?? "", /AI_MODELS names unknown models "gpt-5-ultra"/);
  assert.deepEqual(readConfig({ AI_MODELS: "gpt-4o-mini, gpt-5-ultra" }).ai.models, []);
  assert.deepEqual(readConfig({ AI_MODELS: "*" }).ai.models.length > DEFAULT_AI_MODELS.length, true);
  assert.match(readConfig({ AI_REQUIRE_SIGN_IN: "maybe" }).ai.signIn.error ?? "", /must be true or false/);
  assert.match(readConfig({ AI_REQUIRE_SIGN_IN: "true" }).ai.signIn.error ?? "", /sign-in is not configured/);
  assert.deepEqual(readConfig({ CLERK_JWT_KEY: "pem" }).ai.signIn, { required: true, error: null }, "on by default with sign-in");
  assert.deepEqual(readConfig({ CLERK_JWT_KEY: "pem", AI_REQUIRE_SIGN_IN: "off" }).ai.signIn, { required: false, error: null });
});

test("one environment is read once", () => {
  const env = { ROOM_MAX_CONNECTIONS: "3" };
  assert.equal(readConfig(env), readConfig(env));
});

test("peer-to-peer is on with no ICE servers by default; PEER_TO_PEER=off stops it and ICE_SERVERS lists STUN and TURN servers", () => {
  assert.deepEqual(readConfig({}).peers, { enabled: true, iceServers: [] });
  assert.equal(readConfig({ PEER_TO_PEER: "off" }).peers.enabled, false);
  assert.equal(readConfig({ PEER_TO_PEER: " ON " }).peers.enabled, true);
  const servers = [{ urls: "stun:stun.example.com:3478" }, { urls: ["turn:turn.example.com:3478"], username: "u", credential: "secret" }];
  const config = readConfig({ ICE_SERVERS: JSON.stringify(servers) });
  assert.deepEqual(config.peers.iceServers, servers);
  assert.deepEqual(config.problems, []);
});

test("an unusable PEER_TO_PEER leaves it on, and unusable ICE_SERVERS mean none, each said without quoting a credential", () => {
  assert.deepEqual(readConfig({ PEER_TO_PEER: "maybe" }).problems, ['PEER_TO_PEER is "maybe", not on or off; using on']);
  assert.equal(readConfig({ PEER_TO_PEER: "maybe" }).peers.enabled, true);
  for (const bad of ["stun:stun.example.com", "{}", '[{"urls": "https://example.com"}]', '[{"urls": "turn:t.example.com", "credential": "secret"}]', "[null]"]) {
    const config = readConfig({ ICE_SERVERS: bad });
    assert.deepEqual(config.peers.iceServers, [], bad);
    assert.equal(config.problems.length, 1, bad);
    assert.match(config.problems[0]!, /^ICE_SERVERS is not a JSON array .*; using none$/);
    assert.doesNotMatch(config.problems[0]!, /secret/);
  }
});
