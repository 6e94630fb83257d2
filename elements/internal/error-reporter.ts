/**
 * The Sentry side of elements/internal/error-reports.ts, in its own chunk: a BrowserClient on a Scope of its own (never
 * `Sentry.init`, which would take over the page's global handlers and its own Sentry setup), with no integration that
 * watches the page (no global handlers, breadcrumbs, console or request data), so it sends only what the elements hand it.
 */
import { BrowserClient, Scope, dedupeIntegration, defaultStackParser, linkedErrorsIntegration, makeFetchTransport } from "@sentry/browser";
import type { ErrorEvent } from "@sentry/browser";
import type { ErrorReportOptions } from "./error-reports.js";

/** What an element was doing when it failed: its tag name, the step, and its room when it has one. */
export interface ElementErrorContext {
  element: string;
  step: string;
  room?: string | undefined;
}

/** Sends one element error. */
export type ErrorReporter = (error: unknown, context: ElementErrorContext) => void;

/**
 * A reporter sending to `options.dsn` through a client scoped to spike.
 * @example createErrorReporter({ dsn })(error, { element: "spike-preview", step: "frame" });
 */
export function createErrorReporter(options: ErrorReportOptions): ErrorReporter {
  const client = new BrowserClient({
    dsn: options.dsn,
    environment: options.environment,
    release: options.release,
    sampleRate: options.sampleRate ?? 1,
    transport: makeFetchTransport,
    stackParser: defaultStackParser,
    integrations: [dedupeIntegration(), linkedErrorsIntegration()],
    // SDK 11's successor of sendDefaultPii: false. None of these integrations collects them; this keeps it so.
    dataCollection: { userInfo: false, cookies: false, httpHeaders: false, httpBodies: [], urlQueryParams: false },
    maxBreadcrumbs: 0,
    beforeSend: scrub,
  });
  const scope = new Scope();
  scope.setClient(client);
  client.init();
  return (error, { element, step, room }) => {
    const tags: Record<string, string> = { "spike.element": element, "spike.step": step };
    if (room) tags["spike.room"] = room;
    scope.captureException(error, { captureContext: { tags } });
  };
}

/** The event fields a report keeps: the error and where it comes from, nothing of the page. */
const KEPT = ["event_id", "timestamp", "platform", "level", "exception", "message", "environment", "release", "dist", "sdk", "debug_meta"] as const;

/**
 * Keep only the error, its stack and our own tags. A page that runs Sentry itself (same SDK version) shares the SDK's
 * global and isolation scopes with us, and every capture merges them in: its user, tags, contexts, extras and
 * breadcrumbs would ride along. An allow-list drops all of that, and whatever a later SDK adds.
 */
function scrub(event: ErrorEvent): ErrorEvent {
  const kept: Record<string, unknown> = {};
  for (const key of KEPT) if (event[key] !== undefined) kept[key] = event[key];
  kept["tags"] = Object.fromEntries(Object.entries(event.tags ?? {}).filter(([key]) => key.startsWith("spike.")));
  return kept as unknown as ErrorEvent;
}
