/**
 * Console output of user code, forwarded to the host: console.* is wrapped (the original still prints, for the frame's own
 * devtools) and each call's arguments are formatted to strings here, since DOM nodes, functions and cycles do not survive
 * postMessage's structured clone.
 */
import type { ConsoleLevel } from "./messages.js";

const LEVELS: readonly ConsoleLevel[] = ["log", "info", "warn", "error", "debug"];

/**
 * Wrap console.log/info/warn/error/debug; `report` gets the level and formatted arguments. Returns a function that restores them.
 * @example const restore = captureConsole((level, args) => post({ type: "spike:console", level, args }));
 */
export function captureConsole(report: (level: ConsoleLevel, args: string[]) => void, target: Console = console): () => void {
  const originals = new Map<ConsoleLevel, (...args: unknown[]) => void>();
  for (const level of LEVELS) {
    const original = target[level].bind(target) as (...args: unknown[]) => void;
    originals.set(level, original);
    target[level] = (...args: unknown[]) => {
      original(...args);
      try {
        report(level, args.map((arg) => formatValue(arg)));
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
