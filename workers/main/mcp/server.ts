/**
 * The MCP server of one `/mcp` request (the official SDK's McpServer): every tool, the file resources and the prompt, bound
 * to that request's verified caller. A new one is made per request: the server is stateless (README "MCP").
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import pkg from "../../../package.json";
import { registerFileTools } from "./file-tools.js";
import { registerResources } from "./resources.js";
import { registerRoomTools } from "./room-tools.js";
import type { McpContext } from "./tool-kit.js";

export { MCP_TOOLS } from "./tool-names.js";


/**
 * The server for one request.
 * @example const server = createMcpServer(ctx); await server.connect(transport);
 */
export function createMcpServer(ctx: McpContext): McpServer {
  const server = new McpServer(
    { name: "spike", version: pkg.version },
    {
      instructions:
        "spike rooms are live, shared React + TypeScript projects. Tools take a `room` id (optional with an agent token). Your edits appear live in the editors of the people in the room, under your name, and can be undone from the room's chat. Read the spike_project prompt first.",
    },
  );
  registerFileTools(server, ctx);
  registerRoomTools(server, ctx);
  registerResources(server, ctx);
  return server;
}
