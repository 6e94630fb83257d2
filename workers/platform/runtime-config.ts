/**
 * Settings an operator changes without a deploy: allowed embed origins, rate and AI limits, feature flags. They live in KV
 * (`CONFIG`, key {@link SETTINGS_KEY}) as one JSON object of the same names as the environment variables, written by
 * `PUT /admin/config` (workers/main/admin-config.ts). An environment variable that is set and not empty always wins over
 * KV, so a deploy's configuration stays the floor an admin cannot talk the server out of.
 *
 * Each isolate keeps what it read for {@link CACHE_MS} and asks KV with a `cacheTtl` of {@link KV_CACHE_SECONDS}, so a
 * change reaches every isolate within about 90 s (at once in the isolate that wrote it). readConfig (config.ts) and
 * allowedOrigins (auth.ts) read through {@link effectiveEnv} / {@link effectiveSetting}. See README "Runtime configuration".
 */
import { logError } from "./log.js";

/** The KV key holding the settings. */
export const SETTINGS_KEY = "settings";
/** How long an isolate trusts the settings it read. */
export const CACHE_MS = 30_000;
/** KV's own edge cache for the read (60 s is KV's minimum). */
export const KV_CACHE_SECONDS = 60;
/** Longest value accepted for one setting, in characters. */
export const MAX_SETTING_CHARS = 4_096;

/**
 * Which settings KV may hold: what an operator tunes while the server runs. Secrets (API keys, Clerk keys), the shape of
 * the deployment (PREVIEW_ORIGIN, NPM_UPSTREAM, base URLs), who the admins are (ADMIN_USER_IDS) and the room objects'
 * own limits (ROOM_*, read once when a room starts) stay environment-only.
 */
const SETTABLE = [/^ALLOWED_ORIGINS$/, /^RATE_LIMIT_[A-Z]+_(PER_MINUTE|BURST)$/, /^CHAT_RATE_LIMIT_PER_MINUTE$/, /^AI_(MODELS|MAX_OUTPUT_TOKENS|DAILY_REQUESTS)$/, /^FEATURE_[A-Z_]+$/, /^LOG_LEVEL$/];

/**
 * True for a setting KV may hold.
 * @example settable("ALLOWED_ORIGINS") // true
 * @example settable("OPENAI_API_KEY") // false
 */
export function settable(name: string): boolean {
  return SETTABLE.some((pattern) => pattern.test(name));
}

/** The patterns of {@link settable}, for error messages and `GET /admin/config`. */
export const SETTABLE_NAMES = ["ALLOWED_ORIGINS", "RATE_LIMIT_<BUCKET>_PER_MINUTE", "RATE_LIMIT_<BUCKET>_BURST", "CHAT_RATE_LIMIT_PER_MINUTE", "AI_MODELS", "AI_MAX_OUTPUT_TOKENS", "AI_DAILY_REQUESTS", "FEATURE_<NAME>", "LOG_LEVEL"];

export type Settings = Readonly<Record<string, string>>;

interface Loaded {
  settings: Settings;
  /** Bumped on every change, so cached configurations know to re-read. */
  version: number;
  loadedAt: number;
}

let loaded: Loaded = { settings: {}, version: 0, loadedAt: Number.NEGATIVE_INFINITY };
let pending: Promise<void> | null = null;

/** The environment's CONFIG namespace, when it has one (tests and older configs may not). */
type ConfigEnv = { CONFIG?: KVNamespace };

/**
 * Read the settings from KV unless this isolate read them less than {@link CACHE_MS} ago (`force` reads anyway). A KV
 * failure keeps the settings already known and is logged: configuration must never take a request down.
 * @example await refreshSettings(env);
 */
export async function refreshSettings(env: ConfigEnv, { force = false } = {}): Promise<void> {
  if (!env.CONFIG) return;
  if (!force && Date.now() - loaded.loadedAt < CACHE_MS) return;
  if (pending && !force) return pending;
  const namespace = env.CONFIG;
  const read = (async () => {
    try {
      const stored = await namespace.get(SETTINGS_KEY, force ? { type: "text" } : { type: "text", cacheTtl: KV_CACHE_SECONDS });
      const settings = parseStored(stored);
      const changed = JSON.stringify(settings) !== JSON.stringify(loaded.settings);
      loaded = { settings, version: loaded.version + (changed ? 1 : 0), loadedAt: Date.now() };
    } catch (error) {
      logError(error, { type: "runtime_config_unavailable" });
      loaded = { ...loaded, loadedAt: Date.now() };
    } finally {
      pending = null;
    }
  })();
  pending = read;
  return read;
}

/**
 * The settings this isolate holds, and their version (changes whenever they do).
 * @example const { settings } = currentSettings();
 */
export function currentSettings(): { settings: Settings; version: number } {
  return { settings: loaded.settings, version: loaded.version };
}

/**
 * One setting: the environment's when set and not empty, else KV's, else undefined.
 * @example effectiveSetting(env, "ALLOWED_ORIGINS")
 */
export function effectiveSetting(env: object, name: string): string | undefined {
  const own = (env as Record<string, unknown>)[name];
  if (typeof own === "string" && own !== "") return own;
  return loaded.settings[name] ?? (typeof own === "string" ? own : undefined);
}

/**
 * `env` with KV's settings filled in under every variable the environment leaves unset or empty; `env` itself when KV
 * holds nothing.
 * @example parseConfig(effectiveEnv(env))
 */
export function effectiveEnv<E extends object>(env: E): E {
  const entries = Object.entries(loaded.settings);
  if (entries.length === 0) return env;
  const merged: Record<string, unknown> = { ...(env as Record<string, unknown>) };
  for (const [name, value] of entries) {
    if (merged[name] === undefined || merged[name] === "") merged[name] = value;
  }
  return merged as E;
}

/**
 * Names whose KV value the environment overrides (set there and not empty).
 * @example overridden(env, { ALLOWED_ORIGINS: "https://a.example" }) // ["ALLOWED_ORIGINS"] when the variable is set
 */
export function overridden(env: object, settings: Settings): string[] {
  return Object.keys(settings).filter((name) => {
    const own = (env as Record<string, unknown>)[name];
    return typeof own === "string" && own !== "";
  });
}

/**
 * Store `settings` as the whole of KV's settings and use them in this isolate at once.
 * @example await storeSettings(env, { FEATURE_RENDERER: "off" });
 */
export async function storeSettings(env: Required<ConfigEnv>, settings: Settings): Promise<void> {
  await env.CONFIG.put(SETTINGS_KEY, JSON.stringify(settings));
  loaded = { settings, version: loaded.version + 1, loadedAt: Date.now() };
}

/** What KV holds, as settings: anything unreadable or not settable is dropped (and logged), never trusted. */
function parseStored(stored: string | null): Settings {
  if (stored === null) return {};
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    logError(new Error("the CONFIG settings are not JSON; ignoring them"), { type: "runtime_config_invalid" });
    return {};
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const settings: Record<string, string> = {};
  for (const [name, setting] of Object.entries(value)) {
    if (settable(name) && typeof setting === "string" && setting.length <= MAX_SETTING_CHARS) settings[name] = setting;
  }
  return settings;
}
