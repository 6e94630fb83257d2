/**
 * A room socket's standing as data: the state, events and actions of the authentication machine in room-socket-auth.ts,
 * and the pure reads of that state the room makes on every frame (may it receive, what is its role now).
 */
import type { CloseCode, Denial, Message, RoomGrant, RoomRole, Visibility } from "../../core/protocol.js";
import type { Identity } from "../platform/auth.js";
import { roleIn, type RoomPolicy } from "./room-permissions.js";

/** Cap of frames queued per socket before authentication. */
export const AUTH_QUEUE_FRAMES = 64;
/** A token counts this long past its `exp` (clock skew, as the verification tolerates). */
export const EXPIRY_GRACE_MS = 5_000;

/** A socket's standing in the room: the part of its state that survives hibernation (socket-attachment.ts keeps it). */
export interface SocketAccess {
  /** The verified user, or null while the socket is anonymous. */
  readonly userId: string | null;
  /** When that user's token stops counting (before the grace), ms since the epoch; null when anonymous. */
  readonly expiresAt: number | null;
  /**
   * Set while the socket waits to be admitted to a private room (nothing is sent to it, its frames wait): the time, in ms
   * since the epoch, at which it is closed unless a token admits it first. null once admitted.
   */
  readonly admitBy: number | null;
  /** The role and visibility the socket was last told (or implied at connect), to tell when a grant changed. */
  readonly role: RoomRole | null;
  readonly visibility: Visibility;
  /** A PermissionDenied was sent since the last grant (one per grant, not one per dropped frame). */
  readonly denied: boolean;
}

/** Frames that wait their turn, in memory only (a hibernated socket that still waits for its token starts empty again). */
export interface Inbox {
  readonly frames: readonly Uint8Array[];
  readonly bytes: number;
  /** A token of this queue is being verified: every new frame waits behind it. */
  readonly verifying: boolean;
}

/** One socket's authentication state. */
export interface SocketAuthState {
  readonly access: SocketAccess;
  /** Frames waiting while a token is verified, or before a private room admitted the socket; null when none can wait. */
  readonly inbox: Inbox | null;
}

/** What the machine reads of its room and configuration. */
export interface SocketAuthContext {
  /** The permissions in force (the room's stored visibility, public while unclaimed). */
  readonly policy: RoomPolicy;
  /** False when the server cannot verify tokens: a token is then answered with the anonymous grant. */
  readonly authConfigured: boolean;
  /** How long a socket may wait for admission to a private room, in ms. */
  readonly timeoutMs: number;
  /** Most bytes that may wait in an inbox. */
  readonly queueBytes: number;
}

/** What happens to a socket; `now` is ms since the epoch. */
export type SocketAuthEvent =
  /** A binary frame arrived (size and rate limits already passed). */
  | { type: "frame"; frame: Uint8Array; now: number }
  /** The token of the last "verify" action is valid for `identity`. */
  | { type: "verified"; identity: Identity; now: number }
  /** The token of the last "verify" action is not valid; `reason` is safe to show the client. */
  | { type: "unverified"; reason: string; now: number }
  /** The room's alarm: enforce the socket's deadlines. */
  | { type: "tick"; now: number }
  /** The room's permissions changed. */
  | { type: "permissions"; now: number }
  /** The room dropped a write from this socket, whose role may not edit. */
  | { type: "write-refused"; now: number };

/** What the room must do, in order. Once the socket is closed the remaining actions are moot. */
export type SocketAuthAction =
  | { type: "grant"; grant: RoomGrant }
  /** Send the greeting (sync step 1, everyone's presence): the socket was just admitted. */
  | { type: "greet" }
  /** Handle a decoded frame of an admitted socket. */
  | { type: "deliver"; message: Message }
  /** Verify `token`, then step the socket with "verified" or "unverified". */
  | { type: "verify"; token: string }
  | { type: "close"; code: CloseCode; reason: string }
  /** Send Auth/PermissionDenied with `reason`. */
  | { type: "deny"; denial: Denial; reason: string }
  /** Make sure a "tick" reaches the socket by `at`. */
  | { type: "deadline"; at: number }
  /** Write a log line (the room adds `type: "room"` and its name). */
  | { type: "log"; entry: { event: string; level?: "warn"; [field: string]: unknown } };

export interface SocketAuthStep {
  state: SocketAuthState;
  actions: SocketAuthAction[];
}

/** How a new socket starts: admitted (greet it), waiting for a token, or refused before it is accepted. */
export type SocketOpening =
  | { outcome: "admitted"; state: SocketAuthState; actions: SocketAuthAction[] }
  | { outcome: "waiting"; state: SocketAuthState; actions: SocketAuthAction[]; admitBy: number }
  | { outcome: "refused"; code: CloseCode; reason: string };

/** An inbox with nothing in it. */
export const EMPTY_INBOX: Inbox = Object.freeze({ frames: [], bytes: 0, verifying: false });

/** The role the socket has now, for a write: from the current permissions, so a change applies at once. */
export function roleNow(access: SocketAccess, policy: RoomPolicy): RoomRole | null {
  return roleIn(policy, access.userId);
}

/** True while the socket waits to be admitted to a private room: it must receive nothing. */
export function isWaiting(access: SocketAccess): boolean {
  return access.admitBy !== null;
}

/**
 * True when the socket may receive the room's data now: it is admitted, and it does not hold a token that ran out in a room
 * anonymous users may not open (the next "tick" closes it; this holds until then).
 */
export function mayReceive(access: SocketAccess, policy: RoomPolicy, now: number): boolean {
  if (access.admitBy !== null) return false;
  if (access.expiresAt === null || now <= access.expiresAt + EXPIRY_GRACE_MS) return true;
  return roleIn(policy, null) !== null;
}

/** What a socket is told of `access` in an Auth/Granted. */
export function grantOf(access: SocketAccess): RoomGrant {
  return { role: access.role ?? "viewer", userId: access.userId, visibility: access.visibility, expiresAt: access.expiresAt };
}
