/**
 * Where a RoomClient gets the bearer token it sends in-band (docs/PROTOCOL.md "Authentication"): a host page's function or
 * a Clerk instance, plus the arithmetic of refreshing a token before it expires. No DOM, no Clerk code: Clerk's browser
 * script is loaded by the elements from Clerk's own CDN only when a page asks for it.
 */

/**
 * Anything that yields the current session token, or nothing when signed out. Called on every connect and before the
 * previous token expires, so it should be cheap and return a cached token while it is still fresh (Clerk's does).
 */
export type TokenSource = () => Promise<string | null | undefined> | string | null | undefined;

/** The part of a Clerk instance (`window.Clerk` after `Clerk.load()`) that spike reads. */
export interface ClerkLike {
  session?: { getToken(): Promise<string | null> } | null;
}

/**
 * A token source reading Clerk's active session at each call, so it follows sign-in and sign-out.
 * @example client.setTokenSource(clerkTokenSource(window.Clerk));
 */
export function clerkTokenSource(clerk: ClerkLike): TokenSource {
  return async () => (clerk.session ? await clerk.session.getToken() : null);
}

/**
 * When a JWT expires (its `exp`, in ms since the epoch), read without verifying: only to schedule a refresh. Null when the
 * token is not a JWT or has no numeric `exp`.
 * @example tokenExpiresAt(token) // 1767225600000
 */
export function tokenExpiresAt(token: string): number | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** Never refresh more often than this, even for a token about to expire (or already expired). */
export const MIN_REFRESH_MS = 1000;

/**
 * How long to wait before fetching a fresh token: half the remaining lifetime, at least {@link MIN_REFRESH_MS}. Clerk's
 * session tokens live 60 s, so a fresh one is refreshed 30 s before it expires; if the source hands back the same cached
 * token, the next attempt comes after half of what is left, and so on, well inside the server's 5 s skew.
 * @example refreshDelayMs(Date.now() + 60_000, Date.now()) // 30_000
 */
export function refreshDelayMs(expiresAt: number, now: number): number {
  return Math.max(MIN_REFRESH_MS, Math.floor((expiresAt - now) / 2));
}

/**
 * The Frontend API host a Clerk publishable key names. Clerk's documented format is `pk_test_` or `pk_live_` followed by
 * base64 of `<frontend-api-host>$`. Null for anything else.
 * @example clerkFrontendApi("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k") // "clerk.example.com"
 */
export function clerkFrontendApi(publishableKey: string): string | null {
  const match = /^pk_(?:test|live)_([A-Za-z0-9+/=_-]+)$/.exec(publishableKey.trim());
  if (!match) return null;
  let decoded: string;
  try {
    decoded = atob(match[1]!.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  if (!decoded.endsWith("$")) return null;
  const host = decoded.slice(0, -1);
  return /^[A-Za-z0-9.-]+(?::\d+)?$/.test(host) ? host : null;
}

/**
 * Where Clerk's browser build lives for a publishable key: Clerk's documented `<script>` install from the application's own
 * Frontend API, so spike bundles none of Clerk. Null for a key that is not a publishable key.
 * @example clerkScriptUrl("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k") // "https://clerk.example.com/npm/@clerk/clerk-js@5/dist/clerk.browser.js"
 */
export function clerkScriptUrl(publishableKey: string): string | null {
  const host = clerkFrontendApi(publishableKey);
  return host ? `https://${host}/npm/@clerk/clerk-js@5/dist/clerk.browser.js` : null;
}
