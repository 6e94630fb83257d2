import assert from "node:assert/strict";
import { test } from "node:test";
import { configRoute, previewOrigin } from "./config-route.js";

test("the preview origin swaps localhost and 127.0.0.1, keeping scheme and port", () => {
  assert.equal(previewOrigin("http://localhost:8787/api/config", undefined), "http://127.0.0.1:8787");
  assert.equal(previewOrigin("http://127.0.0.1:8790/api/config", undefined), "http://localhost:8790");
});

test("PREVIEW_ORIGIN wins, reduced to an origin", () => {
  assert.equal(previewOrigin("https://spike.example.com/api/config", "https://preview.example.net/some/path"), "https://preview.example.net");
});

test("another host without PREVIEW_ORIGIN gets its own origin (the element then drops allow-same-origin)", () => {
  assert.equal(previewOrigin("https://spike.example.com/api/config", undefined), "https://spike.example.com");
});

test("GET /api/config answers JSON any page may read", async () => {
  const response = await configRoute().request("http://localhost:8787/", {}, {});
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
  assert.deepEqual(await response.json(), {
    previewOrigin: "http://127.0.0.1:8787",
    clerkPublishableKey: null,
    aiModels: ["gpt-4o-mini", "gpt-4.1-mini", "claude-haiku-4-5"],
  });
});

test("GET /api/config lists the chat models AI_MODELS allows, and none when it names an unknown one", async () => {
  const models = async (AI_MODELS: string) =>
    ((await (await configRoute().request("http://localhost:8787/", {}, { AI_MODELS })).json()) as { aiModels: string[] }).aiModels;
  assert.deepEqual(await models("claude-sonnet-4-5, gpt-4o"), ["gpt-4o", "claude-sonnet-4-5"]);
  assert.deepEqual(await models("*"), ["gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "o4-mini", "claude-sonnet-4-5", "claude-haiku-4-5"]);
  assert.deepEqual(await models("gpt-4o-mini, gpt-5-turbo"), []);
});

test("GET /api/config hands out CLERK_PUBLISHABLE_KEY so elements can offer sign-in", async () => {
  const key = "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k";
  const response = await configRoute().request("http://localhost:8787/", {}, { CLERK_PUBLISHABLE_KEY: ` ${key}\n` });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    previewOrigin: "http://127.0.0.1:8787",
    clerkPublishableKey: key,
    aiModels: ["gpt-4o-mini", "gpt-4.1-mini", "claude-haiku-4-5"],
  });
  const blank = await configRoute().request("http://localhost:8787/", {}, { CLERK_PUBLISHABLE_KEY: "" });
  assert.equal(((await blank.json()) as { clerkPublishableKey: unknown }).clerkPublishableKey, null);
});
