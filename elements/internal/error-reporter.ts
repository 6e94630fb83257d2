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

/**
 * Drop what a page's own Sentry setup could have put on the shared global scope (same SDK version): its user, its
 * breadcrumbs, request data. What stays is the error, its stack and our tags.
 */
function scrub(event: ErrorEvent): ErrorEvent {
  delete event.user;
  delete event.breadcrumbs;
  delete event.request;
  return event;
}
