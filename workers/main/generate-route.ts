/**
 * `POST /live/<room>/assets/generate {prompt, model?, name?}`: an image from a prompt through Replicate
 * (workers/platform/replicate.ts), stored as a room asset the app can import (`import art from "./fox.png"`). It costs
 * provider money, so it is screened like a chat question: sign-in per AI_REQUIRE_SIGN_IN, the "ai" rate-limit bucket, the
 * room's edit right, then the daily AI budget, in that order, and only then is Replicate called. See README "Image
 * generation" and docs/PROTOCOL.md "HTTP routes on a room".
 */
import type { Context, Hono } from "hono";
import type { ImageGenerated } from "../../core/api.js";
import { aiBudgetFields, spendAiBudget } from "../platform/ai-budget.js";
import type { RoomResult } from "../durable-objects/room-api.js";
import type { Env } from "../platform/env.js";
import { logError } from "../platform/log.js";
import { measureAiCall } from "../platform/metrics.js";
import { GenerationError, MISSING_TOKEN, generateImage, replicateConfig, type GeneratedImage } from "../platform/replicate.js";
import { aiAccess } from "./ai-access.js";
import { storeAsset } from "./asset-routes.js";
import type { AuthVariables } from "./authenticate.js";
import { limitBody } from "./body-limit.js";
import { assetName, parseGenerateRequest, withExtensionOf } from "./generate-request.js";
import { jsonError } from "./errors.js";
import { rateLimit } from "./rate-limit-middleware.js";
import { callerOf, refusal, roomOf } from "./room-answer.js";
import { timed } from "./request-log.js";
import { requireFeature } from "./features.js";

type LiveEnv = { Bindings: Env; Variables: AuthVariables };

/** Largest request body: a prompt of MAX_PROMPT_CHARS, escaped, with room to spare. */
export const MAX_GENERATE_BODY_BYTES = 16 * 1024;

/**
 * Add the route to the room routes (workers/main/live-routes.ts), ahead of the asset routes so `generate` is never read
 * as an asset's name.
 * @example generateRoutes(live);
 */
export function generateRoutes(live: Hono<LiveEnv>): void {
  const path = "/:room/assets/generate";
  live.post(path, requireFeature("IMAGE_GENERATION"), requireFeature("ASSETS"), aiAccess(), rateLimit({ bucket: "ai" }), limitBody("generate request", MAX_GENERATE_BODY_BYTES), generate);
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
