/**
 * The MCP tools on a room's files: list_files, read_file, get_session, and the changes write_file, edit_file and
 * delete_file. Every call is a typed room call as the verified caller (the same permission checks as the HTTP API), after
 * `agentPresence` shows the agent in the room; a change goes through `agentChange`, one small Yjs transaction the room
 * records as an undoable chat entry (workers/durable-objects/room-agents.ts).
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { isValidFileName } from "../../../core/project.js";
import type { AgentChange } from "../../durable-objects/room-api.js";
import { readConfig } from "../../platform/config.js";
import { fileArgument, jsonResult, rateLimited, refusedResult, resolveRoom, roomArgument, toolError, type McpContext, type RoomTarget } from "./tool-kit.js";

/**
 * Register the file tools on `server` for one request.
 * @example registerFileTools(server, ctx);
 */
export function registerFileTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    "list_files",
    {
      description: "List the project's files (name and size in bytes) and its entry file.",
      inputSchema: { room: roomArgument },
      annotations: { readOnlyHint: true },
    },
    async ({ room }) =>
      withRoom(ctx, room, "read", undefined, async ({ stub, caller, room: name }) => {
        const session = await stub.session(caller);
        if (!session.ok) return refusedResult(session);
        const { files, entry, version } = session.value;
        const list = Object.entries(files).map(([file, text]) => ({ name: file, bytes: new TextEncoder().encode(text).length }));
        return jsonResult({ room: name, entry, version, files: list });
      }),
  );

  server.registerTool(
    "read_file",
    { description: "Read one project file's text.", inputSchema: { room: roomArgument, name: fileArgument }, annotations: { readOnlyHint: true } },
    async ({ room, name }) =>
      withRoom(ctx, room, "read", name, async ({ stub, caller }) => {
        const file = await stub.readFile(caller, name);
        if (!file.ok) return refusedResult(file);
        return { content: [{ type: "text", text: file.value.text }] };
      }),
  );

  server.registerTool(
    "get_session",
    {
      description: "The whole room: every file's text, the entry file, the document version, when it changed, and where it was forked from.",
      inputSchema: { room: roomArgument },
      annotations: { readOnlyHint: true },
    },
    async ({ room }) =>
      withRoom(ctx, room, "read", undefined, async ({ stub, caller }) => {
        const session = await stub.session(caller);
        return session.ok ? jsonResult(session.value) : refusedResult(session);
      }),
  );

  server.registerTool(
    "write_file",
    {
      description: "Create a file or replace its whole text. People in the room see the change live; it can be undone from the room's chat.",
      inputSchema: { room: roomArgument, name: fileArgument, text: z.string().describe("The file's new text.") },
    },
    async ({ room, name, text }) => change(ctx, room, { kind: "write", file: name, text }),
  );

  server.registerTool(
    "edit_file",
    {
      description:
        "Replace the first occurrence of `search` in a file with `replace`, as a small edit that people typing at the same time keep their text through. Fails, changing nothing, when `search` is not in the file.",
      inputSchema: {
        room: roomArgument,
        name: fileArgument,
        search: z.string().min(1).describe("Exact text to find (include enough context to be unique)."),
        replace: z.string().describe("The text to put in its place."),
      },
    },
    async ({ room, name, search, replace }) => change(ctx, room, { kind: "edit", file: name, search, replace }),
  );

  server.registerTool(
    "delete_file",
    { description: "Delete a project file (undoable from the room's chat).", inputSchema: { room: roomArgument, name: fileArgument }, annotations: { destructiveHint: true } },
    async ({ room, name }) => change(ctx, room, { kind: "delete", file: name }),
  );
}

/**
 * Run `work` on the room a tool call names: the room checked (an agent token's own room only), the file name checked, one
 * token of `bucket`, and the agent shown in the room (`agentPresence`, which also needs read access).
 * @example
 * return withRoom(ctx, args.room, "read", undefined, async ({ stub, caller }) => {
 *   const list = await stub.versions(caller);
 *   return list.ok ? jsonResult(list.value) : refusedResult(list);
 * });
 */
export async function withRoom(
  ctx: McpContext,
  room: string | undefined,
  bucket: "read" | "upload" | "compute",
  file: string | undefined,
  work: (target: RoomTarget) => Promise<CallToolResult>,
): Promise<CallToolResult> {
  const target = resolveRoom(ctx, room);
  if ("content" in target) return target;
  if (file !== undefined && !isValidFileName(file)) return toolError(`invalid file name "${file.slice(0, 100)}"`);
  const limited = await rateLimited(ctx, bucket);
  if (limited) return limited;
  const present = await target.stub.agentPresence(target.caller, ctx.caller.agent, file);
  if (!present.ok) return refusedResult(present);
  return work(target);
}

/** write_file, edit_file and delete_file: one `agentChange` on the room, after the size check a PUT file has. */
async function change(ctx: McpContext, room: string | undefined, edit: AgentChange): Promise<CallToolResult> {
  const max = readConfig(ctx.env).room.limits.maxFrameBytes;
  const utf8 = (text: string) => new TextEncoder().encode(text).length;
  const bytes = edit.kind === "write" ? utf8(edit.text) : edit.kind === "edit" ? utf8(edit.search) + utf8(edit.replace) : 0;
  if (bytes > max) return toolError(`refused (413): the change is larger than ${max} bytes, the room's largest update`);
  return withRoom(ctx, room, "upload", edit.file, async ({ stub, caller, room: name }) => {
    const changed = await stub.agentChange(caller, ctx.caller.agent, edit);
    if (!changed.ok) return refusedResult(changed);
    return jsonResult({ room: name, ...changed.value, undo: `POST /live/${name}/chat/${changed.value.message}/undo` });
  });
}
