/**
 * Unhandled errors, wherever they happen (a route, a Durable Object, the transpiler): counted in `/api/metrics`, kept in
 * the Metrics object's short list for `/admin`, and, only when SENTRY_DSN is set, sent to Sentry. Without a DSN the Sentry
 * SDK is never even evaluated (sentry.ts is imported on the first report that needs it), so the hot path pays nothing.
 */
import { waitUntil } from "cloudflare:workers";
import { logEvent } from "./log.js";
import { METRIC, countMetric, recordRecentError, type MetricsEnv } from "./metrics.js";

/** Where an error happened: every field is a tag on the report; none may hold a token, a header or file text. */
export interface ErrorContext {
  /** The request id (X-Request-Id) of the request that failed, when there was one. */
  requestId?: string | null;
  /** `<METHOD> <route pattern>` of the Worker's route. */
  route?: string;
  /** The room's name. */
  room?: string | null;
  /** The Durable Object class and entry point, e.g. `CodeRoom` and `writeFile`. */
  object?: string;
  method?: string;
  /** Which Worker reported it: `spike` or `spike-transpiler`. */
  worker: string;
}

/** What reporting needs from the environment: SENTRY_DSN and, optionally, the deployment's name. */
export interface ErrorReportEnv {
  /** Sentry's DSN (`https://<key>@<host>/<project>`); unset = nothing is sent, nothing of the SDK is loaded. */
  SENTRY_DSN?: string;
  /** The environment name on each report (e.g. `staging`), default `production`. */
  SENTRY_ENVIRONMENT?: string;
}

/** Longest error message kept (the list on `/admin`, and Sentry's event): a message is a hint, never a payload. */
export const MAX_ERROR_MESSAGE = 200;

/**
 * Count an unhandled error (`errors.route.<route>` or `errors.object.<class>`), remember it for `/admin`, and send it to
 * Sentry when SENTRY_DSN is set. Never throws, never delays the answer.
 * @example reportError(c.env, err, { worker: "spike", requestId, route: "PUT /live/:room/files/:name{.+}", room });
 */
export function reportError(env: MetricsEnv & ErrorReportEnv, error: unknown, context: ErrorContext): void {
  try {
    const { name, message } = describe(error);
    const where = context.object ? `${context.object}.${context.method ?? "?"}` : (context.route ?? "(none)");
    countMetric(env, context.object ? `${METRIC.errors}.object.${context.object}` : `${METRIC.errors}.route.${where}`);
    recordRecentError(env, {
      at: new Date().toISOString(),
      where,
      name,
      message,
      requestId: context.requestId ?? null,
      room: context.room ?? null,
    });
  } catch {
    // Counting must never turn one error into two.
  }
  sendErrorReport(env, error, context);
}

/**
 * Send an error to Sentry when SENTRY_DSN is set (the transpiler, which has no Metrics binding, calls this alone).
 * @example sendErrorReport(env, error, { worker: "spike-transpiler", route: "POST /api/bundle" });
 */
export function sendErrorReport(env: ErrorReportEnv, error: unknown, context: ErrorContext): void {
  const dsn = env.SENTRY_DSN?.trim();
  if (!dsn) return;
  const sending = import("./sentry.js")
    .then(({ sendToSentry }) => sendToSentry({ dsn, environment: env.SENTRY_ENVIRONMENT?.trim() || "production" }, error, context))
    .catch((failure: unknown) => logEvent({ level: "error", type: "error_report", message: String(failure) }));
  try {
    waitUntil(sending);
  } catch {
    // Outside a request the promise still runs; only the lifetime guarantee is missing.
  }
}

/**
 * The name and short message of anything thrown.
 * @example describe(new TypeError("x is undefined")) // { name: "TypeError", message: "x is undefined" }
 */
export function describe(error: unknown): { name: string; message: string } {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  return { name: name.slice(0, 64), message: scrubText(message) };
}

/**
 * A message made safe to send: bearer tokens and JWTs replaced, cut to {@link MAX_ERROR_MESSAGE} characters.
 * @example scrubText("bad token eyJa.eyJb.sig") // "bad token [token]"
 */
export function scrubText(text: string): string {
  const scrubbed = text.replace(/\bBearer\s+\S+/gi, "Bearer [token]").replace(/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, "[token]");
  return scrubbed.length > MAX_ERROR_MESSAGE ? `${scrubbed.slice(0, MAX_ERROR_MESSAGE)}…` : scrubbed;
}
