/**
 * `/live/<room>/agent-tokens…`: the room owner's tokens for AI agents (workers/durable-objects/room-agent-tokens.ts), each
 * route one typed room call with its limits inline. A token is shown once, in the answer that creates it; the room keeps
 * only its SHA-256. Agents send it to `/mcp` as `Authorization: Bearer <token>`; these routes themselves take Clerk
 * session tokens, like every room route. See README "Agent tokens" and docs/PROTOCOL.md.
 */
import type { Hono } from "hono";
import type { AgentTokenCreated, AgentTokenList, AgentTokenRevoked } from "../../core/api.js";
import { done, refuse, type AgentTokenRequest, type Parsed } from "../durable-objects/room-api.js";
import { DEFAULT_AGENT_NAME, MAX_AGENT_TOKEN_NAME_CHARS } from "../durable-objects/room-agent-tokens.js";
import { AGENT_TOKEN_ID_PATTERN } from "../platform/agent-tokens.js";
import type { Env } from "../platform/env.js";
import type { AuthVariables } from "./authenticate.js";
import { limitBody } from "./body-limit.js";
import { jsonError } from "./errors.js";
import { rateLimit } from "./rate-limit-middleware.js";
import { answer, callerOf, roomOf } from "./room-answer.js";

type LiveEnv = { Bindings: Env; Variables: AuthVariables };

/** Largest `POST /live/<room>/agent-tokens` body: a name and a scope, with room for escapes. */
export const MAX_AGENT_TOKEN_BODY_BYTES = 1024;

/**
 * Add the agent token routes to the room routes (mounted under `/live`).
 * @example agentTokenRoutes(live);
 */
export function agentTokenRoutes(live: Hono<LiveEnv>): void {
  live.post("/:room/agent-tokens", rateLimit({ bucket: "upload" }), limitBody("agent token request", MAX_AGENT_TOKEN_BODY_BYTES), async (c) => {
    const request = parseAgentTokenRequest(await c.req.text());
    return answer(c, roomOf(c).createAgentToken(callerOf(c), request), (created) =>
      c.json(created satisfies AgentTokenCreated, 201, { "cache-control": "no-store" }),
    );
  });
  live.get("/:room/agent-tokens", rateLimit({ bucket: "read" }), (c) =>
    answer(c, roomOf(c).agentTokens(callerOf(c)), (list) => c.json(list satisfies AgentTokenList, 200, { "cache-control": "no-store" })),
  );
  live.all("/:room/agent-tokens", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on agent tokens`));
  live.delete("/:room/agent-tokens/:id", rateLimit({ bucket: "upload" }), (c) => {
    const id = c.req.param("id");
    if (!AGENT_TOKEN_ID_PATTERN.test(id)) return jsonError(c, 400, `invalid agent token id "${id.slice(0, 40)}"`);
    return answer(c, roomOf(c).revokeAgentToken(callerOf(c), id), (revoked) => c.json(revoked satisfies AgentTokenRevoked));
  });
  live.all("/:room/agent-tokens/:id", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on an agent token`));
}

/**
 * A `POST /live/<room>/agent-tokens` body: JSON `{scope: "read" | "edit", name?}`; the name is trimmed, 1-60 characters
 * without control characters, "AI agent" when absent.
 * @example parseAgentTokenRequest('{"scope":"edit","name":"Claude (MCP)"}') // { ok: true, value: { name: "Claude (MCP)", scope: "edit" } }
 */
export function parseAgentTokenRequest(body: string): Parsed<AgentTokenRequest> {
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    return refuse(400, 'the body must be JSON: {scope: "read" | "edit", name?}');
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) return refuse(400, 'the body must be a JSON object: {scope: "read" | "edit", name?}');
  const { name, scope, ...rest } = input as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) return refuse(400, `unknown field "${unknown[0]!.slice(0, 40)}": the body is {scope, name?}`);
  if (scope !== "read" && scope !== "edit") return refuse(400, 'scope must be "read" or "edit"');
  if (name === undefined) return done({ name: DEFAULT_AGENT_NAME, scope });
  // eslint-disable-next-line no-control-regex
  if (typeof name !== "string" || name.trim() === "" || name.length > MAX_AGENT_TOKEN_NAME_CHARS || /[\u0000-\u001f\u007f]/.test(name)) {
    return refuse(400, `name must be 1-${MAX_AGENT_TOKEN_NAME_CHARS} characters, without control characters`);
  }
  return done({ name: name.trim(), scope });
}
