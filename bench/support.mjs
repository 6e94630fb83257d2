/**
 * What every bench script needs and should not write again: one cleanup registry (run on success, error, signal or
 * watchdog) and the run under a hard time limit, timeouts, the one percentile and summary every bench prints (so their
 * p95s are comparable), aligned text tables, wrangler's local state and installed package versions.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
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
 * Run a bench's `main` under a hard time limit of `maxSeconds`: every registered cleanup runs on success, error, Ctrl-C /
 * SIGTERM or the limit, and then the process exits (1 on error or timeout, 130 on a signal). Leaving at once is
 * deliberate: wrangler, ws and the y-websocket providers may keep handles open after the report is printed.
 * @example await runBench("collab-latency", opts.maxSeconds, () => main(opts));
 */
export async function runBench(name, maxSeconds, main) {
  const watchdog = setTimeout(async () => {
    console.error(`\n${name}: hard time limit of ${maxSeconds} s reached, stopping everything`);
    await cleanupAll();
    process.exit(1);
  }, maxSeconds * 1000);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
      console.error(`\n${name}: ${signal}, stopping everything`);
      await cleanupAll();
      process.exit(130);
    });
  }
  let exitCode = 0;
  try {
    await main();
  } catch (error) {
    console.error(`${name} failed: ${error?.stack ?? error}`);
    exitCode = 1;
  } finally {
    await cleanupAll();
    clearTimeout(watchdog);
  }
  process.exit(exitCode);
}

/**
 * The nearest-rank percentile of an ascending array: the smallest sample with at least `p` % of all samples at or below
 * it (NaN when empty). Every figure it returns is a sample that was really measured; nothing is interpolated.
 * @example percentile([1, 2, 3, 4], 50) // 2
 * @example percentile([1, 2, 3, 4], 95) // 4
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * The summary every bench prints: how many samples, nearest-rank p50 / p95 / p99 (see {@link percentile}), min, max and
 * mean. Samples that are not finite numbers (NaN marks one that was lost or not measured) are left out of all of them.
 * @example summarize([3, 1, NaN, 2]) // { count: 3, p50: 2, p95: 3, p99: 3, min: 1, max: 3, mean: 2 }
 */
export function summarize(values) {
  const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
  const count = sorted.length;
  return {
    count,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    min: count ? sorted[0] : NaN,
    max: count ? sorted[count - 1] : NaN,
    mean: count ? sorted.reduce((a, b) => a + b, 0) / count : NaN,
  };
}

/**
 * `total` split into `parts` whole numbers that differ by at most one: the rounds a measured phase is cut into.
 * @example splitEvenly(10, 3) // [3, 3, 4]
 */
export function splitEvenly(total, parts) {
  return Array.from({ length: parts }, (_, i) => Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts));
}

/** A plain text table: columns right-aligned unless `align[i]` is "l". */
export function table(headers, rows, align) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (align?.[i] === "l" ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/**
 * Keep wrangler's config and cache in the repository's ignored .wrangler folder, as `npm test` does, and stop miniflare
 * from downloading the Request.cf placeholder (there is no internet here; it would warn on every reload). Call before
 * starting a Worker; settings already in the environment win.
 */
export function useLocalWranglerState() {
  process.env.XDG_CONFIG_HOME ??= path.join(ROOT, ".wrangler", "config");
  process.env.XDG_CACHE_HOME ??= path.join(ROOT, ".wrangler", "cache");
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
}

/** The installed version of `pkg`, or "?". */
export function versionOf(pkg) {
  try {
    // Read the file: a package whose exports map leaves out ./package.json cannot be required for it.
    return JSON.parse(readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version;
  } catch {
    return "?";
  }
}
