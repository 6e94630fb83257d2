/**
 * Runtime configuration in the Worker: every request first makes sure the isolate's settings from KV are fresh
 * (workers/platform/runtime-config.ts), and a route of a feature that is switched off answers 503 naming its flag.
 */
import type { MiddlewareHandler } from "hono";
import { FEATURES, readConfig, type FeatureName } from "../platform/config.js";
import type { Env } from "../platform/env.js";
import { refreshSettings } from "../platform/runtime-config.js";
import { jsonError } from "./errors.js";

/**
 * Middleware: read the runtime settings when this isolate's copy is older than its cache time (a memory check otherwise).
 * @example app.use(runtimeSettings());
 */
export function runtimeSettings(): MiddlewareHandler<{ Bindings: Env }> {
  return async function runtimeSettings(c, next) {
    await refreshSettings(c.env);
    await next();
  };
}

/**
 * Middleware: 503 `{error}` naming `FEATURE_<name>` when the operator switched the feature off.
 * @example live.post("/:room/fork", requireFeature("FORKS"), …)
 */
export function requireFeature(name: FeatureName): MiddlewareHandler<{ Bindings: Env }> {
  return async function requireFeature(c, next) {
    if (!readConfig(c.env).features[name]) return jsonError(c, 503, `this server has turned off ${FEATURES[name]} (FEATURE_${name}=off)`);
    await next();
  };
}
