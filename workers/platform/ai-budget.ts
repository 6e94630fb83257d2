/**
 * The deployment's daily AI budget: at most AI_DAILY_REQUESTS provider calls (chat questions and transcriptions) per UTC
 * day for the whole deployment, counted in one RateLimiter Durable Object's storage so a restart does not reset it.
 * Called right before a request would reach a provider, after everything that can refuse it for free.
 */
import type { ApiErrorBody } from "../../core/api.js";
import type { DailySpend } from "../durable-objects/daily-budget.js";
import { readConfig } from "./config.js";
import type { Env } from "./env.js";
import { logError } from "./log.js";

/** The RateLimiter instance that holds the budget (client keys are `ip:…` and `user:…`, so it never collides). */
const BUDGET_OBJECT = "budget:ai";
/** Wait suggested when the budget cannot be checked. */
const UNAVAILABLE_RETRY_S = 10;

/** What the budget said: go ahead, or the HTTP refusal to send (429 spent, 503 not checkable). */
export type AiBudgetResult =
  | { ok: true; used: number; limit: number }
  | {
      ok: false;
      status: 429 | 503;
      error: string;
      retryAfterSeconds: number;
      /** When the budget renews (ISO 8601, the next UTC midnight); absent when it could not be checked. */
      resetsAt?: string;
    };

/**
 * Spend one provider call of today's budget. Refused when it is spent (429, retry at the next UTC midnight) and, unlike
 * the rate limits, also when the budget cannot be checked (503): it exists to cap what the providers bill, so it fails
 * closed.
 * @example
 * const budget = await spendAiBudget(env);
 * if (!budget.ok) return jsonError(c, budget.status, budget.error, aiBudgetFields(budget));
 */
export async function spendAiBudget(env: Env): Promise<AiBudgetResult> {
  const limit = readConfig(env).ai.dailyRequests;
  let spend: DailySpend;
  try {
    spend = await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(BUDGET_OBJECT)).spendDaily("ai", limit);
  } catch (error) {
    logError(error, { type: "ai_budget_unavailable" });
    return {
      ok: false,
      status: 503,
      error: "the daily AI budget could not be checked; try again in a moment",
      retryAfterSeconds: UNAVAILABLE_RETRY_S,
    };
  }
  if (spend.ok) return { ok: true, used: spend.used, limit: spend.limit };
  return {
    ok: false,
    status: 429,
    error: `the daily AI budget of this server (${spend.limit} requests a day) is spent; it resets at 00:00 UTC, in ${formatWait(spend.retryAfterSeconds)}`,
    retryAfterSeconds: spend.retryAfterSeconds,
    resetsAt: new Date(spend.resetsAt).toISOString(),
  };
}

/** A refused spend. */
export type AiBudgetRefused = Extract<AiBudgetResult, { ok: false }>;

/**
 * The fields a refusal's JSON body carries besides `error`: `retryAfter` (seconds, as in `Retry-After`) and `resetsAt`.
 * @example jsonError(c, budget.status, budget.error, aiBudgetFields(budget), { "retry-after": String(budget.retryAfterSeconds) })
 */
export function aiBudgetFields(result: AiBudgetRefused): Required<Pick<ApiErrorBody, "retryAfter">> & Pick<ApiErrorBody, "resetsAt"> {
  return result.resetsAt ? { retryAfter: result.retryAfterSeconds, resetsAt: result.resetsAt } : { retryAfter: result.retryAfterSeconds };
}

/**
 * A wait for people: "5 h 3 min", "12 min", "40 s".
 * @example formatWait(3 * 3600 + 125) // "3 h 2 min"
 */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(seconds / 3600);
  const rest = Math.floor((seconds % 3600) / 60);
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
