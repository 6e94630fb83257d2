/**
 * Clerk in the browser without bundling it: Clerk's documented `<script>` install (its browser build, from the application's
 * own Frontend API, which creates `window.Clerk` from the tag's `data-clerk-publishable-key`), injected once per page and
 * only when an element needs sign-in. https://clerk.com/docs/js-frontend/getting-started/quickstart (the `<script>` tab).
 */
import { clerkScriptUrl, type ClerkLike } from "../../core/index.js";

/** The part of Clerk's browser API the elements use. */
export interface ClerkInstance extends ClerkLike {
  load(options?: Record<string, unknown>): Promise<unknown>;
  readonly loaded?: boolean;
  user?: { id: string; fullName?: string | null; username?: string | null } | null;
  /** Open Clerk's sign-in modal. */
  openSignIn(props?: Record<string, unknown>): void;
  /** Call `listener` whenever the client, session or user changes; returns an unsubscribe function. */
  addListener(listener: (resources: { session?: unknown; user?: unknown }) => void): () => void;
}

declare global {
  interface Window {
    Clerk?: ClerkInstance;
  }
}

const loads = new Map<string, Promise<ClerkInstance>>();

/**
 * The page's Clerk, loaded (`await Clerk.load()`). Reuses a `window.Clerk` the host page already has; otherwise injects
 * Clerk's script for `publishableKey` (or `scriptUrl`, for self-hosting Clerk's build or a test stand-in) once per page.
 * @example const clerk = await loadClerk("pk_test_…"); clerk.session?.getToken();
 */
export function loadClerk(publishableKey: string, scriptUrl?: string | null): Promise<ClerkInstance> {
  const src = scriptUrl || clerkScriptUrl(publishableKey);
  const key = `${publishableKey}\n${src}`;
  let load = loads.get(key);
  if (!load) {
    load = (async () => {
      if (!src) throw new Error("not a Clerk publishable key (pk_test_… or pk_live_…)");
      if (!window.Clerk) await injectScript(src, publishableKey);
      const clerk = window.Clerk;
      if (!clerk || typeof clerk.load !== "function") throw new Error(`${src} did not define window.Clerk`);
      if (!clerk.loaded) await clerk.load();
      return clerk;
    })();
    load.catch(() => loads.delete(key)); // try again next time
    loads.set(key, load);
  }
  return load;
}

function injectScript(src: string, publishableKey: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.async = true;
    script.crossOrigin = "anonymous";
    script.dataset.clerkPublishableKey = publishableKey;
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => {
      script.remove();
      reject(new Error(`could not load Clerk from ${src}`));
    };
    document.head.append(script);
  });
}
