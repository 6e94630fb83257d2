/**
 * `GET /admin`: the operator's page: `/api/metrics` as tables (requests and latency by route, errors by route and by
 * Durable Object class, sockets, AI) and the last unhandled errors. Rendered here, no script; the same access rule as
 * `/api/metrics` (admin-access.ts): a Bearer token of an ADMIN_USER_IDS user, or, without sign-in, loopback only.
 */
import { Hono } from "hono";
import type { Env } from "../platform/env.js";
import type { Summary } from "../durable-objects/metrics.js";
import { adminOnly } from "./admin-access.js";
import type { AuthVariables } from "./authenticate.js";
import { readMetrics, type MetricsReport } from "./metrics-route.js";

/** No script, no outside resource, never framed, never cached. */
const PAGE_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
};

/**
 * The `/admin` sub-app.
 * @example app.route("/admin", adminRoute());
 */
export function adminRoute(): Hono<{ Bindings: Env; Variables: AuthVariables }> {
  const route = new Hono<{ Bindings: Env; Variables: AuthVariables }>();
  route.get("/", ...adminOnly(), async (c) => c.html(adminPage(await readMetrics(c.env)), 200, PAGE_HEADERS));
  return route;
}

/**
 * The page for a metrics report (every value escaped).
 * @example adminPage(await readMetrics(env))
 */
export function adminPage(report: MetricsReport): string {
  const routes = [...new Set([...Object.keys(report.requests.byRoute), ...Object.keys(report.requests.latencyMs)])].sort();
  const ms = (value: number | null | undefined) => (value === null || value === undefined ? "–" : value.toFixed(1));
  const latency = (route: string): Summary | undefined => report.requests.latencyMs[route];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>spike admin</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}h2{margin-top:2rem;font-size:1.1rem}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:13px}
@media (prefers-color-scheme:dark){body{background:#111;color:#ddd}td,th{border-color:#333}}
</style></head><body>
<h1>spike</h1>
<p>Counting since ${escape(report.since)}. ${report.requests.total} requests; ${report.sockets.open} sockets open in
${report.rooms.withOpenSockets} rooms; ${report.rateLimited.total} rate-limited; ${report.ai.calls} AI calls (${report.ai.errors} failed).</p>
<h2>Routes</h2>
${table(
  ["route", "requests", "errors", "p50 ms", "p95 ms", "max ms"],
  routes.map((route) => [
    td(`<code>${escape(route)}</code>`),
    num(report.requests.byRoute[route] ?? 0),
    num(report.errors.byRoute[route] ?? 0),
    num(ms(latency(route)?.p50)),
    num(ms(latency(route)?.p95)),
    num(ms(latency(route)?.max)),
  ]),
)}
<h2>Errors by Durable Object class</h2>
${table(["class", "errors"], Object.entries(report.errors.byObject).map(([name, count]) => [td(escape(name)), num(count)]))}
<h2>Last errors</h2>
${table(
  ["time", "where", "error", "message", "room", "request id"],
  report.errors.recent.map((error) => [
    td(escape(error.at)),
    td(`<code>${escape(error.where)}</code>`),
    td(escape(error.name)),
    td(escape(error.message)),
    td(escape(error.room ?? "")),
    td(`<code>${escape(error.requestId ?? "")}</code>`),
  ]),
)}
<h2>Responses by status</h2>
${table(["status", "count"], Object.entries(report.requests.byStatus).map(([status, count]) => [td(escape(status)), num(count)]))}
</body></html>
`;
}

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return "<p>None.</p>";
  const header = `<tr>${head.map((name) => `<th>${escape(name)}</th>`).join("")}</tr>`;
  return `<table>${header}${rows.map((cells) => `<tr>${cells.join("")}</tr>`).join("")}</table>`;
}

/** A table cell of HTML the caller escaped. */
function td(html: string): string {
  return `<td>${html}</td>`;
}

function num(value: number | string): string {
  return `<td class="n">${escape(String(value))}</td>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
