/**
 * Tokens for tests, signed locally with the claims Clerk puts in a session token (RS256, `sub`, `sid`, `v`, `azp`, `iat`,
 * `nbf`, `exp`, `iss`, `kid` and `cat` headers), so the Worker verifies them exactly as it would Clerk's. Pass
 * `publicKeyPem` as CLERK_JWT_KEY, and `publishableKey` as CLERK_PUBLISHABLE_KEY (or `issuer` as CLERK_ISSUER) to have the
 * issuer checked. Other kinds of Clerk token (JWT template, OAuth, M2M) are made by overriding `sid` and `header`.
 */
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTPayload } from "jose";

/** The Frontend API host test tokens are issued by, as in a Clerk development instance's `iss`. */
export const TEST_FRONTEND_API = "clerk.spike.test";
/** Clerk's `cat` header values (see workers/platform/auth.ts): session, JWT template, M2M. */
export const TOKEN_CATEGORY = { session: "cl_B7d4PD111AAA", jwtTemplate: "cl_B7d4PD222AAA", m2m: "cl_B7d4PD333AAA" } as const;

/**
 * The publishable key of a Clerk instance whose Frontend API is `host`: `pk_test_` + base64 of `<host>$`.
 * @example publishableKeyFor("clerk.example.com") // "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k"
 */
export function publishableKeyFor(host: string): string {
  return `pk_test_${Buffer.from(`${host}$`).toString("base64")}`;
}

/** Claims of one test token; every field has a Clerk-like default. Times are in seconds since the epoch. */
export interface TestClaims {
  sub?: string;
  /** Default `sess_test`; null leaves it out (as a JWT-template token has none). */
  sid?: string | null;
  azp?: string;
  iat?: number;
  nbf?: number;
  /** Default: 60 s from now (Clerk's session tokens live 60 s). */
  exp?: number;
  /** Default `https://clerk.spike.test` ({@link TEST_FRONTEND_API}). */
  iss?: string;
  /** Any other claims. */
  extra?: JWTPayload;
  /** Protected-header fields over the defaults (`alg: RS256`, `kid`, `typ: JWT`, `cat`: session); undefined removes one. */
  header?: Record<string, string | undefined>;
}

export interface TestSigner {
  /** SPKI PEM of the signing key, the format of Clerk's "JWT public key" (CLERK_JWT_KEY). */
  publicKeyPem: string;
  /** The public key as a JWK with `kid`, for a JWKS document. */
  publicJwk: JWK;
  kid: string;
  /** `https://clerk.spike.test`, the default `iss`: the value for CLERK_ISSUER. */
  issuer: string;
  /** The publishable key naming the same Frontend API: the value for CLERK_PUBLISHABLE_KEY. */
  publishableKey: string;
  /** The private key, for tokens the claim defaults cannot express (say, one without `exp`). */
  privateKey: CryptoKey;
  sign(claims?: TestClaims): Promise<string>;
}

/**
 * A fresh RS256 key pair and a signer for it.
 * @example const signer = await createTestSigner(); const token = await signer.sign({ sub: "user_a" });
 */
export async function createTestSigner(kid = "ins_test_key"): Promise<TestSigner> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return {
    publicKeyPem: await exportSPKI(publicKey),
    publicJwk,
    kid,
    issuer: `https://${TEST_FRONTEND_API}`,
    publishableKey: publishableKeyFor(TEST_FRONTEND_API),
    privateKey,
    async sign(claims: TestClaims = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = { v: 2, ...claims.extra };
      if (claims.sid !== null) payload.sid = claims.sid ?? "sess_test";
      if (claims.azp !== undefined) payload.azp = claims.azp;
      const header = { alg: "RS256", kid, typ: "JWT", cat: TOKEN_CATEGORY.session, ...claims.header };
      for (const name of Object.keys(header) as (keyof typeof header)[]) if (header[name] === undefined) delete header[name];
      return new SignJWT(payload)
        .setProtectedHeader(header as { alg: string })
        .setSubject(claims.sub ?? "user_test")
        .setIssuer(claims.iss ?? `https://${TEST_FRONTEND_API}`)
        .setIssuedAt(claims.iat ?? now)
        .setNotBefore(claims.nbf ?? now - 5)
        .setExpirationTime(claims.exp ?? now + 60)
        .sign(privateKey);
    },
  };
}
