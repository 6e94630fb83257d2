/**
 * Who may make the calls that cost AI provider money (`POST /live/<room>/chat`, `POST /api/transcribe`): with
 * AI_REQUIRE_SIGN_IN on (the default whenever sign-in is configured) only a verified `Authorization: Bearer` identity.
 * Checked in the Worker, before the request reaches a room or a provider. See README "Cost model".
 */
import type { MiddlewareHandler } from "hono";
import type { ApiErrorBody } from "../../core/api.js";
import { readConfig } from "../platform/config.js";
import type { Env } from "../platform/env.js";
import type { AuthVariables } from "./authenticate.js";
import { jsonError } from "./errors.js";

/** What an anonymous caller is told when AI needs sign-in. */
export const AI_SIGN_IN_REQUIRED = "sign in to use AI on this server: send Authorization: Bearer <Clerk session token>";

/**
 * Middleware for a route that costs provider money: a configuration that cannot be honoured is a 503 (AI_REQUIRE_SIGN_IN,
 * and with `checkModels` an AI_MODELS naming unknown models); an anonymous caller where sign-in is required is a 401
 * with `WWW-Authenticate: Bearer`. Runs after authenticate(), which has already refused a bad token.
 * @example live.post("/:room/chat", aiAccess({ checkModels: true }), rateLimit({ bucket: "ai" }));
 */
export function aiAccess({ checkModels = false }: { checkModels?: boolean } = {}): MiddlewareHandler<{
  Bindings: Env;
  Variables: AuthVariables;
}> {
  return async function aiAccess(c, next) {
    const { signIn, modelsError } = readConfig(c.env).ai;
    if (signIn.error !== null) return jsonError(c, 503, signIn.error);
    if (checkModels && modelsError !== null) return jsonError(c, 503, modelsError);
    if (signIn.required && !c.get("identity")) {
      return jsonError(c, 401, AI_SIGN_IN_REQUIRED, { denial: "sign-in-required" } satisfies Partial<ApiErrorBody>, {
        "www-authenticate": 'Bearer realm="spike"',
      });
    }
    return next();
  };
}
