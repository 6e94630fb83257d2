/**
 * The loopback static servers of the preview bench (node http on 127.0.0.1): directories and generated answers by path
 * prefix, never cached, any origin allowed, with a count of the paths they could not answer.
 */
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { onCleanup } from "../support.mjs";

const HOST = "127.0.0.1";

export const CONTENT_TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/** A file under `dir` for a URL path below a mount point, or null (no traversal out of `dir`). */
function fileUnder(dir, rest) {
  const file = path.resolve(dir, `.${path.posix.normalize(`/${decodeURIComponent(rest)}`)}`);
  if (file !== dir && !file.startsWith(dir + path.sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/**
 * Start a loopback HTTP server. `routes` maps a path prefix to a directory or to a function (rest) -> {body, type} | null.
 * Every answer allows any origin (the preview frames load modules cross-origin). By default nothing is cached by the
 * browser, so a fresh context is really cold; `cache` sets the Cache-Control of everything but HTML pages (a warm load
 * then reuses what the first one fetched). Stopped by the bench's cleanup.
 * @example const host = await startStaticServer("host", { "/pg/": PLAYGROUND_DIR, "/": (rest) => rest ? null : { body, type } });
 */
export async function startStaticServer(name, routes, { cache = "no-cache" } = {}) {
  const counts = { requests: 0, notFound: new Map() };
  const server = createServer((req, res) => {
    counts.requests++;
    const url = new URL(req.url, "http://x");
    const page = url.pathname.endsWith("/") || url.pathname.endsWith(".html");
    const headers = { "access-control-allow-origin": "*", "cache-control": page ? "no-cache" : cache };
    for (const [prefix, target] of Object.entries(routes)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const rest = url.pathname.slice(prefix.length);
      if (typeof target === "function") {
        const answer = target(rest, url);
        if (answer) {
          res.writeHead(200, { ...headers, "content-type": answer.type });
          res.end(req.method === "HEAD" ? undefined : answer.body);
          return;
        }
      } else {
        const file = fileUnder(target, rest);
        if (file) {
          res.writeHead(200, { ...headers, "content-type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream" });
          res.end(req.method === "HEAD" ? undefined : readFileSync(file));
          return;
        }
      }
    }
    counts.notFound.set(url.pathname, (counts.notFound.get(url.pathname) ?? 0) + 1);
    res.writeHead(404, { ...headers, "content-type": "text/plain" });
    res.end("not found");
  });
  const sockets = new Set();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, resolve);
  });
  const stop = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  onCleanup(stop);
  return { name, port: server.address().port, counts };
}
