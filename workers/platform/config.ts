/**
 * Every setting of the Worker and its Durable Objects, read in one place: `readConfig(env)` turns the environment's strings
 * into one typed object with each default applied, so no other module parses a variable. A value that cannot be used
 * (not a positive number, an unknown log level) falls back to its default and is logged once as a warning; values whose
 * misuse must not pass silently (AI_MODELS, AI_REQUIRE_SIGN_IN) carry their error for the routes to answer with a 503.
 * See README "Configuration" and "Rate limits" for what each one does.
 */
import { DEFAULT_LIMITS, toIceServers, type IceServer, type RoomLimits } from "../../core/protocol.js";
import { allowedModels, type ChatModel } from "./ai-models.js";
import { AUTH_NOT_CONFIGURED, allowedOrigins, authConfigured } from "./auth.js";
import type { Env } from "./env.js";
import { logEvent, type LogLevel } from "./log.js";
import { currentSettings, effectiveEnv } from "./runtime-config.js";

/** The rate-limit buckets and their defaults, each configured by `RATE_LIMIT_<NAME>_PER_MINUTE` and `…_BURST`. */
export const RATE_LIMIT_DEFAULTS = {
  /**
   * WebSocket upgrades to `/live/<room>/ws`, per IP only (a socket's token arrives after the upgrade). A classroom of 50
   * behind one address opening a page of a few rooms fits the burst, and reconnecting on flaky Wi-Fi fits the rate.
   */
  connect: { perMinute: 300, burst: 300 },
  /** Rooms created (the first connect or write that reaches a room with no stored state). */
  create: { perMinute: 30, burst: 60 },
  /** Calls that cost an AI provider money: `POST /live/<room>/chat`, `POST /api/transcribe`. */
  ai: { perMinute: 10, burst: 10 },
  /** Writes: `PUT /live/<room>/files/…`, `PUT …/permissions`, `POST …/chat/<id>/cancel|undo`, `DELETE …/chat`. */
  upload: { perMinute: 120, burst: 120 },
  /** CPU-heavy reads: `/npm/*`, `POST /api/transpile`, `POST /api/bundle`, `GET /live/<room>/index.js`. */
  compute: { perMinute: 600, burst: 300 },
  /**
   * Reads that reach a room over HTTP: `session.json`, `index.tsx`, `files/…` and `chat` GETs, `permissions` GET. Cheap, so
   * generous (a client polling every 20 ms stays under it); there to stop a flood from pinning a room, not to meter use.
   */
  read: { perMinute: 3000, burst: 1000 },
  /**
   * What running previews report: `POST /live/<room>/console`. Each preview sends at most one a second while its app logs,
   * so a classroom of 50 behind one address fits; kept apart from "upload" so a noisy app never costs its readers a write.
   */
  report: { perMinute: 3000, burst: 600 },
} as const;

export type BucketName = keyof typeof RATE_LIMIT_DEFAULTS;

/**
 * The features an operator can switch off, each by `FEATURE_<NAME>=off` (environment or runtime configuration); all on by
 * default. A route of a feature that is off answers 503 naming the flag (workers/main/features.ts).
 */
export const FEATURES = {
  /** The chat's AI answers (`POST /live/<room>/chat`) and voice input (`POST /api/transcribe`). */
  AI: "AI",
  /** Saved versions of a room and the pinned `/live/<room>/v/<n>/…` routes. */
  VERSIONS: "versions",
  /** `POST /live/<room>/fork`. */
  FORKS: "forks",
  /** Uploaded images and fonts, `/live/<room>/assets/…`. */
  ASSETS: "assets",
  /** `POST /live/<room>/assets/generate` (Replicate). */
  IMAGE_GENERATION: "image generation",
  /** Screenshots, PDFs and social cards of a room's app (the renderer Worker). */
  RENDERER: "rendering",
  /** `POST /mcp`: AI agents working in rooms over the Model Context Protocol (README "MCP"). */
  MCP: "the MCP endpoint",
} as const;

export type FeatureName = keyof typeof FEATURES;

/** One bucket's limit: at most `capacity` at once, refilled at `perMinute` (`refillPerSecond` = perMinute / 60). */
export interface BucketConfig {
  capacity: number;
  refillPerSecond: number;
  perMinute: number;
}

/** Per-socket limits of a room (workers/durable-objects/room-frame-limits.ts); each a `ROOM_*` setting named in README "Rate limits". */
export interface FrameLimits {
  framesPerSecond: number;
  frameBurst: number;
  bytesPerSecond: number;
  byteBurst: number;
  /**
   * Requests for the room's whole state (a sync step 1, a QueryAwareness) answered per socket: a burst, then this many a
   * minute. Each answer can be the whole document, so a few bytes in would otherwise buy megabytes out.
   */
  fullStateBurst: number;
  fullStatesPerMinute: number;
  /** Awareness bytes a socket may publish (each is relayed to every socket in the room): sustained and burst. */
  awarenessBytesPerSecond: number;
  awarenessByteBurst: number;
}

/**
 * Default frame limits: far above a person typing (a few frames a second) and above a 50-client benchmark's per-socket
 * rate. A client asks for the whole state once per connection; presence is a cursor of about 200 bytes per move. The byte
 * bursts default to 4x their rates.
 */
export const DEFAULT_FRAME_LIMITS: Readonly<FrameLimits> = Object.freeze({
  framesPerSecond: 200,
  frameBurst: 1_000,
  bytesPerSecond: 1_000_000,
  byteBurst: 4_000_000,
  fullStateBurst: 5,
  fullStatesPerMinute: 6,
  awarenessBytesPerSecond: 16_384,
  awarenessByteBurst: 65_536,
});

/** Whether AI needs a signed-in caller (AI_REQUIRE_SIGN_IN), or why the setting is unusable. */
export type AiSignInPolicy = { required: boolean; error: null } | { required: true; error: string };

/** The settings, typed, with their defaults applied. */
export interface Config {
  room: {
    /** ROOM_MAX_FRAME_BYTES, ROOM_MAX_DOCUMENT_BYTES, ROOM_MAX_CONNECTIONS(_PER_IP), ROOM_MAX_AWARENESS_BYTES (core/protocol.ts DEFAULT_LIMITS). */
    limits: RoomLimits;
    frames: FrameLimits;
    /** ROOM_IDLE_TIMEOUT_SECONDS (30): time a socket has to send its first frame, in ms. */
    idleTimeoutMs: number;
    /** ROOM_AUTH_TIMEOUT_SECONDS (10): time a socket to a private room has to send a valid token, in ms. */
    authTimeoutMs: number;
    /** ROOM_AUTH_QUEUE_BYTES (65,536): bytes queued per socket before it is authenticated. */
    authQueueBytes: number;
    /**
     * ROOM_CHAT_MAX_MESSAGES (100, at least 2) and ROOM_CHAT_MAX_CHARS (200,000): the chat history a room keeps. The
     * characters never pass a quarter of the room's document limit, so the code keeps the rest.
     */
    chat: { maxMessages: number; maxChars: number };
    /**
     * ROOM_ASSET_MAX_BYTES (5,000,000): the largest image or font one upload may be; ROOM_ASSETS_QUOTA_BYTES (25,000,000):
     * the bytes all of a room's assets may take together (README "Assets").
     */
    assets: { maxBytes: number; quotaBytes: number };
  };
  /** Saved versions and backups (README "Versions" and "Backups"). */
  versions: {
    /** VERSIONS_AUTOSAVE_SECONDS (600): time between automatic versions of a room that is being edited, in ms. */
    autosaveMs: number;
    /** VERSIONS_AUTOSAVE_KEEP (50): automatic versions kept per room; older ones are deleted, named ones never. */
    autosaveKeep: number;
    /** BACKUP_INTERVAL_SECONDS (300): shortest time between two R2 backups of a room's snapshot, in ms. */
    backupIntervalMs: number;
  };
  /** AI agents in rooms (README "MCP"). */
  agents: {
    /** AGENT_PRESENCE_SECONDS (60): how long an agent stays in a room's awareness after its last call, in ms. */
    presenceMs: number;
  };
  /** Peer-to-peer sessions over WebRTC, signalled through the room (docs/PROTOCOL.md "Peer-to-peer (WebRTC) signalling"). */
  peers: {
    /** PEER_TO_PEER (on): rooms offer spike's clients WebRTC (a Peer/Config in their greeting) and relay their signals. */
    enabled: boolean;
    /** ICE_SERVERS ([]): the STUN/TURN servers clients use, a JSON array of `{urls, username?, credential?}`; unusable = none. */
    iceServers: IceServer[];
  };
  /** RATE_LIMIT_<NAME>_PER_MINUTE and RATE_LIMIT_<NAME>_BURST per bucket (CHAT_RATE_LIMIT_PER_MINUTE: older name for ai). */
  rateLimits: Record<BucketName, BucketConfig>;
  ai: {
    /** AI_MODELS: the chat models callers may ask (default: the inexpensive tier); empty when `modelsError` is set. */
    models: ChatModel[];
    modelsError: string | null;
    /** AI_REQUIRE_SIGN_IN: on by default when sign-in is configured. */
    signIn: AiSignInPolicy;
    /** AI_MAX_OUTPUT_TOKENS (4096, room for a reply that rewrites a file of a few hundred lines): the longest reply asked. */
    maxOutputTokens: number;
    /** AI_DAILY_REQUESTS (1000, a busy demo day, while a day of abuse stays a bounded bill): provider calls per UTC day. */
    dailyRequests: number;
    /** OPENAI_API_KEY / OPENAI_BASE_URL and ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL; a missing key is null. */
    openai: ProviderConfig;
    anthropic: ProviderConfig;
  };
  auth: {
    /** CLERK_JWT_KEY or CLERK_JWKS_URL is set: tokens can be verified (workers/platform/auth.ts reads the keys themselves). */
    configured: boolean;
    /** CLERK_PUBLISHABLE_KEY, handed to elements by `GET /api/config`; null when unset. */
    publishableKey: string | null;
    /** ALLOWED_ORIGINS: the embedding origins, or null for any. */
    allowedOrigins: string[] | null;
    /** ADMIN_USER_IDS: the operators, who read metrics and may claim any unowned room. */
    admins: ReadonlySet<string>;
  };
  /** METRICS_FLUSH_MS (1000): longest wait before counted metrics are sent to the Metrics object; 0 sends at once. */
  metricsFlushMs: number;
  /** LOG_LEVEL (info): the lowest level written. */
  logLevel: LogLevel;
  /** PREVIEW_ORIGIN: where the preview frame is served; undefined derives it from the request. */
  previewOrigin: string | undefined;
  /** NPM_UPSTREAM: the ES module CDN for packages outside the offline set; undefined when there is none. */
  npmUpstream: string | undefined;
  /** FEATURE_<NAME> (on): which features this server offers. */
  features: Record<FeatureName, boolean>;
  /** Settings that were set but unusable, each with the default used instead (also logged once as a warning). */
  problems: string[];
}

/** A provider's key (null when unset) and optional endpoint. */
export interface ProviderConfig {
  apiKey: string | null;
  baseUrl: string | undefined;
}

const configs = new WeakMap<object, { version: number; config: Config }>();
const reported = new Set<string>();

/**
 * The configuration in `env` with the runtime settings from KV under it (workers/platform/runtime-config.ts), read once
 * per env object and settings version, and then shared.
 * @example const { limits } = readConfig(env).room;
 * @example readConfig({ RATE_LIMIT_CONNECT_PER_MINUTE: "600" }).rateLimits.connect // { capacity: 600, refillPerSecond: 10, perMinute: 600 }
 */
export function readConfig(env: Partial<Env>): Config {
  const { version } = currentSettings();
  let config = configs.get(env)?.version === version ? configs.get(env)!.config : undefined;
  if (!config) {
    config = parseConfig(effectiveEnv(env));
    configs.set(env, { version, config });
    for (const problem of config.problems) {
      if (reported.has(problem)) continue;
      reported.add(problem);
      logEvent({ level: "warn", type: "config", message: problem });
    }
  }
  return config;
}

/**
 * The configuration `env` describes, without caching or logging: how `PUT /admin/config` checks settings before storing.
 * @example parseConfig({ RATE_LIMIT_AI_PER_MINUTE: "x" }).problems // ['RATE_LIMIT_AI_PER_MINUTE is "x", not a positive number; using its default']
 */
export function parseConfig(env: Partial<Env>): Config {
  const problems: string[] = [];
  /** A setting that must be a positive number: undefined when unset; anything else set is noted in `problems`. */
  const optionalPositive = (name: string, fallback = "its default"): number | undefined => {
    const raw = (env as Record<string, unknown>)[name];
    if (raw === undefined || raw === "") return undefined;
    const value = Number(raw);
    if (Number.isFinite(value) && value > 0) return value;
    problems.push(`${name} is ${JSON.stringify(String(raw).slice(0, 40))}, not a positive number; using ${fallback}`);
    return undefined;
  };
  const positive = (name: string, fallback: number): number => optionalPositive(name, String(fallback)) ?? fallback;

  const limits: RoomLimits = {
    maxFrameBytes: positive("ROOM_MAX_FRAME_BYTES", DEFAULT_LIMITS.maxFrameBytes),
    maxDocumentBytes: positive("ROOM_MAX_DOCUMENT_BYTES", DEFAULT_LIMITS.maxDocumentBytes),
    maxConnections: positive("ROOM_MAX_CONNECTIONS", DEFAULT_LIMITS.maxConnections),
    maxConnectionsPerIp: positive("ROOM_MAX_CONNECTIONS_PER_IP", DEFAULT_LIMITS.maxConnectionsPerIp),
    maxAwarenessBytes: positive("ROOM_MAX_AWARENESS_BYTES", DEFAULT_LIMITS.maxAwarenessBytes),
  };
  const bytesPerSecond = positive("ROOM_BYTES_PER_SECOND", DEFAULT_FRAME_LIMITS.bytesPerSecond);
  const awarenessBytesPerSecond = positive("ROOM_AWARENESS_BYTES_PER_SECOND", DEFAULT_FRAME_LIMITS.awarenessBytesPerSecond);
  const frames: FrameLimits = {
    framesPerSecond: positive("ROOM_FRAMES_PER_SECOND", DEFAULT_FRAME_LIMITS.framesPerSecond),
    frameBurst: Math.max(1, positive("ROOM_FRAME_BURST", DEFAULT_FRAME_LIMITS.frameBurst)),
    bytesPerSecond,
    byteBurst: Math.max(1, positive("ROOM_BYTE_BURST", bytesPerSecond * 4)),
    fullStateBurst: Math.max(1, positive("ROOM_FULL_STATE_BURST", DEFAULT_FRAME_LIMITS.fullStateBurst)),
    fullStatesPerMinute: positive("ROOM_FULL_STATES_PER_MINUTE", DEFAULT_FRAME_LIMITS.fullStatesPerMinute),
    awarenessBytesPerSecond,
    awarenessByteBurst: Math.max(1, positive("ROOM_AWARENESS_BYTE_BURST", awarenessBytesPerSecond * 4)),
  };

  const rateLimits = {} as Record<BucketName, BucketConfig>;
  for (const name of Object.keys(RATE_LIMIT_DEFAULTS) as BucketName[]) {
    const prefix = `RATE_LIMIT_${name.toUpperCase()}`;
    // A burst left unset follows a configured per-minute rate (a minute's worth).
    const rate = optionalPositive(`${prefix}_PER_MINUTE`) ?? (name === "ai" ? optionalPositive("CHAT_RATE_LIMIT_PER_MINUTE") : undefined);
    const perMinute = rate ?? RATE_LIMIT_DEFAULTS[name].perMinute;
    const burst = optionalPositive(`${prefix}_BURST`) ?? rate ?? RATE_LIMIT_DEFAULTS[name].burst;
    rateLimits[name] = { capacity: Math.max(1, burst), refillPerSecond: perMinute / 60, perMinute };
  }

  const models = allowedModels(env.AI_MODELS);
  const authOn = authConfigured(env);
  const logName = env.LOG_LEVEL?.trim().toLowerCase() ?? "";
  if (logName !== "" && !isLevel(logName)) problems.push(`LOG_LEVEL is ${JSON.stringify(logName.slice(0, 20))}, not debug, info, warn or error; using info`);
  const flushMs = Number(env.METRICS_FLUSH_MS);
  const flushSet = env.METRICS_FLUSH_MS !== undefined && env.METRICS_FLUSH_MS !== "";
  if (flushSet && !(Number.isFinite(flushMs) && flushMs >= 0)) {
    problems.push(`METRICS_FLUSH_MS is ${JSON.stringify(String(env.METRICS_FLUSH_MS).slice(0, 40))}, not a number of ms; using 1000`);
  }

  return {
    room: {
      limits,
      frames,
      idleTimeoutMs: positive("ROOM_IDLE_TIMEOUT_SECONDS", 30) * 1000,
      authTimeoutMs: positive("ROOM_AUTH_TIMEOUT_SECONDS", 10) * 1000,
      authQueueBytes: positive("ROOM_AUTH_QUEUE_BYTES", 65_536),
      chat: {
        maxMessages: Math.max(2, positive("ROOM_CHAT_MAX_MESSAGES", 100)),
        maxChars: Math.min(positive("ROOM_CHAT_MAX_CHARS", 200_000), Math.floor(limits.maxDocumentBytes / 4)),
      },
      assets: {
        maxBytes: Math.floor(positive("ROOM_ASSET_MAX_BYTES", 5_000_000)),
        quotaBytes: Math.floor(positive("ROOM_ASSETS_QUOTA_BYTES", 25_000_000)),
      },
    },
    versions: {
      autosaveMs: positive("VERSIONS_AUTOSAVE_SECONDS", 600) * 1000,
      autosaveKeep: Math.max(1, Math.floor(positive("VERSIONS_AUTOSAVE_KEEP", 50))),
      backupIntervalMs: positive("BACKUP_INTERVAL_SECONDS", 300) * 1000,
    },
    agents: { presenceMs: positive("AGENT_PRESENCE_SECONDS", 60) * 1000 },
    peers: { enabled: peerToPeer(env.PEER_TO_PEER, problems), iceServers: iceServers(env.ICE_SERVERS, problems) },
    rateLimits,
    ai: {
      models: models.models,
      modelsError: models.error,
      signIn: aiSignInPolicy(env.AI_REQUIRE_SIGN_IN, authOn),
      maxOutputTokens: Math.max(1, Math.floor(positive("AI_MAX_OUTPUT_TOKENS", 4_096))),
      dailyRequests: Math.max(1, Math.floor(positive("AI_DAILY_REQUESTS", 1_000))),
      openai: { apiKey: env.OPENAI_API_KEY || null, baseUrl: env.OPENAI_BASE_URL || undefined },
      anthropic: { apiKey: env.ANTHROPIC_API_KEY || null, baseUrl: env.ANTHROPIC_BASE_URL || undefined },
    },
    auth: {
      configured: authOn,
      publishableKey: env.CLERK_PUBLISHABLE_KEY?.trim() || null,
      allowedOrigins: allowedOrigins(env),
      admins: new Set((env.ADMIN_USER_IDS ?? "").split(",").map((id) => id.trim()).filter(Boolean)),
    },
    metricsFlushMs: flushSet && Number.isFinite(flushMs) && flushMs >= 0 ? flushMs : 1000,
    logLevel: isLevel(logName) ? logName : "info",
    previewOrigin: env.PREVIEW_ORIGIN || undefined,
    npmUpstream: env.NPM_UPSTREAM || undefined,
    features: featureFlags(env, problems),
    problems,
  };
}

const ON = ["true", "1", "on", "yes"];
const OFF = ["false", "0", "off", "no"];

/**
 * AI_REQUIRE_SIGN_IN as a policy: unset or blank follows whether sign-in is configured (on with Clerk, off without, so the
 * local stack keeps working with no account); `false`/`0`/`off`/`no` lets anonymous callers in; `true`/`1`/`on`/`yes`
 * requires sign-in, and is an error when sign-in is not configured (nobody could use AI, and silently opening it would be
 * worse). Any other value is an error too.
 */
function aiSignInPolicy(setting: string | undefined, authOn: boolean): AiSignInPolicy {
  const value = (setting ?? "").trim().toLowerCase();
  if (value === "") return { required: authOn, error: null };
  if (OFF.includes(value)) return { required: false, error: null };
  if (!ON.includes(value)) {
    return { required: true, error: `AI is misconfigured on this server: AI_REQUIRE_SIGN_IN must be true or false, not "${value.slice(0, 20)}"` };
  }
  if (!authOn) {
    return {
      required: true,
      error: `AI is misconfigured on this server: AI_REQUIRE_SIGN_IN is on but ${AUTH_NOT_CONFIGURED}, or set AI_REQUIRE_SIGN_IN=false to let anonymous callers use AI`,
    };
  }
  return { required: true, error: null };
}

/** FEATURE_<NAME> per feature: on unless set to `false`/`0`/`off`/`no`; any other value is a problem and leaves it on. */
function featureFlags(env: Partial<Env>, problems: string[]): Record<FeatureName, boolean> {
  const flags = {} as Record<FeatureName, boolean>;
  for (const name of Object.keys(FEATURES) as FeatureName[]) {
    const raw = (env as Record<string, unknown>)[`FEATURE_${name}`];
    const value = typeof raw === "string" ? raw.trim().toLowerCase() : "";
    if (value !== "" && !ON.includes(value) && !OFF.includes(value)) problems.push(`FEATURE_${name} is ${JSON.stringify(value.slice(0, 20))}, not on or off; using on`);
    flags[name] = !OFF.includes(value);
  }
  return flags;
}

/** PEER_TO_PEER: on unless set to `false`/`0`/`off`/`no`; any other value is a problem and leaves it on. */
function peerToPeer(setting: string | undefined, problems: string[]): boolean {
  const value = (setting ?? "").trim().toLowerCase();
  if (value !== "" && !ON.includes(value) && !OFF.includes(value)) problems.push(`PEER_TO_PEER is ${JSON.stringify(value.slice(0, 20))}, not on or off; using on`);
  return !OFF.includes(value);
}

/**
 * ICE_SERVERS as the list handed to clients (core/peer-protocol.ts toIceServers checks each entry as a browser would). An
 * unusable value is a problem and means no servers (loopback and most LANs need none); the problem never quotes the value,
 * which may hold TURN credentials.
 */
function iceServers(setting: string | undefined, problems: string[]): IceServer[] {
  if (setting === undefined || setting.trim() === "") return [];
  let servers: IceServer[] | null = null;
  try {
    servers = toIceServers(JSON.parse(setting));
  } catch {
    // not JSON: the problem below
  }
  if (servers) return servers;
  problems.push("ICE_SERVERS is not a JSON array of {urls, username?, credential?} with stun:, stuns:, turn: or turns: URLs (TURN needs both username and credential); using none");
  return [];
}

function isLevel(value: string): value is LogLevel {
  return value === "debug" || value === "info" || value === "warn" || value === "error";
}
