/**
 * How a route reaches its room and answers with what the room said: the room's CodeRoom stub, the caller as the room
 * needs it (workers/durable-objects/room-api.ts RoomCaller), and a RoomResult turned into the HTTP answer, a refusal into
 * `{error, requestId, retryAfter?, resetsAt?}` with its status and headers.
 */
import type { ApiErrorBody } from "../../core/api.js";
import type { Context } from "hono";
import type { CodeRoom } from "../durable-objects/code-room.js";
import type { RoomCaller, RoomRefusal, RoomResult } from "../durable-objects/room-api.js";
import type { Identity } from "../platform/auth.js";
import { clientIp } from "../platform/caller.js";
import type { Env } from "../platform/env.js";
import { jsonError } from "./errors.js";
import { timed } from "./request-log.js";

/**
 * The CodeRoom of the route's room (`/live/:room/…`).
 * @example const result = await roomOf(c).session(callerOf(c));
 */
export function roomOf(c: Context): DurableObjectStub<CodeRoom> {
  const { CODE_ROOM } = c.env as Env;
  return CODE_ROOM.get(CODE_ROOM.idFromName(c.req.param("room")!));
}

/** Who calls the room: its name, the identity authenticate() verified, the client's IP, the request id. */
export function callerOf(c: Context): RoomCaller {
  const identity = c.get("identity") as Identity | null | undefined;
  const requestId = c.get("requestId") as string | undefined;
  return { room: c.req.param("room")!, identity: identity ?? null, ip: clientIp(c.req.raw), ...(requestId ? { requestId } : {}) };
}

/**
 * Await a room call (timed as `Server-Timing: room`) and answer with `ok(value)`, or with the refusal.
 * @example live.get("/:room/chat", (c) => answer(c, roomOf(c).chat(callerOf(c)), (list) => c.json(list)));
 */
export async function answer<T>(c: Context, call: Promise<RoomResult<T>>, ok: (value: T) => Response): Promise<Response> {
  const result = await timed(c.req.raw, "room", call);
  return result.ok ? ok(result.value) : refusal(c, result);
}

/**
 * A room's refusal as HTTP: its status, `{error, requestId, retryAfter?, resetsAt?, denial?}`, `Retry-After` with a retry delay and
 * `WWW-Authenticate: Bearer` when signing in may help.
 * @example if (!session.ok) return refusal(c, session);
 */
export function refusal(c: Context, { status, error, retryAfter, resetsAt, denial, signIn, encrypted }: RoomRefusal): Response {
  const fields: Partial<ApiErrorBody> = {};
  const headers: Record<string, string> = {};
  if (retryAfter !== undefined) {
    fields.retryAfter = retryAfter;
    headers["retry-after"] = String(retryAfter);
  }
  if (resetsAt !== undefined) fields.resetsAt = resetsAt;
  if (denial !== undefined) fields.denial = denial;
  if (encrypted) fields.encrypted = true;
  if (signIn) headers["www-authenticate"] = "Bearer";
  return jsonError(c, status, error, fields, headers);
}
