/**
 * Who calls `/mcp`: every request carries `Authorization: Bearer <token>`. A token starting with `sat1.` is a room's agent
 * token (`sat1.<base64url(room id)>.<secret>`, README "MCP"): its room is read from it, its SHA-256 is looked up by that
 * room (CodeRoom `agentIdentity`), and the answer is an identity `agent:<tokenId>` scoped to that one room. Anything else is
 * a Clerk session token, verified like every HTTP route's (workers/platform/auth.ts). No token: 401.
 */
import type { AgentInfo } from "../../durable-objects/room-api.js";
import { AGENT_TOKEN_PREFIX, agentTokenRoom, hashAgentToken } from "../../platform/agent-tokens.js";
import { AUTH_NOT_CONFIGURED, AuthConfigError, AuthError, authConfigured, verifyToken, type Identity } from "../../platform/auth.js";
import type { Env } from "../../platform/env.js";
import { bearerToken } from "../authenticate.js";

/** Longest agent name a client may give in `x-spike-agent-name`. */
export const MAX_AGENT_NAME_CHARS = 40;

/** The verified caller of one `/mcp` request. */
export interface McpCaller {
  /** The identity every room call of this request is made as: a Clerk user, or `agent:<tokenId>` for an agent token. */
  identity: Identity;
  /** How the caller appears in the room (awareness, chat). */
  agent: AgentInfo;
  /** The one room an agent token may touch; null for a Clerk user (any room their permissions allow). */
  tokenRoom: string | null;
}

/** An `/mcp` request refused before the MCP server sees it: the status, the message and the headers to answer with. */
export interface McpAuthRefusal {
  ok: false;
  status: 401 | 503;
  error: string;
  headers: Record<string, string>;
}

/**
 * Verify the bearer token of an `/mcp` request.
 * @example const auth = await authenticateMcp(c.req.raw, c.env); if (!auth.ok) return rpcError(c, auth.status, -32001, auth.error);
 */
export async function authenticateMcp(request: Request, env: Env, requestId?: string): Promise<{ ok: true; value: McpCaller } | McpAuthRefusal> {
  const token = bearerToken(request.headers.get("authorization"));
  if (token === null) {
    const error = "send `Authorization: Bearer <token>`: a Clerk session token or a room's agent token (README \"MCP\")";
    return { ok: false, status: 401, error, headers: { "www-authenticate": "Bearer" } };
  }
  if (token.startsWith(AGENT_TOKEN_PREFIX)) return agentCaller(token, request, env, requestId);
  if (!authConfigured(env)) return unauthorized(AUTH_NOT_CONFIGURED);
  let identity: Identity;
  try {
    identity = await verifyToken(token, env);
  } catch (error) {
    if (error instanceof AuthConfigError) return { ok: false, status: 503, error: error.message, headers: {} };
    if (!(error instanceof AuthError)) throw error;
    return unauthorized(error.message);
  }
  const name = clientAgentName(request.headers.get("x-spike-agent-name"));
  return { ok: true, value: { identity, agent: { key: `user:${identity.userId}`, name }, tokenRoom: null } };
}

async function agentCaller(token: string, request: Request, env: Env, requestId?: string): Promise<{ ok: true; value: McpCaller } | McpAuthRefusal> {
  const room = agentTokenRoom(token);
  if (room === null) return unauthorized("malformed agent token: expected sat1.<room>.<secret>");
  const stub = env.CODE_ROOM.get(env.CODE_ROOM.idFromName(room));
  const caller = { room, identity: null, ip: request.headers.get("cf-connecting-ip"), ...(requestId ? { requestId } : {}) };
  const found = await stub.agentIdentity(caller, await hashAgentToken(token));
  if (!found.ok) return unauthorized(found.error);
  const { identity, tokenId, name } = found.value;
  return { ok: true, value: { identity, agent: { key: `token:${tokenId}`, name }, tokenRoom: room } };
}

/** `"<client> (MCP)"` from the `x-spike-agent-name` header (printable, at most 40 characters), else "AI agent (MCP)". */
function clientAgentName(header: string | null): string {
  const name = (header ?? "").replace(/[^\x20-\x7e\u00a0-\uffff]/g, "").trim().slice(0, MAX_AGENT_NAME_CHARS);
  return `${name || "AI agent"} (MCP)`;
}

function unauthorized(error: string): McpAuthRefusal {
  const description = error.replace(/["\\]/g, "'");
  return { ok: false, status: 401, error, headers: { "www-authenticate": `Bearer error="invalid_token", error_description="${description}"` } };
}
