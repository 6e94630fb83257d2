/**
 * Console output of user code, forwarded to the host: console.* is wrapped (the original still prints, for the frame's own
 * devtools) and each call's arguments are turned into text and into bounded preview trees here, since DOM nodes,
 * functions and cycles do not survive postMessage's structured clone, and the host cannot ask the frame for more later.
 */
import { CONSOLE_VALUE_LIMITS, type ConsoleEntry, type ConsoleLevel, type ConsoleValue, type SourceLocation } from "./messages.js";

const LEVELS: readonly ConsoleLevel[] = ["log", "info", "warn", "error", "debug"];

/** Maps a stack trace to project files: the first project location, and the text with file names (module-table.ts mapStack). */
export type StackMapper = (stack: string) => { location?: SourceLocation; text: string };

/** One captured console call. */
export interface CapturedCall {
  level: ConsoleLevel;
  args: string[];
  values: ConsoleValue[];
  /** Where in the project the call was made, when the stack says. */
  location?: SourceLocation;
}

/**
 * Wrap console.log/info/warn/error/debug; `report` gets each call. `mapStack` places the call (and errors logged) in the
 * project. Returns a function that restores the originals.
 * @example const restore = captureConsole((call) => post({ type: "spike:console", ...call }), (s) => mapStack(s, table));
 */
export function captureConsole(report: (call: CapturedCall) => void, mapStack?: StackMapper, target: Console = console): () => void {
  const originals = new Map<ConsoleLevel, (...args: unknown[]) => void>();
  for (const level of LEVELS) {
    const original = target[level].bind(target) as (...args: unknown[]) => void;
    originals.set(level, original);
    target[level] = (...args: unknown[]) => {
      original(...args);
      try {
        const location = mapStack?.(new Error().stack ?? "").location;
        const values = previewValues(args, mapStack);
        report({ level, args: args.map((arg) => formatValue(arg)), values, ...(location ? { location } : {}) });
      } catch {
        // Never let reporting break the user's code.
      }
    };
  }
  return () => {
    for (const [level, original] of originals) target[level] = original;
  };
}

/**
 * A short, readable string for any value, like a console would show it: strings as they are, objects as JSON-like text
 * (depth and length limited), errors with their message.
 * @example formatValue({ a: [1, "x"] }) // '{ a: [1, "x"] }'
 */
export function formatValue(value: unknown, depth = 0, seen = new WeakSet<object>()): string {
  if (typeof value === "string") return depth === 0 ? value : JSON.stringify(value);
  if (typeof value === "function") return `ƒ ${value.name || "anonymous"}()`;
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "symbol") return value.toString();
  if (value === null || typeof value !== "object") return String(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof Node !== "undefined" && value instanceof Node) return `<${value.nodeName.toLowerCase()}>`;
  if (seen.has(value)) return "[Circular]";
  if (depth >= 3) return Array.isArray(value) ? "[…]" : "{…}";
  seen.add(value);
  const MAX = 50;
  let text: string;
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX).map((item) => formatValue(item, depth + 1, seen));
    if (value.length > MAX) items.push(`… ${value.length - MAX} more`);
    text = `[${items.join(", ")}]`;
  } else if (value instanceof Map) {
    text = `Map(${value.size}) {${[...value].slice(0, MAX).map(([k, v]) => `${formatValue(k, depth + 1, seen)} => ${formatValue(v, depth + 1, seen)}`).join(", ")}}`;
  } else if (value instanceof Set) {
    text = `Set(${value.size}) {${[...value].slice(0, MAX).map((v) => formatValue(v, depth + 1, seen)).join(", ")}}`;
  } else {
    const entries = Object.entries(value).slice(0, MAX).map(([k, v]) => `${k}: ${formatValue(v, depth + 1, seen)}`);
    const name = value.constructor && value.constructor !== Object ? `${value.constructor.name} ` : "";
    text = entries.length ? `${name}{ ${entries.join(", ")} }` : `${name}{}`;
  }
  seen.delete(value);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/**
 * The arguments of one console call as preview trees, within {@link CONSOLE_VALUE_LIMITS} (nodes counted per argument).
 * @example previewValues([{ a: 1 }]) // [{ type: "object", text: "{a: 1}", entries: [{ key: "a", value: { type: "number", text: "1" } }] }]
 */
export function previewValues(args: unknown[], mapStack?: StackMapper): ConsoleValue[] {
  return args.slice(0, CONSOLE_VALUE_LIMITS.entries).map((arg) => new ValuePreview(mapStack).of(arg, 0, true));
}

/** Builds one argument's tree, spending a node budget so a huge or deep object stays a bounded message. */
class ValuePreview {
  #budget = CONSOLE_VALUE_LIMITS.nodes;
  #path = new Set<object>();
  #mapStack: StackMapper | undefined;

  constructor(mapStack: StackMapper | undefined) {
    this.#mapStack = mapStack;
  }

  of(value: unknown, depth: number, top = false): ConsoleValue {
    this.#budget--;
    if (typeof value === "string") return { type: "string", text: clip(top ? value : JSON.stringify(value)) };
    if (value === null) return { type: "null", text: "null" };
    if (typeof value !== "object" && typeof value !== "function") {
      return { type: typeof value as ConsoleValue["type"], text: typeof value === "bigint" ? `${value}n` : String(value) };
    }
    if (typeof value === "function") return { type: "function", text: `ƒ ${value.name || "anonymous"}()` };
    if (value instanceof Error) return this.#error(value, depth);
    if (typeof Node !== "undefined" && value instanceof Node) return { type: "node", text: describeNode(value) };
    if (this.#path.has(value)) return { type: "circular", text: "[Circular]" };
    const type = Array.isArray(value) ? "array" : value instanceof Map ? "map" : value instanceof Set ? "set" : "object";
    const all = entriesOf(value);
    const text = clip(summary(value, all));
    if (all.length === 0 || depth >= CONSOLE_VALUE_LIMITS.depth || this.#budget <= 0) return { type, text };
    this.#path.add(value);
    const entries: ConsoleEntry[] = [];
    for (const [key, item] of all.slice(0, CONSOLE_VALUE_LIMITS.entries)) {
      if (this.#budget <= 0) break;
      entries.push({ key, value: this.of(item, depth + 1) });
    }
    this.#path.delete(value);
    const more = all.length - entries.length;
    return more > 0 ? { type, text, entries, more } : { type, text, entries };
  }

  #error(error: Error, depth: number): ConsoleValue {
    const text = clip(`${error.name}: ${error.message}`);
    const mapped = error.stack && this.#mapStack ? this.#mapStack(error.stack) : undefined;
    const stack = mapped?.text ?? error.stack;
    const entries: ConsoleEntry[] = stack && depth < CONSOLE_VALUE_LIMITS.depth ? [{ key: "stack", value: this.of(stack, depth + 1) }] : [];
    return { type: "error", text, ...(entries.length ? { entries } : {}), ...(mapped?.location ? { location: mapped.location } : {}) };
  }
}

/** An object's entries as a console lists them: own enumerable properties, array items, map entries, set members. */
function entriesOf(value: object): [string, unknown][] {
  if (value instanceof Map) return [...value].map(([k, v]) => [`${formatValue(k, 1)} =>`, v]);
  if (value instanceof Set) return [...value].map((v, i) => [String(i), v]);
  return Object.entries(value);
}

/** A one-line summary: `{a: 1, b: {…}}`, `(3) [1, 2, 3]`, `Map(1) {"k" => 1}`, with at most a few entries. */
function summary(value: object, entries: [string, unknown][]): string {
  const shallow = (v: unknown) =>
    typeof v === "object" && v !== null && !(v instanceof Error) ? (Array.isArray(v) ? `Array(${v.length})` : "{…}") : formatValue(v, 1);
  const shown = entries.slice(0, 5);
  const rest = entries.length > shown.length ? ", …" : "";
  if (Array.isArray(value)) return `(${value.length}) [${shown.map(([, v]) => shallow(v)).join(", ")}${rest}]`;
  if (value instanceof Map) return `Map(${value.size}) {${shown.map(([k, v]) => `${k} ${shallow(v)}`).join(", ")}${rest}}`;
  if (value instanceof Set) return `Set(${value.size}) {${shown.map(([, v]) => shallow(v)).join(", ")}${rest}}`;
  const name = value.constructor && value.constructor !== Object && typeof value.constructor.name === "string" ? `${value.constructor.name} ` : "";
  return `${name}{${shown.map(([k, v]) => `${k}: ${shallow(v)}`).join(", ")}${rest}}`;
}

function describeNode(node: Node): string {
  if (!(node instanceof Element)) return node.nodeName.toLowerCase();
  const id = node.id ? `#${node.id}` : "";
  return `<${node.localName}${id}>`;
}

function clip(text: string): string {
  return text.length > CONSOLE_VALUE_LIMITS.text ? `${text.slice(0, CONSOLE_VALUE_LIMITS.text)}…` : text;
}
