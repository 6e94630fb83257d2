/** Bindings and variables of the main Worker (see wrangler.jsonc). */
export interface Env {
  CODE_ROOM: DurableObjectNamespace<import("../durable-objects/code-room.js").CodeRoom>;
  ASSETS: Fetcher;
  /** Cache of bundled `/live/<room>/index.js` by content hash. */
  BUNDLES: KVNamespace;
  /** Cache of npm modules fetched from NPM_UPSTREAM. */
  NPM_CACHE: R2Bucket;
  /** The transpiler Worker (esbuild-wasm): POST /api/transpile, POST /api/bundle. */
  TRANSPILER: Fetcher;
  /** Optional upstream ES module CDN for packages outside the offline set, e.g. `https://esm.sh`. */
  NPM_UPSTREAM?: string;
  /** Optional origin of the preview frame; by default localhost <-> 127.0.0.1 of the request's origin. */
  PREVIEW_ORIGIN?: string;
  /** Optional overrides of the room limits in core/protocol.ts DEFAULT_LIMITS. */
  ROOM_MAX_FRAME_BYTES?: string;
  ROOM_MAX_DOCUMENT_BYTES?: string;
  ROOM_MAX_CONNECTIONS?: string;
  /** API key for the chat's OpenAI models (gpt-*, o*); a secret: .dev.vars or the environment of `npm start`. */
  OPENAI_API_KEY?: string;
  /** Optional OpenAI-compatible endpoint, default `https://api.openai.com/v1`. */
  OPENAI_BASE_URL?: string;
  /** API key for the chat's Anthropic models (claude-*); a secret. */
  ANTHROPIC_API_KEY?: string;
  /** Optional Anthropic endpoint, default `https://api.anthropic.com`. */
  ANTHROPIC_BASE_URL?: string;
  /** Optional chat questions per minute per client IP and room (default 10). */
  CHAT_RATE_LIMIT_PER_MINUTE?: string;
}
