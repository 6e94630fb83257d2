/**
 * `npm run dev`'s live-reload channel: a loopback HTTP server beside wrangler dev that serves a small client script
 * (`/live-reload.js`, which only dev builds' pages load) and a Server-Sent Events stream (`/events`). After a rebuild,
 * scripts/dev.mjs announces the site files that changed; each open page reloads when one of them is a file it loaded
 * (itself, a bundle, a chunk, its preview frame). Our own server rather than `wrangler dev --live-reload`: that one injects
 * an inline script the demo pages' CSP refuses, and it fires when a Worker reloads, not when a bundle changes.
 */
import { createServer } from "node:http";

/**
 * The client, run by each page of a dev build. Resource Timing lists what the page loaded (same-origin bundles and
 * chunks, the preview frame's page); `/v/<version>/x` is the pinned copy of `/x`.
 */
const CLIENT = `// spike: live reload (npm run dev builds only)
(() => {
  const events = new EventSource(new URL("events", document.currentScript.src));
  performance.setResourceTimingBufferSize(10000);
  // Marks a page that will reload: <html data-spike-live-reload="open">.
  events.addEventListener("open", () => (document.documentElement.dataset.spikeLiveReload = "open"));
  const sitePath = (url) => {
    const path = new URL(url, location.href).pathname.replace(/^\\/v\\/[^/]+\\//, "/");
    if (path.endsWith("/")) return path + "index.html";
    return /\\.[a-z0-9]+$/i.test(path) ? path : path + ".html";
  };
  events.addEventListener("change", (event) => {
    const changed = new Set(JSON.parse(event.data));
    const loaded = [location.href, ...performance.getEntriesByType("resource").map((entry) => entry.name)];
    if (loaded.some((url) => changed.has(sitePath(url)))) location.reload();
  });
})();
`;

/**
 * Start the channel on 127.0.0.1.
 * @param {{ port?: number }} [options] port 0 (the default) takes any free one
 * @returns {Promise<{ url: string, announce(changed: string[]): number, close(): Promise<void> }>} `url` ends in "/";
 *   `announce` sends the changed site paths (`/spike.js`, `/index.html`) to every open page and returns how many it reached
 * @example const channel = await startLiveReload(); channel.announce(["/spike.js"]);
 */
export async function startLiveReload({ port = 0 } = {}) {
  const pages = new Set();
  const server = createServer((req, res) => {
    const cors = { "access-control-allow-origin": "*", "cache-control": "no-store" };
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (req.method === "GET" && path === "/live-reload.js") {
      res.writeHead(200, { ...cors, "content-type": "text/javascript; charset=utf-8" }).end(CLIENT);
    } else if (req.method === "GET" && path === "/events") {
      res.writeHead(200, { ...cors, "content-type": "text/event-stream" }).write("retry: 1000\n\n");
      pages.add(res);
      req.on("close", () => pages.delete(res));
    } else {
      res.writeHead(404, cors).end("not found\n");
    }
  });
  await new Promise((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address();
  return {
    url: `http://127.0.0.1:${bound}/`,
    announce(changed) {
      for (const page of pages) page.write(`event: change\ndata: ${JSON.stringify(changed)}\n\n`);
      return pages.size;
    },
    close() {
      const closed = new Promise((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
}
