#!/usr/bin/env node
/**
 * An AI agent in a spike room, in a few lines: the MCP SDK's client connects to `/mcp` with a bearer token (a room's agent
 * token `sat1.…`, or a Clerk session token), lists the tools, reads the room's index.tsx, changes its first line with
 * `edit_file` (people in the room see it arrive live, and can undo it from the chat) and prints what it did.
 *
 *   node demos/mcp-agent.mjs <server> <room> <token>
 *   node demos/mcp-agent.mjs http://localhost:8787 demo sat1.ZGVtbw.…
 *
 * README "MCP".
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [server, room, token] = process.argv.slice(2);
if (!server || !room || !token) {
  console.error("usage: node demos/mcp-agent.mjs <server> <room> <token>");
  process.exit(2);
}

const transport = new StreamableHTTPClientTransport(new URL("/mcp", server), {
  requestInit: { headers: { authorization: `Bearer ${token}`, "x-spike-agent-name": "Demo agent" } },
});
const client = new Client({ name: "spike-demo-agent", version: "1.0.0" });
await client.connect(transport);

try {
  const { tools } = await client.listTools();
  console.log(`tools: ${tools.map((tool) => tool.name).join(", ")}`);

  const text = (result) => result.content.map((part) => (part.type === "text" ? part.text : `[${part.type}]`)).join("\n");
  const call = async (name, args) => {
    const result = await client.callTool({ name, arguments: { room, ...args } });
    if (result.isError) throw new Error(`${name}: ${text(result)}`);
    return result;
  };

  const before = text(await call("read_file", { name: "index.tsx" }));
  const firstLine = before.split("\n")[0];
  const stamp = `// edited by an MCP agent at ${new Date().toISOString()}`;
  const edited = await call("edit_file", { name: "index.tsx", search: firstLine, replace: `${stamp}\n${firstLine}` });
  console.log(`edit_file: ${text(edited)}`);
  const after = text(await call("read_file", { name: "index.tsx" }));
  console.log(`index.tsx now:\n${after}`);
  const build = await call("get_build_errors", {});
  console.log(`build errors: ${text(build)}`);
} finally {
  await client.close();
}
