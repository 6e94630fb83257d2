/**
 * The typed calls the main Worker makes on a room (CodeRoom's RPC methods, workers/durable-objects/code-room.ts): who is
 * calling, what each call answers, and a refusal as data. The Worker's route table (workers/main/live-routes.ts) turns a
 * result into the HTTP answer, so these shapes are the JSON bodies of README "HTTP API"; core's client types mirror them.
 * Only the WebSocket upgrade reaches a room by `fetch`.
 */
import type { Denial } from "../../core/protocol.js";
import type { ChatModel } from "../platform/ai-models.js";
import type { Identity } from "../platform/auth.js";
import type { PermissionsUpdate } from "./room-permissions.js";

/** Who calls which room: the room's name (an object is never told it otherwise), the verified user, the client's IP. */
export interface RoomCaller {
  room: string;
  /** The verified user, or null for an anonymous call. */
  identity: Identity | null;
  /** `CF-Connecting-IP`, for the room-creation limit; null when absent. */
  ip: string | null;
  /** The Worker's request id, so an error the room reports names the request that failed. */
  requestId?: string;
}

/** The HTTP statuses a room refuses with. */
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 501 | 503;

/**
 * A refusal: the status and the `{error, retryAfter?, resetsAt?}` body it is answered with. `retryAfter` also sets
 * `Retry-After`; `signIn` marks a 401 that signing in may cure (`WWW-Authenticate: Bearer`).
 */
export interface RoomRefusal {
  ok: false;
  status: RefusalStatus;
  error: string;
  /** Seconds to wait before trying again. */
  retryAfter?: number;
  /** When a spent daily budget renews (ISO 8601). */
  resetsAt?: string;
  /** Which rule refused a 401/403 (docs/PROTOCOL.md "Denials and retry delays"). */
  denial?: Denial;
  signIn?: true;
  /** A 409 of an end-to-end encrypted room: the call needs the plaintext the room never has (room-sealed.ts). */
  encrypted?: true;
}

/** What a room call answers: the value, or a refusal. */
export type RoomResult<T> = { ok: true; value: T } | RoomRefusal;

/**
 * A request body as the Worker parsed it: the typed value, or the 400/415 it earns. The room answers a bad body only after
 * its own checks, in the order it always has (a stranger is told "sign in" before "bad JSON").
 */
export type Parsed<T> = RoomResult<T>;

/**
 * A refusal.
 * @example return refuse(404, `no file "${name}" in this room`);
 * @example return refuse(429, message, { retryAfter: 3 });
 */
export function refuse(status: RefusalStatus, error: string, extra: Pick<RoomRefusal, "retryAfter" | "resetsAt" | "denial" | "signIn" | "encrypted"> = {}): RoomRefusal {
  return { ok: false, status, error, ...extra };
}

/**
 * A success.
 * @example return done({ cleared });
 */
export function done<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** The answers are core's (core/api.ts), so the Worker and every client agree on them. */
export type { AssetDeleted, AssetInfo, AssetList, AssetStored } from "../../core/api.js";
export type { ChatAccepted, ChatCancelled, ChatCleared, ChatList, ChatUndone, FileWritten, PermissionsAnswer, RoomSession } from "../../core/api.js";

/** Forks (room-fork.ts): core's answer shapes. */
export type { ForkCreated, ForkedFrom, ForkRequest } from "../../core/api.js";

/** The preview's console (room-console.ts): core's shapes. */
export type { ConsoleAppended, ConsoleCleared, ConsoleEntry, ConsoleLog } from "../../core/api.js";

/** A file's text (`GET /live/<room>/files/<name>`, `GET /live/<room>/index.tsx`); served with the type of its extension. */
export interface FileText {
  name: string;
  text: string;
}

/** A PUT file body as the Worker decoded it: the text, and its size in bytes as sent. */
export interface FileBody {
  text: string;
  bytes: number;
}

/** A question: `POST /live/<room>/chat` `{text, model, author}`, validated. */
export interface Question {
  text: string;
  model: ChatModel;
  author: string;
}

/** A PUT permissions body as the Worker parsed it: the change, and the claim token when it carried one. */
export interface PermissionsChange {
  update: PermissionsUpdate;
  claimToken?: string;
}

// ---- agent tokens (room-agent-tokens.ts) -----------------------------------------------------------------------------

export type { AgentScope, AgentTokenCreated, AgentTokenInfo, AgentTokenList, AgentTokenRevoked } from "../../core/api.js";

/** A `POST /live/<room>/agent-tokens` body as the Worker parsed it. */
export interface AgentTokenRequest {
  name: string;
  scope: import("../../core/api.js").AgentScope;
}

/**
 * `agentIdentity(caller, hash)`: who a live agent token of this room is. `identity` is the caller's identity for every
 * room call the token makes (user id `agent:<tokenId>`, no session, valid for {@link AGENT_IDENTITY_MS}).
 */
export interface AgentIdentity {
  identity: Identity;
  tokenId: string;
  name: string;
  scope: import("../../core/api.js").AgentScope;
}

/** How long an identity `agentIdentity` answers stays valid: the MCP route asks again on every request. */
export const AGENT_IDENTITY_MS = 5 * 60_000;

// ---- agents (room-agents.ts; README "MCP") ----

/** An AI agent calling the room: a stable key ("token:<id>" for an agent token, "user:<userId>" otherwise) and its name. */
export interface AgentInfo {
  /** Stable per agent: its presence keeps one awareness client id across calls. */
  key: string;
  /** What collaborators see, e.g. "Claude (MCP)" (1-64 characters). */
  name: string;
}

/** One change an agent makes: a whole-file write (creates the file when new), a search/replace edit, or a delete. */
export type AgentChange =
  | { kind: "write"; file: string; text: string }
  | { kind: "edit"; file: string; search: string; replace: string }
  | { kind: "delete"; file: string };

export type { AgentChanged } from "../../core/api.js";
