/**
 * `/live/<room>/console`: the room's preview console (workers/durable-objects/room-console.ts). `<spike-preview>` posts
 * what a room's app printed and threw, batched (at most one POST a second per preview); readers (people, the MCP tool
 * `get_console`) read it; editors clear it. README "Preview console".
 */
import type { Context, Hono } from "hono";
import { MAX_CONSOLE_BATCH, MAX_CONSOLE_BODY_BYTES, type ConsoleEntry, type ConsoleLevel } from "../../core/api.js";
import { done, refuse, type Parsed } from "../durable-objects/room-api.js";
import type { Env } from "../platform/env.js";
import type { AuthVariables } from "./authenticate.js";
import { limitBody } from "./body-limit.js";
import { jsonError } from "./errors.js";
import { rateLimit } from "./rate-limit-middleware.js";
import { answer, callerOf, roomOf } from "./room-answer.js";

type LiveEnv = { Bindings: Env; Variables: AuthVariables };

const LEVELS: readonly ConsoleLevel[] = ["log", "info", "warn", "error"];

/**
 * Mount the console routes on the `/live` app.
 * @example mountConsoleRoutes(live);
 */
export function mountConsoleRoutes(live: Hono<LiveEnv>): void {
  live.get("/:room/console", rateLimit({ bucket: "read" }), (c) => {
    const since = parseSince(c.req.query("since"));
    if (since === null) return jsonError(c, 400, "since must be a time in milliseconds since the epoch (a number >= 0)");
    return answer(c, roomOf(c).consoleLog(callerOf(c), since), (log) => c.json(log));
  });
  live.post("/:room/console", rateLimit({ bucket: "upload" }), limitBody("console batch", MAX_CONSOLE_BODY_BYTES), async (c: Context<LiveEnv>) => {
    const entries = parseConsoleBatch(await c.req.text());
    return answer(c, roomOf(c).appendConsole(callerOf(c), entries), (appended) => c.json(appended));
  });
  live.delete("/:room/console", rateLimit({ bucket: "upload" }), (c) => answer(c, roomOf(c).clearConsole(callerOf(c)), (cleared) => c.json(cleared)));
  live.all("/:room/console", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on the console`));
}

/** `?since=`: absent is 0 (everything); anything but a finite number >= 0 is null. */
function parseSince(value: string | undefined): number | null {
  if (value === undefined || value === "") return 0;
  const since = Number(value);
  return Number.isFinite(since) && since >= 0 ? since : null;
}

/**
 * A `POST /live/<room>/console` body, `{entries: [{level, text, time?}]}`: 1 to MAX_CONSOLE_BATCH entries of a known
 * level and string text (the room cuts long text and stamps its own time).
 * @example parseConsoleBatch('{"entries":[{"level":"log","text":"hi","time":1}]}').ok // true
 */
export function parseConsoleBatch(body: string): Parsed<ConsoleEntry[]> {
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    return refuse(400, "the body must be JSON: {entries: [{level, text, time}]}");
  }
  const entries = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as { entries?: unknown }).entries : undefined;
  if (!Array.isArray(entries)) return refuse(400, "the body must be a JSON object with an array: {entries: [{level, text, time}]}");
  if (entries.length === 0) return refuse(400, "entries is empty");
  if (entries.length > MAX_CONSOLE_BATCH) return refuse(400, `at most ${MAX_CONSOLE_BATCH} entries in one batch (this one has ${entries.length})`);
  const parsed: ConsoleEntry[] = [];
  for (const [i, entry] of entries.entries()) {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return refuse(400, `entries[${i}] must be an object {level, text, time}`);
    const { level, text, time } = entry as Record<string, unknown>;
    if (typeof level !== "string" || !LEVELS.includes(level as ConsoleLevel)) return refuse(400, `entries[${i}].level must be one of ${LEVELS.join(", ")}`);
    if (typeof text !== "string") return refuse(400, `entries[${i}].text must be a string`);
    if (time !== undefined && (typeof time !== "number" || !Number.isFinite(time))) return refuse(400, `entries[${i}].time must be a number`);
    parsed.push({ level: level as ConsoleLevel, text, time: typeof time === "number" ? time : 0 });
  }
  return done(parsed);
}
