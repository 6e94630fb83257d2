/**
 * The room's HTTP API as types, written once for both sides: the Workers build their answers with `satisfies` these types
 * and core/room-http.ts reads them, so a field renamed on one side fails the typecheck of the other. Also where every
 * `/live/<room>/…` URL is built, and the error every refused call becomes: {@link ApiError}, whose denial kind and retry
 * delay are fields of the JSON body, never read out of its text. See README "HTTP API" and docs/PROTOCOL.md.
 */
import type { ChatMessage } from "./chat.js";
import type { Visibility } from "./protocol.js";
import { isDenial, type Denial } from "./room-limits.js";

// ---- URLs -------------------------------------------------------------------------------------------------------------

/** What `POST /live/<room>/chat/<id>/<action>` does to a reply. */
export type ChatAction = "cancel" | "undo";

/** The path of each room route under `<server>/live/<room>/`. */
export const roomRoutes = {
  socket: "ws",
  session: "session.json",
  entry: "index.tsx",
  bundle: "index.js",
  permissions: "permissions",
  chat: "chat",
  /** `files/<name>`, each segment of the name percent-encoded (names may hold `/`). */
  file: (name: string) => `files/${name.split("/").map(encodeURIComponent).join("/")}`,
  chatAction: (id: string, action: ChatAction) => `chat/${encodeURIComponent(id)}/${action}`,
  fork: "fork",
} as const;

/**
 * The http(s) URL of a room route; `server` may be http(s) or ws(s) and may have a path, which is kept.
 * @example roomUrl("http://localhost:8787", "demo", roomRoutes.file("App.tsx")) // "http://localhost:8787/live/demo/files/App.tsx"
 */
export function roomUrl(server: string, room: string, route: string): string {
  return serverUrl(server, `live/${encodeURIComponent(room)}/${route}`, "http");
}

/**
 * The WebSocket URL of a room.
 * @example roomSocketUrl("http://localhost:8787", "demo") // "ws://localhost:8787/live/demo/ws"
 */
export function roomSocketUrl(server: string, room: string): string {
  return serverUrl(server, `live/${encodeURIComponent(room)}/${roomRoutes.socket}`, "ws");
}

/** Routes of the server that belong to no room. */
export type ApiRoute = "transcribe" | "config" | "health";

/**
 * The URL of `/api/<route>` on `server`.
 * @example apiUrl("http://localhost:8787", "transcribe") // "http://localhost:8787/api/transcribe"
 */
export function apiUrl(server: string, route: ApiRoute): string {
  return serverUrl(server, `api/${route}`, "http");
}

function serverUrl(server: string, path: string, scheme: "http" | "ws"): string {
  const url = new URL(server);
  const secure = url.protocol === "https:" || url.protocol === "wss:";
  url.protocol = `${scheme}${secure ? "s" : ""}:`;
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/${path}`;
  url.search = "";
  url.hash = "";
  return url.toString();
}

// ---- answers and requests ---------------------------------------------------------------------------------------------

/** `GET /live/<room>/session.json`: every file, the entry, and how many updates are stored. */
export interface RoomSession {
  room: string | null;
  files: Record<string, string>;
  entry: string;
  version: number;
  /** ISO 8601, or null when nothing is stored. */
  updatedAt: string | null;
  /** Where the room was forked from (`POST /live/<room>/fork`); absent for a room that is no fork. */
  forkedFrom?: ForkedFrom;
}

/** `PUT /live/<room>/files/<name>`: what was stored. `claimToken` when this write created the room. */
export interface FileWritten {
  room: string | null;
  file: string;
  bytes: number;
  version: number;
  updatedAt: string | null;
  claimToken?: string;
}

/** Who may open and edit a room (docs/PROTOCOL.md "Permissions"). */
export interface Permissions {
  /** The user who claimed the room (Clerk `sub`), or null while nobody has. */
  owner: string | null;
  visibility: Visibility;
  /** Users who may edit (besides the owner). */
  editors: string[];
  /** Users who may open a private room and watch (editors and the owner may anyway). */
  members: string[];
}

/** `GET` and `PUT /live/<room>/permissions` answer the room's permissions. */
export interface PermissionsAnswer extends Permissions {
  room: string | null;
}

/** A change of permissions; a list left out keeps its value. */
export interface PermissionsUpdate {
  visibility: Visibility;
  editors?: string[];
  members?: string[];
}

/** The body of `PUT /live/<room>/permissions`: the change, and the claim token of a room this page created. */
export interface PermissionsRequest extends PermissionsUpdate {
  claimToken?: string;
}

/** The body of `POST /live/<room>/chat`. */
export interface ChatQuestion {
  text: string;
  /** One of the models the server allows (`aiModels` of `GET /api/config`). */
  model: string;
  author: string;
}

/** `POST /live/<room>/chat` (202): the question and the reply that streams into the room's doc. */
export interface ChatAccepted {
  userMessageId: string;
  assistantMessageId: string;
  claimToken?: string;
}

/** `GET /live/<room>/chat`. */
export interface ChatList {
  messages: ChatMessage[];
}

/** `POST /live/<room>/chat/<id>/cancel`. */
export interface ChatCancelled {
  id: string;
  status: "cancelled";
}

/** `POST /live/<room>/chat/<id>/undo`: the files set back, and those changed since (left alone). */
export interface ChatUndone {
  undone: string[];
  conflicts: string[];
}

/** `DELETE /live/<room>/chat`. */
export interface ChatCleared {
  cleared: number;
}

/** One asset of a room, as listed and as stored: its name, type (sniffed from the bytes), size, hash and hashed URL path. */
export interface AssetInfo {
  name: string;
  /** SHA-256 of the bytes, hex; the bytes live in R2 under `assets/<hash>`. */
  hash: string;
  type: string;
  size: number;
  /** Path under `<server>/live/<room>/`: `assets/<name>?v=<hash>`, served immutable (core/assets.ts assetRoute). */
  url: string;
}

/** `GET /live/<room>/assets`: every asset by name, and the bytes they take against the room's quota. */
export interface AssetList {
  assets: AssetInfo[];
  totalBytes: number;
  quotaBytes: number;
}

/** `PUT /live/<room>/assets/<name>`: what was stored. `claimToken` when this upload created the room. */
export interface AssetStored extends AssetInfo {
  room: string | null;
  claimToken?: string;
}

/** `DELETE /live/<room>/assets/<name>`. */
export interface AssetDeleted {
  deleted: string;
}

// ---- forks (README "Templates and forks") ----

/** Where a fork came from: the room, and the version it was made from (null: the room's state at the time). */
export interface ForkedFrom {
  room: string;
  version: number | null;
}

/** `POST /live/<room>/fork` `{version?}`. */
export interface ForkRequest {
  /** Fork this saved version of the room (`GET /live/<room>/versions`) instead of its current state. */
  version?: number;
}

/**
 * `POST /live/<room>/fork` (201): the new room, and where it came from. `claimToken` when the caller was anonymous: it lets
 * them claim the fork once they sign in (docs/PROTOCOL.md "Claiming a room").
 */
export interface ForkCreated {
  room: string;
  forkedFrom: ForkedFrom;
  claimToken?: string;
}

/** `POST /api/transcribe`. */
export interface Transcript {
  text: string;
}

// ---- versions (README "Versions"; workers/durable-objects/room-versions.ts) -------------------------------------------

/** Who saved a version: the signed-in user (`name` is what the request called them, else the user id), null when anonymous. */
export interface VersionAuthor {
  id: string;
  name: string;
}

/** One saved version as `GET /live/<room>/versions` lists it; `POST /live/<room>/versions` answers this with 201. */
export interface VersionInfo {
  /** 1, 2, 3, … per room, never reused. */
  n: number;
  name: string;
  author: VersionAuthor | null;
  /** ISO 8601. */
  createdAt: string;
  /** True for a version the room saved by itself while it was being edited (README "Configuration": VERSIONS_AUTOSAVE_*). */
  auto: boolean;
}

/** `GET /live/<room>/versions`: newest first. */
export interface VersionList {
  versions: VersionInfo[];
}

/** `GET /live/<room>/versions/<n>`: the version with every file as it was saved, and its entry file. */
export interface Version extends VersionInfo {
  entry: string;
  files: Record<string, string>;
}

/**
 * `POST /live/<room>/versions/<n>/restore`: the files the restore changed, created and deleted (one transaction on the live
 * document), and the id that `POST /live/<room>/restores/<id>/undo` takes to set them back.
 */
export interface VersionRestored {
  restored: number;
  restore: string;
  changed: string[];
  created: string[];
  deleted: string[];
}

/** `POST /live/<room>/restores/<id>/undo`: the files set back, and those someone changed since (left alone). */
export interface RestoreUndone {
  undone: string[];
  conflicts: string[];
}

/**
 * Every error answer: `error` for people; `denial` on a 401/403 that a room rule refused; `retryAfter` (seconds, as in the
 * `Retry-After` header) on a 429 or a 503 worth retrying; `resetsAt` (ISO 8601) when the daily AI budget is spent.
 */
export interface ApiErrorBody {
  error: string;
  requestId?: string;
  denial?: Denial;
  retryAfter?: number;
  resetsAt?: string;
  /** True on the 409 of an end-to-end encrypted room, whose contents the server cannot read. */
  encrypted?: true;
}

// ---- errors -----------------------------------------------------------------------------------------------------------

/** The parts of a fetch Response that core reads (the browser's, node's and workerd's all fit). */
export interface HttpResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/**
 * A call the server refused (any status but 2xx), with what the body said as typed fields.
 * @example
 * try { await client.http.sendChat(question); }
 * catch (error) { if (error instanceof ApiError && error.retryAfterSeconds !== null) retryIn(error.retryAfterSeconds); }
 */
export class ApiError extends Error {
  override name = "ApiError";
  /** The HTTP status. */
  readonly status: number;
  /** Which rule refused (401/403 from a room rule), or null. */
  readonly denial: Denial | null;
  /** Seconds to wait before trying again (429, some 503s): the body's `retryAfter`, else the `Retry-After` header; or null. */
  readonly retryAfterSeconds: number | null;
  /** The id of the request in the server's log (body `requestId`, else `X-Request-Id`), or null. */
  readonly requestId: string | null;
  /** When a spent daily AI budget resets (ISO 8601), or null. */
  readonly resetsAt: string | null;

  constructor(
    status: number,
    message: string,
    fields: { denial?: Denial | null; retryAfterSeconds?: number | null; requestId?: string | null; resetsAt?: string | null } = {},
  ) {
    super(message);
    this.status = status;
    this.denial = fields.denial ?? null;
    this.retryAfterSeconds = fields.retryAfterSeconds ?? null;
    this.requestId = fields.requestId ?? null;
    this.resetsAt = fields.resetsAt ?? null;
  }

  /**
   * The error a refused response stands for. Fields of the wrong type are left out rather than trusted; a body that is not
   * JSON gives the status line as the message.
   * @example if (!response.ok) throw await ApiError.from(response);
   */
  static async from(response: HttpResponseLike): Promise<ApiError> {
    const body = objectOf(await response.text().catch(() => "")) ?? {};
    const error = typeof body["error"] === "string" && body["error"] ? body["error"] : null;
    const retryAfter = body["retryAfter"];
    const requestId = body["requestId"];
    return new ApiError(response.status, error ?? `${response.status} ${response.statusText || "error"}`.trim(), {
      denial: isDenial(body["denial"]) ? body["denial"] : null,
      retryAfterSeconds: isSeconds(retryAfter) ? retryAfter : retryAfterHeader(response.headers.get("retry-after")),
      requestId: typeof requestId === "string" ? requestId : response.headers.get("x-request-id"),
      resetsAt: typeof body["resetsAt"] === "string" ? body["resetsAt"] : null,
    });
  }
}

/**
 * `text` parsed as a JSON object, or null when it is not one.
 * @example objectOf('{"error": "no"}') // { error: "no" }
 */
export function objectOf(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return null;
}

function isSeconds(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/** A `Retry-After` header in seconds: delay-seconds, or an HTTP date (RFC 9110 10.2.3); null when absent or unreadable. */
function retryAfterHeader(value: string | null): number | null {
  if (value === null) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

// ---- image generation (POST /live/<room>/assets/generate) -----------------------------------------------------------

/** The route of image generation under `<server>/live/<room>/`. */
export const GENERATE_IMAGE_ROUTE = "assets/generate";

/** `POST /live/<room>/assets/generate {prompt, model?, name?}`. */
export interface GenerateImageRequest {
  prompt: string;
  /** A Replicate model, `owner/name` or `owner/name:<version>`; the server's default (black-forest-labs/flux-schnell) when absent. */
  model?: string;
  /** The asset's name, e.g. `fox.png`; from the prompt when absent. Its extension follows the image's type. */
  name?: string;
}

/** `POST /live/<room>/assets/generate`: the asset stored (as `PUT …/assets/<name>` answers), and what made it. */
export interface ImageGenerated extends AssetStored {
  model: string;
  /** Replicate's prediction id. */
  predictionId: string;
}

// ---- agent tokens (/live/<room>/agent-tokens; README "Agent tokens") --------------------------------------------------

/** What an agent token may do in its room: open it ("read"), or also change it ("edit"). */
export type AgentScope = "read" | "edit";

/** One agent token as its room lists it: never the token, never its hash. */
export interface AgentTokenInfo {
  /** 16 characters of base64url; the token acts in the room as the user `agent:<id>`. */
  id: string;
  /** What the owner called it, e.g. "Claude (MCP)": the agent's name in the room (default "AI agent"). */
  name: string;
  scope: AgentScope;
  /** ISO 8601. */
  createdAt: string;
  /** The user who created it, or null for an anonymous editor of a room nobody owns. */
  createdBy: string | null;
}

/** `POST /live/<room>/agent-tokens` (201): the token, shown this once (the room keeps only its SHA-256). */
export interface AgentTokenCreated extends AgentTokenInfo {
  /** `sat1.<base64url(room)>.<secret>`: send it as `Authorization: Bearer <token>` to `/mcp`. */
  token: string;
  room: string;
}

/** `GET /live/<room>/agent-tokens`: the room's live tokens, oldest first. */
export interface AgentTokenList {
  tokens: AgentTokenInfo[];
}

/** `DELETE /live/<room>/agent-tokens/<id>`: the token no longer opens anything. */
export interface AgentTokenRevoked {
  id: string;
  revoked: true;
}

// ---- agents (README "MCP") ----

/**
 * An AI agent's change to a room's files (the MCP tools write_file, edit_file, delete_file): the file, and the chat message
 * that records it, whose `POST /live/<room>/chat/<message>/undo` takes the change back.
 */
export interface AgentChanged {
  file: string;
  /** The id of the "agent" chat message recording the change. */
  message: string;
  /** The change created the file. */
  created?: true;
  /** The change deleted the file. */
  deleted?: true;
}

// ---- the preview's console (/live/<room>/console) -------------------------------------------------------------------

/** Levels of a console entry; a runtime error (an uncaught throw, an unhandled rejection) is an "error" with its stack. */
export type ConsoleLevel = "log" | "info" | "warn" | "error";

/**
 * One line of a room preview's console, as `<spike-preview>` reports it (`POST /live/<room>/console {entries}`) and the
 * room keeps it. `time` is when the room received it (ms since the epoch), strictly increasing within the room, so a
 * reader passes the newest `time` it saw as `?since=` to read only what came after.
 */
export interface ConsoleEntry {
  level: ConsoleLevel;
  /** At most MAX_CONSOLE_TEXT characters; longer text is cut and ends with "… (N more characters)". */
  text: string;
  time: number;
}

/** `GET /live/<room>/console?since=<time>`: the kept entries newer than `since`, oldest first. */
export interface ConsoleLog {
  entries: ConsoleEntry[];
  /** How many entries the room let go (the oldest, beyond the newest MAX_CONSOLE_ENTRIES) since the log was last cleared. */
  dropped: number;
}

/** `POST /live/<room>/console`: how many entries the room kept from the batch, and the time of the newest. */
export interface ConsoleAppended {
  appended: number;
  time: number;
}

/** `DELETE /live/<room>/console`. */
export interface ConsoleCleared {
  cleared: number;
}

/** The newest entries a room keeps of its preview's console. */
export const MAX_CONSOLE_ENTRIES = 200;
/** The longest text of one console entry, in characters. */
export const MAX_CONSOLE_TEXT = 2048;
/** The most entries in one `POST /live/<room>/console`. */
export const MAX_CONSOLE_BATCH = 100;
/** The largest `POST /live/<room>/console` body, in bytes. */
export const MAX_CONSOLE_BODY_BYTES = 64 * 1024;
