/**
 * Structured logs: one JSON line per request and per room event, which Workers Logs / `wrangler tail` index by field.
 * Fields that could carry a secret (tokens, Authorization, cookies) are dropped here as a last line of defence; callers
 * never pass them, nor file content.
 */

/** Severity, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const LEVELS: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Field names never written, whatever a caller passes (compared lower-case). */
const SECRET_FIELDS = new Set(["token", "authorization", "cookie", "password", "secret", "apikey", "api_key", "text", "content"]);
/** Longest string value written; longer ones are cut (a log line is not a place for payloads). */
const MAX_STRING = 1_000;

let threshold: number = LEVELS.info;

/**
 * Write one JSON log line: `{ts, level, ...fields}`; `fields.level` picks the level (default "info"). Never throws.
 * @example logEvent({ type: "room", event: "connect", room, userId, ip });
 * @example logEvent({ level: "warn", type: "room", event: "auth_failed", room, reason });
 */
export function logEvent(fields: Record<string, unknown>): void {
  const level = isLevel(fields.level) ? fields.level : "info";
  if (LEVELS[level] < threshold) return;
  const line: Record<string, unknown> = { ts: new Date().toISOString(), level };
  for (const [name, value] of Object.entries(fields)) {
    if (name === "level" || name === "ts" || value === undefined || SECRET_FIELDS.has(name.toLowerCase())) continue;
    line[name] = typeof value === "string" && value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  }
  let text: string;
  try {
    text = JSON.stringify(line);
  } catch {
    text = JSON.stringify({ ts: line.ts, level, type: "log", message: "unserialisable log fields" });
  }
  if (level === "error") console.error(text);
  else if (level === "warn") console.warn(text);
  else console.log(text);
}

/**
 * Log an error with its stack (the log is the only place a stack goes; clients get `{error, requestId}`).
 * @example logError(err, { type: "request", requestId, route });
 */
export function logError(error: unknown, fields: Record<string, unknown> = {}): void {
  const err = error instanceof Error ? error : new Error(String(error));
  logEvent({ ...fields, level: "error", error: err.name, message: err.message, stack: err.stack });
}

/**
 * Set the lowest level written, from the `LOG_LEVEL` variable (debug, info, warn, error; default info). Each isolate keeps
 * its own; the request middleware and the CodeRoom call it with their env.
 * @example configureLog(env.LOG_LEVEL);
 */
export function configureLog(level: string | undefined): void {
  const name = level?.trim().toLowerCase();
  threshold = isLevel(name) ? LEVELS[name] : LEVELS.info;
}

function isLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && Object.hasOwn(LEVELS, value);
}
