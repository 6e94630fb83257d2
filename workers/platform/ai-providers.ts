/**
 * One streaming call per provider through its official SDK (OpenAI, Anthropic), for the models of ai-models.ts.
 * Failures come back as a ProviderError whose message is fit to show in the chat ("OpenAI rejected the API key (401)").
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { providerOf, type ChatModel, type Provider } from "./ai-models.js";
import { readConfig } from "./config.js";
import type { Env } from "./env.js";
import { measureAiCall } from "./metrics.js";

const NAMES: Record<Provider, string> = { openai: "OpenAI", anthropic: "Anthropic" };
const KEY_VARS: Record<Provider, "OPENAI_API_KEY" | "ANTHROPIC_API_KEY"> = {
  openai: "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
};

/**
 * Whether the key `model`'s provider needs is configured; without it the question never reaches the provider.
 * @example hasProviderKey(env, "claude-haiku-4-5") // Boolean(env.ANTHROPIC_API_KEY)
 */
export function hasProviderKey(env: Env, model: ChatModel): boolean {
  return readConfig(env).ai[providerOf(model)].apiKey !== null;
}

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

/**
 * Stream a reply from the model's provider. Resolves when the provider ends the reply; rejects with a ProviderError
 * (readable message) on a missing key, an HTTP error or a stream cut short, and with the SDK's abort error when `signal` fires.
 * @example await streamReply(env, { model: "gpt-4o-mini", system, messages, onToken: (t) => buffer.push(t), signal })
 */
export async function streamReply(env: Env, request: ReplyRequest): Promise<void> {
  const provider = providerOf(request.model);
  const { ai } = readConfig(env);
  const { apiKey, baseUrl } = ai[provider];
  if (!apiKey) {
    throw new ProviderError(`Set ${KEY_VARS[provider]} (in .dev.vars or the environment) to use ${request.model}`);
  }
  try {
    await measureAiCall(
      env,
      "chat",
      async () => {
        const client = { apiKey, baseURL: baseUrl, maxRetries: 0 };
        const finished =
          provider === "openai"
            ? await streamOpenAI(new OpenAI(client), ai.maxOutputTokens, request)
            : await streamAnthropic(new Anthropic(client), ai.maxOutputTokens, request);
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
async function streamOpenAI(client: OpenAI, maxTokens: number, { model, system, messages, onToken, signal }: ReplyRequest): Promise<boolean> {
  // max_completion_tokens, not the deprecated max_tokens: the o-series refuses max_tokens, and counts its reasoning here.
  const stream = await client.chat.completions.create(
    {
      model,
      stream: true,
      max_completion_tokens: maxTokens,
      messages: [{ role: "system", content: system }, ...messages],
    },
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
async function streamAnthropic(client: Anthropic, maxTokens: number, { model, system, messages, onToken, signal }: ReplyRequest): Promise<boolean> {
  const stream = await client.messages.create(
    { model, system, messages, max_tokens: maxTokens, stream: true },
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
