/**
 * What <spike-console> keeps: the preview's console calls and errors as lines, newest last, at most `max` of them (the
 * oldest go first, counted), a repeat of the line before folded into it with a count, as a browser console does. Plain
 * data and no DOM, so the rules are tested in node (console-lines.test.ts).
 */
import type { ConsoleValue, SourceLocation } from "./preview-frame/messages.js";

/** A console line's level: the filter buttons' levels. */
export type ConsoleLineLevel = "log" | "info" | "warn" | "error" | "debug";

/** Every level, in the order the filter buttons show them. */
export const CONSOLE_LEVELS: readonly ConsoleLineLevel[] = ["error", "warn", "info", "log", "debug"];

/** One line of the console. */
export interface ConsoleLine {
  /** Unique in this console (lit keys the rows by it). */
  id: number;
  level: ConsoleLineLevel;
  /** `console`: a console call; `build` / `runtime`: an error the preview reported. */
  kind: "console" | "build" | "runtime";
  /** The call's arguments (for an error: its message, as one string). */
  values: ConsoleValue[];
  /** The arguments as text, joined by spaces. */
  text: string;
  /** Where in the project (line 1-based, column 0-based), when known. */
  location?: SourceLocation | undefined;
  /** A runtime error's stack, project modules named by file:line:column. */
  stack?: string | undefined;
  /** How many times in a row this same line came. */
  count: number;
}

/** A line as it comes in: everything but the id and count. */
export type IncomingLine = Omit<ConsoleLine, "id" | "count">;

/**
 * The kept lines and their counts.
 * @example const lines = new ConsoleLines(1000); lines.add({ level: "log", kind: "console", values, text: "hi" });
 */
export class ConsoleLines {
  /** Lines dropped to stay within the cap since the last clear. */
  dropped = 0;
  #lines: ConsoleLine[] = [];
  #ids = 0;
  #max: number;

  constructor(max: number) {
    this.#max = ConsoleLines.cap(max);
  }

  /** A usable cap from any attribute value: a whole number of at least 1 (1000 when it is not a number). */
  static cap(max: number): number {
    return Number.isFinite(max) ? Math.max(1, Math.floor(max)) : 1000;
  }

  /** The kept lines, oldest first (do not modify). */
  get all(): readonly ConsoleLine[] {
    return this.#lines;
  }

  /** Keep at most `max` lines from now on, dropping the oldest at once if there are more. */
  set max(max: number) {
    this.#max = ConsoleLines.cap(max);
    this.#trim();
  }

  /** Add a line, or count it on the last line when it repeats it. Returns the line that holds it. */
  add(incoming: IncomingLine): ConsoleLine {
    const last = this.#lines.at(-1);
    if (last && sameLine(last, incoming)) {
      // A new object, so a renderer that compares lines sees the change.
      const counted = { ...last, count: last.count + 1 };
      this.#lines[this.#lines.length - 1] = counted;
      return counted;
    }
    const line: ConsoleLine = { ...incoming, id: ++this.#ids, count: 1 };
    this.#lines.push(line);
    this.#trim();
    return line;
  }

  /** How many kept lines (counting repeats) each level has. */
  counts(): Record<ConsoleLineLevel, number> {
    const counts = { log: 0, info: 0, warn: 0, error: 0, debug: 0 };
    for (const line of this.#lines) counts[line.level] += line.count;
    return counts;
  }

  clear(): void {
    this.#lines = [];
    this.dropped = 0;
  }

  #trim(): void {
    const over = this.#lines.length - this.#max;
    if (over <= 0) return;
    this.#lines.splice(0, over);
    this.dropped += over;
  }
}

function sameLine(a: ConsoleLine, b: IncomingLine): boolean {
  const at = (l: IncomingLine) => (l.location ? `${l.location.file}:${l.location.line}:${l.location.column}` : "");
  return a.level === b.level && a.kind === b.kind && a.text === b.text && at(a) === at(b) && a.stack === b.stack;
}
