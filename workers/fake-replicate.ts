/**
 * A loopback stand-in for Replicate's prediction API, next to the OpenAI and Anthropic fakes (fake-providers.ts), so tests
 * drive the official `replicate` SDK end to end: `POST /v1/models/<owner>/<name>/predictions` and `POST /v1/predictions`
 * (with a `version`), with and without `Prefer: wait`; `GET /v1/predictions/<id>` to poll; `POST
 * /v1/predictions/<id>/cancel`; and the output file itself, served from the same loopback address as Replicate serves it
 * from its file host. Errors are Replicate's problem+json bodies. Outcomes are scripted per test; nothing here touches the
 * internet.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One scripted outcome of the next prediction created. */
export type FakePrediction =
  /**
   * Succeeds with `image` (served as `type`, default image/png). With `polls` > 0 it is still `starting` when created (even
   * under `Prefer: wait`, as when the wait runs out) and `processing` for `polls - 1` further GETs.
   */
  | { kind?: "succeed"; image: Uint8Array; type?: string; polls?: number; output?: "list" | "string" }
  /** Ends `failed` with this `error`, after `polls` GETs as above. */
  | { kind: "fail"; error: string; polls?: number }
  /** Ends `canceled` (canceled on Replicate's side, e.g. from its dashboard), after `polls` GETs. */
  | { kind: "cancel"; polls?: number }
  /** Runs until canceled through the API (`POST /v1/predictions/<id>/cancel`). */
  | { kind: "hang" }
  /** The create call answers this HTTP status with Replicate's error body (404 unknown model, 422 bad input, 500 …). */
  | { kind: "error"; status: number };

/** A request the fake received. */
export interface FakeReplicateRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  /** The parsed JSON body, or null. */
  body: Record<string, unknown> | null;
}

export interface FakeReplicate {
  /** The value for `REPLICATE_BASE_URL`, e.g. `http://127.0.0.1:4321/v1`. */
  baseURL: string;
  /** The token this fake accepts; any other gets Replicate's 401. */
  token: string;
  requests: FakeReplicateRequest[];
  /** Queue outcomes for the next predictions, in order; once empty, `defaultPrediction` answers. */
  script(...outcomes: FakePrediction[]): void;
  defaultPrediction: FakePrediction;
  /** Every prediction so far by id, with its current status. */
  predictions: Map<string, { status: string; model: string; input: unknown }>;
  close(): Promise<void>;
}

interface Running {
  id: string;
  model: string;
  version: string;
  input: unknown;
  outcome: FakePrediction;
  /** GETs left before it ends. */
  polls: number;
  status: "starting" | "processing" | "succeeded" | "failed" | "canceled";
  created: string;
}

/**
 * Start the fake on 127.0.0.1 with a free port.
 * @example
 * const replicate = await startFakeReplicate();
 * replicate.script({ image: png, polls: 2 });
 * startTestWorker({ vars: { REPLICATE_API_TOKEN: replicate.token, REPLICATE_BASE_URL: replicate.baseURL } });
 */
export async function startFakeReplicate({ token = "r8_test" }: { token?: string } = {}): Promise<FakeReplicate> {
  const queue: FakePrediction[] = [];
  const running = new Map<string, Running>();
  const sockets = new Set<Socket>();
  let next = 0;
  let origin = "";
  const fake: FakeReplicate = {
    baseURL: "",
    token,
    requests: [],
    script: (...outcomes) => void queue.push(...outcomes),
    defaultPrediction: { kind: "error", status: 500 },
    predictions: new Map(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const view = (p: Running) => {
    fake.predictions.set(p.id, { status: p.status, model: p.model, input: p.input });
    const done = p.status === "succeeded" || p.status === "failed" || p.status === "canceled";
    const outcome = p.outcome;
    const file = `${origin}/files/${p.id}/out-0.${extension(outcome.kind === undefined || outcome.kind === "succeed" ? (outcome.type ?? "image/png") : "")}`;
    const output =
      p.status !== "succeeded" ? null : outcome.kind === undefined || outcome.kind === "succeed" ? (outcome.output === "string" ? file : [file]) : null;
    return {
      id: p.id,
      model: p.model,
      version: p.version,
      input: p.input,
      logs: "",
      output,
      data_removed: false,
      error: p.status === "failed" && outcome.kind === "fail" ? outcome.error : null,
      status: p.status,
      source: "api",
      created_at: p.created,
      ...(done ? { completed_at: new Date().toISOString() } : {}),
      urls: {
        get: `${origin}/v1/predictions/${p.id}`,
        cancel: `${origin}/v1/predictions/${p.id}/cancel`,
        web: `https://replicate.com/p/${p.id}`,
      },
    };
  };

  /** Move a prediction one step on: each GET is one step. */
  const advance = (p: Running) => {
    if (p.status === "succeeded" || p.status === "failed" || p.status === "canceled") return;
    if (p.outcome.kind === "hang") {
      p.status = "processing";
      return;
    }
    if (p.polls > 0) {
      p.polls--;
      p.status = "processing";
      if (p.polls > 0) return;
    }
    p.status = p.outcome.kind === "fail" ? "failed" : p.outcome.kind === "cancel" ? "canceled" : "succeeded";
  };

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const path = (req.url ?? "/").split("?")[0]!;
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
    } catch {
      // recorded as null
    }
    fake.requests.push({ method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body });

    const file = /^\/files\/([^/]+)\/out-0\.\w+$/.exec(path);
    if (req.method === "GET" && file) {
      const p = running.get(file[1]!);
      if (!p || p.status !== "succeeded" || !(p.outcome.kind === undefined || p.outcome.kind === "succeed")) return problem(res, 404);
      res.writeHead(200, { "content-type": p.outcome.type ?? "image/png", "content-length": String(p.outcome.image.byteLength) });
      return void res.end(p.outcome.image);
    }
    if (req.headers.authorization !== `Bearer ${token}`) return problem(res, 401);

    const byModel = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(path);
    if (req.method === "POST" && (byModel || path === "/v1/predictions")) {
      const version = byModel ? "hidden" : String(body?.["version"] ?? "");
      const input = body?.["input"] as { prompt?: unknown } | undefined;
      if (!body || typeof input !== "object" || typeof input?.prompt !== "string" || !input.prompt || (!byModel && !/^[0-9a-f]{64}$/.test(version))) return problem(res, 422);
      const outcome = queue.shift() ?? fake.defaultPrediction;
      if (outcome.kind === "error") return problem(res, outcome.status);
      const p: Running = {
        id: `fake${String(++next).padStart(6, "0")}`,
        model: byModel ? `${byModel[1]}/${byModel[2]}` : "owner/versioned",
        version,
        input: body["input"],
        outcome,
        polls: outcome.kind === "hang" ? 0 : (outcome.polls ?? 0),
        status: "starting",
        created: new Date().toISOString(),
      };
      running.set(p.id, p);
      // `Prefer: wait`: answer once it is done, unless it still has polls to go (the wait ran out first).
      if (/^wait(=\d+)?$/.test(String(req.headers["prefer"] ?? "")) && p.polls === 0 && outcome.kind !== "hang") advance(p);
      return sendJson(res, 201, view(p));
    }
    const get = /^\/v1\/predictions\/([^/]+)$/.exec(path);
    if (req.method === "GET" && get) {
      const p = running.get(get[1]!);
      if (!p) return problem(res, 404);
      advance(p);
      return sendJson(res, 200, view(p));
    }
    const cancel = /^\/v1\/predictions\/([^/]+)\/cancel$/.exec(path);
    if (req.method === "POST" && cancel) {
      const p = running.get(cancel[1]!);
      if (!p) return problem(res, 404);
      if (p.status === "starting" || p.status === "processing") p.status = "canceled";
      return sendJson(res, 200, view(p));
    }
    problem(res, 404);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  fake.baseURL = `${origin}/v1`;
  return fake;
}

function extension(type: string): string {
  return { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif" }[type] ?? "bin";
}

/** Replicate's error bodies (application/problem+json). */
function problem(res: ServerResponse, status: number): void {
  const [title, detail] =
    status === 401
      ? ["Unauthenticated", "You did not pass a valid authentication token"]
      : status === 404
        ? ["Not found", "The requested resource could not be found."]
        : status === 422
          ? ["Input validation failed", "- input: prompt is required"]
          : status === 429
            ? ["Request was throttled", "Request was throttled. Your rate limit resets in ~10s."]
            : ["Internal server error", "Something went wrong on our end."];
  res.writeHead(status, { "content-type": "application/problem+json" });
  res.end(JSON.stringify({ type: "about:blank", title, detail, status }));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
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
