/**
 * `POST /live/<room>/assets/generate {prompt, model?, name?}`: an image from a prompt through Replicate
 * (workers/platform/replicate.ts), stored as a room asset the app can import (`import art from "./fox.png"`). It costs
 * provider money, so it is screened like a chat question: sign-in per AI_REQUIRE_SIGN_IN, the "ai" rate-limit bucket, the
 * room's edit right, then the daily AI budget, in that order, and only then is Replicate called. See README "Image
 * generation" and docs/PROTOCOL.md "HTTP routes on a room".
 */
import type { Context, Hono } from "hono";
import type { ImageGenerated } from "../../core/api.js";
import { isValidFileName } from "../../core/project.js";
import { aiBudgetFields, spendAiBudget } from "../platform/ai-budget.js";
import type { RoomResult } from "../durable-objects/room-api.js";
import type { Env } from "../platform/env.js";
import { logError } from "../platform/log.js";
import { measureAiCall } from "../platform/metrics.js";
import {
  DEFAULT_IMAGE_MODEL,
  GenerationError,
  MAX_PROMPT_CHARS,
  MISSING_TOKEN,
  generateImage,
  modelError,
  replicateConfig,
  type GeneratedImage,
} from "../platform/replicate.js";
import { aiAccess } from "./ai-access.js";
import { storeAsset } from "./asset-routes.js";
import type { AuthVariables } from "./authenticate.js";
import { limitBody } from "./body-limit.js";
import { jsonError } from "./errors.js";
import { rateLimit } from "./rate-limit-middleware.js";
import { callerOf, refusal, roomOf } from "./room-answer.js";
import { timed } from "./request-log.js";

type LiveEnv = { Bindings: Env; Variables: AuthVariables };

/** Largest request body: a prompt of MAX_PROMPT_CHARS, escaped, with room to spare. */
export const MAX_GENERATE_BODY_BYTES = 16 * 1024;

/** A generate request, validated. */
export interface GenerateRequest {
  prompt: string;
  model: string;
  /** The asset's name; derived from the prompt and the image's type when absent. */
  name: string | null;
}

/**
 * Add the route to the room routes (workers/main/live-routes.ts), ahead of the asset routes so `generate` is never read
 * as an asset's name.
 * @example generateRoutes(live);
 */
export function generateRoutes(live: Hono<LiveEnv>): void {
  const path = "/:room/assets/generate";
  live.post(path, aiAccess(), rateLimit({ bucket: "ai" }), limitBody("generate request", MAX_GENERATE_BODY_BYTES), generate);
  live.all(path, (c) => jsonError(c, 405, `method ${c.req.method} not allowed on assets/generate; POST {prompt, model?, name?}`));
}

async function generate(c: Context<LiveEnv>): Promise<Response> {
  const parsed = parseGenerateRequest(await c.req.text());
  if (typeof parsed === "string") return jsonError(c, 400, parsed);
  const config = replicateConfig(c.env);
  const token = config.token;
  if (!token) return jsonError(c, 503, MISSING_TOKEN);
  const admission: Promise<RoomResult<{ admitted: true }>> = roomOf(c).admitGeneration(callerOf(c));
  const admitted = await timed(c.req.raw, "room", admission);
  if (!admitted.ok) return refusal(c, admitted);
  const budget = await spendAiBudget(c.env);
  if (!budget.ok) return jsonError(c, budget.status, budget.error, aiBudgetFields(budget), { "retry-after": String(budget.retryAfterSeconds) });

  let image: GeneratedImage;
  try {
    image = await measureAiCall(c.env, "image", () =>
      generateImage({ config: { ...config, token }, model: parsed.model, prompt: parsed.prompt, signal: c.req.raw.signal }),
    );
  } catch (error) {
    if (!(error instanceof GenerationError)) {
      logError(error, { type: "image_generation" });
      return jsonError(c, 502, "the image could not be generated");
    }
    const headers: Record<string, string> = error.retryAfter ? { "retry-after": String(error.retryAfter) } : {};
    return jsonError(c, error.status, error.message, error.retryAfter ? { retryAfter: error.retryAfter } : {}, headers);
  }
  return storeGenerated(c, parsed.name ?? assetName(parsed.prompt, image.type), image);
}

/**
 * The body `{prompt, model?, name?}`, or why it is refused.
 * @example parseGenerateRequest('{"prompt":"a red fox"}') // { prompt: "a red fox", model: DEFAULT_IMAGE_MODEL, name: null }
 */
export function parseGenerateRequest(text: string): GenerateRequest | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'the body must be JSON: {"prompt": "...", "model"?: "owner/name", "name"?: "picture.png"}';
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "the body must be a JSON object {prompt, model?, name?}";
  const { prompt, model = DEFAULT_IMAGE_MODEL, name = null } = body as Record<string, unknown>;
  if (typeof prompt !== "string" || prompt.trim() === "") return "prompt must be a non-empty string";
  if (prompt.length > MAX_PROMPT_CHARS) return `prompt longer than ${MAX_PROMPT_CHARS} characters`;
  if (typeof model !== "string") return 'model must be a string such as "black-forest-labs/flux-schnell"';
  const badModel = modelError(model);
  if (badModel) return badModel;
  if (name !== null && (typeof name !== "string" || !isValidFileName(name) || name.includes("/"))) {
    return `name must be a plain file name such as "fox.png", not ${JSON.stringify(String(name).slice(0, 100))}`;
  }
  return { prompt: prompt.trim(), model, name };
}

/**
 * A file name from the first words of the prompt and the image's type.
 * @example assetName("A red fox, in the snow!", "image/webp") // "a-red-fox-in-the-snow.webp"
 */
export function assetName(prompt: string, type: string): string {
  const words = prompt.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, " ").trim().split(" ").filter(Boolean);
  let stem = "";
  for (const word of words) {
    if (stem && stem.length + word.length + 1 > 40) break;
    stem = stem ? `${stem}-${word}` : word.slice(0, 40);
  }
  return `${stem || "image"}.${IMAGE_EXTENSIONS[type] ?? "png"}`;
}

/**
 * Store the image as the room's asset `name` through the asset path every upload takes (workers/main/asset-routes.ts
 * storeAsset: type sniffed from the bytes, size limit, quota, the edit right again). The name's extension follows the
 * image's type, so a model that answers WebP to a request named `fox.png` gives `fox.webp`, not a refusal after the spend.
 */
async function storeGenerated(c: Context<LiveEnv>, requested: string, image: GeneratedImage): Promise<Response> {
  const name = withExtensionOf(requested, image.type);
  const stored = await timed(c.req.raw, "room", storeAsset(c.env, callerOf(c), name, image.bytes));
  if (!stored.ok) return refusal(c, stored);
  return c.json({ ...stored.value, model: image.model, predictionId: image.predictionId } satisfies ImageGenerated, 201);
}

/**
 * `name` with the extension of `type` when it has another one.
 * @example withExtensionOf("fox.png", "image/webp") // "fox.webp"
 */
export function withExtensionOf(name: string, type: string): string {
  const extension = IMAGE_EXTENSIONS[type];
  if (!extension) return name;
  const stem = name.replace(/\.[^./]*$/, "");
  const current = name.slice(stem.length + 1).toLowerCase();
  if (current === extension || (extension === "jpg" && current === "jpeg")) return name;
  return `${stem}.${extension}`;
}

const IMAGE_EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
  "image/avif": "avif",
};
