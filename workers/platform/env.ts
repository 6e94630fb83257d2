/** Bindings and variables of the main Worker and its Durable Objects (see wrangler.jsonc); read them with readConfig (workers/platform/config.ts). */
import type { AuthEnv } from "./auth.js";
import type { ErrorReportEnv } from "./error-reports.js";

/** SENTRY_DSN and SENTRY_ENVIRONMENT come from {@link ErrorReportEnv} (workers/platform/error-reports.ts). */
export interface Env extends AuthEnv, ErrorReportEnv {
  CODE_ROOM: DurableObjectNamespace<import("../durable-objects/code-room.js").CodeRoom>;
  /** Token buckets per client IP and per user (workers/durable-objects/rate-limiter.ts). */
  RATE_LIMITER: DurableObjectNamespace<import("../durable-objects/rate-limiter.js").RateLimiter>;
  /** Counters and gauges behind `GET /api/metrics` (workers/durable-objects/metrics.ts). */
  METRICS: DurableObjectNamespace<import("../durable-objects/metrics.js").Metrics>;
  ASSETS: Fetcher;
  /** Cache of bundled `/live/<room>/index.js` by content hash. */
  BUNDLES: KVNamespace;
  /** Cache of npm modules fetched from NPM_UPSTREAM. */
  NPM_CACHE: R2Bucket;
  /** Every published dist/cdn under `v/<version>/` (scripts/publish-cdn.mjs), for `/v/<version>/…` of older versions. */
  CDN_VERSIONS: R2Bucket;
  /**
   * Runtime configuration (allowed embed origins, default limits, feature flags) an admin changes without a deploy;
   * environment variables win over it.
   */
  CONFIG: KVNamespace;
  /** Per room: saved versions, Yjs snapshot backups and uploaded assets (by content hash). */
  ROOMS: R2Bucket;
  /** The transpiler Worker (esbuild-wasm): POST /api/transpile, POST /api/bundle. */
  TRANSPILER: Fetcher;
  /** The renderer Worker (headless browser): POST /render, for screenshot.png, page.pdf and og.png (workers/main/render-routes.ts). */
  RENDERER: Fetcher;
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
  /** Token for image generation (`POST /live/<room>/assets/generate`, the chat's `/image`) on Replicate; a secret. */
  REPLICATE_API_TOKEN?: string;
  /** Optional Replicate endpoint (a proxy, or a loopback fake in tests), default `https://api.replicate.com/v1`. */
  REPLICATE_BASE_URL?: string;
  /** Seconds a generation may take before it is canceled on Replicate and answered 504 (default 120). */
  REPLICATE_TIMEOUT_SECONDS?: string;
  /**
   * Whether `POST /live/<room>/chat` and `POST /api/transcribe` need a signed-in caller: on by default when sign-in is
   * configured; `false`/`0`/`off` lets anonymous callers spend AI; `true` without sign-in configured is a 503 (see workers/main/ai-access.ts).
   */
  AI_REQUIRE_SIGN_IN?: string;
  /** Comma-separated chat models this server lets callers ask, from CHAT_MODELS, or `*` (default: DEFAULT_AI_MODELS in ai-models.ts). */
  AI_MODELS?: string;
  /** Longest reply asked of a provider, in output tokens (default 4096). */
  AI_MAX_OUTPUT_TOKENS?: string;
  /** Provider calls (chat questions and transcriptions) the whole deployment may make per UTC day (default 1000). */
  AI_DAILY_REQUESTS?: string;
  /** Older name of RATE_LIMIT_AI_PER_MINUTE (AI requests per minute per client IP and per user, default 10). */
  CHAT_RATE_LIMIT_PER_MINUTE?: string;
  /** Comma-separated Clerk user ids allowed to read `GET /api/metrics` when sign-in is configured. */
  ADMIN_USER_IDS?: string;
  /** Longest wait before counted metrics are sent to the Metrics object, ms (default 1000; tests use 0). */
  METRICS_FLUSH_MS?: string;
  /** Lowest log level written: debug, info (default), warn, error. */
  LOG_LEVEL?: string;
  /** Seconds an AI agent stays in a room's awareness after its last call (default 60; README "MCP"). */
  AGENT_PRESENCE_SECONDS?: string;
  /** Seconds between automatic versions of a room while it is being edited (default 600). */
  VERSIONS_AUTOSAVE_SECONDS?: string;
  /** Automatic versions a room keeps (default 50; older ones are deleted, named versions never are). */
  VERSIONS_AUTOSAVE_KEEP?: string;
  /** Shortest time between two R2 backups of a room's Yjs snapshot, seconds (default 300). */
  BACKUP_INTERVAL_SECONDS?: string;
  /** `off` stops rooms offering WebRTC between their clients (default on; docs/PROTOCOL.md "Peer-to-peer (WebRTC) signalling"). */
  PEER_TO_PEER?: string;
  /** STUN/TURN servers for WebRTC, a JSON array of `{urls, username?, credential?}` (default none); secret-ish with TURN credentials. */
  ICE_SERVERS?: string;
  /** Any other `RATE_LIMIT_*` / `ROOM_*` override documented in README "Configuration". */
  [name: `RATE_LIMIT_${string}` | `ROOM_${string}`]: string | undefined;
}

