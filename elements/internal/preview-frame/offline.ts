/**
 * Offline for the preview frame. The frame runs on the preview origin, another site than the page, so the page's service
 * worker never sees its requests: the frame registers its own (`preview/sw.js`, scripts/build/service-workers.mjs),
 * which keeps frame.html and the `/npm/` modules the frame imports, so a reload without a network still previews.
 */

/**
 * Register `sw.js` beside the frame when the page that frames us is the spike server's own (`parent` is `server`: a
 * gallery or room page), never for a third-party page's embed; not from an opaque origin (it could not). Once the worker
 * controls the frame, the `/npm/` modules fetched before it did are fetched again through it, so it keeps them too.
 * @example keepOffline(params.parent, params.server);
 */
export function keepOffline(parent: string, server: string): void {
  // `self.origin`, the document's origin: "null" when sandboxed without allow-same-origin (`location.origin` is the URL's),
  // where even reading navigator.serviceWorker throws.
  if (parent !== server || self.origin === "null" || !("serviceWorker" in navigator)) return;
  let workers: ServiceWorkerContainer;
  try {
    workers = navigator.serviceWorker;
  } catch {
    return;
  }
  workers
    .register(new URL("sw.js", location.href))
    .then(() => (workers.controller ? undefined : new Promise((resolve) => workers.addEventListener("controllerchange", resolve, { once: true }))))
    .then(() => {
      const fetched = performance.getEntriesByType("resource").map((entry) => entry.name);
      return Promise.all(fetched.filter((url) => new URL(url).pathname.startsWith("/npm/")).map((url) => fetch(url).catch(() => null)));
    })
    .catch(() => {
      // No offline copy (storage blocked, a private window): the frame works as before.
    });
}
