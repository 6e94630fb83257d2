/**
 * `POST /live/<room>/fork` `{version?}` (README "Templates and forks"): a new room with an unguessable id, made from the
 * room's files now or from one of its saved versions. Two typed calls: the template hands out what the fork starts from
 * (to a caller who may read it), then the new room takes it as its first write under the room-creation limit.
 */
import type { Hono } from "hono";
import type { ForkCreated, ForkRequest } from "../../core/api.js";
import { done, refuse, type Parsed } from "../durable-objects/room-api.js";
import type { Env } from "../platform/env.js";
import type { AuthVariables } from "./authenticate.js";
import { limitBody } from "./body-limit.js";
import { rateLimit } from "./rate-limit-middleware.js";
import { answer, callerOf, refusal, roomOf } from "./room-answer.js";
import { jsonError } from "./errors.js";

/** Largest `POST /live/<room>/fork` body: `{"version": n}` needs a few bytes. */
export const MAX_FORK_BODY_BYTES = 1024;

/**
 * Mount the fork route on the room routes (workers/main/live-routes.ts).
 * @example mountForkRoutes(live);
 */
export function mountForkRoutes(live: Hono<{ Bindings: Env; Variables: AuthVariables }>): void {
  // Writes like a file PUT ("upload"); the new room takes its "create" token itself, as any room's first write does.
  live.post("/:room/fork", rateLimit({ bucket: "upload" }), limitBody("fork request", MAX_FORK_BODY_BYTES), async (c) => {
    const request = parseForkRequest(await c.req.text());
    if (!request.ok) return refusal(c, request);
    const source = await roomOf(c).forkSource(callerOf(c), request.value.version ?? null);
    if (!source.ok) return refusal(c, source);
    const room = newRoomId();
    const { CODE_ROOM } = c.env;
    const fork = CODE_ROOM.get(CODE_ROOM.idFromName(room));
    return answer(c, fork.createFork({ ...callerOf(c), room }, source.value), (created) => c.json(created satisfies ForkCreated, 201));
  });
  live.all("/:room/fork", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on fork; use POST`));
}

/**
 * A `POST /live/<room>/fork` body: empty, `{}`, or `{"version": n}` with n a positive integer.
 * @example parseForkRequest('{"version":3}') // { ok: true, value: { version: 3 } }
 */
export function parseForkRequest(body: string): Parsed<ForkRequest> {
  if (body.trim() === "") return done({});
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    return refuse(400, "the body must be JSON: {} or {version}");
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) return refuse(400, "the body must be a JSON object: {} or {version}");
  const fields = input as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => key !== "version");
  if (unknown !== undefined) return refuse(400, `unknown field "${unknown.slice(0, 40)}"; expected version`);
  const { version } = fields;
  if (version === undefined || version === null) return done({});
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 1) return refuse(400, "version must be a positive integer");
  return done({ version });
}

/**
 * A new room id nobody can guess: 128 random bits, base64url (22 of `[A-Za-z0-9_-]`, a valid room id).
 * @example newRoomId() // "q3T0x4cJm0P8hA2s9xk1Zw"
 */
export function newRoomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
