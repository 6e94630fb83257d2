/**
 * One JSON log line and two counters per request, plus `Server-Timing` on the answer. Runs outermost (after the request
 * id), so it sees the final status of every route, including errors turned into 500s and 404s.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { RequestIdVariables } from "hono/request-id";
import { matchedRoutes } from "hono/route";
import { clientIp } from "../platform/caller.js";
import { readConfig } from "../platform/config.js";
import type { AuthVariables } from "./authenticate.js";
import { configureLog, logEvent } from "../platform/log.js";
import type { Env } from "../platform/env.js";
import { METRIC, countMetric, observeMetric, type MetricsEnv } from "../platform/metrics.js";

/** Phases measured inside a request, by its Request object (the helpers that time a room call see only the request). */
const timings = new WeakMap<Request, { name: string; ms: number }[]>();

/**
 * Add a `Server-Timing` entry (`name;dur=ms`) to the answer of `request`.
 * @example recordTiming(c.req.raw, "room", 12.5)
 */
export function recordTiming(request: Request, name: string, ms: number): void {
  let list = timings.get(request);
  if (!list) timings.set(request, (list = []));
  list.push({ name, ms });
}

/**
 * Await `work` and record how long it took as `Server-Timing` entry `name`.
 * @example return timed(c.req.raw, "room", stub.fetch(request));
 */
export async function timed<T>(request: Request, name: string, work: Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work;
  } finally {
    recordTiming(request, name, performance.now() - started);
  }
}

/**
 * Wrap a middleware so its own time (not its `next()`) shows as a `Server-Timing` entry.
 * @example live.use("/:room/*", timedMiddleware("auth", authenticate()));
 */
export function timedMiddleware<M extends MiddlewareHandler<any>>(name: string, middleware: M): M {
  const wrapped: MiddlewareHandler = async function timedMiddleware(c, next) {
    const started = performance.now();
    let phaseEnd: number | null = null;
    const result = await middleware(c, async () => {
      phaseEnd = performance.now();
      await next();
    });
    // Answered without calling next (e.g. a 401): its whole time is this phase.
    recordTiming(c.req.raw, name, (phaseEnd ?? performance.now()) - started);
    return result;
  };
  return wrapped as M;
}

type LogEnv = { Bindings: MetricsEnv & Pick<Env, "LOG_LEVEL">; Variables: RequestIdVariables & Partial<AuthVariables> };

/**
 * Middleware: log `{type: "request", requestId, method, route, status, durationMs, room, userId, ip}` (never the query
 * string, headers or body), count `requests.status.<class>` and `requests.route.<METHOD> <route>`, observe the duration
 * as `request_ms.<METHOD> <route>` (p50/p95 by route), and set
 * `Server-Timing: total;dur=…` (plus `auth`, `room` where measured) and `X-Request-Id` on the answer.
 * @example app.use(requestId(), requestLog());
 */
export function requestLog(): MiddlewareHandler<LogEnv> {
  return async function requestLog(c, next) {
    configureLog(readConfig(c.env).logLevel);
    const started = performance.now();
    await next();
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const status = c.res.status;
    const route = routeOf(c);
    const identity = c.get("identity");
    logEvent({
      level: status === 500 ? "error" : status >= 500 ? "warn" : "info",
      type: "request",
      requestId: c.get("requestId"),
      method: c.req.method,
      route,
      status,
      durationMs,
      room: roomOf(c),
      userId: identity?.userId ?? null,
      ip: clientIp(c.req.raw),
    });
    countMetric(c.env, `${METRIC.requests}.status.${Math.floor(status / 100)}xx`);
    countMetric(c.env, `${METRIC.requests}.route.${c.req.method.slice(0, 16)} ${route}`);
    observeMetric(c.env, `${METRIC.requestMs}.${c.req.method.slice(0, 16)} ${route}`, durationMs);
    // A 101 carries the socket: its headers are the handshake's, leave them alone.
    if (status === 101) return;
    const entries = [...(timings.get(c.req.raw) ?? []), { name: "total", ms: durationMs }];
    setResponseHeaders(c, {
      "server-timing": entries.map(({ name, ms }) => `${name};dur=${ms.toFixed(1)}`).join(", "),
      "x-request-id": c.get("requestId"),
    });
  };
}

/**
 * Set headers on `c.res`, copying the response first when its headers are immutable (a fetch or Durable Object answer).
 * @example setResponseHeaders(c, { "x-content-type-options": "nosniff" });
 */
export function setResponseHeaders(c: Context, headers: Record<string, string | undefined>): void {
  const entries = Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined);
  try {
    for (const [name, value] of entries) c.res.headers.set(name, value);
  } catch {
    const copy = new Response(c.res.body, c.res);
    for (const [name, value] of entries) copy.headers.set(name, value);
    c.res = copy;
  }
}

/**
 * The pattern of the route that answered, e.g. `/live/:room/ws`; `(none)` when no route did (404s and static assets).
 * Patterns, not paths: a log or a counter never holds a room name or a file name this way.
 * @example logError(err, { route: routeOf(c) });
 */
export function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  const route = routes[c.req.routeIndex];
  // Middleware takes (c, next). The last matched one having run and passed on means nothing answered: the not-found
  // handler did. A middleware that answered itself (a 401, a 429) is named by its pattern.
  if (!route || (route.handler.length >= 2 && c.req.routeIndex === routes.length - 1)) return "(none)";
  return route.path;
}

/**
 * The room a `/live/<room>/…` request is for (decoded, at most 128 characters), else null.
 * @example reportError(env, err, { room: roomOf(c), … })
 */
export function roomOf(c: Context): string | null {
  const room = /^\/live\/([^/]+)/.exec(c.req.path)?.[1];
  if (room === undefined) return null;
  try {
    return decodeURIComponent(room).slice(0, 128);
  } catch {
    return room.slice(0, 128);
  }
}
