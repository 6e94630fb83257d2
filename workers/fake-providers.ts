/**
 * Loopback stand-ins for the OpenAI and Anthropic HTTP APIs, speaking their real streaming wire formats (OpenAI chat
 * completion chunks as `data:` lines ending in `data: [DONE]`; Anthropic's named SSE events) and their real JSON error
 * bodies, so tests drive the official SDKs end to end. Replies are scripted per test; nothing here touches the internet.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { anthropicWire, openaiWire, type Wire } from "./fake-provider-wires.js";

/** One scripted answer of a fake provider. */
export type FakeReply =
  /** Stream `text` in chunks of `chunkSize` characters (default 8), `delayMs` apart (default 0). */
  | { kind?: "text"; text: string; chunkSize?: number; delayMs?: number }
  /** Answer with the provider's real JSON error body for this status (401, 429, 500, 529 …), before any streaming. */
  | { kind: "error"; status: number; retryAfter?: number }
  /** Stream the first half of `text`, then destroy the connection without the terminating event. */
  | { kind: "cut"; text: string; chunkSize?: number }
  /** Stream `text`, then keep the response open until the client goes away (for cancel tests). */
  | { kind: "hold"; text: string; chunkSize?: number };

/** A request a fake provider received. */
export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  /** The parsed JSON body (`{model, messages, stream, …}`), or null when it was not JSON. */
  body: Record<string, unknown> | null;
}

export interface FakeProvider {
  /** The value for `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:4321/v1` for OpenAI. */
  baseURL: string;
  /** The API key this fake accepts; any other key gets the provider's 401. */
  apiKey: string;
  /** Every request so far, in order. */
  requests: FakeRequest[];
  /** Queue replies for the next requests, in order; once the queue is empty, `defaultReply` answers. */
  script(...replies: FakeReply[]): void;
  /** What answers when nothing is queued; settable. */
  defaultReply: FakeReply;
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}

export interface FakeProviderOptions {
  /** The key to accept (default `"test-key"`). */
  apiKey?: string;
  /** Replies queued from the start. */
  replies?: FakeReply[];
}

/**
 * A fake OpenAI API: POST /v1/chat/completions with `stream: true`, and POST /v1/audio/transcriptions (multipart, as the
 * SDK sends it), which answers a scripted `text` reply as `{"text": …}` and an error reply with the same error bodies.
 * Both draw on the one reply queue. A transcription request is recorded with body `{model, file: {name, type, size}}`.
 * @example
 * const openai = await startFakeOpenAI({ replies: [{ text: "Hello!" }] });
 * startTestWorker({ vars: { OPENAI_BASE_URL: openai.baseURL, OPENAI_API_KEY: openai.apiKey } });
 */
export function startFakeOpenAI(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  return startFake("/v1", options, (request, key) => request.headers.authorization === `Bearer ${key}`, openaiWire, {
    "/v1/audio/transcriptions": transcription,
  });
}

/**
 * A fake Anthropic API (POST /v1/messages with `stream: true`).
 * @example
 * const anthropic = await startFakeAnthropic({ replies: [{ kind: "error", status: 429 }] });
 * startTestWorker({ vars: { ANTHROPIC_BASE_URL: anthropic.baseURL, ANTHROPIC_API_KEY: anthropic.apiKey } });
 */
export function startFakeAnthropic(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  // The API takes the key as `x-api-key`; SDK 1.x sends it as a bearer token instead. Accept either.
  const authorized = (request: FakeRequest, key: string) =>
    request.headers["x-api-key"] === key || request.headers.authorization === `Bearer ${key}`;
  return startFake("", options, authorized, anthropicWire);
}

async function startFake(
  prefix: string,
  { apiKey = "test-key", replies = [] }: FakeProviderOptions,
  authorized: (request: FakeRequest, apiKey: string) => boolean,
  wire: Wire,
  /** Further JSON endpoints by path, given the raw request body; they answer with the reply the queue holds. */
  endpoints: Record<string, Endpoint> = {},
): Promise<FakeProvider> {
  const queue = [...replies];
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const provider = {
    baseURL: "",
    apiKey,
    requests,
    defaultReply: { text: "Hello from the fake provider." } as FakeReply,
    script: (...more: FakeReply[]) => void queue.push(...more),
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  } satisfies FakeProvider;

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const path = (req.url ?? "/").split("?")[0]!;
    const endpoint = req.method === "POST" ? endpoints[path] : undefined;
    let body: Record<string, unknown> | null = null;
    try {
      body = endpoint ? await endpoint.parse(req, raw) : (JSON.parse(raw.toString("utf8")) as Record<string, unknown>);
    } catch {
      // recorded as null
    }
    const request: FakeRequest = { method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body };
    requests.push(request);
    if (endpoint) {
      const reply: FakeReply = authorized(request, apiKey) ? (queue.shift() ?? provider.defaultReply) : { kind: "error", status: 401 };
      return endpoint.answer(res, reply, body, wire);
    }
    if (request.method !== "POST" || path !== wire.path) {
      return sendJson(res, 404, wire.errorBody(404));
    }
    const reply: FakeReply = authorized(request, apiKey) ? (queue.shift() ?? provider.defaultReply) : { kind: "error", status: 401 };
    await serve(res, reply, wire, String(body?.model ?? "unknown"));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  provider.baseURL = `http://127.0.0.1:${port}${prefix}`;
  return provider;
}

async function serve(res: ServerResponse, reply: FakeReply, wire: Wire, model: string): Promise<void> {
  if (reply.kind === "error") {
    const headers: Record<string, string> = {};
    if (reply.retryAfter !== undefined) headers["retry-after"] = String(reply.retryAfter);
    return sendJson(res, reply.status, wire.errorBody(reply.status), headers);
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const chunks = chunk(reply.text, reply.chunkSize ?? 8);
  const delayMs = reply.kind === undefined || reply.kind === "text" ? (reply.delayMs ?? 0) : 0;
  const send = (frame: string) => res.write(frame);
  for (const frame of wire.start(model)) send(frame);
  const upTo = reply.kind === "cut" ? Math.max(1, Math.floor(chunks.length / 2)) : chunks.length;
  for (const piece of chunks.slice(0, upTo)) {
    if (res.destroyed) return;
    send(wire.delta(piece, model));
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  if (reply.kind === "cut") {
    // Let the written frames leave, then drop the connection mid-stream (no final event, no chunked terminator).
    await new Promise((resolve) => setTimeout(resolve, 50));
    res.socket?.destroy();
    return;
  }
  if (reply.kind === "hold") {
    await new Promise<void>((resolve) => res.once("close", () => resolve()));
    return;
  }
  for (const frame of wire.end(model)) send(frame);
  res.end();
}

/** A non-streaming endpoint of a fake: how its body is read, and how a reply is answered. */
interface Endpoint {
  parse(req: IncomingMessage, raw: Buffer): Promise<Record<string, unknown> | null>;
  answer(res: ServerResponse, reply: FakeReply, body: Record<string, unknown> | null, wire: Wire): void;
}

/** OpenAI's POST /v1/audio/transcriptions: multipart with a `file` and a `model` field; answers `{text}` (json format). */
const transcription: Endpoint = {
  async parse(req, raw) {
    const form = await new Request("http://fake.local/", {
      method: "POST",
      headers: { "content-type": String(req.headers["content-type"] ?? "") },
      body: raw,
    }).formData();
    const file = form.get("file");
    return {
      model: form.get("model"),
      file: typeof file === "object" && file !== null ? { name: file.name, type: file.type, size: file.size } : null,
    };
  },
  answer(res, reply, body, wire) {
    if (reply.kind === "error") {
      const headers: Record<string, string> = {};
      if (reply.retryAfter !== undefined) headers["retry-after"] = String(reply.retryAfter);
      return sendJson(res, reply.status, wire.errorBody(reply.status), headers);
    }
    const file = body?.["file"] as { size?: number } | null | undefined;
    if (!body || typeof body["model"] !== "string" || !file?.size) {
      return sendJson(res, 400, {
        error: { message: "Expected a multipart body with a non-empty `file` and a `model`.", type: "invalid_request_error", param: "file", code: null },
      });
    }
    sendJson(res, 200, { text: reply.text });
  },
};

function chunk(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (piece: Buffer) => chunks.push(piece));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
