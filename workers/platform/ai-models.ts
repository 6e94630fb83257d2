/**
 * The chat models spike can ask and which of them this server allows (AI_MODELS, read by readConfig in workers/platform/config.ts). Plain
 * logic with no runtime imports, so node tests use it too.
 */

/** Every model spike knows how to ask. `gpt-*` / `o*` go to OpenAI, `claude-*` to Anthropic. AI_MODELS picks from these. */
export const CHAT_MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "o4-mini", "claude-sonnet-4-5", "claude-haiku-4-5"] as const;

export type ChatModel = (typeof CHAT_MODELS)[number];
export type Provider = "openai" | "anthropic";

/** Which provider answers `model`. */
export function providerOf(model: string): Provider {
  return model.startsWith("claude") ? "anthropic" : "openai";
}

/**
 * The models allowed when AI_MODELS is unset: each provider's inexpensive tier. The larger models (and o4-mini, whose
 * hidden reasoning tokens are billed as output) cost several times more per token; a deployment opts into them.
 */
export const DEFAULT_AI_MODELS: readonly ChatModel[] = ["gpt-4o-mini", "gpt-4.1-mini", "claude-haiku-4-5"];

/** Whether `model` is one of {@link CHAT_MODELS}. */
export function isChatModel(model: unknown): model is ChatModel {
  return typeof model === "string" && (CHAT_MODELS as readonly string[]).includes(model);
}

/** The allowed models, or the configuration error that leaves none allowed. */
export interface AllowedModels {
  /** In CHAT_MODELS order; empty when `error` is set. */
  models: ChatModel[];
  /** Why AI_MODELS is unusable (it names a model spike does not know), or null. */
  error: string | null;
}

/**
 * The chat models this server lets callers ask: AI_MODELS (comma-separated names from {@link CHAT_MODELS}, or `*` for
 * all of them), {@link DEFAULT_AI_MODELS} when unset or blank. An AI_MODELS naming an unknown model allows nothing and
 * says why, rather than quietly dropping the name (a typo would otherwise leave a model silently off, or the list empty).
 * @example allowedModels("gpt-4o-mini, claude-sonnet-4-5").models // ["gpt-4o-mini", "claude-sonnet-4-5"]
 */
export function allowedModels(setting: string | undefined): AllowedModels {
  const names = (setting ?? "").split(",").map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) return { models: [...DEFAULT_AI_MODELS], error: null };
  if (names.includes("*")) return { models: [...CHAT_MODELS], error: null };
  const unknown = names.filter((name) => !isChatModel(name));
  if (unknown.length > 0) {
    const list = unknown.map((name) => `"${name.slice(0, 40)}"`).join(", ");
    return { models: [], error: `AI is misconfigured on this server: AI_MODELS names unknown models ${list}; known: ${CHAT_MODELS.join(", ")}` };
  }
  return { models: CHAT_MODELS.filter((model) => names.includes(model)), error: null };
}
