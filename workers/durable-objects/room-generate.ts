/**
 * The room's side of `POST /live/<room>/assets/generate` (workers/main/generate-route.ts): before the Worker spends money
 * on Replicate it asks the room whether the caller may edit it, with the same rules as every write (room-access.ts). The
 * image itself is stored afterwards through the room's asset call, which checks again.
 */
import type { Identity } from "../platform/auth.js";
import { done, type RoomCaller, type RoomResult } from "./room-api.js";
import { httpDenial } from "./room-access.js";
import type { RoomPermissions } from "./room-permissions.js";

/** What the check needs from its room. */
export interface GenerateRoom {
  permissions: Pick<RoomPermissions, "roleOf">;
}

/**
 * May `caller` generate an asset into this room: the edit right (a room nobody wrote to yet may be, as a first write may
 * create it). `{admitted: true}`, or the 401/403 of an edit.
 * @example const admitted = await roomOf(c).admitGeneration(callerOf(c)); if (!admitted.ok) return refusal(c, admitted);
 */
export function admitGeneration(room: GenerateRoom, caller: RoomCaller): RoomResult<{ admitted: true }> {
  const identity: Identity | null = caller.identity;
  return httpDenial(room.permissions.roleOf(identity?.userId ?? null), "edit", identity) ?? done({ admitted: true as const });
}
