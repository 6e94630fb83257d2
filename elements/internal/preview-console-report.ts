/**
 * What a room's `<spike-preview>` reports to the room's console log (`POST /live/<room>/console`, README "Preview
 * console"): the app's console calls and runtime errors, batched, at most one POST a second and one at a time, each batch
 * under the route's body limit. A preview of a local project or a saved version reports nothing (it has no room to tell).
 * Past MAX_PENDING waiting entries the oldest are let go, and the next batch says how many.
 */
import { MAX_CONSOLE_BATCH, MAX_CONSOLE_BODY_BYTES, MAX_CONSOLE_TEXT, type ConsoleAppended, type ConsoleEntry } from "../../core/api.js";

/** One entry to report: the room stamps its own time. */
export type ReportedEntry = Pick<ConsoleEntry, "level" | "text">;

/** At most one POST per this many ms. */
export const REPORT_INTERVAL_MS = 1000;
/** A batch waits this long after its first entry, so the rest of a burst (a loop of console.log) joins it. */
export const GATHER_MS = 200;
/** Entries waiting to be sent; past this the oldest go (the room keeps 200 anyway). */
export const MAX_PENDING = 200;
/** A batch's JSON stays under this many bytes (the route refuses over MAX_CONSOLE_BODY_BYTES). */
const BATCH_BYTES = MAX_CONSOLE_BODY_BYTES - 4096;

const encoder = new TextEncoder();

/**
 * @example
 * const reporter = new ConsoleReporter((entries) => client.http.appendConsole(entries));
 * reporter.add({ level: "log", text: "hello" }); // sent within a second
 */
export class ConsoleReporter {
  #send: (entries: ReportedEntry[]) => Promise<ConsoleAppended>;
  #pending: ReportedEntry[] = [];
  #lost = 0;
  #lastSent = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #sending = false;
  #disposed = false;

  constructor(send: (entries: ReportedEntry[]) => Promise<ConsoleAppended>) {
    this.#send = send;
  }

  /** Queue one entry; it goes out with the next batch. */
  add(entry: ReportedEntry): void {
    if (this.#disposed) return;
    this.#pending.push({ level: entry.level, text: cut(entry.text) });
    if (this.#pending.length > MAX_PENDING) {
      this.#lost += this.#pending.length - MAX_PENDING;
      this.#pending.splice(0, this.#pending.length - MAX_PENDING);
    }
    this.#plan();
  }

  /** Stop: nothing waiting is sent. */
  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#pending = [];
  }

  /** Make sure a timer sends the waiting entries, a second after the last POST at the earliest, once none is in flight. */
  #plan(): void {
    if (this.#sending || this.#timer !== undefined || this.#disposed) return;
    const wait = Math.max(GATHER_MS, this.#lastSent + REPORT_INTERVAL_MS - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#flush();
    }, wait);
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0 || this.#disposed) return;
    if (this.#lost > 0) {
      this.#pending.unshift({ level: "warn", text: `${this.#lost} console entries were not reported: the preview logged faster than it reports` });
      this.#lost = 0;
    }
    const batch = takeBatch(this.#pending);
    this.#sending = true;
    this.#lastSent = performance.now();
    try {
      await this.#send(batch);
    } catch (error) {
      // The room refused (a viewer of a private room signed out, a rate limit) or is unreachable: this batch is let go,
      // the preview itself is unaffected, and the next batch goes no sooner than a second later (or the `Retry-After`).
      const retryAfter = (error as { retryAfterSeconds?: number | null }).retryAfterSeconds;
      if (typeof retryAfter === "number" && retryAfter > 0) this.#lastSent = performance.now() + retryAfter * 1000 - REPORT_INTERVAL_MS;
    } finally {
      this.#sending = false;
    }
    if (this.#pending.length > 0) this.#plan();
  }
}

/** Take from the front of `pending` the entries of one batch: at most MAX_CONSOLE_BATCH, under BATCH_BYTES of JSON. */
function takeBatch(pending: ReportedEntry[]): ReportedEntry[] {
  let bytes = 16;
  let n = 0;
  while (n < pending.length && n < MAX_CONSOLE_BATCH) {
    bytes += encoder.encode(JSON.stringify(pending[n])).length + 1;
    if (bytes > BATCH_BYTES && n > 0) break;
    n++;
  }
  return pending.splice(0, n);
}

/** Text cut to the room's limit before it is sent (the room would cut it the same way). */
function cut(text: string): string {
  if (text.length <= MAX_CONSOLE_TEXT) return text;
  const keep = MAX_CONSOLE_TEXT - 32;
  return `${text.slice(0, keep)}… (${text.length - keep} more characters)`;
}
