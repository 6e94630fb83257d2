/**
 * The one Metrics object ("global"): sums the counters every isolate flushes (workers/platform/metrics.ts), keeps the latest
 * gauge per reporter and latency summaries, in SQLite so a restart of the object loses nothing. Read by `GET /api/metrics`.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../platform/env.js";

/** One isolate's buffered metrics since its last flush. */
export interface MetricsBatch {
  /** Counter increments by name. */
  counters: Record<string, number>;
  /** Latest gauge values, e.g. `{name: "open_sockets", key: "<room>", value: 3}`. */
  gauges: { name: string; key: string; value: number }[];
  /** Measurements by name: count, sum, max and up to a few hundred raw samples. */
  observations: Record<string, { count: number; sum: number; max: number; samples: number[] }>;
  /** Unhandled errors since the last flush, oldest first (absent from a batch of an older Worker). */
  errors?: RecentError[];
}

/** One unhandled error as the `/admin` page lists it: never a stack, a body, a header or a token. */
export interface RecentError {
  /** When it happened, ISO 8601. */
  at: string;
  /** `<METHOD> <route pattern>` for a route, `<Durable Object class>.<method>` for an object. */
  where: string;
  /** The error's name, e.g. `TypeError`. */
  name: string;
  /** Its message, cut short. */
  message: string;
  requestId: string | null;
  room: string | null;
}

/** A latency summary. p50/p95 are over the most recent {@link RECENT_SAMPLES} samples. */
export interface Summary {
  count: number;
  sum: number;
  max: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
}

/** Everything the object holds, as `GET /api/metrics` builds its answer from it. */
export interface MetricsSnapshot {
  /** When counting started (the object's first record), ISO 8601. */
  since: string;
  counters: Record<string, number>;
  /** Gauge name -> reporter key -> latest value (zeros are dropped). */
  gauges: Record<string, Record<string, number>>;
  observations: Record<string, Summary>;
  /** The last {@link RECENT_ERRORS} unhandled errors, newest first. */
  recentErrors: RecentError[];
}

/** Samples kept per observation name for percentiles. */
const RECENT_SAMPLES = 1_000;
/** Gauge reporters kept per name; a reporter that sets 0 is forgotten, so this only bounds abuse. */
const MAX_GAUGE_KEYS = 10_000;
/** Unhandled errors kept for the `/admin` page. */
const RECENT_ERRORS = 50;
/** Observation names kept (route latencies are named by request method and pattern), like the counters. */
const MAX_OBSERVATIONS = 500;
/** Counter names kept; names come from code, but route names come from requests, so bound them. */
const MAX_COUNTERS = 2_000;

export class Metrics extends DurableObject<Env> {
  #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value REAL NOT NULL)`);
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS gauges (name TEXT NOT NULL, key TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (name, key))`);
    this.#sql.exec(
      `CREATE TABLE IF NOT EXISTS observations (name TEXT PRIMARY KEY, count INTEGER NOT NULL, sum REAL NOT NULL, max REAL NOT NULL, samples TEXT NOT NULL)`,
    );
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS recent_errors (id INTEGER PRIMARY KEY AUTOINCREMENT, error TEXT NOT NULL)`);
  }

  /** Add one isolate's batch (RPC from workers/platform/metrics.ts flushMetrics). */
  record(batch: MetricsBatch): void {
    this.ctx.storage.transactionSync(() => {
      this.#sql.exec(`INSERT OR IGNORE INTO meta (key, value) VALUES ('since', ?)`, new Date().toISOString());
      this.#addCounters(batch.counters);
      this.#setGauges(batch.gauges);
      this.#addObservations(batch.observations);
      this.#addErrors(batch.errors ?? []);
    });
  }

  /** Everything counted so far. */
  snapshot(): MetricsSnapshot {
    const since = this.#sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = 'since'`).toArray()[0]?.value;
    const counters: Record<string, number> = {};
    for (const row of this.#sql.exec<{ name: string; value: number }>(`SELECT name, value FROM counters ORDER BY name`)) {
      counters[row.name] = row.value;
    }
    const gauges: Record<string, Record<string, number>> = {};
    for (const row of this.#sql.exec<{ name: string; key: string; value: number }>(`SELECT name, key, value FROM gauges`)) {
      (gauges[row.name] ??= {})[row.key] = row.value;
    }
    const observations: Record<string, Summary> = {};
    for (const row of this.#sql.exec<{ name: string; count: number; sum: number; max: number; samples: string }>(
      `SELECT name, count, sum, max, samples FROM observations`,
    )) {
      observations[row.name] = summarize(row.count, row.sum, row.max, JSON.parse(row.samples) as number[]);
    }
    const recentErrors = this.#sql
      .exec<{ error: string }>(`SELECT error FROM recent_errors ORDER BY id DESC LIMIT ?`, RECENT_ERRORS)
      .toArray()
      .map((row) => JSON.parse(row.error) as RecentError);
    return { since: since ?? new Date().toISOString(), counters, gauges, observations, recentErrors };
  }

  #addErrors(errors: RecentError[]): void {
    if (!Array.isArray(errors) || errors.length === 0) return;
    for (const error of errors.slice(-RECENT_ERRORS)) this.#sql.exec(`INSERT INTO recent_errors (error) VALUES (?)`, JSON.stringify(error));
    this.#sql.exec(`DELETE FROM recent_errors WHERE id NOT IN (SELECT id FROM recent_errors ORDER BY id DESC LIMIT ?)`, RECENT_ERRORS);
  }

  #addCounters(increments: Record<string, number>): void {
    let known = this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM counters`).one().n;
    for (const [name, by] of Object.entries(increments)) {
      if (typeof by !== "number" || !Number.isFinite(by)) continue;
      const exists = this.#sql.exec(`SELECT 1 FROM counters WHERE name = ?`, name).toArray().length > 0;
      if (!exists && known >= MAX_COUNTERS) continue;
      if (!exists) known += 1;
      this.#sql.exec(`INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value`, name, by);
    }
  }

  #setGauges(gauges: MetricsBatch["gauges"]): void {
    for (const { name, key, value } of gauges) {
      if (typeof value !== "number" || !Number.isFinite(value)) continue;
      if (value === 0) {
        this.#sql.exec(`DELETE FROM gauges WHERE name = ? AND key = ?`, name, key);
        continue;
      }
      const keys = this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM gauges WHERE name = ?`, name).one().n;
      if (keys >= MAX_GAUGE_KEYS && this.#sql.exec(`SELECT 1 FROM gauges WHERE name = ? AND key = ?`, name, key).toArray().length === 0) continue;
      this.#sql.exec(
        `INSERT INTO gauges (name, key, value) VALUES (?, ?, ?) ON CONFLICT (name, key) DO UPDATE SET value = excluded.value`,
        name,
        key,
        value,
      );
    }
  }

  #addObservations(observations: MetricsBatch["observations"]): void {
    let known = this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM observations`).one().n;
    for (const [name, seen] of Object.entries(observations)) {
      const row = this.#sql
        .exec<{ count: number; sum: number; max: number; samples: string }>(`SELECT count, sum, max, samples FROM observations WHERE name = ?`, name)
        .toArray()[0];
      if (!row && known >= MAX_OBSERVATIONS) continue;
      if (!row) known += 1;
      const samples = [...(row ? (JSON.parse(row.samples) as number[]) : []), ...seen.samples.filter(Number.isFinite)].slice(-RECENT_SAMPLES);
      this.#sql.exec(
        `INSERT INTO observations (name, count, sum, max, samples) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET count = excluded.count, sum = excluded.sum, max = excluded.max, samples = excluded.samples`,
        name,
        (row?.count ?? 0) + seen.count,
        (row?.sum ?? 0) + seen.sum,
        Math.max(row?.max ?? 0, seen.max),
        JSON.stringify(samples),
      );
    }
  }
}

/**
 * count/sum/max plus mean and nearest-rank p50/p95 of the samples.
 * @example summarize(3, 60, 30, [10, 20, 30]) // {count: 3, sum: 60, max: 30, mean: 20, p50: 20, p95: 30}
 */
export function summarize(count: number, sum: number, max: number, samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!);
  return { count, sum, max, mean: count > 0 ? sum / count : null, p50: rank(0.5), p95: rank(0.95) };
}
