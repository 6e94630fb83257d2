/**
 * `GET /api/metrics`: what the Metrics object has counted, grouped for people. Admins only (admin-access.ts): with sign-in
 * configured, users listed in ADMIN_USER_IDS (Bearer token); without it, only requests from this machine.
 */
import { Hono } from "hono";
import { adminOnly } from "./admin-access.js";
import { type AuthVariables } from "./authenticate.js";
import { jsonError } from "./errors.js";
import { METRIC, flushMetrics, metricsObject } from "../platform/metrics.js";
import type { Env } from "../platform/env.js";
import type { MetricsSnapshot, RecentError, Summary } from "../durable-objects/metrics.js";

/** What `GET /api/metrics` answers. Counters are totals since `since`; `sockets.open` is the sum of the rooms' latest reports. */
export interface MetricsReport {
  since: string;
  requests: {
    total: number;
    byStatus: Record<string, number>;
    byRoute: Record<string, number>;
    /** Duration by `<METHOD> <route>`, ms: p50/p95 over the most recent samples. */
    latencyMs: Record<string, Summary>;
  };
  /**
   * Unhandled errors: by `<METHOD> <route>` (the Worker), by Durable Object class, and the last few (newest first). An
   * object's error that reached a route is counted under both.
   */
  errors: { byRoute: Record<string, number>; byObject: Record<string, number>; recent: RecentError[] };
  sockets: { open: number; opened: number; closed: number };
  rooms: { loaded: number; withOpenSockets: number };
  frames: { in: number; bytesIn: number };
  rateLimited: { total: number; byBucket: Record<string, number> };
  ai: { calls: number; errors: number; byKind: Record<string, number>; latencyMs: Summary | null };
  /** Every counter by name, including any not grouped above. */
  counters: Record<string, number>;
}

/**
 * The `/api/metrics` sub-app.
 * @example app.route("/api/metrics", metricsRoute());
 */
export function metricsRoute(): Hono<{ Bindings: Env; Variables: AuthVariables }> {
  const route = new Hono<{ Bindings: Env; Variables: AuthVariables }>();
  route.get("/", ...adminOnly(), async (c) => {
    c.header("cache-control", "no-store");
    return c.json(await readMetrics(c.env));
  });
  route.all("/", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on /api/metrics`));
  return route;
}

/**
 * Flush this isolate's counts, then read and group everything the Metrics object holds.
 * @example const report = await readMetrics(c.env);
 */
export async function readMetrics(env: Env): Promise<MetricsReport> {
  await flushMetrics(env);
  return metricsReport(await metricsObject(env).snapshot());
}

/**
 * Group a snapshot's counters by what they count.
 * @example metricsReport(await metricsObject(env).snapshot()).sockets.open
 */
export function metricsReport({ since, counters, gauges, observations, recentErrors }: MetricsSnapshot): MetricsReport {
  const count = (name: string) => counters[name] ?? 0;
  const openSockets = Object.values(gauges[METRIC.openSockets] ?? {});
  return {
    since,
    requests: {
      total: sum(withPrefix(counters, `${METRIC.requests}.status.`)),
      byStatus: withPrefix(counters, `${METRIC.requests}.status.`),
      byRoute: withPrefix(counters, `${METRIC.requests}.route.`),
      latencyMs: withPrefix(observations, `${METRIC.requestMs}.`),
    },
    errors: {
      byRoute: withPrefix(counters, `${METRIC.errors}.route.`),
      byObject: withPrefix(counters, `${METRIC.errors}.object.`),
      recent: recentErrors ?? [],
    },
    sockets: { open: openSockets.reduce((a, b) => a + b, 0), opened: count(METRIC.socketsOpened), closed: count(METRIC.socketsClosed) },
    rooms: { loaded: count(METRIC.roomsLoaded), withOpenSockets: openSockets.filter((n) => n > 0).length },
    frames: { in: count(METRIC.framesIn), bytesIn: count(METRIC.bytesIn) },
    rateLimited: { total: sum(withPrefix(counters, `${METRIC.rateLimited}.`)) + count(METRIC.rateLimited), byBucket: withPrefix(counters, `${METRIC.rateLimited}.`) },
    ai: {
      calls: count(METRIC.aiCalls),
      errors: count(METRIC.aiErrors),
      byKind: withPrefix(counters, `${METRIC.aiCalls}.`),
      latencyMs: observations[METRIC.aiLatencyMs] ?? null,
    },
    counters,
  };
}

function withPrefix<T>(counters: Record<string, T>, prefix: string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [name, value] of Object.entries(counters)) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = value;
  return out;
}

function sum(values: Record<string, number>): number {
  return Object.values(values).reduce((a, b) => a + b, 0);
}
