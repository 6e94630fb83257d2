/**
 * A room's agent tokens (CodeRoom's RPC methods for `/live/<room>/agent-tokens…` and `agentIdentity` delegate here): the
 * owner creates a token for an AI agent, scoped to this room and to read or edit, and revokes it. The room keeps only the
 * SHA-256 of each token (workers/platform/agent-tokens.ts has the format) in its SQLite table `agent_tokens`, and tells
 * its permissions (room-permissions.ts) which role each live token has, so every existing check (files, versions, forks,
 * assets, chat) treats the user `agent:<id>` exactly by its token's scope, and a revoked token as nobody.
 * Who manages them: the room's owner; in a room nobody owns, anyone who may edit it (as for clearing the chat). An agent
 * never manages tokens, whatever its scope.
 */
import type { RoomRole } from "../../core/protocol.js";
import { AGENT_TOKEN_ID_PATTERN, agentTokenIdOf, agentUserId, newAgentToken, hashAgentToken } from "../platform/agent-tokens.js";
import type { Identity } from "../platform/auth.js";
import {
  AGENT_IDENTITY_MS,
  done,
  refuse,
  type AgentIdentity,
  type AgentScope,
  type AgentTokenCreated,
  type AgentTokenInfo,
  type AgentTokenList,
  type AgentTokenRequest,
  type AgentTokenRevoked,
  type Parsed,
  type RoomCaller,
  type RoomRefusal,
  type RoomResult,
} from "./room-api.js";
import { httpDenial } from "./room-access.js";
import { StorageError } from "./room-document.js";
import { agentRole, type RoomPermissions } from "./room-permissions.js";
import type { RoomStorage } from "./room-storage.js";

/** Most live agent tokens in one room. */
export const MAX_AGENT_TOKENS = 20;
/** Longest agent token name, in characters. */
export const MAX_AGENT_TOKEN_NAME_CHARS = 60;
/** The name of a token created without one. */
export const DEFAULT_AGENT_NAME = "AI agent";

/** One stored token: its info and the hash of the token (never the token). */
interface StoredToken extends AgentTokenInfo {
  hash: string;
}

/** What the tokens need from their room. */
export interface AgentTokensHost {
  sql: SqlStorage;
  storage: Pick<RoomStorage, "exists" | "roomName">;
  permissions: RoomPermissions;
  /** Resolves once the room may be used (restored from its backup first: room-backups.ts). */
  ready?(room: string): Promise<void>;
}

/**
 * @example const created = await tokens.create(caller, { ok: true, value: { name: "Claude (MCP)", scope: "edit" } });
 */
export class RoomAgentTokens {
  #host: AgentTokensHost;
  /** The live tokens by id, oldest first, read once from SQLite. */
  #tokens = new Map<string, StoredToken>();

  constructor(host: AgentTokensHost) {
    this.#host = host;
    // Read without creating: a room without tokens keeps storing nothing for them.
    const exists = host.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'agent_tokens'").toArray().length > 0;
    if (exists) {
      const rows = host.sql.exec<{ id: string; hash: string; name: string; scope: string; created_at: string; created_by: string | null }>(
        "SELECT id, hash, name, scope, created_at, created_by FROM agent_tokens ORDER BY created_at, id",
      );
      for (const row of rows) {
        const scope: AgentScope = row.scope === "edit" ? "edit" : "read";
        this.#tokens.set(row.id, { id: row.id, hash: row.hash, name: row.name, scope, createdAt: row.created_at, createdBy: row.created_by });
      }
    }
    this.#publish();
  }

  /** `POST /live/<room>/agent-tokens`: a new token, shown this once. */
  create(caller: RoomCaller, request: Parsed<AgentTokenRequest>): Promise<RoomResult<AgentTokenCreated>> {
    return this.#run(caller, async () => {
      // Hashed first, so that nothing is awaited between the checks and the insert: no other call of the room can change
      // the owner or the count in between.
      const { token, id } = newAgentToken(caller.room);
      const hash = await hashAgentToken(token);
      const refused = this.#createDenial(caller, request);
      if (refused) return refused;
      if (!request.ok) return request; // (checked above; narrows the type)
      const stored: StoredToken = {
        id,
        hash,
        name: request.value.name,
        scope: request.value.scope,
        createdAt: new Date().toISOString(),
        createdBy: caller.identity?.userId ?? null,
      };
      const { sql } = this.#host;
      sql.exec(`CREATE TABLE IF NOT EXISTS agent_tokens (
        id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, scope TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT
      )`);
      sql.exec(
        "INSERT INTO agent_tokens (id, hash, name, scope, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
        stored.id,
        stored.hash,
        stored.name,
        stored.scope,
        stored.createdAt,
        stored.createdBy,
      );
      this.#tokens.set(id, stored);
      this.#publish();
      return done({ ...infoOf(stored), token, room: caller.room });
    });
  }

  /** `GET /live/<room>/agent-tokens`: the live tokens, without hashes. */
  list(caller: RoomCaller): Promise<RoomResult<AgentTokenList>> {
    return this.#run(caller, () => this.#managerDenial(caller.identity) ?? done({ tokens: [...this.#tokens.values()].map(infoOf) }));
  }

  /** `DELETE /live/<room>/agent-tokens/<id>`: from now on the token is unknown (401) and its user has no role here. */
  revoke(caller: RoomCaller, id: string): Promise<RoomResult<AgentTokenRevoked>> {
    return this.#run(caller, () => {
      const refused = this.#managerDenial(caller.identity);
      if (refused) return refused;
      if (!AGENT_TOKEN_ID_PATTERN.test(id) || !this.#tokens.has(id)) return refuse(404, `no agent token "${id.slice(0, 40)}" in this room`);
      this.#host.sql.exec("DELETE FROM agent_tokens WHERE id = ?", id);
      this.#tokens.delete(id);
      this.#publish();
      return done({ id, revoked: true as const });
    });
  }

  /**
   * `agentIdentity(caller, hash)`: the identity a live token of this room acts as, or 401. The caller (the `/mcp` route)
   * proves nothing but the token, whose SHA-256 `hash` is.
   */
  identity(caller: RoomCaller, hash: string): Promise<RoomResult<AgentIdentity>> {
    return this.#run(caller, () => {
      const token = /^[0-9a-f]{64}$/.test(hash) ? [...this.#tokens.values()].find((stored) => stored.hash === hash) : undefined;
      if (!token) return refuse(401, "unknown or revoked agent token", { signIn: true });
      const identity: Identity = { userId: agentUserId(token.id), sessionId: null, expiresAt: Date.now() + AGENT_IDENTITY_MS };
      return done({ identity, tokenId: token.id, name: token.name, scope: token.scope });
    });
  }

  /** The refusal of a create: who asks, then the body, then the room's limit. */
  #createDenial(caller: RoomCaller, request: Parsed<AgentTokenRequest>): RoomRefusal | null {
    const refused = this.#managerDenial(caller.identity);
    if (refused) return refused;
    if (!request.ok) return request;
    if (this.#tokens.size < MAX_AGENT_TOKENS) return null;
    return refuse(409, `this room has ${MAX_AGENT_TOKENS} agent tokens already, the most it may have: revoke one first`);
  }

  /** Who may manage the tokens: the owner; anyone who may edit a room nobody owns; never an agent. null when allowed. */
  #managerDenial(identity: Identity | null): RoomRefusal | null {
    if (!this.#host.storage.exists) return refuse(404, `no room "${this.#host.storage.roomName ?? ""}": nothing was ever written to it`);
    if (agentTokenIdOf(identity?.userId) !== null) return refuse(403, "an agent token cannot manage agent tokens", { denial: "owner-only" });
    const { permissions } = this.#host;
    const owner = permissions.owner;
    if (owner === null) return httpDenial(permissions.roleOf(identity?.userId ?? null), "edit", identity);
    if (identity?.userId === owner) return null;
    if (identity === null) return refuse(401, "sign in as the room's owner to manage its agent tokens", { signIn: true, denial: "owner-only" });
    return refuse(403, "only the room's owner may manage its agent tokens", { denial: "owner-only" });
  }

  /** Tell the permissions each live token's role. */
  #publish(): void {
    const roles = new Map<string, RoomRole>();
    for (const token of this.#tokens.values()) roles.set(token.id, agentRole(token.scope));
    this.#host.permissions.setAgents(roles);
  }

  /** Run one call for `caller`'s room: the room learns its name; a change it could not store is a retryable 503. */
  async #run<T>(caller: RoomCaller, work: () => RoomResult<T> | Promise<RoomResult<T>>): Promise<RoomResult<T>> {
    this.#host.storage.roomName = caller.room;
    try {
      await this.#host.ready?.(caller.room);
      return await work();
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      return refuse(503, error.message);
    }
  }
}

function infoOf({ id, name, scope, createdAt, createdBy }: StoredToken): AgentTokenInfo {
  return { id, name, scope, createdAt, createdBy };
}
