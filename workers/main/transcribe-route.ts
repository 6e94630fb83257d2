/**
 * `POST /api/transcribe`: speech to text for <spike-chat>'s microphone button, through OpenAI's transcription endpoint
 * (whisper-1) with the official SDK. The body is the recording itself, typed by its `content-type` (see README "HTTP API").
 * Screened before it gets here (sign-in per AI_REQUIRE_SIGN_IN, then the "ai" rate-limit bucket; workers/main/index.ts),
 * and counted against the daily AI budget (ai-budget.ts) once nothing else can refuse it.
 */
import { Hono, type Context } from "hono";
import OpenAI, { toFile } from "openai";
import type { Transcript } from "../../core/api.js";
import { aiBudgetFields, spendAiBudget } from "../platform/ai-budget.js";
import { describeProviderError } from "../platform/ai-providers.js";
import { jsonError } from "./errors.js";
import { readConfig } from "../platform/config.js";
import type { Env } from "../platform/env.js";
import { measureAiCall } from "../platform/metrics.js";

/** Largest recording accepted; OpenAI's own limit is 25 MB, a spoken question is far below this. */
export const MAX_AUDIO_BYTES = 10 * 1024 * 1024;

/** The recording types accepted (parameters such as `;codecs=opus` are ignored), with the file extension sent to OpenAI. */
const AUDIO_TYPES: Record<string, string> = {
  "audio/webm": "webm",
  "audio/ogg": "ogg",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/mp4": "mp4",
  "audio/mpeg": "mp3",
};

/** Wait suggested after a provider 429 that named no Retry-After. */
const DEFAULT_RETRY_AFTER_S = 10;

/**
 * The `/api/transcribe` sub-app.
 * @example app.route("/api/transcribe", transcribeRoute());
 */
export function transcribeRoute(): Hono<{ Bindings: Env }> {
  const route = new Hono<{ Bindings: Env }>();
  route.post("/", async (c) => {
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    const extension = AUDIO_TYPES[type];
    if (!extension) {
      return jsonError(c, 415, `send the recording as the body with content-type ${Object.keys(AUDIO_TYPES).join(", ")}`);
    }
    const length = c.req.header("content-length");
    if (length === undefined) return jsonError(c, 411, "POST needs a Content-Length header");
    if (!(Number(length) > 0)) return jsonError(c, 400, "the recording is empty");
    if (Number(length) > MAX_AUDIO_BYTES) return jsonError(c, 413, `recording larger than ${MAX_AUDIO_BYTES} bytes`);
    const { apiKey, baseUrl } = readConfig(c.env).ai.openai;
    if (!apiKey) return jsonError(c, 503, "Set OPENAI_API_KEY (in .dev.vars or the environment) to use voice input");

    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength > MAX_AUDIO_BYTES) return jsonError(c, 413, `recording larger than ${MAX_AUDIO_BYTES} bytes`);
    const budget = await spendAiBudget(c.env);
    if (!budget.ok) {
      return jsonError(c, budget.status, budget.error, aiBudgetFields(budget), { "retry-after": String(budget.retryAfterSeconds) });
    }
    const client = new OpenAI({ apiKey, baseURL: baseUrl, maxRetries: 0 });
    try {
      const file = await toFile(bytes, `audio.${extension}`, { type });
      const result = await measureAiCall(c.env, "transcribe", () => client.audio.transcriptions.create({ file, model: "whisper-1" }));
      return c.json({ text: result.text } satisfies Transcript);
    } catch (error) {
      return providerFailure(c, error);
    }
  });
  route.all("/", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on /api/transcribe`));
  return route;
}

/** OpenAI's 429 stays a 429 (with its Retry-After); every other failure is the provider's, so a 502. */
function providerFailure(c: Context, error: unknown): Response {
  const message = describeProviderError("openai", error);
  if (error instanceof OpenAI.APIError && error.status === 429) {
    c.header("retry-after", error.headers?.get("retry-after") ?? String(DEFAULT_RETRY_AFTER_S));
    return jsonError(c, 429, message);
  }
  return jsonError(c, 502, message);
}
