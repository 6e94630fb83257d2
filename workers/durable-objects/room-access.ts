/**
 * What one request may do in a room. (A socket's standing is decided by room-socket-auth.ts and kept in its connection
 * state, socket-attachment.ts.)
 */
import type { RoomRole } from "../../core/protocol.js";
import type { Identity } from "../platform/auth.js";
import { refuse, type RoomRefusal } from "./room-api.js";
import { canEdit } from "./room-permissions.js";

/**
 * The refusal of a call that `role` may not make (`need` = read or edit), or null when it may. Anonymous callers get 401
 * (signing in might help); signed-in ones 403. The `denial` says which rule: `private` (may not open the room) or
 * `read-only` (may not edit it).
 * @example const denied = httpDenial(permissions.roleOf(identity?.userId ?? null), "edit", identity); if (denied) return denied;
 */
export function httpDenial(role: RoomRole | null, need: "read" | "edit", identity: Identity | null): RoomRefusal | null {
  if (need === "read" ? role !== null : canEdit(role)) return null;
  const denial = role === null ? "private" : "read-only";
  if (identity === null) {
    const error = role === null ? "this room is private: sign in to open it" : "this room is read-only: sign in to edit it";
    return refuse(401, error, { signIn: true, denial });
  }
  return refuse(403, role === null ? "you are not a member of this private room" : "you may only read this room", { denial });
}
