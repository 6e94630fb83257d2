/**
 * The build errors of a room's current project: its files (and asset modules) bundled by the transpiler Worker through
 * the TRANSPILER service binding, exactly as `GET /live/<room>/index.js` bundles them (bundle-routes.ts), keeping only the
 * diagnostics. Used by the MCP tool `get_build_errors`; the caller's permissions apply as they do to the room's session.
 */
import type { BuildError } from "../../core/build/types.js";
import { assetModulesOf } from "../../core/assets.js";
import { refuse, type RoomCaller, type RoomResult } from "../durable-objects/room-api.js";
import { logError } from "../platform/log.js";
import type { Env } from "../platform/env.js";
import type { BundleInput } from "../transpiler/request-input.js";
import { offlineImports } from "./bundle-routes.js";

/** The origin the bundle is asked for: only its errors are kept, so the URLs it writes into the code never leave here. */
const ORIGIN = "https://spike.internal";

/**
 * The transpile diagnostics of `room`'s project for `caller`: `[]` when it builds, the errors (file, line, column,
 * message) when it does not; a refusal when the caller may not read the room, the room has no project, or the
 * transpiler cannot answer.
 * @example const result = await buildErrors(env, "demo", caller); // { ok: true, value: [] }
 */
export async function buildErrors(env: Env, room: string, caller: RoomCaller): Promise<RoomResult<BuildError[]>> {
  const stub = env.CODE_ROOM.get(env.CODE_ROOM.idFromName(room));
  const session = await stub.session({ ...caller, room });
  if (!session.ok) return session;
  const { files, entry, version } = session.value;
  if (version === 0) return refuse(404, `no room "${room}": nothing was ever written to it`);
  if (!Object.hasOwn(files, entry)) return refuse(404, `room "${room}" has no entry file "${entry}"`);

  const listed = await stub.assets({ ...caller, room });
  const assets = listed.ok ? Object.fromEntries(listed.value.assets.map((asset) => [asset.name, asset])) : {};
  const modules = assetModulesOf(assets, `${ORIGIN}/live/${encodeURIComponent(room)}/`);
  const input: BundleInput = { files: { ...modules, ...files }, entry, ...(await offlineImports(env, ORIGIN)) };

  let response: Response;
  try {
    response = await env.TRANSPILER.fetch("https://transpiler.internal/api/bundle", {
      method: "POST",
      headers: { "content-type": "application/json", ...(caller.requestId ? { "x-request-id": caller.requestId } : {}) },
      body: JSON.stringify(input),
    });
  } catch (error) {
    logError(error, { type: "build", event: "transpiler_unavailable", room });
    return refuse(503, "the transpiler Worker is not available");
  }
  if (response.status === 200) {
    await response.body?.cancel();
    return { ok: true, value: [] };
  }
  const body = (await response.json().catch(() => null)) as { errors?: BuildError[]; error?: string } | null;
  if (response.status === 422 && Array.isArray(body?.errors)) return { ok: true, value: body.errors };
  // A project over the transpiler's limits (413/400 {error}) is the project's problem; anything else is the server's.
  if (response.status === 413 || response.status === 400) return refuse(response.status, body?.error ?? "the project could not be built");
  logError(new Error(`transpiler answered ${response.status}`), { type: "build", event: "transpiler_failed", room });
  return refuse(503, "the transpiler failed");
}
