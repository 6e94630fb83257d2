/**
 * What every MCP tool shares: the request's context, the room a call names (an agent token's own room when it names none,
 * never another), the typed room caller, per-token rate limits, and results: JSON text, or `isError: true` with the reason
 * (a room's refusal keeps its message, so a 401/403/404/409 reads as it would over HTTP).
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Context } from "hono";
import { z } from "zod";
import { isValidRoomId } from "../../../core/protocol.js";
import type { CodeRoom } from "../../durable-objects/code-room.js";
import type { RoomCaller, RoomRefusal } from "../../durable-objects/room-api.js";
import { FEATURES, readConfig, type FeatureName } from "../../platform/config.js";
import type { Env } from "../../platform/env.js";
import { rateLimitMessage, takeRateLimit, type BucketName } from "../../platform/rate-limit.js";
import type { McpCaller } from "./auth.js";

/** One `/mcp` request: the Worker's bindings, the verified caller, and where the request came from. */
export interface McpContext {
  env: Env;
  caller: McpCaller;
  /** `CF-Connecting-IP`, or null. */
  ip: string | null;
  requestId?: string;
  /** The origin `/mcp` was called on (the renderer and bundles load the app's modules from it). */
  origin: string;
  executionCtx: Context["executionCtx"];
}

/** A room a tool works on: its name, its CodeRoom stub and the caller as the room sees it. */
export interface RoomTarget {
  room: string;
  stub: DurableObjectStub<CodeRoom>;
  caller: RoomCaller;
}

/** The `room` argument every room tool takes. */
export const roomArgument = z
  .string()
  .max(64)
  .optional()
  .describe("The room id (as in /live/<room>). Optional with an agent token, which names its own room.");

/** A project file name argument (checked against core/project.ts isValidFileName by the tool). */
export const fileArgument = z.string().min(1).max(512).describe('A project file name, e.g. "index.tsx" or "lib/util.ts".');

/**
 * The room a call names, checked: an agent token may only name its own room (403 otherwise, before any room is touched).
 * @example const target = resolveRoom(ctx, args.room); if ("isError" in target) return target;
 */
export function resolveRoom(ctx: McpContext, room: string | undefined): RoomTarget | CallToolResult {
  const { tokenRoom } = ctx.caller;
  const name = room ?? tokenRoom;
  if (name === null || name === undefined) return toolError("which room? pass the `room` argument (a room id, as in /live/<room>)");
  if (!isValidRoomId(name)) return toolError("room ids are 1-64 characters of A-Z, a-z, 0-9, _ and -");
  if (tokenRoom !== null && name !== tokenRoom) return toolError(`refused (403): this agent token is for room "${tokenRoom}", not "${name}"`);
  const { CODE_ROOM } = ctx.env;
  return { room: name, stub: CODE_ROOM.get(CODE_ROOM.idFromName(name)), caller: callerIn(ctx, name) };
}

/**
 * The caller as room `room` sees it: the verified identity, the IP and the request id.
 * @example await stub.createFork(callerIn(ctx, fork), seed);
 */
export function callerIn(ctx: McpContext, room: string): RoomCaller {
  return { room, identity: ctx.caller.identity, ip: ctx.ip, ...(ctx.requestId ? { requestId: ctx.requestId } : {}) };
}

/**
 * Spend one token of `bucket` for this caller (per IP and per user or agent token); the refusal as a tool error, else null.
 * @example const limited = await rateLimited(ctx, "upload"); if (limited) return limited;
 */
export async function rateLimited(ctx: McpContext, bucket: BucketName): Promise<CallToolResult | null> {
  const result = await takeRateLimit(ctx.env, bucket, { ip: ctx.ip, userId: ctx.caller.identity.userId });
  if (result.ok) return null;
  return toolError(`refused (429): ${rateLimitMessage(ctx.env, bucket, result.retryAfterSeconds)}`);
}

/**
 * A tool error when the operator switched `feature` off, else null.
 * @example const off = featureOff(ctx, "FORKS"); if (off) return off;
 */
export function featureOff(ctx: McpContext, feature: FeatureName): CallToolResult | null {
  if (readConfig(ctx.env).features[feature]) return null;
  return toolError(`this server has turned off ${FEATURES[feature]} (FEATURE_${feature}=off)`);
}

/**
 * A room's refusal as a tool error: `refused (<status>): <message>`.
 * @example if (!file.ok) return refusedResult(file); // "refused (404): no file \"a.ts\" in this room"
 */
export function refusedResult({ status, error, retryAfter }: RoomRefusal): CallToolResult {
  return toolError(`refused (${status}): ${error}${retryAfter !== undefined ? ` (retry after ${retryAfter} s)` : ""}`);
}

/**
 * A tool error with a message for the model to read.
 * @example return toolError(`invalid file name "${name}"`);
 */
export function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: message }] };
}

/**
 * A tool result: `value` as JSON text, and as structured content.
 * @example return jsonResult({ room, errors });
 */
export function jsonResult(value: object): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }], structuredContent: value as Record<string, unknown> };
}
