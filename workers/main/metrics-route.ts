/**
 * `GET /api/metrics`: what the Metrics object has counted, grouped for people. Admins only: with sign-in configured, users
 * listed in ADMIN_USER_IDS (Bearer token); without it, only requests from this machine (a loopback host and client).
 */
import { Hono } from "hono";
import { clientIp } from "../platform/caller.js";
import { readConfig } from "../platform/config.js";
import { authenticate, type AuthVariables } from "./authenticate.js";
import { jsonError } from "./errors.js";
import { METRIC, flushMetrics, metricsObject } from "../platform/metrics.js";
import type { Env } from "../platform/env.js";
import type { MetricsSnapshot, Summary } from "../durable-objects/metrics.js";

/** What `GET /api/metrics` answers. Counters are totals since `since`; `sockets.open` is the sum of the rooms' latest reports. */
export interface MetricsReport {
  since: string;
  requests: { total: number; byStatus: Record<string, number>; byRoute: Record<string, number> };
  sockets: { open: number; opened: number; closed: number };
  rooms: { loaded: number; withOpenSockets: number };
  frames: { in: number; bytesIn: number };
  rateLimited: { total: number; byBucket: Record<string, number> };
  ai: { calls: number; errors: number; byKind: Record<string, number>; latencyMs: Summary | null };
  /** Every counter by name, including any not grouped above. */
  counters: Record<string, number>;
}

/** Told to a caller from another machine when there is no admin sign-in to check. */
export const METRICS_NEED_ADMIN = "set ADMIN_USER_IDS and sign-in to read metrics";

/**
 * The `/api/metrics` sub-app.
 * @example app.route("/api/metrics", metricsRoute());
 */
export function metricsRoute(): Hono<{ Bindings: Env; Variables: AuthVariables }> {
  const route = new Hono<{ Bindings: Env; Variables: AuthVariables }>();
  route.get("/", authenticate(), async (c) => {
    const { auth } = readConfig(c.env);
    if (auth.configured) {
      const identity = c.get("identity");
      if (!identity) {
        c.header("www-authenticate", "Bearer");
        return jsonError(c, 401, "sign in as an admin (ADMIN_USER_IDS) to read metrics");
      }
      if (!auth.admins.has(identity.userId)) return jsonError(c, 403, "only ADMIN_USER_IDS may read metrics");
    } else if (!isLoopback(new URL(c.req.url).hostname, clientIp(c.req.raw))) {
      return jsonError(c, 403, METRICS_NEED_ADMIN);
    }
    await flushMetrics(c.env);
    const snapshot = await metricsObject(c.env).snapshot();
    c.header("cache-control", "no-store");
    return c.json(metricsReport(snapshot));
  });
  route.all("/", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on /api/metrics`));
  return route;
}

/**
 * Group a snapshot's counters by what they count.
 * @example metricsReport(await metricsObject(env).snapshot()).sockets.open
 */
export function metricsReport({ since, counters, gauges, observations }: MetricsSnapshot): MetricsReport {
  const count = (name: string) => counters[name] ?? 0;
  const openSockets = Object.values(gauges[METRIC.openSockets] ?? {});
  return {
    since,
    requests: {
      total: sum(withPrefix(counters, `${METRIC.requests}.status.`)),
      byStatus: withPrefix(counters, `${METRIC.requests}.status.`),
      byRoute: withPrefix(counters, `${METRIC.requests}.route.`),
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

/**
 * True for a request to this machine from this machine: a loopback host and, when known, a loopback client address.
 * Behind Cloudflare the host is the zone's and CF-Connecting-IP the real client, so this never holds when deployed.
 * @example isLoopback("localhost", "127.0.0.1") // true
 */
export function isLoopback(hostname: string, ip: string | null): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const hostOk = host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
  const ipOk = ip === null || ip === "::1" || /^(::ffff:)?127(\.\d{1,3}){3}$/i.test(ip);
  return hostOk && ipOk;
}

function withPrefix(counters: Record<string, number>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(counters)) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = value;
  return out;
}

function sum(values: Record<string, number>): number {
  return Object.values(values).reduce((a, b) => a + b, 0);
}
