/**
 * Counters, gauges and latencies behind `GET /api/metrics`, buffered per isolate and flushed to the Metrics Durable Object
 * (one instance, "global") at most every METRICS_FLUSH_MS, so a busy room costs one RPC a second, not one per frame.
 * Call sites stay one line: `countMetric(this.env, METRIC.framesIn)`. Metrics never throw and never block a response.
 */
import { waitUntil } from "cloudflare:workers";
import type { Metrics, MetricsBatch, RecentError } from "../durable-objects/metrics.js";
import { readConfig } from "./config.js";
import type { Env } from "./env.js";

/** What this module needs from the environment: the Metrics binding and METRICS_FLUSH_MS (workers/platform/config.ts). */
export type MetricsEnv = Pick<Env, "METRICS" | "METRICS_FLUSH_MS">;

/**
 * The names `GET /api/metrics` groups. Any other name is still counted and listed under `counters`.
 * @example countMetric(env, METRIC.socketsOpened)
 */
export const METRIC = {
  /** Prefix of `requests.status.<2xx|3xx|4xx|5xx>` and `requests.route.<METHOD> <pattern>` (counted by the request middleware). */
  requests: "requests",
  /** Room WebSockets accepted / closed. */
  socketsOpened: "sockets_opened",
  socketsClosed: "sockets_closed",
  /** Gauge keyed by room: sockets open in it now. */
  openSockets: "open_sockets",
  /** A CodeRoom loaded its state (first request or wake-up of the object). */
  roomsLoaded: "rooms_loaded",
  /** WebSocket frames and their bytes received by rooms. */
  framesIn: "frames_in",
  bytesIn: "bytes_in",
  /** Prefix of `rate_limited.<bucket>`. */
  rateLimited: "rate_limited",
  /** AI provider calls (chat and transcription), failures, and latency (observeMetric, ms). */
  aiCalls: "ai_calls",
  aiErrors: "ai_errors",
  aiLatencyMs: "ai_latency_ms",
  /** Prefix of `request_ms.<METHOD> <pattern>`: each request's duration (observeMetric), for p50/p95 by route. */
  requestMs: "request_ms",
  /** Prefix of `errors.route.<METHOD> <pattern>` and `errors.object.<Durable Object class>`: unhandled errors (error-reports.ts). */
  errors: "errors",
} as const;

/** The id name of the one Metrics object. */
export const METRICS_OBJECT = "global";
/** Observations kept per name and flush for percentiles; more are still counted in count/sum/max. */
const SAMPLES_PER_FLUSH = 256;
/** Recent errors kept per flush; a burst of one failure repeated needs no more on the admin page. */
const RECENT_ERRORS_PER_FLUSH = 20;

// ---- the per-isolate buffer ----------------------------------------------------------------------------------------

let counters = new Map<string, number>();
let gauges = new Map<string, number>(); // `${name}\u0000${key}` -> value; last write wins
let observations = new Map<string, { count: number; sum: number; max: number; samples: number[] }>();
let recentErrors: RecentError[] = [];
let lastFlush = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

/**
 * Add `by` to counter `name`.
 * @example countMetric(env, `${METRIC.rateLimited}.connect`)
 */
export function countMetric(env: MetricsEnv, name: string, by = 1): void {
  if (!Number.isFinite(by) || by === 0) return;
  counters.set(name, (counters.get(name) ?? 0) + by);
  schedule(env);
}

/**
 * Set gauge `name` for reporter `key` (the latest value per key wins; the total is the sum over keys).
 * @example setGauge(env, METRIC.openSockets, room, sockets.length)
 */
export function setGauge(env: MetricsEnv, name: string, key: string, value: number): void {
  if (!Number.isFinite(value)) return;
  gauges.set(`${name}\u0000${key}`, value);
  schedule(env);
}

/**
 * Record one measurement (count, sum, max, p50/p95 over recent samples).
 * @example observeMetric(env, METRIC.aiLatencyMs, Date.now() - started)
 */
export function observeMetric(env: MetricsEnv, name: string, valueMs: number): void {
  if (!Number.isFinite(valueMs)) return;
  let entry = observations.get(name);
  if (!entry) observations.set(name, (entry = { count: 0, sum: 0, max: 0, samples: [] }));
  entry.count += 1;
  entry.sum += valueMs;
  entry.max = Math.max(entry.max, valueMs);
  if (entry.samples.length < SAMPLES_PER_FLUSH) entry.samples.push(valueMs);
  schedule(env);
}

/**
 * Remember one unhandled error for the Metrics object's list of recent errors (the `/admin` page). Keeps the newest few
 * per flush; the caller has already cut the message short.
 * @example recordRecentError(env, { at: new Date().toISOString(), where: "GET /api/x", name: "TypeError", message, requestId })
 */
export function recordRecentError(env: MetricsEnv, error: RecentError): void {
  recentErrors.push(error);
  if (recentErrors.length > RECENT_ERRORS_PER_FLUSH) recentErrors.shift();
  schedule(env);
}

/**
 * Send everything buffered in this isolate to the Metrics object now (e.g. before reading it). Never throws.
 * @example await flushMetrics(c.env);
 */
export async function flushMetrics(env: MetricsEnv): Promise<void> {
  if (timer !== null) {
    clearTimeout(timer);
    timer = null;
  }
  const batch = takeBatch();
  if (!batch) return;
  lastFlush = Date.now();
  try {
    await metricsObject(env).record(batch);
  } catch (error) {
    // Keep the counts for the next flush (an RPC can fail while the object restarts); gauges are superseded anyway.
    restore(batch);
    console.error(JSON.stringify({ ts: new Date().toISOString(), level: "error", type: "metrics", message: String(error) }));
  }
}

/**
 * The Metrics object's stub.
 * @example const snapshot = await metricsObject(env).snapshot();
 */
export function metricsObject(env: MetricsEnv): DurableObjectStub<Metrics> {
  return env.METRICS.get(env.METRICS.idFromName(METRICS_OBJECT));
}

/** Flush now when the last flush is older than METRICS_FLUSH_MS, else once a timer runs out (one per isolate). */
function schedule(env: MetricsEnv): void {
  if (timer !== null) return;
  const flushMs = readConfig(env).metricsFlushMs;
  const wait = lastFlush + flushMs - Date.now();
  // waitUntil keeps the request (or object) alive until the flush is sent, without delaying its response.
  if (wait <= 0) keepAlive(flushMetrics(env));
  else keepAlive(new Promise<void>((resolve) => (timer = setTimeout(() => void flushMetrics(env).finally(resolve), wait))));
}

function keepAlive(promise: Promise<void>): void {
  try {
    waitUntil(promise);
  } catch {
    // Outside a request (e.g. an object's constructor): the promise still runs; only the lifetime guarantee is missing.
  }
}

function takeBatch(): MetricsBatch | null {
  if (counters.size === 0 && gauges.size === 0 && observations.size === 0 && recentErrors.length === 0) return null;
  const batch: MetricsBatch = {
    counters: Object.fromEntries(counters),
    gauges: [...gauges].map(([id, value]) => {
      const [name, key] = id.split("\u0000") as [string, string];
      return { name, key, value };
    }),
    observations: Object.fromEntries(observations),
    errors: recentErrors,
  };
  recentErrors = [];
  counters = new Map();
  gauges = new Map();
  observations = new Map();
  return batch;
}

function restore(batch: MetricsBatch): void {
  recentErrors = [...(batch.errors ?? []), ...recentErrors].slice(-RECENT_ERRORS_PER_FLUSH);
  for (const [name, by] of Object.entries(batch.counters)) counters.set(name, (counters.get(name) ?? 0) + by);
  for (const { name, key, value } of batch.gauges) if (!gauges.has(`${name}\u0000${key}`)) gauges.set(`${name}\u0000${key}`, value);
  for (const [name, seen] of Object.entries(batch.observations)) {
    const entry = observations.get(name);
    if (!entry) observations.set(name, seen);
    else {
      entry.count += seen.count;
      entry.sum += seen.sum;
      entry.max = Math.max(entry.max, seen.max);
    }
  }
}

/**
 * Count one AI provider call (`ai_calls`, `ai_calls.<kind>`), its failure (`ai_errors`) and its latency (`ai_latency_ms`).
 * A call the user cancelled (`cancelled()` true when it settles) counts as a call, not an error, and adds no latency.
 * @example const result = await measureAiCall(env, "transcribe", () => client.audio.transcriptions.create(…));
 */
export async function measureAiCall<T>(env: MetricsEnv, kind: string, call: () => Promise<T>, cancelled = () => false): Promise<T> {
  const started = Date.now();
  countMetric(env, METRIC.aiCalls);
  countMetric(env, `${METRIC.aiCalls}.${kind}`);
  try {
    const result = await call();
    if (!cancelled()) observeMetric(env, METRIC.aiLatencyMs, Date.now() - started);
    return result;
  } catch (error) {
    if (!cancelled()) {
      countMetric(env, METRIC.aiErrors);
      observeMetric(env, METRIC.aiLatencyMs, Date.now() - started);
    }
    throw error;
  }
}
