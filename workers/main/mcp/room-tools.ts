/**
 * The MCP tools on a room as a whole: get_build_errors and get_console (what the preview and the transpiler say),
 * screenshot (the renderer's picture, through the very route `GET /live/<room>/screenshot.png` serves, cache included),
 * list_versions, restore_version and fork_room. Each is the typed room call of its HTTP route, as the verified caller.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AuthVariables } from "../authenticate.js";
import { buildErrors } from "../build-diagnostics.js";
import { newRoomId } from "../fork-routes.js";
import { mountRenderRoutes } from "../render-routes.js";
import type { Env } from "../../platform/env.js";
import { withRoom } from "./file-tools.js";
import { callerIn, featureOff, jsonResult, refusedResult, roomArgument, toolError, type McpContext } from "./tool-kit.js";
import { MAX_SIDE, MIN_SIDE } from "../../renderer/render-input.js";

/**
 * Register the room tools on `server` for one request.
 * @example registerRoomTools(server, ctx);
 */
export function registerRoomTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    "get_build_errors",
    {
      description: "The transpiler's diagnostics for the project as it is now (file, line, column, message); an empty list when it builds.",
      inputSchema: { room: roomArgument },
      annotations: { readOnlyHint: true },
    },
    async ({ room }) =>
      withRoom(ctx, room, "compute", undefined, async ({ caller, room: name }) => {
        const errors = await buildErrors(ctx.env, name, caller);
        return errors.ok ? jsonResult({ room: name, errors: errors.value }) : refusedResult(errors);
      }),
  );

  server.registerTool(
    "get_console",
    {
      description: "Recent console output and runtime errors of the room's preview (newest last), as the preview reported them.",
      inputSchema: { room: roomArgument, since: z.number().int().min(0).optional().describe("Only entries after this time (ms since the epoch).") },
      annotations: { readOnlyHint: true },
    },
    async ({ room, since }) =>
      withRoom(ctx, room, "read", undefined, async ({ stub, caller }) => {
        const log = await stub.consoleLog(caller, since ?? 0);
        return log.ok ? jsonResult(log.value) : refusedResult(log);
      }),
  );

  server.registerTool(
    "screenshot",
    {
      description: "A PNG screenshot of the room's running app, made by a headless browser.",
      inputSchema: {
        room: roomArgument,
        width: z.number().int().min(MIN_SIDE).max(MAX_SIDE).optional(),
        height: z.number().int().min(MIN_SIDE).max(MAX_SIDE).optional(),
        theme: z.enum(["light", "dark"]).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ room, width, height, theme }) => {
      const off = featureOff(ctx, "RENDERER");
      if (off) return off;
      // The render route takes the "compute" token itself, per IP and per caller.
      return withRoom(ctx, room, "read", undefined, async ({ room: name }) => screenshot(ctx, name, { width, height, theme }));
    },
  );

  server.registerTool(
    "list_versions",
    { description: "The room's saved versions, newest first.", inputSchema: { room: roomArgument }, annotations: { readOnlyHint: true } },
    async ({ room }) =>
      withRoom(ctx, room, "read", undefined, async ({ stub, caller }) => {
        const list = await stub.versions(caller);
        return list.ok ? jsonResult(list.value) : refusedResult(list);
      }),
  );

  server.registerTool(
    "restore_version",
    {
      description: "Restore saved version n as one collaborative edit; the answer names the restore id that undoes it (POST /live/<room>/restores/<id>/undo).",
      inputSchema: { room: roomArgument, n: z.number().int().min(1).max(999_999_999) },
    },
    async ({ room, n }) => {
      const off = featureOff(ctx, "VERSIONS");
      if (off) return off;
      return withRoom(ctx, room, "upload", undefined, async ({ stub, caller }) => {
        const restored = await stub.restoreVersion(caller, n);
        return restored.ok ? jsonResult(restored.value) : refusedResult(restored);
      });
    },
  );

  server.registerTool(
    "fork_room",
    {
      description:
        "Copy the room (now, or saved version n) into a new room with an unguessable id; answers the new room's id and address (and, for an agent token, which owns nothing, the claim token that lets a person claim it).",
      inputSchema: { room: roomArgument, version: z.number().int().min(1).max(999_999_999).optional() },
    },
    async ({ room, version }) => {
      const off = featureOff(ctx, "FORKS");
      if (off) return off;
      return withRoom(ctx, room, "upload", undefined, async ({ stub, caller }) => {
        const source = await stub.forkSource(caller, version ?? null);
        if (!source.ok) return refusedResult(source);
        const fork = newRoomId();
        const { CODE_ROOM } = ctx.env;
        // An agent token is a role in its one room only: a fork it owned would open for nobody. It forks as an anonymous
        // caller would, into a room nobody owns, whose claim token it hands back to whoever asked for the fork.
        const forker = ctx.caller.tokenRoom === null ? callerIn(ctx, fork) : { ...callerIn(ctx, fork), identity: null };
        const created = await CODE_ROOM.get(CODE_ROOM.idFromName(fork)).createFork(forker, source.value);
        if (!created.ok) return refusedResult(created);
        return jsonResult({ ...created.value, url: new URL(`/live/${fork}`, ctx.origin).href });
      });
    },
  );
}

/**
 * The screenshot through the render route itself (workers/main/render-routes.ts: bundle, R2 cache, renderer, refusals), run
 * in a small app of its own whose caller is this request's identity, so an agent token reads exactly what it may.
 */
async function screenshot(ctx: McpContext, room: string, options: { width?: number | undefined; height?: number | undefined; theme?: string | undefined }): Promise<CallToolResult> {
  const app = new Hono<{ Bindings: Env; Variables: AuthVariables }>();
  app.use("*", async (c, next) => {
    c.set("identity", ctx.caller.identity);
    if (ctx.requestId) (c as unknown as Context).set("requestId", ctx.requestId);
    await next();
  });
  mountRenderRoutes(app);
  const url = new URL(`/${room}/screenshot.png`, ctx.origin);
  for (const [name, value] of Object.entries(options)) if (value !== undefined) url.searchParams.set(name, String(value));
  const headers = ctx.ip ? { "cf-connecting-ip": ctx.ip } : undefined;
  const response = await app.fetch(new Request(url, { headers }), ctx.env, ctx.executionCtx);
  if (response.status !== 200) {
    const body = (await response.json().catch(() => ({}))) as { error?: string; errors?: unknown };
    const detail = body.errors ? `: ${JSON.stringify(body.errors).slice(0, 2000)}` : "";
    return toolError(`refused (${response.status}): ${body.error ?? "the screenshot could not be made"}${detail}`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { content: [{ type: "image", data: btoa(binary), mimeType: "image/png" }] };
}
