/**
 * A plain static file server on a loopback port, for the tests that load the CDN build the way a public npm CDN or any
 * static host serves it: files and a content type, `Access-Control-Allow-Origin: *` (as jsDelivr and unpkg send), nothing
 * spike-specific. It records every path asked for, so a test can tell what a page fetched.
 */
import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
};

/** A running static server. */
export interface StaticServer {
  /** `http://<host>:<port>` */
  origin: string;
  /** Every request's path, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serve `routes` (URL path prefix -> folder, or -> a page's HTML) on `host`, a free port.
 * @example const cdn = await serveStatic({ "/npm/spike@0.1.0/dist/cdn/": "dist/cdn" }, "127.0.0.1");
 */
export async function serveStatic(routes: Record<string, string | { html: string }>, host = "127.0.0.1"): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    requests.push(path);
    const headers = { "access-control-allow-origin": "*" };
    for (const [prefix, target] of Object.entries(routes)) {
      if (typeof target !== "string") {
        if (path !== prefix) continue;
        response.writeHead(200, { ...headers, "content-type": TYPES[".html"] }).end(target.html);
        return;
      }
      if (!path.startsWith(prefix)) continue;
      const file = normalize(join(target, path.slice(prefix.length)));
      if (!file.startsWith(normalize(target) + sep)) break;
      try {
        if (!(await stat(file)).isFile()) break;
        response.writeHead(200, { ...headers, "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
        response.end(await readFile(file));
        return;
      } catch {
        break;
      }
    }
    response.writeHead(404, { ...headers, "content-type": "text/plain" }).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
