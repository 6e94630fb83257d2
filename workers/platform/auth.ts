/**
 * Clerk session tokens, verified without a network call: the PEM public key in `CLERK_JWT_KEY` (Clerk's own name for it),
 * or a JWKS URL (`CLERK_JWKS_URL`) fetched once and cached. Only session tokens of this server's Clerk instance count:
 * the issuer is checked (`CLERK_ISSUER`, or derived from `CLERK_PUBLISHABLE_KEY`) and JWT-template, OAuth and machine
 * tokens signed by the same key are refused. Used by the Worker for `Authorization: Bearer` (workers/main/authenticate.ts)
 * and by the CodeRoom for the token a socket sends in-band (docs/PROTOCOL.md "Authentication").
 */
import { clerkFrontendApi } from "../../core/auth.js";
import {
  createRemoteJWKSet,
  errors,
  importSPKI,
  jwtVerify,
  type CryptoKey,
  type JWTHeaderParameters,
  type JWTVerifyGetKey,
  type JWTPayload,
} from "jose";
import { effectiveSetting } from "./runtime-config.js";

/** The configuration this module reads from the Worker's environment. */
export interface AuthEnv {
  /** Clerk's "JWT public key" (PEM, `-----BEGIN PUBLIC KEY-----`), from the Clerk dashboard's API keys page. */
  CLERK_JWT_KEY?: string;
  /** Alternative to CLERK_JWT_KEY: `https://<your-frontend-api>/.well-known/jwks.json`, fetched once and cached. */
  CLERK_JWKS_URL?: string;
  /** Comma-separated origins that may embed spike and whose tokens (`azp`) are accepted; `*` or unset: any. */
  ALLOWED_ORIGINS?: string;
  /** The `iss` every token must carry, `https://<your-frontend-api>`; derived from CLERK_PUBLISHABLE_KEY when unset. */
  CLERK_ISSUER?: string;
  /**
   * Clerk's publishable key (`pk_test_…` / `pk_live_…`): handed to elements by `GET /api/config` so they can offer sign-in,
   * and names the instance's Frontend API, hence the `iss` tokens must carry when CLERK_ISSUER is unset.
   */
  CLERK_PUBLISHABLE_KEY?: string;
}

/** A verified user. Never carries the token itself. */
export interface Identity {
  /** Clerk's user id (`sub`). */
  userId: string;
  /** Clerk's session id (`sid`); null only for an identity read from an older internal header. */
  sessionId: string | null;
  /** When the token expires, in ms since the epoch. */
  expiresAt: number;
}

/** A token that does not verify; `message` is a reason safe to show the client (never the token). */
export class AuthError extends Error {
  override name = "AuthError";
}

/** The server's own sign-in configuration is unusable (e.g. CLERK_JWT_KEY is not a PEM key); no client can fix it. */
export class AuthConfigError extends Error {
  override name = "AuthConfigError";
}

/** Clerk signs session tokens with RS256; anything else (including `none` and HS256 key confusion) is refused. */
const ALGORITHMS = ["RS256"];
/** Clock skew tolerated on `exp`/`nbf`, as Clerk's own SDK does (5 s). */
const CLOCK_TOLERANCE_S = 5;

/** True when this server can verify tokens (a key or a JWKS URL is configured). */
export function authConfigured(env: AuthEnv): boolean {
  return Boolean(env.CLERK_JWT_KEY?.trim() || env.CLERK_JWKS_URL?.trim());
}

/** What a client is told when it sends a token to a server that cannot check one. */
export const AUTH_NOT_CONFIGURED = "sign-in is not configured on this server: set CLERK_JWT_KEY (or CLERK_JWKS_URL)";

/**
 * Verify a Clerk session token: signature (RS256), `exp`/`nbf`, `sub`, that it is a session token (see
 * {@link sessionTokenDenial}), the issuer (see {@link expectedIssuer}), and `azp` against ALLOWED_ORIGINS when that is a
 * list. Throws {@link AuthError} with a client-safe reason, or {@link AuthConfigError} when the configuration is unusable.
 * @example const { userId } = await verifyToken(bearer, env);
 */
export async function verifyToken(token: string, env: AuthEnv): Promise<Identity> {
  const key = await keyFor(env);
  const issuer = expectedIssuer(env);
  let payload: JWTPayload;
  let header: JWTHeaderParameters;
  try {
    ({ payload, protectedHeader: header } = await jwtVerify(token, key, { algorithms: ALGORITHMS, clockTolerance: CLOCK_TOLERANCE_S }));
  } catch (error) {
    throw new AuthError(reasonOf(error));
  }
  if (typeof payload.sub !== "string" || payload.sub === "") throw new AuthError("token has no subject (sub)");
  if (typeof payload.exp !== "number") throw new AuthError("token has no expiry (exp)");
  const denial = sessionTokenDenial(header, payload);
  if (denial) throw new AuthError(denial);
  if (issuer !== null && withoutTrailingSlash(String(payload.iss ?? "")) !== issuer) {
    throw new AuthError(
      payload.iss === undefined
        ? "token names no issuer (iss)"
        : `token was issued by ${String(payload.iss).slice(0, 100)}, not by this server's Clerk instance`,
    );
  }
  const allowed = allowedOrigins(env);
  if (allowed && payload.azp === undefined) {
    throw new AuthError("token names no authorized party (azp), which ALLOWED_ORIGINS requires");
  }
  if (allowed && !allowed.includes(String(payload.azp))) {
    throw new AuthError(`token was issued for ${String(payload.azp).slice(0, 100)}, which is not an allowed origin`);
  }
  return {
    userId: payload.sub,
    sessionId: payload.sid as string,
    expiresAt: payload.exp * 1000,
  };
}

/**
 * Clerk's token categories, in the `cat` header of the tokens it signs (one instance key signs every kind). A token without
 * `cat` predates them and is judged by its claims alone; "ignore" is stamped on every kind by instances that opted out.
 * As Clerk's backend SDK reads them (`@clerk/backend`, tokens/jwtCategories.ts).
 */
const TOKEN_CATEGORIES: Record<string, string> = {
  cl_B7d4PD111AAA: "session",
  cl_I7d4PD111III: "ignore",
  cl_B7d4PD222AAA: "a JWT-template token",
  cl_B7d4PD333AAA: "a machine (M2M) token",
};
/** RFC 9068 `typ` of OAuth 2.0 JWT access tokens, which Clerk issues to OAuth applications. */
const OAUTH_ACCESS_TOKEN_TYPES = ["at+jwt", "application/at+jwt"];

/**
 * Why a verified JWT is not a Clerk session token, or null when it is one. Clerk signs JWT-template tokens, OAuth access
 * tokens and M2M tokens with the same instance key, so a valid signature alone does not make a sign-in: a session token
 * has a session id (`sid`), which JWT templates cannot carry; a `cat` header, when present, says "session"; an OAuth
 * token is typed `at+jwt`; an M2M token's subject is a machine (`mch_…`). A session whose user still has tasks to finish
 * (`sts: "pending"`, e.g. choosing an organization) is not signed in yet, as Clerk's own SDKs treat it by default.
 * @example sessionTokenDenial({ alg: "RS256" }, { sub: "user_1" }) // "not a Clerk session token: it has no session id (sid) …"
 */
export function sessionTokenDenial(header: JWTHeaderParameters, payload: JWTPayload): string | null {
  const category = typeof header["cat"] === "string" ? header["cat"] : undefined;
  if (category !== undefined) {
    const kind = TOKEN_CATEGORIES[category];
    if (kind === undefined) return "not a Clerk session token: unknown token category (cat)";
    if (kind !== "session" && kind !== "ignore") return `not a Clerk session token: it is ${kind}`;
  }
  if (typeof header.typ === "string" && OAUTH_ACCESS_TOKEN_TYPES.includes(header.typ.toLowerCase())) {
    return "not a Clerk session token: it is an OAuth access token";
  }
  if (typeof payload.sub === "string" && payload.sub.startsWith("mch_")) {
    return "not a Clerk session token: it is a machine (M2M) token";
  }
  if (typeof payload.sid !== "string" || payload.sid === "") {
    return "not a Clerk session token: it has no session id (sid), as JWT-template tokens do not";
  }
  if (payload["sts"] === "pending") return "the session is pending: the user has steps to finish in Clerk first";
  return null;
}

/**
 * The `iss` tokens must carry: `CLERK_ISSUER` when set, else `https://<frontend-api>` decoded from `CLERK_PUBLISHABLE_KEY`
 * (Clerk's session tokens are issued by the instance's Frontend API), else null: the issuer is not checked, and the
 * signing key alone ties tokens to the instance (each Clerk instance has its own key pair). Throws {@link AuthConfigError}
 * for a CLERK_ISSUER that is not a URL or a publishable key that does not decode.
 * @example expectedIssuer({ CLERK_PUBLISHABLE_KEY: "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k" }) // "https://clerk.example.com"
 */
export function expectedIssuer(env: Pick<AuthEnv, "CLERK_ISSUER" | "CLERK_PUBLISHABLE_KEY">): string | null {
  const configured = env.CLERK_ISSUER?.trim();
  if (configured) {
    try {
      new URL(configured);
    } catch {
      throw new AuthConfigError("sign-in is misconfigured on this server: CLERK_ISSUER is not a URL (https://<your-frontend-api>)");
    }
    return withoutTrailingSlash(configured);
  }
  const publishableKey = env.CLERK_PUBLISHABLE_KEY?.trim();
  if (!publishableKey) return null;
  const host = clerkFrontendApi(publishableKey);
  if (host === null) {
    throw new AuthConfigError("sign-in is misconfigured on this server: CLERK_PUBLISHABLE_KEY is not a Clerk publishable key (pk_test_… or pk_live_…)");
  }
  return `https://${host}`;
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/**
 * The configured embedding origins, or null for "any" (`*` or unset): ALLOWED_ORIGINS from the environment, else from the
 * runtime settings (runtime-config.ts). Origins are compared exactly, without a trailing slash.
 * @example allowedOrigins({ ALLOWED_ORIGINS: "https://blog.example, https://docs.example" }) // ["https://blog.example", "https://docs.example"]
 */
export function allowedOrigins(env: Pick<AuthEnv, "ALLOWED_ORIGINS">): string[] | null {
  const list = (effectiveSetting(env, "ALLOWED_ORIGINS") ?? "")
    .split(",")
    .map((origin) => origin.trim().replace(/\/+$/, ""))
    .filter(Boolean);
  return list.length === 0 || list.includes("*") ? null : list;
}

// ---- keys ----------------------------------------------------------------------------------------------------------

/** Parsed keys per isolate, by configuration text: importing a PEM costs ~0.1 ms, a JWKS fetch a round trip. */
const keys = new Map<string, Promise<CryptoKey> | JWTVerifyGetKey>();

async function keyFor(env: AuthEnv): Promise<CryptoKey | JWTVerifyGetKey> {
  const pem = env.CLERK_JWT_KEY?.trim();
  if (pem) {
    let key = keys.get(pem) as Promise<CryptoKey> | undefined;
    if (!key) {
      key = importSPKI(normalizePem(pem), "RS256");
      keys.set(pem, key);
      key.catch(() => keys.delete(pem));
    }
    try {
      return await key;
    } catch {
      throw new AuthConfigError("sign-in is misconfigured on this server: CLERK_JWT_KEY is not a PEM RSA public key");
    }
  }
  const url = env.CLERK_JWKS_URL?.trim();
  if (url) {
    let jwks = keys.get(url) as JWTVerifyGetKey | undefined;
    if (!jwks) {
      // jose caches the set (10 min) and refetches at most every 30 s when a token names an unknown key id.
      jwks = createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000 });
      keys.set(url, jwks);
    }
    return jwks;
  }
  throw new AuthError(AUTH_NOT_CONFIGURED);
}

/**
 * Accept the PEM as people paste it into a .dev.vars or a secret: with literal `\n` escapes, or on one line.
 * @example normalizePem("-----BEGIN PUBLIC KEY-----\\nMIIB...\\n-----END PUBLIC KEY-----")
 */
export function normalizePem(pem: string): string {
  const text = pem.replace(/\\n/g, "\n").trim();
  const match = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(text);
  if (!match) return text;
  const body = match[1]!.replace(/\s+/g, "");
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join("\n")}\n-----END PUBLIC KEY-----`;
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "token expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === "nbf" ? "token is not valid yet (nbf)" : `token claim ${error.claim} is invalid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "token algorithm is not RS256";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "token signature does not verify";
  if (error instanceof errors.JWKSNoMatchingKey) return "token was signed by an unknown key";
  if (error instanceof errors.JWKSTimeout) return "could not fetch the signing keys (CLERK_JWKS_URL timed out)";
  if (error instanceof errors.JWKSInvalid || error instanceof errors.JOSENotSupported) return "token cannot be verified";
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return "token is malformed";
  if (error instanceof errors.JOSEError) return "token is invalid";
  return "token could not be verified (signing keys unavailable)";
}
