/**
 * Only Clerk session tokens of this server's own Clerk instance sign anyone in: the issuer is checked (CLERK_ISSUER, or
 * the Frontend API named by CLERK_PUBLISHABLE_KEY), and the other tokens Clerk signs with the same instance key
 * (JWT-template, OAuth access and M2M tokens) are refused. Checked by verifyToken directly, through the real Worker
 * (HTTP 401 with the reason) and through a room socket (close 4401 with the reason).
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import * as Y from "yjs";
import { encodeAuthToken, encodeSyncStep1 } from "../../core/protocol.js";
import { openRawSocket, sleep, startTestWorker, type RawSocket, type TestWorker } from "../test-support.js";
import { TOKEN_CATEGORY, createTestSigner, publishableKeyFor, type TestClaims, type TestSigner } from "../test-tokens.js";
import { AuthConfigError, AuthError, expectedIssuer, verifyToken, type AuthEnv } from "../platform/auth.js";

let signer: TestSigner;
before(async () => {
  signer = await createTestSigner();
});

async function rejection(token: string, env: AuthEnv): Promise<string> {
  try {
    await verifyToken(token, env);
  } catch (error) {
    assert.ok(error instanceof AuthError, `expected an AuthError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("the token verified");
}

/** Tokens signed by the instance's own key that are not session tokens of it, with the reason each is refused for. */
const NOT_SESSION_TOKENS: [string, TestClaims, RegExp][] = [
  ["a JWT-template token (no sid, template category)", { sid: null, header: { cat: TOKEN_CATEGORY.jwtTemplate }, extra: { jti: "abc" } }, /JWT-template token/],
  ["a JWT-template token from before token categories (no sid, no cat)", { sid: null, header: { cat: undefined } }, /no session id \(sid\)/],
  ["an M2M token (machine category)", { sub: "mch_worker", sid: null, header: { cat: TOKEN_CATEGORY.m2m } }, /machine \(M2M\) token/],
  ["an M2M token without a category (machine subject)", { sub: "mch_worker", header: { cat: undefined } }, /machine \(M2M\) token/],
  ["an OAuth access token (typ at+jwt)", { header: { typ: "at+jwt", cat: undefined } }, /OAuth access token/],
  ["a token of an unknown category", { header: { cat: "cl_something_else" } }, /unknown token category/],
  ["a pending session (sts: pending)", { extra: { sts: "pending" } }, /pending/],
];

describe("which tokens count as a Clerk session token", () => {
  const env = () => ({ CLERK_JWT_KEY: signer.publicKeyPem, CLERK_PUBLISHABLE_KEY: signer.publishableKey });

  it("a session token verifies, with or without the category header (tokens from before categories have none)", async () => {
    assert.deepEqual(
      { ...(await verifyToken(await signer.sign({ sub: "user_a", sid: "sess_a" }), env())), expiresAt: 0 },
      { userId: "user_a", sessionId: "sess_a", expiresAt: 0 },
    );
    assert.equal((await verifyToken(await signer.sign({ header: { cat: undefined } }), env())).userId, "user_test");
    // Instances that opted out of categories stamp "ignore" on every token: judged by the claims alone.
    assert.equal((await verifyToken(await signer.sign({ header: { cat: "cl_I7d4PD111III" } }), env())).userId, "user_test");
  });

  for (const [what, claims, reason] of NOT_SESSION_TOKENS) {
    it(`refuses ${what}`, async () => {
      assert.match(await rejection(await signer.sign(claims), env()), reason);
    });
  }
});

describe("the issuer", () => {
  it("comes from CLERK_ISSUER, else from the Frontend API CLERK_PUBLISHABLE_KEY names, else is not checked", () => {
    assert.equal(expectedIssuer({ CLERK_ISSUER: "https://clerk.example.com/" }), "https://clerk.example.com");
    assert.equal(expectedIssuer({ CLERK_PUBLISHABLE_KEY: "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k" }), "https://clerk.example.com");
    assert.equal(
      expectedIssuer({ CLERK_ISSUER: "https://auth.example.org", CLERK_PUBLISHABLE_KEY: "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k" }),
      "https://auth.example.org",
    );
    assert.equal(expectedIssuer({}), null);
    assert.equal(expectedIssuer({ CLERK_PUBLISHABLE_KEY: "  " }), null);
  });

  it("is decoded from publishable keys as Clerk builds them (pk_test_/pk_live_ + base64 of `<host>$`); a key that does not decode is a configuration error", () => {
    const issuerOf = (key: string) => expectedIssuer({ CLERK_PUBLISHABLE_KEY: key });
    assert.equal(issuerOf(publishableKeyFor("happy-hippo-12.clerk.accounts.dev")), "https://happy-hippo-12.clerk.accounts.dev");
    assert.equal(issuerOf(`pk_live_${btoa("clerk.example.com$")}`), "https://clerk.example.com");
    for (const bad of ["pk_test_", "sk_test_Y2xlcmsuZXhhbXBsZS5jb20k", "pk_test_@@@", `pk_test_${btoa("clerk.example.com")}`, `pk_test_${btoa("evil.com/x$")}`]) {
      assert.throws(() => issuerOf(bad), AuthConfigError, bad);
    }
    assert.throws(() => expectedIssuer({ CLERK_ISSUER: "clerk.example.com" }), AuthConfigError);
  });

  it("must match: a token from another instance signed with the same key is refused", async () => {
    const configured = { CLERK_JWT_KEY: signer.publicKeyPem };
    const foreign = await signer.sign({ iss: "https://other-instance.clerk.accounts.dev" });
    for (const env of [{ ...configured, CLERK_PUBLISHABLE_KEY: signer.publishableKey }, { ...configured, CLERK_ISSUER: signer.issuer }]) {
      assert.equal(await rejection(foreign, env), "token was issued by https://other-instance.clerk.accounts.dev, not by this server's Clerk instance");
      assert.equal((await verifyToken(await signer.sign(), env)).userId, "user_test");
    }
    // Neither configured: the key alone ties tokens to the instance (each instance has its own key pair).
    assert.equal((await verifyToken(foreign, configured)).userId, "user_test");
  });
});

describe("the Worker and a room socket", () => {
  let worker: TestWorker;
  let misconfigured: TestWorker;
  const sockets: RawSocket[] = [];

  before(async () => {
    [worker, misconfigured] = await Promise.all([
      startTestWorker({ vars: { CLERK_JWT_KEY: signer.publicKeyPem, CLERK_PUBLISHABLE_KEY: signer.publishableKey } }),
      startTestWorker({ vars: { CLERK_JWT_KEY: signer.publicKeyPem, CLERK_PUBLISHABLE_KEY: "pk_live_garbage" } }),
    ]);
    // The room the requests read must exist (a room nobody wrote to answers 404 whoever asks).
    const put = await fetch(new URL("/live/issuer-room/files/a.ts", worker.url), { method: "PUT", body: "// a\n" });
    assert.equal(put.status, 200);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.ws.terminate();
  });
  after(async () => {
    await Promise.all([worker?.dispose(), misconfigured?.dispose()]);
  });

  const get = (target: TestWorker, token: string) =>
    fetch(new URL("/live/issuer-room/session.json", target.url), { headers: { authorization: `Bearer ${token}` } });

  const refusals = async (): Promise<[string, string, RegExp][]> => [
    ["another instance's token", await signer.sign({ iss: "https://other-instance.clerk.accounts.dev" }), /not by this server's Clerk instance/],
    ...(await Promise.all(NOT_SESSION_TOKENS.map(async ([what, claims, reason]) => [what, await signer.sign(claims), reason] as [string, string, RegExp]))),
  ];

  it("answers a token that is not this instance's session token with 401, the reason and WWW-Authenticate", async () => {
    assert.equal((await get(worker, await signer.sign())).status, 200);
    for (const [what, token, reason] of await refusals()) {
      const response = await get(worker, token);
      assert.equal(response.status, 401, what);
      assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer error="invalid_token"/, what);
      assert.match(((await response.json()) as { error: string }).error, reason, what);
    }
  });

  it("closes a socket that sends such a token with 4401 and the reason", async () => {
    for (const [what, token, reason] of await refusals()) {
      const socket = await openRawSocket(worker, "/live/issuer-room/ws");
      sockets.push(socket);
      socket.ws.send(encodeAuthToken(token));
      socket.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
      // Bounded, so a socket the room keeps open fails the test instead of hanging it.
      const closed = await Promise.race([socket.closed, sleep(10_000).then(() => ({ code: 0, reason: "still open after 10 s" }))]);
      assert.equal(closed.code, 4401, what);
      assert.match(closed.reason, reason, what);
    }
  });

  it("says the configuration is broken (503) when CLERK_PUBLISHABLE_KEY does not decode, rather than skipping the check", async () => {
    const response = await get(misconfigured, await signer.sign());
    assert.equal(response.status, 503);
    assert.match(((await response.json()) as { error: string }).error, /CLERK_PUBLISHABLE_KEY is not a Clerk publishable key/);
  });
});
