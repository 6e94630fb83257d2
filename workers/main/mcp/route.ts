/**
 * `POST /mcp`: the Model Context Protocol over Streamable HTTP (the official SDK's WebStandardStreamableHTTPServerTransport),
 * stateless: each request is authenticated by its bearer token (auth.ts), gets a new server and transport, and answers
 * with JSON. The rooms' Durable Objects hold all the state, so any isolate can answer any request. GET and DELETE (an SSE
 * stream, a session to end) are 405: there is no session. See README "MCP" and docs/PROTOCOL.md "MCP".
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { clientIp } from "../../platform/caller.js";
import { FEATURES, readConfig } from "../../platform/config.js";
import { apiCors } from "../cors.js";
import type { Env } from "../../platform/env.js";
import { authenticateMcp } from "./auth.js";
import { createMcpServer } from "./server.js";
import { MCP_TOOLS } from "./tool-names.js";
import type { McpContext } from "./tool-kit.js";

/** Largest `/mcp` request body: a tool call with a whole file in it. */
export const MAX_MCP_BODY_BYTES = 1_048_576;

/** JSON-RPC error codes this route answers with itself. */
export const RPC = { parseError: -32700, invalidRequest: -32600, invalidParams: -32602, unauthorized: -32001, notAllowed: -32000 } as const;

type McpEnv = { Bindings: Env; Variables: { requestId?: string } };

/**
 * The `/mcp` route, mounted with `app.route("/mcp", mcpRoute())`.
 * @example app.route("/mcp", mcpRoute());
 */
export function mcpRoute(): Hono<McpEnv> {
  const mcp = new Hono<McpEnv>();
  // Browser MCP clients (the Inspector's direct mode, web apps) call from the page with a bearer token, never cookies.
  mcp.use(apiCors({ allowMethods: ["POST"], allowHeaders: "Authorization, Content-Type, Accept, Mcp-Protocol-Version, X-Spike-Agent-Name" }));
  const limit = bodyLimit({ maxSize: MAX_MCP_BODY_BYTES, onError: (c) => rpcError(c, 413, RPC.invalidRequest, `request larger than ${MAX_MCP_BODY_BYTES} bytes`) });
  mcp.post("/", limit, handle);
  mcp.all("/", (c) =>
    rpcError(c, 405, RPC.notAllowed, `method ${c.req.method} not allowed: this MCP server is stateless (no sessions, no SSE stream); POST JSON-RPC messages`, {
      allow: "POST",
    }),
  );
  return mcp;
}

async function handle(c: Context<McpEnv>): Promise<Response> {
  const requestId = c.get("requestId");
  // The body (at most 1 MB) is read before any refusal: under workerd a body left unread breaks the client's connection.
  const text = await c.req.text();
  if (!readConfig(c.env).features.MCP) return rpcError(c, 503, RPC.notAllowed, `this server has turned off ${FEATURES.MCP} (FEATURE_MCP=off)`);
  const auth = await authenticateMcp(c.req.raw, c.env, requestId);
  if (!auth.ok) return rpcError(c, auth.status, RPC.unauthorized, auth.error, auth.headers);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return rpcError(c, 400, RPC.parseError, "parse error: the body must be a JSON-RPC 2.0 message (JSON)");
  }
  const unknown = unknownToolCall(body);
  if (unknown) return rpcError(c, 200, RPC.invalidParams, `unknown tool "${unknown.name.slice(0, 100)}"; tools: ${MCP_TOOLS.join(", ")}`, {}, unknown.id);

  const ctx: McpContext = {
    env: c.env,
    caller: auth.value,
    ip: clientIp(c.req.raw),
    ...(requestId ? { requestId } : {}),
    origin: new URL(c.req.url).origin,
    executionCtx: c.executionCtx,
  };
  const server = createMcpServer(ctx);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(c.req.raw, { parsedBody: body });
  } finally {
    await server.close();
  }
}

/** The first `tools/call` of a message (or batch) that names no tool of this server: its name and id; else null. */
function unknownToolCall(body: unknown): { name: string; id: string | number | null } | null {
  for (const message of Array.isArray(body) ? body : [body]) {
    if (typeof message !== "object" || message === null) continue;
    const { method, params, id } = message as { method?: unknown; params?: { name?: unknown }; id?: unknown };
    if (method !== "tools/call" || typeof params?.name !== "string") continue;
    if (!(MCP_TOOLS as readonly string[]).includes(params.name)) {
      return { name: params.name, id: typeof id === "string" || typeof id === "number" ? id : null };
    }
  }
  return null;
}

/**
 * A JSON-RPC error answer `{jsonrpc, id, error: {code, message, data: {requestId}}}` with an HTTP status.
 * @example return rpcError(c, 401, RPC.unauthorized, "unknown or revoked agent token", { "www-authenticate": "Bearer" });
 */
export function rpcError(
  c: Context,
  status: ContentfulStatusCode,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  id: string | number | null = null,
): Response {
  const requestId = c.get("requestId") as string | undefined;
  const body = { jsonrpc: "2.0", id, error: { code, message, ...(requestId ? { data: { requestId } } : {}) } };
  return c.json(body, status, headers);
}
