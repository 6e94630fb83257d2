// Offline for spike's own pages: registers /sw.js (scripts/build/service-workers.mjs), which keeps the CDN build, Monaco,
// the pages and the npm modules they used, so a reload without a network still opens the editor and the preview. Only
// on the spike server's own origin: a copy of this file on another site registers nothing, and spike.js itself never
// registers a service worker, so an embed on a third-party page leaves the host's origin alone.
// Use: <script type="module" src="/sw-register.js"></script>
const here = new URL(import.meta.url);
if ("serviceWorker" in navigator && here.origin === location.origin) {
  const workers = navigator.serviceWorker;
  workers
    .register(new URL("/sw.js", here))
    .then(() => workers.controller ?? new Promise((resolve) => workers.addEventListener("controllerchange", resolve, { once: true })))
    .then(async () => {
      // On a first visit the page, its configuration and its modules came before the worker: fetch them again through
      // it (the HTTP cache answers), so it holds them for the next visit without a network.
      const again = performance
        .getEntriesByType("resource")
        .map((entry) => new URL(entry.name))
        .filter((url) => url.origin === location.origin && (url.pathname === "/api/config" || url.pathname.startsWith("/npm/")));
      await Promise.all(again.map((url) => fetch(url).catch(() => null)));
      const pages = await caches.open("spike-pages");
      if (!(await pages.match(location.href))) await pages.add(location.href);
    })
    .catch((error) => console.warn(`spike: offline support unavailable: ${error.message}`));
}
