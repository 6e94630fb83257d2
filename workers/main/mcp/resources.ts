/**
 * A room's files as MCP resources, `spike://room/<id>/files/<name>` (listed for an agent token's room; any room a Clerk
 * user may read can be read by its URI), and the `spike_project` prompt that tells a model what a spike project is.
 */
import { ResourceTemplate, type McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { isValidFileName } from "../../../core/project.js";
import { contentTypeOf } from "../../durable-objects/room-files.js";
import { rateLimited, resolveRoom, type McpContext } from "./tool-kit.js";

/**
 * The URI of a room's file.
 * @example fileUri("demo", "index.tsx") // "spike://room/demo/files/index.tsx"
 */
export function fileUri(room: string, name: string): string {
  return `spike://room/${room}/files/${name}`;
}

/**
 * Register the file resources and the `spike_project` prompt on `server` for one request.
 * @example registerResources(server, ctx);
 */
export function registerResources(server: McpServer, ctx: McpContext): void {
  const template = new ResourceTemplate("spike://room/{room}/files/{+name}", {
    list: async () => {
      const room = ctx.caller.tokenRoom;
      if (room === null) return { resources: [] };
      const files = await sessionFiles(ctx, room);
      return { resources: Object.keys(files).map((name) => ({ uri: fileUri(room, name), name, mimeType: contentTypeOf(name) })) };
    },
  });
  server.registerResource("room-file", template, { description: "A file of a spike room's project, as it is now.", mimeType: "text/plain" }, async (uri, variables) =>
    readFileResource(ctx, uri, String(variables.room), String(variables.name)),
  );

  server.registerPrompt(
    "spike_project",
    {
      description: "How a spike project works (files, entry, React and TypeScript, the live preview), with the room's file list.",
      argsSchema: { room: z.string().max(64).optional().describe("The room id; optional with an agent token.") },
    },
    async ({ room }) => {
      const name = room ?? ctx.caller.tokenRoom ?? undefined;
      const files = name ? await sessionFiles(ctx, name).catch((error: Error) => ({ [`(could not list: ${error.message})`]: "" })) : {};
      return { messages: [{ role: "user", content: { type: "text", text: projectPrompt(name, Object.keys(files)) } }] };
    },
  );
}

/**
 * The prompt text: what the project is and how to change it well.
 * @example projectPrompt("demo", ["index.tsx"]).endsWith("Files: index.tsx") // true
 */
export function projectPrompt(room: string | undefined, files: string[]): string {
  return [
    `You are working on a spike project${room ? `, room "${room}"` : ""}: a small React app written in TypeScript/TSX that people edit together live.`,
    "",
    "- The project is a set of text files; the entry file (usually index.tsx) default-exports a React component, which the preview renders into the page.",
    "- Files import each other by relative path (./lib/util) and npm packages by bare name (react, react-dom/client, and other packages from the CDN); CSS files can be imported too.",
    "- Every change is live: the preview in each person's browser rebuilds (the transpiler bundles the files with esbuild) and re-renders as the code changes.",
    "- Other people may be typing at the same time. Prefer edit_file (a small search and replace) over write_file for existing files, read a file before editing it, and keep search texts exact and unique.",
    "- After a change, call get_build_errors to check it builds and get_console for runtime errors; screenshot shows the running app.",
    "- Every change you make appears in the room's chat with an Undo control, under your agent's name.",
    "",
    files.length > 0 ? `Files: ${files.join(", ")}` : "Call list_files to see the files.",
  ].join("\n");
}

async function readFileResource(ctx: McpContext, uri: URL, room: string, name: string): Promise<ReadResourceResult> {
  const target = resolveRoom(ctx, room);
  if ("content" in target) throw new Error((target.content[0] as { text: string }).text);
  if (!isValidFileName(name)) throw new Error(`invalid file name "${name.slice(0, 100)}"`);
  const limited = await rateLimited(ctx, "read");
  if (limited) throw new Error((limited.content[0] as { text: string }).text);
  const file = await target.stub.readFile(target.caller, name);
  if (!file.ok) throw new Error(`refused (${file.status}): ${file.error}`);
  return { contents: [{ uri: uri.href, mimeType: contentTypeOf(name), text: file.value.text }] };
}

/** The files of `room` as the caller may read them; throws the refusal (an MCP error for the client). */
async function sessionFiles(ctx: McpContext, room: string): Promise<Record<string, string>> {
  const target = resolveRoom(ctx, room);
  if ("content" in target) throw new Error((target.content[0] as { text: string }).text);
  const session = await target.stub.session(target.caller);
  if (!session.ok) throw new Error(`refused (${session.status}): ${session.error}`);
  return session.value.files;
}
