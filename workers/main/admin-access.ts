/**
 * Who may read operator pages (`GET /api/metrics`, `/admin`): with sign-in configured, users listed in ADMIN_USER_IDS
 * (Bearer token); without it, only requests from this machine (a loopback host and client), i.e. your own `npm start`.
 */
import type { MiddlewareHandler } from "hono";
import { clientIp } from "../platform/caller.js";
import { readConfig } from "../platform/config.js";
import type { AuthEnv } from "../platform/auth.js";
import type { Env } from "../platform/env.js";
import { authenticate, type AuthVariables } from "./authenticate.js";
import { jsonError } from "./errors.js";

/** Told to a caller from another machine when there is no admin sign-in to check. */
export const METRICS_NEED_ADMIN = "set ADMIN_USER_IDS and sign-in to read metrics";

type AdminEnv = { Bindings: AuthEnv; Variables: AuthVariables };

/**
 * Middleware pair: authenticate, then 401/403 `{error, requestId}` for anyone but an admin (or, without sign-in, anyone
 * but a loopback caller).
 * `action` completes the refusal ("sign in as an admin (ADMIN_USER_IDS) to <action>").
 * @example route.get("/", ...adminOnly(), (c) => c.json(report));
 */
export function adminOnly(action = "read metrics"): [MiddlewareHandler<AdminEnv>, MiddlewareHandler<AdminEnv>] {
  return [
    authenticate(),
    async function adminOnly(c, next) {
      const { auth } = readConfig(c.env as Partial<Env>);
      if (auth.configured) {
        const identity = c.get("identity");
        if (!identity) {
          c.header("www-authenticate", "Bearer");
          return jsonError(c, 401, `sign in as an admin (ADMIN_USER_IDS) to ${action}`);
        }
        if (!auth.admins.has(identity.userId)) return jsonError(c, 403, `only ADMIN_USER_IDS may ${action}`);
      } else if (!isLoopback(new URL(c.req.url).hostname, clientIp(c.req.raw))) {
        return jsonError(c, 403, action === "read metrics" ? METRICS_NEED_ADMIN : `set ADMIN_USER_IDS and sign-in to ${action}`);
      }
      await next();
    },
  ];
}

/**
 * True for a request to this machine from this machine: a loopback host and, when known, a loopback client address.
 * Behind Cloudflare the host is the zone's and CF-Connecting-IP the real client, so this never holds when deployed.
 * @example isLoopback("localhost", "127.0.0.1") // true
 */
export function isLoopback(hostname: string, ip: string | null): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const hostOk = host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
  const ipOk = ip === null || ip === "::1" || /^(::ffff:)?127(\.\d{1,3}){3}$/i.test(ip);
  return hostOk && ipOk;
}
