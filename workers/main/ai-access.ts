/**
 * Who may make the calls that cost AI provider money (`POST /live/<room>/chat`, `POST /api/transcribe`): with
 * AI_REQUIRE_SIGN_IN on (the default whenever sign-in is configured) only a verified `Authorization: Bearer` identity.
 * Checked in the Worker, before the request reaches a room or a provider. See README "Cost model".
 */
import type { MiddlewareHandler } from "hono";
import type { ApiErrorBody } from "../../core/api.js";
import { allowedModels } from "./ai-models.js";
import { AUTH_NOT_CONFIGURED, authConfigured, type AuthVariables } from "./auth.js";
import type { Env } from "./env.js";
import { jsonError } from "./errors.js";

/** Whether AI needs a signed-in caller, or why the setting is unusable. */
export type AiSignInPolicy = { required: boolean; error: null } | { required: true; error: string };

const ON = ["true", "1", "on", "yes"];
const OFF = ["false", "0", "off", "no"];

/**
 * AI_REQUIRE_SIGN_IN as a policy: unset or blank follows whether sign-in is configured (on with Clerk, off without, so
 * the local stack keeps working with no account); `false`/`0`/`off`/`no` lets anonymous callers in; `true`/`1`/`on`/`yes`
 * requires sign-in, and is an error when sign-in is not configured (nobody could use AI, and silently opening it would
 * be worse). Any other value is an error too.
 * @example aiSignInPolicy({ CLERK_JWT_KEY: pem }) // { required: true, error: null }
 */
export function aiSignInPolicy(env: Env): AiSignInPolicy {
  const value = (env.AI_REQUIRE_SIGN_IN ?? "").trim().toLowerCase();
  if (value === "") return { required: authConfigured(env), error: null };
  if (OFF.includes(value)) return { required: false, error: null };
  if (!ON.includes(value)) {
    return { required: true, error: `AI is misconfigured on this server: AI_REQUIRE_SIGN_IN must be true or false, not "${value.slice(0, 20)}"` };
  }
  if (!authConfigured(env)) {
    return {
      required: true,
      error: `AI is misconfigured on this server: AI_REQUIRE_SIGN_IN is on but ${AUTH_NOT_CONFIGURED}, or set AI_REQUIRE_SIGN_IN=false to let anonymous callers use AI`,
    };
  }
  return { required: true, error: null };
}

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
    const policy = aiSignInPolicy(c.env);
    if (policy.error !== null) return jsonError(c, 503, policy.error);
    if (checkModels) {
      const { error } = allowedModels(c.env);
      if (error !== null) return jsonError(c, 503, error);
    }
    if (policy.required && !c.get("identity")) {
      return jsonError(c, 401, AI_SIGN_IN_REQUIRED, { denial: "sign-in-required" } satisfies Partial<ApiErrorBody>, {
        "www-authenticate": 'Bearer realm="spike"',
      });
    }
    return next();
  };
}
