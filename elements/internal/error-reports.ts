/**
 * Error reports from the elements themselves (a chunk that failed to load, a server the element cannot reach, an exception
 * in an element's own update), never from the page's code or the user code a preview runs. Off unless the page opts in,
 * with `reportErrors({ dsn })` or `<meta name="spike-sentry-dsn" content="…">`; even then @sentry/browser loads (its own
 * chunk, elements/internal/error-reporter.ts) only when an element first has something to report.
 */
import type { ErrorReporter } from "./error-reporter.js";

/** Where and how the elements report their errors: a Sentry project of the page's owner. */
export interface ErrorReportOptions {
  /** The Sentry project's DSN, `https://<public key>@<host>/<project id>`. */
  dsn: string;
  /** Sentry's `environment` of each report (say `production`). */
  environment?: string | undefined;
  /** Sentry's `release` of each report (say the spike version the page pins). */
  release?: string | undefined;
  /** The share of errors sent, 0 to 1. Default 1. */
  sampleRate?: number | undefined;
}

/** What the page chose: options, null (opted out by a call), or undefined (no call: the meta tag decides). */
let chosen: ErrorReportOptions | null | undefined;
let reporter: Promise<ErrorReporter> | null = null;
/** What was reported (element, step, message): an element retrying a server that is down reports it once per page. */
const reported = new Set<string>();

/**
 * Opt in to error reports from the spike elements on this page (or out, with null). Only the elements' own errors are
 * sent, through a Sentry client of their own: the page's errors, its own Sentry setup and the preview's user code are
 * left alone. Throws a TypeError for a DSN that is not one.
 * @example reportErrors({ dsn: "https://abc123@o1.ingest.sentry.io/42", environment: "production" });
 */
export function reportErrors(options: ErrorReportOptions | null): void {
  if (options && !isDsn(options.dsn)) throw new TypeError(`not a Sentry DSN: "${options.dsn}" (https://<key>@<host>/<project id>)`);
  chosen = options;
  reporter = null;
}

/**
 * Report an error of `host` (an element of ours) at `step` (what it was doing), if the page opted in; otherwise nothing
 * happens, at no cost. The same failure (element, step, message) is reported once per page.
 * @example reportElementError(this, "load", error);
 */
export function reportElementError(host: Element, step: string, error: unknown): void {
  const options = chosen === undefined ? fromMeta() : chosen;
  if (!options) return;
  const key = `${host.localName}\n${step}\n${error instanceof Error ? error.message : String(error)}`;
  if (reported.has(key)) return;
  reported.add(key);
  const context = { element: host.localName, step, room: (host as { room?: string }).room };
  reporter ??= import("./error-reporter.js").then((m) => m.createErrorReporter(options));
  reporter.then(
    (report) => report(error, context),
    () => (reporter = null), // the chunk did not load: try again at the next error
  );
}

/** The DSN of `<meta name="spike-sentry-dsn">`, read at each error (a page may add it late); a bad one is ignored. */
function fromMeta(): ErrorReportOptions | null {
  const dsn = document.querySelector<HTMLMetaElement>('meta[name="spike-sentry-dsn"]')?.content.trim();
  if (!dsn) return null;
  if (isDsn(dsn)) return { dsn };
  console.warn(`spike: <meta name="spike-sentry-dsn"> is not a Sentry DSN; no error reports`);
  return null;
}

function isDsn(dsn: unknown): boolean {
  try {
    const url = new URL(dsn as string);
    return /^https?:$/.test(url.protocol) && !!url.username && url.pathname.length > 1;
  } catch {
    return false;
  }
}
