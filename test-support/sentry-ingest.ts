/**
 * A loopback Sentry ingest endpoint for tests: it takes what an SDK posts to `/api/<project>/envelope/` and parses the real
 * envelope format (a header line, then per item a header line and a payload, whose byte `length` the item header may give),
 * answering as Sentry does (200, CORS open, so a page's fetch transport reads the answer). No Sentry code of ours is faked:
 * the SDK under test builds and sends the envelopes.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One envelope item: its header and its payload (parsed as JSON when it is JSON). */
export interface EnvelopeItem {
  header: { type: string; length?: number; [key: string]: unknown };
  payload: unknown;
}

/** One envelope as it arrived. */
export interface ReceivedEnvelope {
  project: string;
  /** The DSN's public key, from the `sentry_key` query parameter (browser SDKs send no auth header). */
  key: string | null;
  headers: IncomingHttpHeaders;
  /** The whole body, to check what it must not contain. */
  raw: string;
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

/** A running ingest endpoint. */
export interface SentryIngest {
  /** A DSN pointing here: `http://<key>@127.0.0.1:<port>/<project>`. */
  dsn: string;
  /** Every envelope received, in order. */
  envelopes: ReceivedEnvelope[];
  /** Every request, envelope or not (a path and method each). */
  requests: string[];
  /** The error events received (items of type "event"). */
  events(): Record<string, any>[];
  close(): Promise<void>;
}

/**
 * Parse a Sentry envelope: newline-separated JSON header, then items (header line, payload of `length` bytes or up to the
 * next newline). Throws on anything else.
 * @example parseEnvelope(Buffer.from('{}\n{"type":"event"}\n{"message":"x"}\n'))
 */
export function parseEnvelope(body: Buffer): { header: Record<string, unknown>; items: EnvelopeItem[] } {
  let at = 0;
  const line = (): Buffer => {
    const end = body.indexOf(0x0a, at);
    const slice = body.subarray(at, end === -1 ? body.length : end);
    at = end === -1 ? body.length : end + 1;
    return slice;
  };
  const header = JSON.parse(line().toString("utf8")) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  while (at < body.length) {
    const headerLine = line();
    if (headerLine.length === 0) continue;
    const itemHeader = JSON.parse(headerLine.toString("utf8")) as EnvelopeItem["header"];
    if (typeof itemHeader.type !== "string") throw new Error("envelope item without a type");
    let payload: Buffer;
    if (typeof itemHeader.length === "number") {
      payload = body.subarray(at, at + itemHeader.length);
      if (payload.length !== itemHeader.length) throw new Error("envelope item shorter than its length");
      at += itemHeader.length;
      if (body[at] === 0x0a) at++;
    } else {
      payload = line();
    }
    const text = payload.toString("utf8");
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // an attachment, kept as text
    }
    items.push({ header: itemHeader, payload: parsed });
  }
  return { header, items };
}

/**
 * Start an ingest endpoint on a free loopback port.
 * @example const ingest = await startSentryIngest(); reportErrors({ dsn: ingest.dsn });
 */
export async function startSentryIngest(project = "42", key = "spikepublickey"): Promise<SentryIngest> {
  const envelopes: ReceivedEnvelope[] = [];
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    requests.push(`${request.method} ${url.pathname}`);
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "*", "access-control-allow-methods": "POST" };
    if (request.method === "OPTIONS") return void response.writeHead(204, cors).end();
    const match = /^\/api\/([^/]+)\/envelope\/$/.exec(url.pathname);
    if (request.method !== "POST" || !match) return void response.writeHead(404, cors).end();
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      try {
        const { header, items } = parseEnvelope(body);
        envelopes.push({ project: match[1]!, key: url.searchParams.get("sentry_key"), headers: request.headers, raw: body.toString("utf8"), header, items });
        response.writeHead(200, { ...cors, "content-type": "application/json" }).end("{}");
      } catch (error) {
        response.writeHead(400, cors).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://${key}@127.0.0.1:${port}/${project}`,
    envelopes,
    requests,
    events: () => envelopes.flatMap((e) => e.items.filter((i) => i.header.type === "event").map((i) => i.payload as Record<string, any>)),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a browser's kept-alive connection would hold close() open
      }),
  };
}
