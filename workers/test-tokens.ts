/**
 * Tokens for tests, signed locally with the claims Clerk puts in a session token (RS256, `sub`, `sid`, `azp`, `iat`, `nbf`,
 * `exp`, `iss`, a `kid` header), so the Worker verifies them exactly as it would Clerk's. Pass `publicKeyPem` as CLERK_JWT_KEY.
 */
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTPayload } from "jose";

/** Claims of one test token; every field has a Clerk-like default. Times are in seconds since the epoch. */
export interface TestClaims {
  sub?: string;
  sid?: string;
  azp?: string;
  iat?: number;
  nbf?: number;
  /** Default: 60 s from now (Clerk's session tokens live 60 s). */
  exp?: number;
  iss?: string;
  /** Any other claims. */
  extra?: JWTPayload;
}

export interface TestSigner {
  /** SPKI PEM of the signing key, the format of Clerk's "JWT public key" (CLERK_JWT_KEY). */
  publicKeyPem: string;
  /** The public key as a JWK with `kid`, for a JWKS document. */
  publicJwk: JWK;
  kid: string;
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
    privateKey,
    async sign(claims: TestClaims = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = { sid: claims.sid ?? "sess_test", ...claims.extra };
      if (claims.azp !== undefined) payload.azp = claims.azp;
      return new SignJWT(payload)
        .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
        .setSubject(claims.sub ?? "user_test")
        .setIssuer(claims.iss ?? "https://clerk.spike.test")
        .setIssuedAt(claims.iat ?? now)
        .setNotBefore(claims.nbf ?? now - 5)
        .setExpirationTime(claims.exp ?? now + 60)
        .sign(privateKey);
    },
  };
}
