/**
 * `GET|PUT /permissions` inside a room (the Worker's `/live/<room>/permissions`): the owner reads and changes who may open
 * and edit the room. A signed-in user claims an unowned room by a PUT when the room is new, when they created it, or with
 * the claim token the room gave the page that created it (room-claim.ts).
 */
import type { ApiErrorBody, PermissionsAnswer } from "../../core/api.js";
import type { Denial } from "../../core/protocol.js";
import { AUTH_NOT_CONFIGURED, type Identity } from "../platform/auth.js";
import { logEvent } from "../platform/log.js";
import type { ClaimDecision } from "./room-claim.js";
import { MAX_PERMISSIONS_BYTES, parsePermissionsUpdate, type Permissions, type RoomPermissions } from "./room-permissions.js";

/** What the route needs from its room. */
export interface PermissionsRouteContext {
  permissions: RoomPermissions;
  identity: Identity | null;
  room: string | null;
  /** False when the server cannot verify tokens (CLERK_JWT_KEY / CLERK_JWKS_URL unset): every room is public then. */
  authOn: boolean;
  /** The room-creation limit for a PUT that creates the room's first state: null when allowed, else the 429 to send. */
  admitCreation(): Promise<Response | null>;
  /** May `userId` claim the unowned room (with `claimToken`, when the body carried one)? See room-claim.ts. */
  decideClaim(userId: string, claimToken: string | undefined): ClaimDecision;
  /** Called after a change was saved (`claimed`: the room just got its owner): tell the room's sockets. */
  changed(next: Permissions, claimed: boolean): void;
}

/**
 * Answer `GET` or `PUT /permissions`.
 * @example if (path === "/permissions") return permissionsRoute(request, { permissions, identity, room, authOn, admitCreation, changed });
 */
export async function permissionsRoute(request: Request, context: PermissionsRouteContext): Promise<Response> {
  if (request.method === "GET") return read(context);
  if (request.method === "PUT") return write(request, context);
  return jsonError(405, `method ${request.method} not allowed on permissions`);
}

function read({ permissions, identity, room, authOn }: PermissionsRouteContext): Response {
  const current = permissions.current;
  if (current.owner !== null) {
    if (!authOn) return jsonError(501, AUTH_NOT_CONFIGURED);
    const denied = ownerOnly(current, identity);
    if (denied) return denied;
  }
  return Response.json({ room, ...current, visibility: authOn ? current.visibility : "public" } satisfies PermissionsAnswer);
}

async function write(request: Request, context: PermissionsRouteContext): Promise<Response> {
  const { permissions, identity, room } = context;
  // Read the body before any answer: a room that answers without reading what it was handed breaks the connection.
  const length = request.headers.get("content-length");
  if (length === null) return jsonError(411, "PUT needs a Content-Length header");
  if (Number(length) > MAX_PERMISSIONS_BYTES) return jsonError(413, `permissions larger than ${MAX_PERMISSIONS_BYTES} bytes`);
  const body = await request.text();
  if (body.length > MAX_PERMISSIONS_BYTES) return jsonError(413, `permissions larger than ${MAX_PERMISSIONS_BYTES} bytes`);

  if (!context.authOn) return jsonError(501, AUTH_NOT_CONFIGURED);
  const current = permissions.current;
  const denied = current.owner === null ? (identity ? null : signInRequired("sign-in-required")) : ownerOnly(current, identity);
  if (denied) return denied;

  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    return jsonError(400, "the body must be JSON: {visibility, editors?, members?, claimToken?}");
  }
  const { claimToken, rest } = takeClaimToken(input);
  if (claimToken === false) return jsonError(400, "claimToken must be the string the room gave the page that created it");
  const parsed = parsePermissionsUpdate(rest);
  if (!parsed.ok) return jsonError(400, parsed.error);
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
    return jsonError(
      403,
      "this room already holds work and was not created by you: only its creator can claim it (signed in when creating it, " +
        "or with the claim token the room gave the page that created it)",
      "claim-refused",
    );
  }

  const next = permissions.save(userId, parsed.update);
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
  context.changed(next, claim !== null);
  return Response.json({ room, ...next } satisfies PermissionsAnswer);
}

/** Split `claimToken` off a PUT body: undefined when absent, false when not a string. */
function takeClaimToken(input: unknown): { claimToken: string | undefined | false; rest: unknown } {
  if (typeof input !== "object" || input === null || Array.isArray(input) || !("claimToken" in input)) {
    return { claimToken: undefined, rest: input };
  }
  const { claimToken, ...rest } = input as Record<string, unknown>;
  return { claimToken: typeof claimToken === "string" ? claimToken : false, rest };
}

/** null when `identity` owns the room; else 401 (anonymous) or 403. */
function ownerOnly(current: Permissions, identity: Identity | null): Response | null {
  if (identity === null) return signInRequired("owner-only");
  if (identity.userId !== current.owner) return jsonError(403, "only the room's owner may read or change its permissions", "owner-only");
  return null;
}

/** 401 for an anonymous caller; `denial` says whether the owner (a claimed room) or any signed-in user (a claim) may. */
function signInRequired(denial: Denial): Response {
  const body = { error: "sign in to read or change this room's permissions", denial } satisfies ApiErrorBody;
  return Response.json(body, { status: 401, headers: { "www-authenticate": "Bearer" } });
}

function jsonError(status: number, error: string, denial?: Denial): Response {
  return Response.json((denial ? { error, denial } : { error }) satisfies ApiErrorBody, { status });
}
