/**
 * `GET /admin/config` and `PUT /admin/config`: the runtime settings in KV (workers/platform/runtime-config.ts) that change
 * allowed embed origins, rate and AI limits and feature flags without a deploy. Admins only (admin-access.ts). A PUT names
 * the settings to change (`null` removes one); the whole result is checked as readConfig would read it, and nothing is
 * stored when any of it is unusable. See README "Runtime configuration".
 */
import { Hono, type Context } from "hono";
import { parseConfig, readConfig } from "../platform/config.js";
import type { Env } from "../platform/env.js";
import {
  CACHE_MS,
  KV_CACHE_SECONDS,
  MAX_SETTING_CHARS,
  SETTABLE_NAMES,
  currentSettings,
  overridden,
  refreshSettings,
  settable,
  storeSettings,
  type Settings,
} from "../platform/runtime-config.js";
import { adminOnly } from "./admin-access.js";
import type { AuthVariables } from "./authenticate.js";
import { limitBody } from "./body-limit.js";
import { jsonError } from "./errors.js";

type AdminEnv = { Bindings: Env; Variables: AuthVariables };

/** Largest PUT body: far above every settable name with a long origin list. */
const MAX_BODY_BYTES = 64 * 1024;

/** What both methods answer. */
export interface RuntimeConfigAnswer {
  /** What KV holds. */
  settings: Settings;
  /** Names in `settings` that an environment variable overrides (the environment wins). */
  overriddenByEnvironment: string[];
  /** The features in force, after both sources. */
  features: Record<string, boolean>;
  /** The names KV may hold. */
  settable: string[];
  /** How long a change may take to reach every isolate: each isolate's cache, and KV's. */
  cacheSeconds: { isolate: number; kv: number };
}

/**
 * The `/admin/config` sub-app.
 * @example app.route("/admin/config", adminConfigRoute());
 */
export function adminConfigRoute(): Hono<AdminEnv> {
  const route = new Hono<AdminEnv>();
  route.get("/", ...adminOnly("read the configuration"), async (c) => {
    await refreshSettings(c.env, { force: true });
    return c.json(answerOf(c.env));
  });
  route.put("/", ...adminOnly("change the configuration"), limitBody("configuration", MAX_BODY_BYTES), async (c) => {
    if (!c.env.CONFIG) return jsonError(c, 503, "this server has no CONFIG KV namespace (wrangler.jsonc kv_namespaces)");
    const changes = await readChanges(c);
    if (typeof changes === "string") return jsonError(c, 400, changes);
    await refreshSettings(c.env, { force: true });
    const next: Record<string, string> = { ...currentSettings().settings };
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) delete next[name];
      else next[name] = value;
    }
    const problem = problemWith(next, Object.keys(changes));
    if (problem) return jsonError(c, 400, problem);
    await storeSettings(c.env as Required<Pick<Env, "CONFIG">>, next);
    return c.json(answerOf(c.env));
  });
  route.all("/", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on the configuration`));
  return route;
}

function answerOf(env: Env): RuntimeConfigAnswer {
  const { settings } = currentSettings();
  return {
    settings,
    overriddenByEnvironment: overridden(env, settings),
    features: readConfig(env).features,
    settable: SETTABLE_NAMES,
    cacheSeconds: { isolate: CACHE_MS / 1000, kv: KV_CACHE_SECONDS },
  };
}

/** The PUT body as `{name: value | null}`, or what is wrong with it. */
async function readChanges(c: Context): Promise<Record<string, string | null> | string> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    return 'body is not JSON: send {"NAME": "value"} (null removes a setting)';
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return 'body must be a JSON object: {"NAME": "value"} (null removes a setting)';
  const changes: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!settable(name)) return `${name.slice(0, 80)} cannot be set at runtime; settable: ${SETTABLE_NAMES.join(", ")}`;
    if (value === null) changes[name] = null;
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      const text = String(value);
      if (text.length > MAX_SETTING_CHARS) return `${name} is longer than ${MAX_SETTING_CHARS} characters`;
      changes[name] = text;
    } else return `${name} must be a string, a number, a boolean or null`;
  }
  if (Object.keys(changes).length === 0) return "body names no setting to change";
  return changes;
}

/** The first reason the settings cannot be used, for a setting being changed; null when they can. */
function problemWith(settings: Settings, changed: string[]): string | null {
  const config = parseConfig(settings);
  const problem = config.problems.find((text) => changed.some((name) => text.startsWith(`${name} `)));
  if (problem) return problem.replace(/; using .*$/, "");
  if (changed.includes("AI_MODELS") && config.ai.modelsError) return config.ai.modelsError;
  return null;
}
