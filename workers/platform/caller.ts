/**
 * Who is calling: the client's address (as Cloudflare reports it) and its rate-limit key, and how the Worker hands the
 * verified identity and the address to a room on the WebSocket upgrade, the one request that reaches a room by `fetch`.
 */
import type { Identity } from "./auth.js";

/** Internal header carrying the verified {@link Identity} as JSON from the Worker to a room. Never accepted from clients. */
export const IDENTITY_HEADER = "x-spike-identity";
/** Internal header carrying the client's IP (from `CF-Connecting-IP`) from the Worker to a room. */
export const CLIENT_IP_HEADER = "x-spike-client-ip";
/** Internal header carrying the Worker's request id to a room, for the room's error reports. */
export const REQUEST_ID_HEADER = "x-spike-request-id";

/**
 * The client's IP: `CF-Connecting-IP`, which Cloudflare sets on every request (a client cannot choose it there; wrangler dev
 * sets it from the socket). Never `X-Forwarded-For`, which any client can write. null when absent.
 */
export function clientIp(request: Request): string | null {
  return request.headers.get("cf-connecting-ip");
}

/**
 * The rate-limit key of a client address: an IPv4 address as is, an IPv6 address by its /64 prefix (one subscriber
 * usually holds a whole /64 and could rotate through it), "unknown" when there is none.
 * @example ipKey("2001:db8:1:2:aaaa::1") // "2001:db8:1:2::/64"
 */
export function ipKey(ip: string | null): string {
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip;
  const [head = "", tail = ""] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/**
 * Tell a room who is asking: the verified identity (when there is one), the client's IP and the request id, as the internal headers
 * {@link identityOf} reads on the other side. `headers` must not carry a client's own `x-spike-*` headers.
 * @example writeIdentity(headers, c.get("identity"), c.req.raw);
 */
export function writeIdentity(headers: Headers, identity: Identity | null | undefined, request: Request, requestId?: string): void {
  if (identity) headers.set(IDENTITY_HEADER, JSON.stringify(identity));
  if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
  const ip = clientIp(request);
  if (ip) headers.set(CLIENT_IP_HEADER, ip);
}

/**
 * The identity a room was handed by the Worker, or null for an anonymous request (or a malformed header).
 * @example const identity = identityOf(request);
 */
export function identityOf(request: Request): Identity | null {
  const raw = request.headers.get(IDENTITY_HEADER);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Identity>;
    if (typeof value.userId !== "string" || typeof value.expiresAt !== "number") return null;
    return { userId: value.userId, sessionId: typeof value.sessionId === "string" ? value.sessionId : null, expiresAt: value.expiresAt };
  } catch {
    return null;
  }
}
