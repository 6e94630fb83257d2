/**
 * A loopback Sentry for tests: accepts `POST /api/<project>/envelope/` as Sentry's ingest does and parses the real envelope
 * format (https://develop.sentry.dev/sdk/data-model/envelopes/): a JSON header line, then items, each a JSON item header
 * (with `length` in bytes, or up to the next newline) and its payload. Keeps every request, raw, for tests to search.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One envelope item: its header and its payload (parsed when it is JSON). */
export interface EnvelopeItem {
  header: { type: string; length?: number; [field: string]: unknown };
  payload: unknown;
}

/** One request the server received. */
export interface ReceivedEnvelope {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as text, for tests that search it for what must not be there. */
  raw: string;
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

export interface FakeSentry {
  /** A DSN pointing here: `http://<key>@127.0.0.1:<port>/<project>`. */
  dsn: string;
  received: ReceivedEnvelope[];
  close(): Promise<void>;
}

/**
 * Start the server on a free loopback port.
 * @example const sentry = await startFakeSentry(); … vars: { SENTRY_DSN: sentry.dsn }
 */
export async function startFakeSentry(project = "42"): Promise<FakeSentry> {
  const received: ReceivedEnvelope[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      try {
        if (request.method !== "POST" || !/^\/api\/\d+\/envelope\/?(\?|$)/.test(request.url ?? "")) throw new Error(`unexpected ${request.method} ${request.url}`);
        received.push({ path: request.url!, headers: request.headers, raw: body.toString("utf8"), ...parseEnvelope(body) });
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      } catch (error) {
        response.writeHead(400, { "content-type": "text/plain" }).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://public0123456789@127.0.0.1:${port}/${project}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Split an envelope into its header and items. Throws on a malformed one.
 * @example parseEnvelope(Buffer.from('{"event_id":"x"}\n{"type":"event","length":2}\n{}'))
 */
export function parseEnvelope(body: Buffer): { header: Record<string, unknown>; items: EnvelopeItem[] } {
  let offset = 0;
  const line = (): Buffer => {
    const end = body.indexOf(0x0a, offset);
    const slice = body.subarray(offset, end === -1 ? body.length : end);
    offset = end === -1 ? body.length : end + 1;
    return slice;
  };
  const header = JSON.parse(line().toString("utf8")) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  while (offset < body.length) {
    const itemLine = line();
    if (itemLine.length === 0) continue;
    const itemHeader = JSON.parse(itemLine.toString("utf8")) as EnvelopeItem["header"];
    let payload: Buffer;
    if (typeof itemHeader.length === "number") {
      payload = body.subarray(offset, offset + itemHeader.length);
      if (payload.length !== itemHeader.length) throw new Error(`item of ${itemHeader.length} bytes is cut short`);
      offset += itemHeader.length;
      if (body[offset] === 0x0a) offset += 1;
    } else {
      payload = line();
    }
    const text = payload.toString("utf8");
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // an attachment or other non-JSON payload: kept as text
    }
    items.push({ header: itemHeader, payload: parsed });
  }
  return { header, items };
}
