/**
 * Clerk in the browser without bundling it: Clerk's documented `<script>` install (its browser build, from the application's
 * own Frontend API, which creates `window.Clerk` from the tag's `data-clerk-publishable-key`), injected once per page and
 * only when an element needs sign-in. https://clerk.com/docs/js-frontend/getting-started/quickstart (the `<script>` tab).
 * A `window.Clerk` of the host page's own is never picked up by key alone unless it is the same Clerk application.
 */
import { clerkScriptUrl, type ClerkLike } from "../../core/index.js";

/** The part of Clerk's browser API the elements use. */
export interface ClerkInstance extends ClerkLike {
  /** The publishable key this instance was created with (Clerk's browser build exposes it). */
  readonly publishableKey?: string;
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
 * Clerk for `publishableKey`, loaded (`await Clerk.load()`). A `window.Clerk` the host page already has is reused only when
 * its `publishableKey` is this one: a page that signs its users in to its own Clerk application must not have their
 * session tokens sent to spike's server (a page that wants that hands its Clerk over as `element.clerk`). Otherwise
 * Clerk's script for `publishableKey` (or `scriptUrl`, for self-hosting Clerk's build or a test stand-in) is injected
 * once per page. Rejects with {@link ClerkKeyMismatchError} when the page's Clerk belongs to another key.
 * @example const clerk = await loadClerk("pk_test_…"); clerk.session?.getToken();
 */
export function loadClerk(publishableKey: string, scriptUrl?: string | null): Promise<ClerkInstance> {
  const src = scriptUrl || clerkScriptUrl(publishableKey);
  const key = `${publishableKey}\n${src}`;
  let load = loads.get(key);
  if (!load) {
    load = (async () => {
      if (!src) throw new Error("not a Clerk publishable key (pk_test_… or pk_live_…)");
      // Never inject over the page's own Clerk: Clerk's script would replace the page's window.Clerk with ours.
      if (window.Clerk) checkKey(window.Clerk, publishableKey);
      else await injectScript(src, publishableKey);
      const clerk = window.Clerk;
      if (!clerk || typeof clerk.load !== "function") throw new Error(`${src} did not define window.Clerk`);
      checkKey(clerk, publishableKey); // the page's own Clerk may have arrived while ours loaded
      if (!clerk.loaded) await clerk.load();
      return clerk;
    })();
    load.catch(() => loads.delete(key)); // try again next time
    loads.set(key, load);
  }
  return load;
}

/** The page's `window.Clerk` belongs to another Clerk application than the key an element was given. */
export class ClerkKeyMismatchError extends Error {
  constructor(readonly pageKey: string | undefined) {
    super(
      `the page's Clerk (window.Clerk) uses ${pageKey ? `another publishable key (${pageKey})` : "an unknown publishable key"}; ` +
        "to sign in with it, hand it over as element.clerk = window.Clerk",
    );
    this.name = "ClerkKeyMismatchError";
  }
}

function checkKey(clerk: ClerkInstance, publishableKey: string): void {
  const pageKey = typeof clerk.publishableKey === "string" ? clerk.publishableKey : undefined;
  if (pageKey?.trim() !== publishableKey.trim()) throw new ClerkKeyMismatchError(pageKey);
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
