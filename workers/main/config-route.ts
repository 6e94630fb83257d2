/**
 * `GET /api/config` -> `{ previewOrigin, clerkPublishableKey, aiModels }`: where <spike-preview> loads its frame, the Clerk
 * key elements use to offer sign-in when the page gives them none, and the chat models this server allows. The frame runs
 * untrusted user code, so it must live on a different *site* than the pages that embed it (see elements/spike-preview.ts
 * for why that matters).
 */
import { Hono } from "hono";
import type { ChatModel } from "../platform/ai-models.js";
import { readConfig } from "../platform/config.js";
import type { Env } from "../platform/env.js";

/** What `GET /api/config` answers. */
export interface ClientConfig {
  /** Origin serving `/preview/frame.html`, e.g. `http://127.0.0.1:8787` when the page is on `http://localhost:8787`. */
  previewOrigin: string;
  /** Clerk's publishable key (`pk_test_…` / `pk_live_…`, public by design) from CLERK_PUBLISHABLE_KEY; null when unset. */
  clerkPublishableKey: string | null;
  /** The chat models `POST /live/<room>/chat` accepts here (AI_MODELS); empty when AI_MODELS is misconfigured. */
  aiModels: ChatModel[];
}

/** localhost and 127.0.0.1 are different sites to a browser, yet both reach the local stack: a free second site. */
const LOOPBACK_SWAP: Record<string, string> = { localhost: "127.0.0.1", "127.0.0.1": "localhost" };

/**
 * The preview origin for a request: `PREVIEW_ORIGIN` when configured, else the request's own origin with localhost and
 * 127.0.0.1 swapped. Any other host without `PREVIEW_ORIGIN` gets its own origin back; the element then notices the frame
 * would be same-site and drops `allow-same-origin`, so user code still cannot reach the page.
 * @example previewOrigin("http://localhost:8787/api/config", undefined) // "http://127.0.0.1:8787"
 */
export function previewOrigin(requestUrl: string, configured: string | undefined): string {
  if (configured) return new URL(configured).origin;
  const url = new URL(requestUrl);
  const swapped = LOOPBACK_SWAP[url.hostname];
  if (swapped) url.hostname = swapped;
  return url.origin;
}

/**
 * How long a browser keeps `/api/config`: five minutes fresh, like the latest element bundle, then a day in which a page
 * uses the copy it has and refreshes it in the background. A preview in a room waits for this answer before it can load
 * its frame, so a repeat visit must not wait for the network; a changed PREVIEW_ORIGIN reaches a returning browser on
 * its second page load at the latest.
 */
export const CONFIG_CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=86400";

/**
 * The `/api/config` sub-app. Public, read-only and the same for everyone, so any page may read it (CORS `*`) and keep it
 * ({@link CONFIG_CACHE_CONTROL}).
 * @example app.route("/api/config", configRoute());
 */
export function configRoute(): Hono<{ Bindings: Env }> {
  const route = new Hono<{ Bindings: Env }>();
  route.get("/", (c) => {
    c.header("access-control-allow-origin", "*");
    c.header("cache-control", CONFIG_CACHE_CONTROL);
    const config = readConfig(c.env);
    const body: ClientConfig = {
      previewOrigin: previewOrigin(c.req.url, config.previewOrigin),
      clerkPublishableKey: config.auth.publishableKey,
      aiModels: config.ai.models,
    };
    return c.json(body);
  });
  return route;
}
