/**
 * What one connection or request may do in a room. A socket's access lives in its WebSocket attachment, so it survives
 * hibernation, and in a WeakMap, so the check on every frame costs no deserialisation.
 */
import type { RoomRole, Visibility } from "../../core/protocol.js";
import type { Identity } from "../platform/auth.js";
import { refuse, type RoomRefusal } from "./room-api.js";
import { canEdit } from "./room-permissions.js";
import { patchAttachment, readAttachment } from "./socket-attachment.js";

/** A socket's standing in the room. */
export interface SocketAccess {
  /** The verified user, or null while the socket is anonymous. */
  userId: string | null;
  /** When that user's token stops counting, ms since the epoch; null when anonymous. */
  expiresAt: number | null;
  /**
   * Set while the socket waits to be admitted to a private room (nothing is sent to it, its frames wait): the time, in ms
   * since the epoch, at which it is closed unless a token admits it first. null once admitted.
   */
  admitBy: number | null;
  /** The role and visibility the socket was last told (or implied at connect), to tell when a grant changed. */
  role: RoomRole | null;
  visibility: Visibility;
  /** A PermissionDenied was sent since the last grant (one per grant, not one per dropped frame). */
  denied: boolean;
}

/** A socket with no recorded access: an anonymous connection to a public room. */
const ANONYMOUS: Readonly<SocketAccess> = Object.freeze({
  userId: null,
  expiresAt: null,
  admitBy: null,
  role: "editor",
  visibility: "public",
  denied: false,
});

/** Every socket's access, read from its attachment once per wake-up. */
export class SocketAccessTable {
  #cache = new WeakMap<WebSocket, SocketAccess>();

  get(ws: WebSocket): SocketAccess {
    let access = this.#cache.get(ws);
    if (!access) {
      access = readAttachment(ws).access ?? { ...ANONYMOUS };
      this.#cache.set(ws, access);
    }
    return access;
  }

  /** Record `access` for `ws` (memory and attachment; the attachment's other fields, such as awareness, are kept). */
  set(ws: WebSocket, access: SocketAccess): void {
    this.#cache.set(ws, access);
    patchAttachment(ws, { access });
  }

  /** True while `ws` waits to be admitted to a private room: it must receive nothing. */
  waiting(ws: WebSocket): boolean {
    return this.get(ws).admitBy !== null;
  }
}

/**
 * The refusal of a call that `role` may not make (`need` = read or edit), or null when it may. Anonymous callers get 401
 * (signing in might help); signed-in ones 403.
 * @example const denied = httpDenial(permissions.roleOf(identity?.userId ?? null), "edit", identity); if (denied) return denied;
 */
export function httpDenial(role: RoomRole | null, need: "read" | "edit", identity: Identity | null): RoomRefusal | null {
  if (need === "read" ? role !== null : canEdit(role)) return null;
  if (identity === null) {
    return refuse(401, role === null ? "this room is private: sign in to open it" : "this room is read-only: sign in to edit it", { signIn: true });
  }
  return refuse(403, role === null ? "you are not a member of this private room" : "you may only read this room");
}
