/**
 * What every bench script needs and should not write again: one cleanup registry (run on success, error, signal or
 * watchdog), timeouts, nearest-rank percentiles, aligned text tables and installed package versions.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cleanups = [];
let cleaningUp = null;

/**
 * Register a stop step (last registered runs first). Returns a function that unregisters it.
 * @example const forget = onCleanup(() => worker.dispose());
 */
export function onCleanup(fn) {
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** Run every registered stop step once, each bounded to 5 s; later calls get the same promise. */
export function cleanupAll() {
  cleaningUp ??= (async () => {
    while (cleanups.length > 0) {
      const fn = cleanups.pop();
      try {
        await withTimeout(Promise.resolve().then(fn), 5000, "cleanup step");
      } catch (error) {
        console.error(`cleanup: ${error?.message ?? error}`);
      }
    }
  })();
  return cleaningUp;
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Nearest-rank percentile of an ascending array (NaN when empty).
 * @example percentile([1, 2, 3, 4], 50) // 2
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/** A plain text table: columns right-aligned unless `align[i]` is "l". */
export function table(headers, rows, align) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (align?.[i] === "l" ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The installed version of `pkg`, or "?". */
export function versionOf(pkg) {
  try {
    return require(`${pkg}/package.json`).version;
  } catch {
    return "?";
  }
}
