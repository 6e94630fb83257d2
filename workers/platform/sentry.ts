/**
 * The Sentry side of error-reports.ts, imported only once SENTRY_DSN is set: one CloudflareClient per isolate and DSN
 * (the SDK's client, transport format and event building, without its request and Durable Object wrappers: those proxy
 * every storage call and start a span per WebSocket message, and hono answers a route's error before withSentry sees it).
 * Each event carries our tags only: request id, route, room, object; no request, no headers, no user, no breadcrumbs.
 */
import { CloudflareClient, Scope, createTransport, type ErrorEvent } from "@sentry/cloudflare";
import { scrubText, type ErrorContext } from "./error-reports.js";

type ClientOptions = ConstructorParameters<typeof CloudflareClient>[0];
type StackFrame = ReturnType<ClientOptions["stackParser"]>[number];

/** How long a report may keep its request alive (waitUntil) while it is sent. */
const SEND_TIMEOUT_MS = 5_000;

let client: { dsn: string; environment: string; client: CloudflareClient } | null = null;

/**
 * Send one error with its context as tags, and wait until it is delivered (or SEND_TIMEOUT_MS passed).
 * @example await sendToSentry({ dsn: env.SENTRY_DSN, environment: "production" }, error, { worker: "spike", route });
 */
export async function sendToSentry(options: { dsn: string; environment: string }, error: unknown, context: ErrorContext): Promise<void> {
  const sentry = clientFor(options.dsn, options.environment);
  const scope = new Scope();
  scope.setClient(sentry);
  const tags: Record<string, string> = { worker: context.worker };
  if (context.requestId) tags.request_id = context.requestId;
  if (context.route) tags.route = context.route;
  if (context.room) tags.room = context.room.slice(0, 128);
  if (context.object) tags.durable_object = context.object;
  if (context.method) tags.method = context.method;
  scope.setTags(tags);
  sentry.captureException(error, { mechanism: { type: "auto.spike", handled: false } }, scope);
  await sentry.flush(SEND_TIMEOUT_MS);
}

function clientFor(dsn: string, environment: string): CloudflareClient {
  if (client?.dsn === dsn && client.environment === environment) return client.client;
  const created = new CloudflareClient({
    dsn,
    environment,
    // SDK 11's replacement of `sendDefaultPii: false`: collect no user, cookie, header, query string or body.
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      httpBodies: [],
      urlQueryParams: false,
      genAI: { inputs: false, outputs: false },
      stackFrameVariables: false,
      frameContextLines: 0,
    },
    integrations: [],
    maxBreadcrumbs: 0,
    stackParser: parseStack,
    transport: (transportOptions) =>
      createTransport(transportOptions, async (request) => {
        const response = await fetch(transportOptions.url, { method: "POST", body: request.body, headers: transportOptions.headers });
        await response.arrayBuffer().catch(() => undefined);
        return {
          statusCode: response.status,
          headers: { "x-sentry-rate-limits": response.headers.get("x-sentry-rate-limits"), "retry-after": response.headers.get("retry-after") },
        };
      }),
    beforeSend: scrubEvent,
  });
  created.init();
  client = { dsn, environment, client: created };
  return created;
}

/**
 * The last line of defence before an event leaves: drop what could carry a secret or file text (the request, user,
 * breadcrumbs, extra data, frame variables and source lines) and scrub the messages.
 */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  delete event.request;
  delete event.user;
  delete event.breadcrumbs;
  delete event.extra;
  if (event.message) event.message = scrubText(event.message);
  for (const exception of event.exception?.values ?? []) {
    if (exception.value) exception.value = scrubText(exception.value);
    for (const frame of exception.stacktrace?.frames ?? []) {
      delete frame.vars;
      delete frame.pre_context;
      delete frame.context_line;
      delete frame.post_context;
    }
  }
  return event;
}

/** V8 stack lines (`at fn (file:line:col)` or `at file:line:col`), as Sentry wants them: oldest call first. */
const FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/;

function parseStack(stack: string, skipFirstLines = 0, framesToPop = 0): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split("\n").slice(skipFirstLines)) {
    const match = FRAME.exec(line);
    if (!match) continue;
    const [, fn, file, lineno, colno] = match;
    frames.push({ function: fn ?? "?", filename: file, abs_path: file, lineno: Number(lineno), colno: Number(colno), in_app: !file!.includes("node_modules") });
  }
  return frames.slice(framesToPop).reverse();
}
