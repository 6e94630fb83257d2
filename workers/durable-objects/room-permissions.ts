/**
 * Who may open and who may edit a room: its owner, visibility, editors and members, kept in the room's SQLite (one row) and
 * cached in memory, since the role of a socket is recomputed for every write. See docs/PROTOCOL.md "Permissions".
 */
import type { AgentScope, Permissions, PermissionsUpdate } from "../../core/api.js";
import { VISIBILITIES, type RoomRole, type Visibility } from "../../core/protocol.js";
import { agentTokenIdOf } from "../platform/agent-tokens.js";

/** A room's permissions as stored and as `GET /permissions` reports them (without the room name); core/api.ts declares them. */
export type { Permissions, PermissionsUpdate } from "../../core/api.js";

/** What a room without stored permissions behaves as: anyone opens and edits. */
export const DEFAULT_PERMISSIONS: Readonly<Permissions> = Object.freeze({ owner: null, visibility: "public", editors: [], members: [] });

/** Most user ids in `editors` or in `members`. */
export const MAX_LISTED_USERS = 100;
/** A user id: 1-128 printable ASCII characters without spaces (Clerk's are `user_` + 27 characters). */
export const USER_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
/** Largest `PUT /permissions` body, in bytes. */
export const MAX_PERMISSIONS_BYTES = 16_384;

/**
 * Validate a `PUT /permissions` body (already JSON-parsed). Returns the update, or a reason for a 400.
 * @example parsePermissionsUpdate({ visibility: "readonly", editors: ["user_b"] }) // { ok: true, update: {...} }
 */
export function parsePermissionsUpdate(input: unknown): { ok: true; update: PermissionsUpdate } | { ok: false; error: string } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, error: "the body must be a JSON object: {visibility, editors?, members?}" };
  }
  const fields = input as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !["visibility", "editors", "members"].includes(key));
  if (unknown !== undefined) return { ok: false, error: `unknown field "${unknown.slice(0, 40)}"; expected visibility, editors, members` };
  if (!VISIBILITIES.includes(fields.visibility as Visibility)) {
    return { ok: false, error: `visibility must be one of ${VISIBILITIES.join(", ")}` };
  }
  const update: PermissionsUpdate = { visibility: fields.visibility as Visibility };
  for (const list of ["editors", "members"] as const) {
    if (fields[list] === undefined) continue;
    const ids = parseUserIds(fields[list], list);
    if (typeof ids === "string") return { ok: false, error: ids };
    update[list] = ids;
  }
  return { ok: true, update };
}

function parseUserIds(value: unknown, list: string): string[] | string {
  if (!Array.isArray(value)) return `${list} must be an array of user ids`;
  if (value.length > MAX_LISTED_USERS) return `${list} holds more than ${MAX_LISTED_USERS} user ids`;
  for (const id of value) {
    if (typeof id !== "string" || !USER_ID_PATTERN.test(id)) {
      return `${list} must hold user ids of 1-128 printable ASCII characters without spaces`;
    }
  }
  return [...new Set(value as string[])];
}

/**
 * The permissions as the checks on every socket frame read them: plain, frozen data, with sets for the user lists (a list of
 * 100 ids would be scanned otherwise). A room's {@link RoomPermissions.policy} is replaced, never changed, when they change.
 */
export interface RoomPolicy {
  readonly owner: string | null;
  readonly visibility: Visibility;
  readonly editors: ReadonlySet<string>;
  readonly members: ReadonlySet<string>;
  /**
   * The room's live agent tokens (room-agent-tokens.ts), by token id: the user `agent:<id>` has exactly this role, never
   * the room's public one, so a revoked or unknown token opens nothing even in a public room.
   */
  readonly agents: ReadonlyMap<string, RoomRole>;
}

/**
 * The policy of `permissions`.
 * @example roleIn(policyOf({ owner: "user_a", visibility: "private", editors: [], members: ["user_b"] }), "user_b") // "viewer"
 */
export function policyOf(permissions: Permissions, agents: ReadonlyMap<string, RoomRole> = new Map()): RoomPolicy {
  const { owner, visibility } = permissions;
  return Object.freeze({ owner, visibility, editors: new Set(permissions.editors), members: new Set(permissions.members), agents });
}

/**
 * The role an agent token of `scope` has: an edit token edits, a read token reads.
 * @example agentRole("read") // "viewer"
 */
export function agentRole(scope: AgentScope): RoomRole {
  return scope === "edit" ? "editor" : "viewer";
}

/**
 * The role of `userId` (null = anonymous) under `policy`, or null when that user may not open the room. Members of a public
 * room edit like everyone else. An agent token's user (`agent:<id>`) has its token's role, or none.
 * @example roleIn(policy, null) // "viewer" in a readonly room, null in a private one
 * @example roleIn(policy, "agent:q3XhR0m2aB9cD1eF") // "editor" for a live edit token, null once it is revoked
 */
export function roleIn(policy: RoomPolicy, userId: string | null): RoomRole | null {
  const agent = agentTokenIdOf(userId);
  if (agent !== null) return policy.agents.get(agent) ?? null;
  if (userId !== null) {
    if (userId === policy.owner) return "owner";
    if (policy.editors.has(userId)) return "editor";
    if (policy.members.has(userId) && policy.visibility !== "public") return "viewer";
  }
  return policy.visibility === "public" ? "editor" : policy.visibility === "readonly" ? "viewer" : null;
}

/** True for a role that may change the document. */
export function canEdit(role: RoomRole | null): boolean {
  return role === "owner" || role === "editor";
}

/** The room's permissions in its SQLite database, with an in-memory copy for the per-frame checks. */
export class RoomPermissions {
  #sql: SqlStorage;
  #current: Permissions;
  #stored: boolean;
  #policy: RoomPolicy;
  /** The live agent tokens' roles by token id (room-agent-tokens.ts keeps them current). */
  #agents: ReadonlyMap<string, RoomRole> = new Map();

  #create: () => void;

  /** `create` makes the room exist (its tables) before the first save: claiming a room is a write. */
  constructor(sql: SqlStorage, create: () => void = () => {}) {
    this.#sql = sql;
    this.#create = create;
    // Read without creating: a room that was never written to keeps storing nothing.
    const exists = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'permissions'").toArray().length > 0;
    const rows = exists
      ? [...sql.exec<{ owner: string | null; visibility: string; editors: string; members: string }>(
          "SELECT owner, visibility, editors, members FROM permissions WHERE id = 0",
        )]
      : [];
    const row = rows[0];
    this.#stored = row !== undefined;
    this.#current = row
      ? {
          owner: row.owner,
          visibility: VISIBILITIES.includes(row.visibility as Visibility) ? (row.visibility as Visibility) : "private",
          editors: JSON.parse(row.editors) as string[],
          members: JSON.parse(row.members) as string[],
        }
      : { ...DEFAULT_PERMISSIONS, editors: [], members: [] };
    this.#policy = policyOf(this.#current);
  }

  /**
   * The room's live agent tokens changed: `agents` maps each token id to its role (a new policy; sockets read it next frame).
   * @example permissions.setAgents(new Map([["q3XhR0m2aB9cD1eF", "editor"]]));
   */
  setAgents(agents: ReadonlyMap<string, RoomRole>): void {
    this.#agents = agents;
    this.#policy = policyOf(this.#current, agents);
  }

  /** The current permissions (a copy). */
  get current(): Permissions {
    return { ...this.#current, editors: [...this.#current.editors], members: [...this.#current.members] };
  }

  /** The stored visibility (the room may still behave as public: see CodeRoom's visibility()). */
  get visibility(): Visibility {
    return this.#current.visibility;
  }

  /** The permissions in force, as the per-frame checks read them. */
  get policy(): RoomPolicy {
    return this.#policy;
  }

  /** The owner, or null while the room is unclaimed. */
  get owner(): string | null {
    return this.#current.owner;
  }

  /** True once permissions were ever saved (the room has been claimed). */
  get stored(): boolean {
    return this.#stored;
  }

  /**
   * The role of `userId` (null = anonymous) under the stored permissions, or null when that user may not open the room.
   * Members of a public room edit like everyone else.
   * @example permissions.roleOf("user_b") // "viewer" when user_b is a member of a readonly or private room
   */
  roleOf(userId: string | null): RoomRole | null {
    return roleIn(this.#policy, userId);
  }

  /** Apply `update` as `owner` (who claims the room if it has no owner yet), in one statement. Returns the new permissions. */
  save(owner: string, update: PermissionsUpdate): Permissions {
    const next: Permissions = {
      owner,
      visibility: update.visibility,
      editors: update.editors ?? this.#current.editors,
      members: update.members ?? this.#current.members,
    };
    this.#create();
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS permissions (
      id INTEGER PRIMARY KEY CHECK (id = 0), owner TEXT, visibility TEXT NOT NULL, editors TEXT NOT NULL, members TEXT NOT NULL
    )`);
    this.#sql.exec(
      `INSERT INTO permissions (id, owner, visibility, editors, members) VALUES (0, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, visibility = excluded.visibility,
         editors = excluded.editors, members = excluded.members`,
      next.owner,
      next.visibility,
      JSON.stringify(next.editors),
      JSON.stringify(next.members),
    );
    this.#current = next;
    this.#stored = true;
    this.#policy = policyOf(next, this.#agents);
    return this.current;
  }
}
