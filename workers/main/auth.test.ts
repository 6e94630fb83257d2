/**
 * Clerk session tokens: the verification matrix (what passes, what every kind of forgery gets) and the Worker's 401s.
 * Tokens are signed locally with the claims Clerk issues (workers/test-tokens.ts); the JWKS alternative is served by a
 * loopback server with the document Clerk serves at `/.well-known/jwks.json`.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { SignJWT, UnsecuredJWT, base64url, generateKeyPair } from "jose";
import { createTestSigner, type TestSigner } from "../test-tokens.js";
import { startTestWorker, type TestWorker } from "../test-support.js";
import { AUTH_NOT_CONFIGURED, AuthConfigError, AuthError, normalizePem, verifyToken } from "../platform/auth.js";
import { bearerToken } from "./authenticate.js";

const now = () => Math.floor(Date.now() / 1000);

let signer: TestSigner;
let other: TestSigner;
before(async () => {
  signer = await createTestSigner();
  other = await createTestSigner("ins_other_key");
});

/** Resolves to the AuthError's message; fails the test if the token verified. */
async function rejection(token: string, env: Parameters<typeof verifyToken>[1]): Promise<string> {
  try {
    await verifyToken(token, env);
  } catch (error) {
    assert.ok(error instanceof AuthError, `expected an AuthError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("the token verified");
}

describe("verifyToken with CLERK_JWT_KEY", () => {
  const env = () => ({ CLERK_JWT_KEY: signer.publicKeyPem });

  it("accepts a token with Clerk's claims and returns who it is for", async () => {
    const exp = now() + 60;
    const identity = await verifyToken(await signer.sign({ sub: "user_a", sid: "sess_1", exp, azp: "https://blog.example" }), env());
    assert.deepEqual(identity, { userId: "user_a", sessionId: "sess_1", expiresAt: exp * 1000 });
  });

  it("accepts the PEM with literal \\n escapes or on one line, as people paste it", async () => {
    const escaped = signer.publicKeyPem.trim().replace(/\n/g, "\\n");
    const oneLine = signer.publicKeyPem.replace(/\n/g, " ");
    assert.equal(normalizePem(escaped), signer.publicKeyPem.trim());
    for (const pem of [escaped, oneLine]) {
      assert.equal((await verifyToken(await signer.sign(), { CLERK_JWT_KEY: pem })).userId, "user_test");
    }
  });

  it("rejects a forged signature", async () => {
    const [header, payload, signature] = (await signer.sign()).split(".");
    const flipped = signature!.slice(0, 10) + (signature![10] === "A" ? "B" : "A") + signature!.slice(11);
    assert.equal(await rejection(`${header}.${payload}.${flipped}`, env()), "token signature does not verify");
    // A payload edited after signing (say, another user id) keeps the old signature.
    const forged = base64url.encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(base64url.decode(payload!))), sub: "user_admin" }));
    assert.equal(await rejection(`${header}.${forged}.${signature}`, env()), "token signature does not verify");
  });

  it("rejects a token signed by another key", async () => {
    assert.equal(await rejection(await other.sign(), env()), "token signature does not verify");
  });

  it("rejects an expired token, and tolerates 5 s of clock skew", async () => {
    assert.equal(await rejection(await signer.sign({ exp: now() - 30, iat: now() - 90, nbf: now() - 90 }), env()), "token expired");
    assert.equal((await verifyToken(await signer.sign({ exp: now() - 2, nbf: now() - 60 }), env())).userId, "user_test");
  });

  it("rejects a token that is not valid yet (nbf)", async () => {
    assert.match(await rejection(await signer.sign({ nbf: now() + 120, exp: now() + 180 }), env()), /not valid yet/);
  });

  it("rejects `alg: none` and HS256 signed with the public key (algorithm confusion)", async () => {
    const unsecured = new UnsecuredJWT({ sid: "sess_1" }).setSubject("user_a").setExpirationTime("1m").encode();
    assert.match(await rejection(unsecured, env()), /algorithm|malformed|invalid/);
    const confused = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("user_a")
      .setExpirationTime("1m")
      .sign(new TextEncoder().encode(signer.publicKeyPem));
    assert.equal(await rejection(confused, env()), "token algorithm is not RS256");
  });

  it("rejects an ES256 token and tokens without sub or exp", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const es = await new SignJWT({}).setProtectedHeader({ alg: "ES256" }).setSubject("user_a").setExpirationTime("1m").sign(privateKey);
    assert.equal(await rejection(es, env()), "token algorithm is not RS256");
    assert.match(await rejection(await signer.sign({ sub: "" }), env()), /sub/);
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: "RS256" }).setSubject("user_a").sign(signer.privateKey);
    assert.equal(await rejection(noExp, env()), "token has no expiry (exp)");
  });

  it("checks azp against ALLOWED_ORIGINS when it is a list, and not when it is * or unset", async () => {
    const token = await signer.sign({ azp: "https://evil.example" });
    const listed = { ...env(), ALLOWED_ORIGINS: "https://blog.example, https://docs.example/" };
    assert.match(await rejection(token, listed), /not an allowed origin/);
    assert.equal((await verifyToken(await signer.sign({ azp: "https://docs.example" }), listed)).userId, "user_test");
    assert.match(await rejection(await signer.sign(), listed), /no authorized party/);
    assert.equal((await verifyToken(token, { ...env(), ALLOWED_ORIGINS: "*" })).userId, "user_test");
    assert.equal((await verifyToken(token, env())).userId, "user_test");
  });

  it("rejects garbage, and says what to configure when nothing is", async () => {
    for (const junk of ["", "abc", "a.b.c", "x".repeat(5000), "eyJhbGciOiJSUzI1NiJ9.e30"]) {
      assert.match(await rejection(junk, env()), /malformed|invalid/);
    }
    assert.equal(await rejection(await signer.sign(), {}), AUTH_NOT_CONFIGURED);
    await assert.rejects(verifyToken(await signer.sign(), { CLERK_JWT_KEY: "not a key" }), AuthConfigError);
  });

  it("reads only `Bearer <token>` from an Authorization header", () => {
    assert.equal(bearerToken("Bearer abc.def.ghi"), "abc.def.ghi");
    assert.equal(bearerToken("bearer   abc"), "abc");
    for (const header of [undefined, null, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", "Token abc"]) {
      assert.equal(bearerToken(header), null);
    }
  });
});

describe("verifyToken with CLERK_JWKS_URL", () => {
  let server: Server;
  let jwksUrl: string;
  let fetches = 0;
  let keys: object[] = [];

  before(async () => {
    server = createServer((req, res) => {
      if (req.url !== "/.well-known/jwks.json") return res.writeHead(404).end();
      fetches++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("fetches the key set once, then verifies from the cache", async () => {
    keys = [signer.publicJwk];
    const env = { CLERK_JWKS_URL: jwksUrl };
    for (let i = 0; i < 5; i++) assert.equal((await verifyToken(await signer.sign({ sub: `user_${i}` }), env)).userId, `user_${i}`);
    assert.equal(fetches, 1);
    assert.equal(await rejection(await other.sign(), env), "token was signed by an unknown key");
  });
});

describe("the Worker", () => {
  let worker: TestWorker;
  let unconfigured: TestWorker;
  let jwks: Server;

  before(async () => {
    jwks = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [other.publicJwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    [worker, unconfigured] = await Promise.all([
      startTestWorker({ vars: { CLERK_JWT_KEY: signer.publicKeyPem } }),
      startTestWorker({ vars: { CLERK_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json` } }),
    ]);
    // The room the requests read must exist (a room nobody wrote to answers 404 whoever asks).
    for (const w of [worker, unconfigured]) {
      const put = await fetch(new URL("/live/auth-room/files/a.ts", w.url), { method: "PUT", body: "// a\n" });
      assert.equal(put.status, 200);
    }
  });
  after(async () => {
    await Promise.all([worker?.dispose(), unconfigured?.dispose()]);
    await new Promise<void>((resolve) => jwks.close(() => resolve()));
  });

  const get = (w: TestWorker, authorization?: string) =>
    fetch(new URL("/live/auth-room/session.json", w.url), { headers: authorization ? { authorization } : {} });

  it("answers a bad, expired or malformed bearer token with 401, the reason and WWW-Authenticate", async () => {
    const cases: [string, RegExp][] = [
      ["Bearer not.a.token", /malformed|invalid/],
      [`Bearer ${await other.sign()}`, /signature/],
      [`Bearer ${await signer.sign({ exp: now() - 60, nbf: now() - 120 })}`, /expired/],
      ["Basic dXNlcjpwYXNz", /Bearer/],
    ];
    for (const [authorization, reason] of cases) {
      const res = await get(worker, authorization);
      assert.equal(res.status, 401, authorization);
      assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
      const body = (await res.json()) as { error: string };
      assert.match(body.error, reason);
      assert.ok(!JSON.stringify(body).includes(authorization.slice(7, 40)), "the token is never echoed");
    }
  });

  it("serves a request with a valid token, and one without any", async () => {
    assert.equal((await get(worker, `Bearer ${await signer.sign()}`)).status, 200);
    assert.equal((await get(worker)).status, 200);
  });

  it("verifies against a JWKS URL inside workerd", async () => {
    assert.equal((await get(unconfigured, `Bearer ${await other.sign()}`)).status, 200);
    const res = await get(unconfigured, `Bearer ${await signer.sign()}`);
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { error: string }).error, /unknown key/);
  });
});

describe("a Worker without sign-in configured", () => {
  let worker: TestWorker;
  before(async () => {
    worker = await startTestWorker();
  });
  after(() => worker?.dispose());

  it("says what to set when a token arrives", async () => {
    const res = await fetch(new URL("/live/auth-room/session.json", worker.url), { headers: { authorization: `Bearer ${await signer.sign()}` } });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, AUTH_NOT_CONFIGURED);
  });
});
