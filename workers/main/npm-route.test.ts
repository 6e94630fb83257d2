/**
 * `/npm/` on the real Worker in workerd (contract C2): the offline set from the built dist/site, bad paths, and NPM_UPSTREAM
 * through a loopback fake CDN with the R2 cache.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { buildNpmModules } from "../../scripts/build-npm.mjs";
import { rawRequest, startTestWorker, type TestWorker } from "../test-support.js";

const REACT = JSON.parse(readFileSync(new URL("../../node_modules/react/package.json", import.meta.url), "utf8")).version as string;
const REACT_DOM = JSON.parse(readFileSync(new URL("../../node_modules/react-dom/package.json", import.meta.url), "utf8")).version as string;
const IMMUTABLE = "public, max-age=31536000, immutable";

function get(worker: TestWorker, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(new URL(path, worker.url), { signal: AbortSignal.timeout(15_000), ...init });
}

describe("/npm/ offline set", () => {
  let worker: TestWorker;
  before(async () => {
    await buildNpmModules(); // no-op when dist/site/npm is fresh
    worker = await startTestWorker({ assets: "dist/site" });
  });
  after(() => worker?.dispose());

  test("serves react as an immutable, CORS-enabled ES module, byte for byte the built file", async () => {
    const response = await get(worker, `/npm/react@${REACT}/index.js`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(response.headers.get("cache-control"), IMMUTABLE);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    const code = await response.text();
    assert.equal(code, readFileSync(new URL(`../../dist/site/npm/react@${REACT}/index.js`, import.meta.url), "utf8"));
    assert.match(code, /\bas useState\b/);
    assert.match(code, /\bas default\b/);
  });

  test("react-dom/client imports react and react-dom by relative paths (one React, wherever the set is served)", async () => {
    const code = await (await get(worker, `/npm/react-dom@${REACT_DOM}/client.js`)).text();
    assert.ok(code.includes(`"../react@${REACT}/index.js"`), "imports the shared react");
    assert.ok(code.includes(`"./index.js"`), "imports the shared react-dom");
    assert.ok(!code.includes(`"/npm/`), "no import depends on the set being served at /npm/");
    assert.doesNotMatch(code, /Dynamic require/);
  });

  test("importmap.json maps every specifier to a module the route serves", async () => {
    const response = await get(worker, "/npm/importmap.json");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    const { imports } = (await response.json()) as { imports: Record<string, string> };
    assert.equal(imports["react"], `/npm/react@${REACT}/index.js`);
    assert.equal(imports["react/jsx-runtime"], `/npm/react@${REACT}/jsx-runtime.js`);
    assert.equal(imports["react-dom/client"], `/npm/react-dom@${REACT_DOM}/client.js`);
    for (const name of ["clsx", "nanoid", "canvas-confetti", "zustand"]) assert.ok(imports[name], `${name} is in the map`);
    for (const [specifier, url] of Object.entries(imports)) {
      const module = await get(worker, url);
      assert.equal(module.status, 200, `${specifier} -> ${url}`);
      assert.equal(module.headers.get("content-type"), "text/javascript; charset=utf-8");
      await module.body?.cancel();
    }
  });

  test("a conditional request with the ETag is a 304", async (t) => {
    const first = await get(worker, `/npm/react@${REACT}/jsx-runtime.js`);
    await first.body?.cancel();
    const etag = first.headers.get("etag");
    if (!etag) return t.skip("the asset server gave no ETag");
    const second = await get(worker, `/npm/react@${REACT}/jsx-runtime.js`, { headers: { "if-none-match": etag } });
    assert.equal(second.status, 304);
    assert.equal(second.headers.get("access-control-allow-origin"), "*");
  });

  test("an unversioned specifier of the set answers a module that re-exports the versioned file", async () => {
    const response = await get(worker, "/npm/react");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.ok((await response.text()).includes(`export * from "/npm/react@${REACT}/index.js"`));
  });

  test("a package outside the set, with no NPM_UPSTREAM, is a 404 that says how to get it", async () => {
    for (const path of ["/npm/lodash-es", "/npm/lodash-es/debounce"]) {
      const response = await get(worker, path);
      assert.equal(response.status, 404);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      const { requestId, ...body } = (await response.json()) as { requestId: string };
      assert.deepEqual(body, { error: 'package "lodash-es" is not in the offline set; set NPM_UPSTREAM to fetch it from a CDN' });
      assert.equal(requestId, response.headers.get("x-request-id"));
    }
    const missingFile = await get(worker, `/npm/react@${REACT}/nope.js`);
    assert.equal(missingFile.status, 404);
    assert.match(((await missingFile.json()) as { error: string }).error, /not a file of the offline set/);
  });

  test("traversal and odd paths that reach the route are a 400 JSON", async () => {
    const paths = [
      `/npm/react@${REACT}/..%2f..%2fwrangler.jsonc`,
      "/npm/%2e%2e%2fpackage.json",
      "/npm/%2E%2E%2F%2E%2E%2Fpackage.json",
      "/npm/react%5c..%5c..%5cpackage.json",
      "/npm/react%00.js",
      "/npm/react%0a.js",
      "/npm/%25252e%25252e",
      "/npm/%E0%A4%A",
      `/npm/react@${REACT}//index.js`,
      `/npm/${"a".repeat(600)}`,
      "/npm/",
      "/npm/@scope",
    ];
    for (const path of paths) {
      const response = await rawRequest(worker, path);
      assert.equal(response.status, 400, `${path}: ${response.status} ${response.text.slice(0, 200)}`);
      assert.equal(typeof JSON.parse(response.text).error, "string", path);
    }
  });

  test("dot segments the URL parser resolves never reach a file outside the set", async () => {
    for (const path of ["/npm/../package.json", "/npm/%2e%2e/package.json", `/npm/react@${REACT}/..\\..\\..\\package.json`]) {
      const response = await rawRequest(worker, path);
      assert.ok(response.status >= 400 && response.status < 500, `${path}: ${response.status}`);
      assert.doesNotMatch(response.text, /"devDependencies"/, path);
    }
  });

  test("other methods are a 405", async () => {
    const response = await get(worker, `/npm/react@${REACT}/index.js`, { method: "POST", body: "x" });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
  });
});

/** A loopback stand-in for an ES module CDN such as esm.sh; counts the requests per path. */
function startFakeCdn(): Promise<{ server: Server; base: string; hits: Map<string, number> }> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const js = (body: string) => res.writeHead(200, { "content-type": "application/javascript; charset=utf-8" }).end(body);
    if (path === "/tiny-esm") return js('export * from "/tiny-esm@1.0.0/es2022/tiny.mjs";\nexport const unpinned = true;\n');
    if (path === "/tiny-esm@1.0.0/es2022/tiny.mjs") return js("export const answer = 42;\nexport default answer;\n");
    if (path === "/moved") return res.writeHead(302, { location: "/tiny-esm@1.0.0/es2022/tiny.mjs" }).end();
    if (path === "/broken") return res.writeHead(500, { "content-type": "text/plain" }).end("boom");
    if (path === "/page") return res.writeHead(200, { "content-type": "text/html" }).end("<h1>not a module</h1>");
    if (path === "/huge") {
      // 6 MB streamed without a content-length, so only counting the bytes can catch it.
      res.writeHead(200, { "content-type": "text/javascript" });
      const chunk = `// ${"x".repeat(1024 * 64 - 4)}\n`;
      for (let i = 0; i < 96; i++) res.write(chunk);
      return res.end();
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, base: `http://127.0.0.1:${port}`, hits });
    });
  });
}

describe("/npm/ with NPM_UPSTREAM (loopback fake CDN) and the R2 cache", () => {
  let worker: TestWorker;
  let cdn: Awaited<ReturnType<typeof startFakeCdn>>;
  before(async () => {
    cdn = await startFakeCdn();
    worker = await startTestWorker({ assets: "dist/site", vars: { NPM_UPSTREAM: `${cdn.base}/` } });
  });
  after(async () => {
    await worker?.dispose();
    cdn?.server.close();
  });

  test("the offline set still wins over the upstream", async () => {
    const response = await get(worker, `/npm/react@${REACT}/index.js`);
    await response.body?.cancel();
    assert.equal(response.status, 200);
    assert.equal(cdn.hits.size, 0);
  });

  test("an unknown package comes from the upstream with CORS, root-relative imports sent back through /npm/", async () => {
    const response = await get(worker, "/npm/tiny-esm");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.equal(response.headers.get("cache-control"), "public, max-age=600", "unversioned: a short cache");
    assert.equal(response.headers.get("x-spike-cache"), "miss");
    assert.equal(await response.text(), 'export * from "/npm/tiny-esm@1.0.0/es2022/tiny.mjs";\nexport const unpinned = true;\n');

    const pinned = await get(worker, "/npm/tiny-esm@1.0.0/es2022/tiny.mjs");
    assert.equal(pinned.status, 200);
    assert.equal(pinned.headers.get("cache-control"), IMMUTABLE, "an exact version: immutable");
    assert.match(await pinned.text(), /answer = 42/);
  });

  test("redirects are followed", async () => {
    const response = await get(worker, "/npm/moved");
    assert.equal(response.status, 200);
    assert.match(await response.text(), /answer = 42/);
  });

  test("upstream 404 is a 404, 500 a 502, a non-JavaScript type or an oversized module a 502: JSON, nothing cached", async () => {
    const cases: Array<[string, number, RegExp]> = [
      ["/npm/no-such-package", 404, /not found upstream/],
      ["/npm/broken", 502, /answered 500/],
      ["/npm/page", 502, /not JavaScript/],
      ["/npm/huge", 502, /larger than/],
    ];
    for (const [path, status, message] of cases) {
      const response = await get(worker, path);
      assert.equal(response.status, status, path);
      assert.equal(response.headers.get("access-control-allow-origin"), "*", path);
      assert.match(((await response.json()) as { error: string }).error, message, path);
    }
    const again = await get(worker, "/npm/broken");
    await again.body?.cancel();
    assert.equal(cdn.hits.get("/broken"), 2, "a failure is not cached");
  });

  test("a second request is served from R2, even after the CDN is gone", async () => {
    const second = await get(worker, "/npm/tiny-esm");
    assert.equal(second.headers.get("x-spike-cache"), "hit");
    await second.body?.cancel();
    assert.equal(cdn.hits.get("/tiny-esm"), 1, "the CDN was asked once");

    const closed = new Promise<void>((resolve) => cdn.server.close(() => resolve()));
    cdn.server.closeAllConnections(); // workerd keeps its upstream connections alive
    await closed;
    const offline = await get(worker, "/npm/tiny-esm");
    assert.equal(offline.status, 200);
    assert.equal(offline.headers.get("x-spike-cache"), "hit");
    assert.match(await offline.text(), /unpinned = true/);

    const notCached = await get(worker, "/npm/never-fetched");
    assert.equal(notCached.status, 502);
    assert.match(((await notCached.json()) as { error: string }).error, /did not answer|answered/);
  });
});
