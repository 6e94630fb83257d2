/**
 * Image generation through Replicate's prediction API with the official `replicate` SDK: create a prediction (asking the
 * API to hold the answer with `Prefer: wait`), poll `GET /v1/predictions/<id>` while it is still running, then download
 * the output file. `REPLICATE_API_TOKEN` switches it on; `REPLICATE_BASE_URL` points it at a proxy, or at the loopback
 * fake the tests use (workers/fake-replicate.ts). Used by `POST /live/<room>/assets/generate` (workers/main/generate-route.ts).
 */
import Replicate, { type Prediction } from "replicate";
import type { Env } from "./env.js";

/** The model used when a request names none: fast and inexpensive (about $0.003 an image at the time of writing). */
export const DEFAULT_IMAGE_MODEL = "black-forest-labs/flux-schnell";
/** Longest prompt accepted, in characters. */
export const MAX_PROMPT_CHARS = 2000;
/** Largest output file accepted; bigger than any room asset may be, so the asset limits have the last word. */
export const MAX_OUTPUT_BYTES = 20 * 1024 * 1024;
/** How long the create call asks the API to hold its answer (`Prefer: wait=<n>`, at most 60 on Replicate). */
export const PREFER_WAIT_SECONDS = 60;
/** How long a generation may take in all before it is canceled on Replicate. */
export const GENERATION_TIMEOUT_MS = 120_000;

/**
 * `owner/name` (the model's latest version, `POST /v1/models/<owner>/<name>/predictions`) or `owner/name:<64 hex>` (one
 * version, `POST /v1/predictions`), as Replicate spells them.
 */
const MODEL = /^([a-z0-9][a-z0-9_.-]{0,63})\/([a-z0-9][a-z0-9_.-]{0,99})(?::([0-9a-f]{64}))?$/;

/** Replicate's settings: the token (null when unset), the endpoint (undefined: `https://api.replicate.com/v1`), the time limit. */
export interface ReplicateConfig {
  token: string | null;
  baseUrl: string | undefined;
  /** REPLICATE_TIMEOUT_SECONDS (default 120): a generation still running then is canceled on Replicate and answered 504. */
  timeoutMs: number;
}

/**
 * `REPLICATE_API_TOKEN` and `REPLICATE_BASE_URL` (the SDK's own names), and `REPLICATE_TIMEOUT_SECONDS`.
 * @example const { token } = replicateConfig(env); if (!token) return jsonError(c, 503, MISSING_TOKEN);
 */
export function replicateConfig(env: Pick<Env, "REPLICATE_API_TOKEN" | "REPLICATE_BASE_URL" | "REPLICATE_TIMEOUT_SECONDS">): ReplicateConfig {
  const seconds = Number(env.REPLICATE_TIMEOUT_SECONDS);
  return {
    token: env.REPLICATE_API_TOKEN || null,
    baseUrl: env.REPLICATE_BASE_URL || undefined,
    timeoutMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : GENERATION_TIMEOUT_MS,
  };
}

/** What a caller is told when no token is set. */
export const MISSING_TOKEN = "Set REPLICATE_API_TOKEN (in .dev.vars or the environment) to generate images";

/**
 * Why a model name is refused, or null when Replicate could know it.
 * @example modelError("black-forest-labs/flux-schnell") // null
 * @example modelError("flux") // 'model must be "owner/name" or "owner/name:<version>", not "flux"'
 */
export function modelError(model: string): string | null {
  return MODEL.test(model) ? null : `model must be "owner/name" or "owner/name:<64-hex version>", not ${JSON.stringify(model.slice(0, 200))}`;
}

/** A generated image: its bytes as Replicate served them, and where they came from. */
export interface GeneratedImage {
  bytes: Uint8Array;
  /** The output file's `content-type` (the asset store sniffs the bytes anyway). */
  type: string;
  predictionId: string;
  model: string;
}

/** A generation that did not give an image: the HTTP status it is answered with, and a message for people. */
export class GenerationError extends Error {
  constructor(
    readonly status: 400 | 429 | 502 | 504,
    message: string,
    /** Seconds to wait, from Replicate's `Retry-After` on a 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "GenerationError";
  }
}

export interface GenerateOptions {
  /** The settings; `timeoutMs` bounds the whole generation, download included. */
  config: ReplicateConfig & { token: string };
  model: string;
  prompt: string;
  /** Aborts the generation; a prediction already created is then canceled on Replicate. */
  signal?: AbortSignal;
  /** `Prefer: wait=<n>` seconds, or false to create without waiting and poll from the start. */
  wait?: number | false;
  /** Poll interval in ms (default 500, the SDK's). */
  pollMs?: number;
}

/**
 * Run `model` on `{prompt}` and download its first output file.
 * @throws GenerationError for every way it can fail (refused, failed, canceled, timed out, unreachable, no image).
 * @example
 * const image = await generateImage({ config: { ...replicateConfig(env), token }, model: DEFAULT_IMAGE_MODEL, prompt: "a red fox" });
 */
export async function generateImage({
  config,
  model,
  prompt,
  signal,
  wait = PREFER_WAIT_SECONDS,
  pollMs = 500,
}: GenerateOptions): Promise<GeneratedImage> {
  const parts = MODEL.exec(model);
  if (!parts) throw new GenerationError(400, modelError(model)!);
  const { timeoutMs } = config;
  const deadline = AbortSignal.timeout(timeoutMs);
  const stop = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const replicate = new Replicate({ auth: config.token, baseUrl: config.baseUrl, fetch: (input, init) => fetch(input, init) });
  const input = { prompt };
  let prediction: Prediction;
  try {
    prediction = await replicate.predictions.create({
      ...(parts[3] ? { version: parts[3] } : { model: `${parts[1]}/${parts[2]}` }),
      input,
      ...(wait === false ? {} : { wait }),
      signal: stop,
    });
    prediction = await replicate.wait(prediction, { interval: pollMs }, async () => stop.aborted);
  } catch (error) {
    throw describeFailure(error, model, stop, deadline);
  }
  if (prediction.status !== "succeeded" && prediction.status !== "failed" && prediction.status !== "canceled") {
    // Stopped while it ran: cancel it on Replicate, so it is not billed to the end.
    await replicate.predictions.cancel(prediction.id).catch(() => undefined);
    throw deadline.aborted
      ? new GenerationError(504, `Replicate did not finish within ${Math.round(timeoutMs / 1000)} s; the prediction was canceled`)
      : new GenerationError(502, "the generation was stopped; the prediction was canceled");
  }
  if (prediction.status === "failed") throw new GenerationError(502, `the prediction failed on Replicate: ${String(prediction.error ?? "no reason given")}`);
  if (prediction.status === "canceled") throw new GenerationError(502, `the prediction ${prediction.id} was canceled on Replicate`);
  const url = outputUrl(prediction.output);
  if (!url) throw new GenerationError(502, `${model} returned no image file`);
  return { ...(await download(url, stop)), predictionId: prediction.id, model };
}

/** The first file URL of an output: image models answer one URL or a list of them. */
function outputUrl(output: unknown): string | null {
  const first = Array.isArray(output) ? output[0] : output;
  return typeof first === "string" && /^https?:\/\//.test(first) ? first : null;
}

async function download(url: string, signal: AbortSignal): Promise<{ bytes: Uint8Array; type: string }> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    throw new GenerationError(502, `could not download the image from Replicate: ${(error as Error).message}`);
  }
  if (!response.ok) throw new GenerationError(502, `downloading the image from Replicate failed (${response.status})`);
  const length = Number(response.headers.get("content-length") ?? 0);
  if (length > MAX_OUTPUT_BYTES) throw new GenerationError(502, `the generated image is larger than ${MAX_OUTPUT_BYTES} bytes`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > MAX_OUTPUT_BYTES) throw new GenerationError(502, `the generated image is larger than ${MAX_OUTPUT_BYTES} bytes`);
  if (bytes.byteLength === 0) throw new GenerationError(502, "Replicate served an empty image file");
  return { bytes, type: (response.headers.get("content-type") ?? "application/octet-stream").split(";")[0]!.trim() };
}

/** An SDK error as a GenerationError: a model Replicate does not know or an input it refuses is the caller's 400. */
function describeFailure(error: unknown, model: string, stop: AbortSignal, deadline: AbortSignal): GenerationError {
  if (error instanceof GenerationError) return error;
  if (isApiError(error)) {
    const status = error.response.status;
    const detail = apiDetail(error);
    if (status === 401) return new GenerationError(502, "Replicate rejected the API token (401); check REPLICATE_API_TOKEN");
    if (status === 404) return new GenerationError(400, `Replicate does not know the model ${model} (404)`);
    if (status === 422 || status === 400) return new GenerationError(400, `Replicate refused the input for ${model} (${status}): ${detail}`);
    if (status === 429) {
      const retryAfter = Number(error.response.headers.get("retry-after"));
      return new GenerationError(429, "Replicate is rate limiting requests (429); try again in a moment", retryAfter > 0 ? retryAfter : 10);
    }
    return new GenerationError(502, `Replicate answered ${status}: ${detail}`);
  }
  const message = (error as Error)?.message ?? String(error);
  // The SDK's wait() throws "Prediction failed: <error>" for a prediction whose status is `failed`.
  if (/^Prediction failed: /.test(message)) return new GenerationError(502, `the prediction failed on Replicate: ${message.slice(19)}`);
  if (deadline.aborted) return new GenerationError(504, "Replicate did not answer in time");
  if (stop.aborted) return new GenerationError(502, "the generation was stopped");
  return new GenerationError(502, `could not reach Replicate: ${message}`);
}

/** The SDK's ApiError (a class it does not export): a response with a status. */
type ApiError = Error & { response: Response };

function isApiError(error: unknown): error is ApiError {
  return error instanceof Error && error.name === "ApiError" && (error as Partial<ApiError>).response instanceof Response;
}

/** Replicate's error bodies are `{title, detail, status}` (problem+json); the SDK puts the body in the message. */
function apiDetail(error: ApiError): string {
  const body = /: (\{.*\})\.$/s.exec(error.message)?.[1];
  try {
    const parsed = JSON.parse(body ?? "") as { detail?: unknown; title?: unknown };
    return String(parsed.detail ?? parsed.title ?? error.message);
  } catch {
    return error.message;
  }
}
