/**
 * The chat models the room can ask, and one streaming call per provider through its official SDK (OpenAI, Anthropic).
 * Failures come back as a ProviderError whose message is fit to show in the chat ("OpenAI rejected the API key (401)").
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import type { Env } from "./env.js";
import { measureAiCall } from "./metrics.js";

/** The models `POST /live/<room>/chat` accepts. `gpt-*` / `o*` go to OpenAI, `claude-*` to Anthropic. */
export const CHAT_MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "o4-mini", "claude-sonnet-4-5", "claude-haiku-4-5"] as const;

export type ChatModel = (typeof CHAT_MODELS)[number];
export type Provider = "openai" | "anthropic";

/** Whether `model` is one of {@link CHAT_MODELS}. */
export function isChatModel(model: unknown): model is ChatModel {
  return typeof model === "string" && (CHAT_MODELS as readonly string[]).includes(model);
}

/** Which provider answers `model`. */
export function providerOf(model: string): Provider {
  return model.startsWith("claude") ? "anthropic" : "openai";
}

const NAMES: Record<Provider, string> = { openai: "OpenAI", anthropic: "Anthropic" };
const KEY_VARS: Record<Provider, "OPENAI_API_KEY" | "ANTHROPIC_API_KEY"> = {
  openai: "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
};

/** A provider failure with a message for people (shown as the assistant message's error). */
export class ProviderError extends Error {}

/** One streamed completion request. */
export interface ReplyRequest {
  model: ChatModel;
  system: string;
  messages: { role: "user" | "assistant"; content: string }[];
  /** Called with each piece of text, in order. */
  onToken(token: string): void;
  signal: AbortSignal;
}

/** Longest reply asked of Anthropic (which requires a limit). */
const MAX_OUTPUT_TOKENS = 8_192;

/**
 * Stream a reply from the model's provider. Resolves when the provider ends the reply; rejects with a ProviderError
 * (readable message) on a missing key, an HTTP error or a stream cut short, and with the SDK's abort error when `signal` fires.
 * @example await streamReply(env, { model: "gpt-4o-mini", system, messages, onToken: (t) => buffer.push(t), signal })
 */
export async function streamReply(env: Env, request: ReplyRequest): Promise<void> {
  const provider = providerOf(request.model);
  const apiKey = env[KEY_VARS[provider]];
  if (!apiKey) {
    throw new ProviderError(`Set ${KEY_VARS[provider]} (in .dev.vars or the environment) to use ${request.model}`);
  }
  try {
    await measureAiCall(
      env,
      "chat",
      async () => {
        const finished = provider === "openai" ? await streamOpenAI(env, apiKey, request) : await streamAnthropic(env, apiKey, request);
        if (!finished && !request.signal.aborted) {
          throw new ProviderError(`The ${NAMES[provider]} stream was cut off before the reply finished`);
        }
      },
      () => request.signal.aborted,
    );
  } catch (error) {
    if (request.signal.aborted || error instanceof ProviderError) throw error;
    throw new ProviderError(describeProviderError(provider, error));
  }
}

/** Returns whether the stream reached its finish (a `finish_reason`), as opposed to ending early. */
async function streamOpenAI(env: Env, apiKey: string, { model, system, messages, onToken, signal }: ReplyRequest): Promise<boolean> {
  const client = new OpenAI({ apiKey, baseURL: env.OPENAI_BASE_URL || undefined, maxRetries: 0 });
  const stream = await client.chat.completions.create(
    { model, stream: true, messages: [{ role: "system", content: system }, ...messages] },
    { signal },
  );
  let finished = false;
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    if (choice?.delta?.content) onToken(choice.delta.content);
    if (choice?.finish_reason) finished = true;
  }
  return finished;
}

/** Returns whether the stream reached `message_stop`. */
async function streamAnthropic(env: Env, apiKey: string, { model, system, messages, onToken, signal }: ReplyRequest): Promise<boolean> {
  const client = new Anthropic({ apiKey, baseURL: env.ANTHROPIC_BASE_URL || undefined, maxRetries: 0 });
  const stream = await client.messages.create(
    { model, system, messages, max_tokens: MAX_OUTPUT_TOKENS, stream: true },
    { signal },
  );
  let finished = false;
  for await (const event of stream) {
    if (event.type === "content_block_delta" && event.delta.type === "text_delta") onToken(event.delta.text);
    if (event.type === "message_stop") finished = true;
  }
  return finished;
}

/** A readable sentence for an SDK error. */
export function describeProviderError(provider: Provider, error: unknown): string {
  const name = NAMES[provider];
  const status = typeof (error as { status?: unknown })?.status === "number" ? (error as { status: number }).status : undefined;
  if (status === 401) return `${name} rejected the API key (401); check ${KEY_VARS[provider]}`;
  if (status === 403) return `${name} refused access to this model (403)`;
  if (status === 404) return `${name} does not know this model (404)`;
  if (status === 429) return `${name} is rate limiting requests (429); try again in a moment`;
  if (status === 529) return `${name} is overloaded (529); try again in a moment`;
  if (status !== undefined && status >= 500) return `${name} had a server error (${status}); try again in a moment`;
  if (status !== undefined) return `${name} refused the request (${status}): ${providerMessage(error)}`;
  if (error instanceof OpenAI.APIConnectionError || error instanceof Anthropic.APIConnectionError) {
    return `Could not reach ${name}: ${providerMessage(error)}`;
  }
  // A body that breaks off mid-stream surfaces as a network/type error from the reader.
  return `The ${name} stream failed before the reply finished: ${providerMessage(error)}`;
}

function providerMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 300);
}
