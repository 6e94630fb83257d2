/**
 * The room's console log (CodeRoom's RPC methods for `/live/<room>/console` delegate here): what the previews of the room
 * printed and threw, reported by `<spike-preview>` in batches, kept apart from the Y.Doc in the room's SQLite (table
 * `console`) and in memory, newest MAX_CONSOLE_ENTRIES entries of at most MAX_CONSOLE_TEXT characters each. Anyone who may
 * open the room may report to it and read it (a viewer's preview runs the same app); clearing it takes the right to edit.
 * A room nobody ever wrote to has no log: every call is a 404 that stores nothing.
 */
import { MAX_CONSOLE_ENTRIES, MAX_CONSOLE_TEXT, type ConsoleAppended, type ConsoleCleared, type ConsoleEntry, type ConsoleLog } from "../../core/api.js";
import type { Identity } from "../platform/auth.js";
import { done, refuse, type Parsed, type RoomCaller, type RoomRefusal, type RoomResult } from "./room-api.js";
import { StorageError } from "./room-document.js";
import type { RoomStorage } from "./room-storage.js";

/** Meta key (room-storage.ts) of how many entries were let go since the log was last cleared. */
const DROPPED = "consoleDropped";

/** What the calls need from their room. */
export interface ConsoleHost {
  sql: SqlStorage;
  storage: RoomStorage;
  /** The refusal of `need` by `identity` under the room's rules (room-access.ts httpDenial), or null when allowed. */
  denial(identity: Identity | null, need: "read" | "edit"): RoomRefusal | null;
  /** Resolves once the room is loaded (restored from its backup first when its storage is empty). */
  ready(room: string): Promise<void>;
}

/**
 * @example const log = await roomConsole.read(caller, 0); // { ok: true, value: { entries: [...], dropped: 0 } }
 */
export class RoomConsole {
  #host: ConsoleHost;
  /** The kept entries, oldest first, once read from SQLite; null until the first call that needs them. */
  #entries: ConsoleEntry[] | null = null;

  constructor(host: ConsoleHost) {
    this.#host = host;
  }

  /** `POST /live/<room>/console`: keep `body`'s entries, stamped with the room's clock; the oldest go beyond the bound. */
  append(caller: RoomCaller, body: Parsed<ConsoleEntry[]>): Promise<RoomResult<ConsoleAppended>> {
    return this.#run(caller, async () => {
      const refused = this.#denial(caller.identity, "read");
      if (refused) return refused;
      if (!body.ok) return body;
      const entries = this.#load();
      const { sql, storage } = this.#host;
      let time = Math.max(Date.now(), (entries.at(-1)?.time ?? 0) + 1);
      const added = body.value.map((entry) => ({ level: entry.level, text: clip(entry.text), time: time++ }));
      // Only the newest MAX_CONSOLE_ENTRIES of a batch could ever be kept.
      const kept = added.slice(-MAX_CONSOLE_ENTRIES);
      for (const entry of kept) sql.exec("INSERT INTO console (level, text, time) VALUES (?, ?, ?)", entry.level, entry.text, entry.time);
      entries.push(...kept);
      const over = entries.length - MAX_CONSOLE_ENTRIES;
      if (over > 0) {
        entries.splice(0, over);
        sql.exec("DELETE FROM console WHERE time < ?", entries[0]!.time);
      }
      const dropped = Math.max(0, over) + (added.length - kept.length);
      if (dropped > 0) storage.setMeta(DROPPED, String(this.#dropped() + dropped));
      return done({ appended: kept.length, time: time - 1 });
    });
  }

  /** `GET /live/<room>/console?since=<time>`: the entries newer than `since`, oldest first. */
  read(caller: RoomCaller, since: number): Promise<RoomResult<ConsoleLog>> {
    return this.#run(caller, async () => {
      const refused = this.#denial(caller.identity, "read");
      if (refused) return refused;
      return done({ entries: this.#load().filter((entry) => entry.time > since), dropped: this.#dropped() });
    });
  }

  /** `DELETE /live/<room>/console`: forget every entry (editors only). */
  clear(caller: RoomCaller): Promise<RoomResult<ConsoleCleared>> {
    return this.#run(caller, async () => {
      const refused = this.#denial(caller.identity, "edit");
      if (refused) return refused;
      const cleared = this.#load().length;
      this.#host.sql.exec("DELETE FROM console");
      this.#host.storage.deleteMeta(DROPPED);
      this.#entries = [];
      return done({ cleared });
    });
  }

  /** The kept entries, read from SQLite once (the table is made on first use, in an existing room only). */
  #load(): ConsoleEntry[] {
    if (this.#entries) return this.#entries;
    const { sql } = this.#host;
    sql.exec("CREATE TABLE IF NOT EXISTS console (seq INTEGER PRIMARY KEY AUTOINCREMENT, level TEXT NOT NULL, text TEXT NOT NULL, time INTEGER NOT NULL)");
    this.#entries = [...sql.exec<{ level: ConsoleEntry["level"]; text: string; time: number }>("SELECT level, text, time FROM console ORDER BY seq")].map(
      ({ level, text, time }) => ({ level, text, time }),
    );
    return this.#entries;
  }

  #dropped(): number {
    return Number(this.#host.storage.getMeta(DROPPED) ?? 0);
  }

  /** A room nobody ever wrote to has no console (a 404 that stores nothing); else the room's rules decide. */
  #denial(identity: Identity | null, need: "read" | "edit"): RoomRefusal | null {
    const { storage } = this.#host;
    if (!storage.exists) return refuse(404, `no room "${storage.roomName ?? ""}": nothing was ever written to it`);
    return this.#host.denial(identity, need);
  }

  /** Run one call for `caller`'s room: the room learns its name and is loaded; a change it could not store is a 503. */
  async #run<T>(caller: RoomCaller, work: () => Promise<RoomResult<T>>): Promise<RoomResult<T>> {
    this.#host.storage.roomName = caller.room;
    try {
      await this.#host.ready(caller.room);
      return await work();
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      return refuse(503, error.message);
    }
  }
}

/**
 * `text` cut to MAX_CONSOLE_TEXT characters, the cut said at its end.
 * @example clip("x".repeat(3000)).endsWith("… (984 more characters)") // true
 */
export function clip(text: string): string {
  if (text.length <= MAX_CONSOLE_TEXT) return text;
  const keep = MAX_CONSOLE_TEXT - 32; // room for the suffix, which is under 32 characters
  return `${text.slice(0, keep)}… (${text.length - keep} more characters)`;
}
