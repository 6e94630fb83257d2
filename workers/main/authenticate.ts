/**
 * The Worker's sign-in middleware: `Authorization: Bearer <Clerk session token>` verified by workers/platform/auth.ts and
 * set as `c.var.identity` for the routes and the rooms they call.
 */
import type { MiddlewareHandler } from "hono";
import type { ApiErrorBody } from "../../core/api.js";
import { AUTH_NOT_CONFIGURED, AuthConfigError, AuthError, authConfigured, verifyToken, type AuthEnv, type Identity } from "../platform/auth.js";

/** The bearer token of an `Authorization` header, or null when there is none. */
export function bearerToken(header: string | undefined | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match ? match[1]! : null;
}

/** Hono variables set by {@link authenticate}. */
export interface AuthVariables {
  /** The verified user, or null for an anonymous request. */
  identity: Identity | null;
}

/**
 * Middleware: verify `Authorization: Bearer <token>` when present and set `c.var.identity` (null when absent). A bad or
 * expired token is a 401 with the reason; a token sent to a server without Clerk configured is a 401 that says what to set.
 * @example app.use("/live/*", authenticate());
 */
export function authenticate(): MiddlewareHandler<{ Bindings: AuthEnv; Variables: AuthVariables }> {
  return async function authenticate(c, next) {
    const header = c.req.header("authorization");
    const token = bearerToken(header);
    if (header !== undefined && token === null) {
      const body = { error: "Authorization must be `Bearer <token>`", denial: "invalid-token" } satisfies ApiErrorBody;
      return c.json(body, 401, { "www-authenticate": "Bearer" });
    }
    if (token === null) {
      c.set("identity", null);
      return next();
    }
    if (!authConfigured(c.env)) {
      return c.json({ error: AUTH_NOT_CONFIGURED, denial: "invalid-token" } satisfies ApiErrorBody, 401, { "www-authenticate": "Bearer" });
    }
    try {
      c.set("identity", await verifyToken(token, c.env));
    } catch (error) {
      if (error instanceof AuthConfigError) return c.json({ error: error.message }, 503);
      if (!(error instanceof AuthError)) throw error;
      const description = error.message.replace(/"/g, "'");
      return c.json({ error: error.message, denial: "invalid-token" } satisfies ApiErrorBody, 401, {
        "www-authenticate": `Bearer error="invalid_token", error_description="${description}"`,
      });
    }
    return next();
  };
}
