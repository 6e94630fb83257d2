/**
 * How the fake providers of fake-providers.ts write a scripted reply: OpenAI's chat completion chunks as `data:` lines
 * ending in `data: [DONE]`, Anthropic's named SSE events, and each provider's real JSON error bodies, as their official
 * SDKs parse them.
 */

/** How one provider writes a scripted reply on the wire. */
export interface Wire {
  path: string;
  errorBody(status: number): unknown;
  /** SSE frames for the start of a stream, each delta, and the end. */
  start(model: string): string[];
  delta(text: string, model: string): string;
  end(model: string): string[];
}

/** OpenAI: POST /v1/chat/completions with `stream: true`. */
export const openaiWire: Wire = {
  path: "/v1/chat/completions",
  errorBody(status) {
    const [type, code, message] =
      status === 401
        ? ["invalid_request_error", "invalid_api_key", "Incorrect API key provided: wrong-key. You can find your API key at https://platform.openai.com/account/api-keys."]
        : status === 429
          ? ["requests", "rate_limit_exceeded", "Rate limit reached for gpt-4o-mini in organization org-test on requests per min (RPM): Limit 3, Used 3, Requested 1."]
          : status === 400
            ? ["invalid_request_error", null, "Invalid request."]
            : ["server_error", null, "The server had an error while processing your request. Sorry about that!"];
    return { error: { message, type, param: null, code } };
  },
  start(model) {
    return [`data: ${JSON.stringify(openaiChunk(model, { role: "assistant", content: "" }, null))}\n\n`];
  },
  delta(text, model) {
    return `data: ${JSON.stringify(openaiChunk(model, { content: text }, null))}\n\n`;
  },
  end(model) {
    return [`data: ${JSON.stringify(openaiChunk(model, {}, "stop"))}\n\n`, "data: [DONE]\n\n"];
  },
};

function openaiChunk(model: string, delta: Record<string, unknown>, finish: string | null) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: "fp_fake",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  };
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Anthropic: POST /v1/messages with `stream: true`. */
export const anthropicWire: Wire = {
  path: "/v1/messages",
  errorBody(status) {
    const [type, message] =
      status === 401
        ? ["authentication_error", "invalid x-api-key"]
        : status === 429
          ? ["rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"]
          : status === 529
            ? ["overloaded_error", "Overloaded"]
            : status === 400
              ? ["invalid_request_error", "Invalid request."]
              : ["api_error", "Internal server error"];
    return { type: "error", error: { type, message }, request_id: "req_fake" };
  },
  start(model) {
    return [
      sse("message_start", {
        type: "message_start",
        message: {
          id: "msg_fake",
          type: "message",
          role: "assistant",
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 10, output_tokens: 1 },
        },
      }),
      sse("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
      sse("ping", { type: "ping" }),
    ];
  },
  delta(text) {
    return sse("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } });
  },
  end() {
    return [
      sse("content_block_stop", { type: "content_block_stop", index: 0 }),
      sse("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 15 } }),
      sse("message_stop", { type: "message_stop" }),
    ];
  },
};
