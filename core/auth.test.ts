/** core/auth.ts: token expiry decoding, refresh timing and Clerk's publishable key format (pure; runs in node). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createTestSigner } from "../workers/test-tokens.js";
import { clerkFrontendApi, clerkScriptUrl, clerkTokenSource, refreshDelayMs, tokenExpiresAt, MIN_REFRESH_MS } from "./auth.js";

test("tokenExpiresAt reads exp from a Clerk-shaped JWT without verifying it", async () => {
  const signer = await createTestSigner();
  const exp = Math.floor(Date.now() / 1000) + 60;
  assert.equal(tokenExpiresAt(await signer.sign({ exp, sub: "user_ü" })), exp * 1000);
  assert.equal(tokenExpiresAt("not a jwt"), null);
  assert.equal(tokenExpiresAt("a.b.c"), null);
  assert.equal(tokenExpiresAt(`x.${Buffer.from(JSON.stringify({ exp: "soon" })).toString("base64url")}.y`), null);
  assert.equal(tokenExpiresAt(`x.${Buffer.from(JSON.stringify({ sub: "u" })).toString("base64url")}.y`), null);
});

test("refreshDelayMs refreshes a 60 s token 30 s before expiry, halves what is left, never below 1 s", () => {
  const now = 1_000_000;
  assert.equal(refreshDelayMs(now + 60_000, now), 30_000);
  assert.equal(refreshDelayMs(now + 30_000, now), 15_000);
  assert.equal(refreshDelayMs(now + 1_500, now), MIN_REFRESH_MS);
  assert.equal(refreshDelayMs(now - 10_000, now), MIN_REFRESH_MS);
});

test("clerkFrontendApi and clerkScriptUrl follow Clerk's publishable key format", () => {
  const pk = (host: string, env = "test") => `pk_${env}_${Buffer.from(`${host}$`).toString("base64")}`;
  assert.equal(clerkFrontendApi(pk("clerk.example.com")), "clerk.example.com");
  assert.equal(clerkFrontendApi(pk("happy-cat-12.clerk.accounts.dev", "live")), "happy-cat-12.clerk.accounts.dev");
  assert.equal(clerkScriptUrl(pk("clerk.example.com")), "https://clerk.example.com/npm/@clerk/clerk-js@5/dist/clerk.browser.js");
  assert.equal(clerkFrontendApi("sk_test_abc"), null, "a secret key is not a publishable key");
  assert.equal(clerkFrontendApi(`pk_test_${Buffer.from("clerk.example.com").toString("base64")}`), null, "no trailing $");
  assert.equal(clerkFrontendApi(pk("evil.com/path?x=")), null, "a host, nothing else");
  assert.equal(clerkScriptUrl("pk_test_!!!"), null);
});

test("clerkTokenSource follows the Clerk instance's current session", async () => {
  const clerk: { session: { getToken(): Promise<string | null> } | null } = { session: null };
  const source = clerkTokenSource(clerk);
  assert.equal(await source(), null);
  clerk.session = { getToken: async () => "token-1" };
  assert.equal(await source(), "token-1");
});
