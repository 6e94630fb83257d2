/**
 * Reading and changing a room's permissions (`GET|PUT /live/<room>/permissions` in the Worker): the owner reads and changes
 * who may open and edit the room. A signed-in user claims an unowned room by a PUT when the room is new, when they created
 * it, or with the claim token the room gave the page that created it (room-claim.ts).
 */
import type { Denial } from "../../core/protocol.js";
import { AUTH_NOT_CONFIGURED, type Identity } from "../platform/auth.js";
import { logEvent } from "../platform/log.js";
import { done, refuse, type Parsed, type PermissionsAnswer, type PermissionsChange, type RoomRefusal, type RoomResult } from "./room-api.js";
import type { ClaimDecision } from "./room-claim.js";
import type { Permissions, RoomPermissions } from "./room-permissions.js";

/** What the permission calls need from their room, for one caller. */
export interface PermissionsCallContext {
  permissions: RoomPermissions;
  identity: Identity | null;
  room: string | null;
  /** False when the server cannot verify tokens (CLERK_JWT_KEY / CLERK_JWKS_URL unset): every room is public then. */
  authOn: boolean;
  /** The room-creation limit for a PUT that creates the room's first state: null when allowed, else the 429. */
  admitCreation(): Promise<RoomRefusal | null>;
  /** May `userId` claim the unowned room (with `claimToken`, when the body carried one)? See room-claim.ts. */
  decideClaim(userId: string, claimToken: string | undefined): ClaimDecision;
  /** Called after a change was saved (`claimed`: the room just got its owner): tell the room's sockets. */
  changed(claimed: boolean): void;
}

/**
 * `GET /live/<room>/permissions`: the owner only, or anyone while nobody owns the room.
 * @example return readPermissions({ permissions, identity, room, authOn, admitCreation, decideClaim, changed });
 */
export function readPermissions({ permissions, identity, room, authOn }: PermissionsCallContext): RoomResult<PermissionsAnswer> {
  const current = permissions.current;
  if (current.owner !== null) {
    if (!authOn) return refuse(501, AUTH_NOT_CONFIGURED);
    const denied = ownerOnly(current, identity);
    if (denied) return denied;
  }
  return done({ room, ...current, visibility: authOn ? current.visibility : "public" });
}

/**
 * `PUT /live/<room>/permissions`: claim an unowned room, or change an owned one as its owner.
 * @example return changePermissions(context, parsePermissionsChange(body));
 */
export async function changePermissions(context: PermissionsCallContext, change: Parsed<PermissionsChange>): Promise<RoomResult<PermissionsAnswer>> {
  const { permissions, identity, room } = context;
  if (!context.authOn) return refuse(501, AUTH_NOT_CONFIGURED);
  const current = permissions.current;
  const denied = current.owner === null ? (identity ? null : signInRequired("sign-in-required")) : ownerOnly(current, identity);
  if (denied) return denied;
  if (!change.ok) return change;
  const { update, claimToken } = change.value;
  const limited = await context.admitCreation();
  if (limited) return limited;
  // Another PUT may have claimed the room during that await: check again, with no await between the check and the save.
  const latest = permissions.current;
  const overtaken = latest.owner === null ? null : ownerOnly(latest, identity);
  if (overtaken) return overtaken;
  const userId = identity!.userId;
  const claim = latest.owner === null ? context.decideClaim(userId, claimToken) : null;
  if (latest.owner === null && claim === null) {
    logEvent({ level: "warn", type: "room", event: "claim_refused", room, userId });
    return refuse(
      403,
      "this room already holds work and was not created by you: only its creator can claim it (signed in when creating it, " +
        "or with the claim token the room gave the page that created it)",
      { denial: "claim-refused" },
    );
  }

  const next = permissions.save(userId, update);
  logEvent({
    type: "room",
    event: claim ? "room_claimed" : "permissions_changed",
    room,
    userId,
    ...(claim ? { how: claim } : {}),
    visibility: next.visibility,
    editors: next.editors.length,
    members: next.members.length,
  });
  context.changed(claim !== null);
  return done({ room, ...next });
}

/** null when `identity` owns the room; else 401 (anonymous) or 403. */
function ownerOnly(current: Permissions, identity: Identity | null): RoomRefusal | null {
  if (identity === null) return signInRequired("owner-only");
  if (identity.userId !== current.owner) return refuse(403, "only the room's owner may read or change its permissions", { denial: "owner-only" });
  return null;
}

/** 401 for an anonymous caller; `denial` says whether the owner (a claimed room) or any signed-in user (a claim) may. */
function signInRequired(denial: Denial): RoomRefusal {
  return refuse(401, "sign in to read or change this room's permissions", { signIn: true, denial });
}
