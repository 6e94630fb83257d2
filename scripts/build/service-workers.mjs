/**
 * The service workers of the site (dist/site), generated with workbox-build after rollup assembled it (rollup.config.mjs
 * buildSite calls {@link buildServiceWorkers}):
 * - `/sw.js`, registered by the gallery and room pages through `/sw-register.js`: precaches the CDN build (spike.js and
 *   the other entries, every chunk (Monaco, the build chunk, y-indexeddb), Monaco's workers) and caches at run time the
 *   pages, `/api/config` and the `/npm/` modules the pages and editors fetch.
 * - `/preview/sw.js`, registered by the preview frame itself on the preview origin (another site than the page, so the
 *   page's worker never sees the frame's requests): precaches the frame and caches at run time the `/npm/` modules the
 *   frame imports from the spike server.
 * Run by hand: `node scripts/build/service-workers.mjs [siteDir]`.
 */
import { generateSW } from "workbox-build";
import { fileURLToPath } from "node:url";
import path from "node:path";

/** Cache names, one per kind of content, so a new deploy's precache never evicts a room's pages or modules. */
export const CACHES = { pages: "spike-pages", config: "spike-config", npm: "spike-npm", previewNpm: "spike-preview-npm" };

/** Monaco's TypeScript worker is ~6 MB raw: above workbox's 2 MB default for one precached file. */
const MAX_FILE = 16 * 1024 * 1024;

/** A `/npm/` module on any origin (the frame fetches them from the spike server, another origin than its own). */
const NPM_URL = /^https?:\/\/[^/]+\/npm\//;

/**
 * Write `siteDir/sw.js` and `siteDir/preview/sw.js`; returns what each precaches (file count and bytes).
 * @example await buildServiceWorkers("dist/site");
 */
export async function buildServiceWorkers(siteDir) {
  const common = { mode: "production", sourcemap: false, inlineWorkboxRuntime: true, skipWaiting: true, clientsClaim: true, cleanupOutdatedCaches: true };
  const pageWorker = generateSW({
    ...common,
    globDirectory: siteDir,
    swDest: path.join(siteDir, "sw.js"),
    cacheId: "spike",
    // The CDN build at the site's root. Not: source maps, the pinned copy under v/ (the same files again), the preview
    // frame (another origin's worker keeps it), the npm set (cached as used: it is large), other parts' static builds.
    globPatterns: ["*.{js,css}", "chunks/**/*.{js,css,ttf,woff,woff2}"],
    globIgnores: ["sw.js", "**/*.map", "v/**", "preview/**", "npm/**", "storybook/**", "apps/**"],
    maximumFileSizeToCacheInBytes: MAX_FILE,
    runtimeCaching: [
      // Pages: the network's answer when there is one, else the copy from the last visit.
      { urlPattern: ({ request }) => request.mode === "navigate", handler: "NetworkFirst", options: { cacheName: CACHES.pages } },
      // Where the preview frame lives and the sign-in key: needed before a preview can start.
      { urlPattern: ({ url }) => url.pathname === "/api/config", handler: "NetworkFirst", options: { cacheName: CACHES.config } },
      // The npm set (React, the typings index and declarations the editor fetches): the copy at once, refreshed behind.
      { urlPattern: NPM_URL, handler: "StaleWhileRevalidate", options: { cacheName: CACHES.npm } },
    ],
  });
  const previewWorker = generateSW({
    ...common,
    globDirectory: siteDir,
    swDest: path.join(siteDir, "preview/sw.js"),
    cacheId: "spike-preview",
    globPatterns: ["preview/frame.html"],
    // The frame's URL carries its parameters (parent, server): every one of them is the one precached frame.
    ignoreURLParametersMatching: [/./],
    // Its scope is /preview/: the precached URL is relative to the worker, so it must not carry the folder twice.
    modifyURLPrefix: { "preview/": "" },
    maximumFileSizeToCacheInBytes: MAX_FILE,
    runtimeCaching: [{ urlPattern: NPM_URL, handler: "StaleWhileRevalidate", options: { cacheName: CACHES.previewNpm } }],
  });
  const [page, preview] = await Promise.all([pageWorker, previewWorker]);
  for (const warning of [...page.warnings, ...preview.warnings]) console.warn(`  service worker: ${warning}`);
  return { page: { count: page.count, size: page.size }, preview: { count: preview.count, size: preview.size } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { page, preview } = await buildServiceWorkers(process.argv[2] ?? "dist/site");
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(`sw.js precaches ${page.count} files (${mb(page.size)}), preview/sw.js ${preview.count} (${mb(preview.size)}) in ${Date.now() - started} ms`);
}
