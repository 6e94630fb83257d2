/**
 * An AI agent's presence in a room: while an agent (over MCP, workers/main/mcp) keeps calling the room, the room itself
 * holds an awareness entry for it (awareness-relay.ts `hold`), so every editor lists it like a collaborator, with its name,
 * a colour and a cursor where it last edited, and a socket that joins gets it in its greeting. Awareness clients drop a
 * remote state they have not heard from in 30 s, so the room renews the entry every 15 s; AGENT_PRESENCE_SECONDS (60)
 * after the agent's last call, the room announces it gone (state null). The renewals and the expiry run in the room's
 * alarm. The entries are also kept in the room's SQLite (table `agent_presence`, only in a room that exists), so an object
 * evicted between an agent's calls (hibernation) still greets, renews and expires them when it wakes.
 */
import * as Y from "yjs";
import { encodeAwareness } from "../../core/protocol.js";
import type { PresenceSelection } from "../../core/presence.js";
import type { AwarenessRelay } from "./awareness-relay.js";

/** How often a held state is sent again, in ms: y-protocols drops a remote state after 30 s of silence. */
export const AGENT_RENEW_MS = 15_000;

/** Colours for agents' cursors (safe for core/presence.ts SAFE_COLOR), picked by agent key. */
const AGENT_COLORS = ["#7c3aed", "#0891b2", "#c2410c", "#be185d", "#15803d", "#1d4ed8"];

/** The awareness state an agent publishes, as core/presence.ts accepts it. */
export interface AgentPresenceState {
  user: { name: string; color: string };
  /** Marks the entry as an AI agent's (collaborators' lists may show it differently). */
  agent: true;
  /** The file the agent last touched, when it named one. */
  file?: string;
  /** A caret (anchor = head) where the agent last edited, as y-monaco reads it; null when it has none. */
  selection: PresenceSelection | null;
}

/** What presence needs from its room. */
export interface PresenceRoom {
  awareness: AwarenessRelay;
  /** Send a frame to every socket that may read the room. */
  broadcast(frame: Uint8Array): void;
  /** Make sure the room's alarm runs by `at`. */
  wakeBy(at: number): void;
  /** AGENT_PRESENCE_SECONDS, in ms. */
  lingerMs: number;
  /** The room's SQLite, where the entries outlive an eviction. */
  sql: SqlStorage;
  /** True once the room exists (a room nobody wrote to stores nothing, its agents' presence included). */
  exists(): boolean;
}

interface Held {
  clientId: number;
  clock: number;
  state: AgentPresenceState;
  expiresAt: number;
  renewAt: number;
}

/**
 * The agents present in one room, by agent key.
 * @example presence.touch({ key: "token:abc", name: "Claude (MCP)" }, "index.tsx", caretIn(text, 42));
 */
export class AgentPresence {
  #room: PresenceRoom;
  #held = new Map<string, Held>();
  /** The last clock used: awareness clients ignore a state whose clock is not above the last one they saw for a client. */
  #clock = 0;
  /** True once the `agent_presence` table exists. */
  #stored = false;

  constructor(room: PresenceRoom) {
    this.#room = room;
    this.#restore();
  }

  /**
   * The agent `key` is here now: (re)publish its state, with `file` and `selection` when given (an agent that only reads
   * keeps the cursor of its last edit), and push its expiry back.
   */
  touch({ key, name }: { key: string; name: string }, file?: string, selection?: PresenceSelection | null, now = Date.now()): void {
    const previous = this.#held.get(key);
    const state: AgentPresenceState = {
      user: { name, color: colorOf(key) },
      agent: true,
      ...(file !== undefined ? { file } : previous?.state.file !== undefined ? { file: previous.state.file } : {}),
      selection: selection !== undefined ? selection : previous?.state.selection ?? null,
    };
    const held: Held = { clientId: clientIdOf(key), clock: this.#next(now), state, expiresAt: now + this.#room.lingerMs, renewAt: now + AGENT_RENEW_MS };
    this.#held.set(key, held);
    this.#publish(held);
    this.#store(key, held);
    this.#room.wakeBy(Math.min(held.renewAt, held.expiresAt));
  }

  /** The agents held now, by key (for tests and diagnostics). */
  present(): Map<string, AgentPresenceState> {
    return new Map([...this.#held].map(([key, held]) => [key, held.state]));
  }

  /** The room's alarm: announce agents gone whose time ran out, renew the others. Returns when to run again, or null. */
  alarm(now = Date.now()): number | null {
    let next = Infinity;
    for (const [key, held] of this.#held) {
      if (now >= held.expiresAt) {
        this.#held.delete(key);
        if (this.#stored) this.#room.sql.exec("DELETE FROM agent_presence WHERE key = ?", key);
        const gone = this.#room.awareness.release(held.clientId);
        if (gone) this.#room.broadcast(encodeAwareness(gone));
        continue;
      }
      if (now >= held.renewAt) {
        held.clock = this.#next(now);
        held.renewAt = now + AGENT_RENEW_MS;
        this.#publish(held);
        this.#store(key, held);
      }
      next = Math.min(next, held.renewAt, held.expiresAt);
    }
    return next === Infinity ? null : next;
  }

  /** Keep `held` in the room's SQLite (a room that exists only). */
  #store(key: string, held: Held): void {
    if (!this.#room.exists()) return;
    if (!this.#stored) {
      this.#room.sql.exec("CREATE TABLE IF NOT EXISTS agent_presence (key TEXT PRIMARY KEY, held TEXT NOT NULL)");
      this.#stored = true;
    }
    this.#room.sql.exec("INSERT OR REPLACE INTO agent_presence (key, held) VALUES (?, ?)", key, JSON.stringify(held));
  }

  /** After a wake-up: the entries an earlier instance held, back in the relay (greetings) and in memory (the alarm). */
  #restore(): void {
    const table = this.#room.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'agent_presence'").toArray();
    if (table.length === 0) return;
    this.#stored = true;
    for (const row of this.#room.sql.exec<{ key: string; held: string }>("SELECT key, held FROM agent_presence")) {
      const held = JSON.parse(row.held) as Held;
      this.#held.set(row.key, held);
      this.#clock = Math.max(this.#clock, held.clock);
      this.#room.awareness.hold({ clientId: held.clientId, clock: held.clock, state: JSON.stringify(held.state) });
    }
  }

  #publish(held: Held): void {
    const update = this.#room.awareness.hold({ clientId: held.clientId, clock: held.clock, state: JSON.stringify(held.state) });
    this.#room.broadcast(encodeAwareness(update));
  }

  /** A clock above every one this room used, and above any an earlier instance of the room used (time-based). */
  #next(now: number): number {
    this.#clock = Math.max(this.#clock + 1, now);
    return this.#clock;
  }
}

/**
 * A caret at `index` of `text` as an awareness selection (anchor = head, Yjs relative positions as JSON).
 * @example caretIn(filesOf(doc).get("index.tsx")!, 10)
 */
export function caretIn(text: Y.Text, index: number): PresenceSelection {
  const position = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, Math.max(0, Math.min(index, text.length))));
  return { anchor: position, head: position } as PresenceSelection;
}

/**
 * A stable awareness client id per agent key (FNV-1a, 32 bits, like Yjs's random uint32 client ids).
 * @example page.locator(`.yRemoteSelectionHead-${clientIdOf("token:abc")}`) // the agent's caret in an editor
 */
export function clientIdOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function colorOf(key: string): string {
  return AGENT_COLORS[clientIdOf(key) % AGENT_COLORS.length]!;
}
