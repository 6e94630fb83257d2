/**
 * Typings for the editor on the real Worker in workerd: the offline set's `.d.ts` files and /npm/typings.json from the built
 * dist/site, and /npm/_types/<name> against a loopback CDN that serves package files (package.json, `.d.ts`) with the R2
 * cache; bad names, huge files and odd content types.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { buildNpmModules } from "../../scripts/build-npm.mjs";
import { rawRequest, startTestWorker, type TestWorker } from "../test-support.js";

const TYPES_REACT = JSON.parse(readFileSync(new URL("../../node_modules/@types/react/package.json", import.meta.url), "utf8")).version as string;
const CSSTYPE = JSON.parse(readFileSync(new URL("../../node_modules/csstype/package.json", import.meta.url), "utf8")).version as string;
const IMMUTABLE = "public, max-age=31536000, immutable";

type TypingsIndex = { packages: Record<string, string | null>; typings: Record<string, { files: string[]; dependencies: string[] }> };

function get(worker: TestWorker, path: string): Promise<Response> {
  return fetch(new URL(path, worker.url), { signal: AbortSignal.timeout(30_000) });
}

describe("offline typings under /npm/", () => {
  let worker: TestWorker;
  before(async () => {
    await buildNpmModules(); // no-op when dist/cdn/npm is fresh
    worker = await startTestWorker({ assets: "dist/site" });
  });
  after(() => worker?.dispose());

  test("typings.json maps each package of the set to its typings, and every file it lists is served as TypeScript", async () => {
    const response = await get(worker, "/npm/typings.json");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(response.headers.get("cache-control"), "public, max-age=300");
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    const index = (await response.json()) as TypingsIndex;
    assert.equal(index.packages["react"], `@types/react@${TYPES_REACT}`);
    assert.equal(index.packages["canvas-confetti"], null, "a package of the set without typings says so");
    assert.equal(index.packages["clsx"]?.startsWith("clsx@"), true, "a package that ships its own typings");
    const react = index.typings[`@types/react@${TYPES_REACT}`]!;
    assert.deepEqual(react.dependencies, [`csstype@${CSSTYPE}`]);
    for (const file of ["index.d.ts", "global.d.ts", "jsx-runtime.d.ts", "package.json"]) assert.ok(react.files.includes(file), file);
    assert.ok(!react.files.includes("experimental.d.ts"), "files no specifier of the set reaches are left out");
    for (const [id, { files }] of Object.entries(index.typings)) {
      for (const file of files) {
        const typings = await get(worker, `/npm/${id}/${file}`);
        assert.equal(typings.status, 200, `${id}/${file}`);
        assert.equal(typings.headers.get("cache-control"), IMMUTABLE);
        assert.equal(typings.headers.get("access-control-allow-origin"), "*");
        assert.equal(typings.headers.get("content-type"), file.endsWith(".json") ? "application/json; charset=utf-8" : "application/typescript; charset=utf-8");
        await typings.body?.cancel();
      }
    }
    const indexDts = await (await get(worker, `/npm/@types/react@${TYPES_REACT}/index.d.ts`)).text();
    assert.match(indexDts, /function useState<S>/);
  });

  test("/npm/_types/<name> answers the offline set's part for that package, dependencies included", async () => {
    const response = await get(worker, "/npm/_types/react-dom");
    assert.equal(response.status, 200);
    const index = (await response.json()) as TypingsIndex;
    assert.deepEqual(Object.keys(index.packages), ["react-dom"]);
    assert.deepEqual(Object.keys(index.typings).sort(), [`@types/react-dom@${index.packages["react-dom"]!.split("@").pop()}`, `@types/react@${TYPES_REACT}`, `csstype@${CSSTYPE}`].sort());
  });

  test("without NPM_UPSTREAM an unknown package's typings are a 404 that says how to get them; bad names a 400", async () => {
    const unknown = await get(worker, "/npm/_types/lodash-es");
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as { error: string }).error, /set NPM_UPSTREAM/);
    for (const path of ["/npm/_types/", "/npm/_types/..%2f..%2fwrangler.jsonc", "/npm/_types/react@19.3.3/index.d.ts", "/npm/_types/%2e%2e", `/npm/_types/${"a".repeat(600)}`]) {
      const response = await rawRequest(worker, path);
      assert.equal(response.status, 400, `${path}: ${response.status} ${response.text.slice(0, 200)}`);
      assert.equal(typeof JSON.parse(response.text).error, "string", path);
    }
  });
});

/** A loopback CDN serving raw package files at /<name>@<version>/<path> (unversioned: the latest), as jsDelivr and unpkg do. */
function startFakeRegistry(): Promise<{ server: Server; base: string; hits: Map<string, number> }> {
  const files: Record<string, string> = {
    "/typed@2.0.0/package.json": JSON.stringify({ name: "typed", version: "2.0.0", exports: { ".": { types: "./dist/index.d.ts", import: "./dist/index.js" } } }),
    "/typed@2.0.0/dist/index.d.ts": 'import type { Shape } from "shapes";\nexport * from "./util.js";\nexport declare function area(shape: Shape): number;\n',
    "/typed@2.0.0/dist/util.d.ts": "export declare const VERSION: string;\n",
    "/shapes@1.0.0/package.json": JSON.stringify({ name: "shapes", version: "1.0.0", types: "index.d.ts" }),
    "/shapes@1.0.0/index.d.ts": "export interface Shape { width: number; height: number }\n",
    "/untyped@1.0.0/package.json": JSON.stringify({ name: "untyped", version: "1.0.0", main: "index.js" }),
    "/@types/untyped@1.0.1/package.json": JSON.stringify({ name: "@types/untyped", version: "1.0.1", types: "" }),
    "/@types/untyped@1.0.1/index.d.ts": "export declare function go(): void;\n",
    "/bare@3.0.0/package.json": JSON.stringify({ name: "bare", version: "3.0.0", main: "index.js" }),
    "/huge@1.0.0/package.json": JSON.stringify({ name: "huge", version: "1.0.0", types: "index.d.ts" }),
    "/html@1.0.0/package.json": JSON.stringify({ name: "html", version: "1.0.0", types: "index.d.ts" }),
  };
  const latest: Record<string, string> = { typed: "2.0.0", shapes: "1.0.0", untyped: "1.0.0", "@types/untyped": "1.0.1", bare: "3.0.0", huge: "1.0.0", html: "1.0.0" };
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    let path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const unversioned = path.match(/^\/((?:@[^/]+\/)?[^/@]+)\/(.*)$/);
    if (unversioned && latest[unversioned[1]!]) path = `/${unversioned[1]}@${latest[unversioned[1]!]}/${unversioned[2]}`;
    if (path === "/huge@1.0.0/index.d.ts") {
      res.writeHead(200, { "content-type": "application/typescript" });
      const chunk = `// ${"x".repeat(1024 * 64 - 4)}\n`;
      for (let i = 0; i < 96; i++) res.write(chunk);
      return res.end();
    }
    if (path === "/html@1.0.0/index.d.ts") return res.writeHead(200, { "content-type": "text/html" }).end("<h1>rate limited</h1>");
    const body = files[path];
    if (body === undefined) return res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    res.writeHead(200, { "content-type": path.endsWith(".json") ? "application/json" : "video/mp2t" }).end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits }));
  });
}

describe("/npm/_types/<name> with NPM_UPSTREAM (loopback registry) and the R2 cache", () => {
  let worker: TestWorker;
  let registry: Awaited<ReturnType<typeof startFakeRegistry>>;
  before(async () => {
    registry = await startFakeRegistry();
    worker = await startTestWorker({ assets: "dist/site", vars: { NPM_UPSTREAM: registry.base } });
  });
  after(async () => {
    await worker?.dispose();
    registry?.server.close();
  });

  test("a package's own typings: its exports' types entry, relative imports followed, imported packages added", async () => {
    const response = await get(worker, "/npm/_types/typed");
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get("cache-control"), "public, max-age=600");
    assert.deepEqual(await response.json(), {
      packages: { typed: "typed@2.0.0", shapes: "shapes@1.0.0" },
      typings: {
        "typed@2.0.0": { files: ["package.json", "dist/index.d.ts", "dist/util.d.ts"], dependencies: ["shapes@1.0.0"] },
        "shapes@1.0.0": { files: ["package.json", "index.d.ts"], dependencies: [] },
      },
    });
    // Each listed file is served from R2, as TypeScript whatever type the CDN gave it, without asking the CDN again.
    const before = registry.hits.get("/typed@2.0.0/dist/index.d.ts");
    const file = await get(worker, "/npm/typed@2.0.0/dist/index.d.ts");
    assert.equal(file.status, 200);
    assert.equal(file.headers.get("content-type"), "application/typescript; charset=utf-8");
    assert.equal(file.headers.get("x-spike-cache"), "hit");
    assert.equal(file.headers.get("cache-control"), IMMUTABLE);
    assert.match(await file.text(), /export declare function area/);
    assert.equal(registry.hits.get("/typed@2.0.0/dist/index.d.ts"), before);
  });

  test("DefinitelyTyped's @types/<name> stands in for a package without typings; none anywhere is null", async () => {
    const untyped = (await (await get(worker, "/npm/_types/untyped")).json()) as TypingsIndex;
    assert.deepEqual(untyped, { packages: { untyped: "@types/untyped@1.0.1" }, typings: { "@types/untyped@1.0.1": { files: ["package.json", "index.d.ts"], dependencies: [] } } });
    const bare = await get(worker, "/npm/_types/bare");
    assert.equal(bare.status, 200);
    assert.deepEqual(await bare.json(), { packages: { bare: null }, typings: {} });
  });

  test("an unknown package is a 404; a huge or HTML typings file a 502; nothing of a failure is cached", async () => {
    const cases: Array<[string, number, RegExp]> = [
      ["/npm/_types/no-such-package", 404, /not found upstream/],
      ["/npm/_types/huge", 502, /larger than/],
      ["/npm/_types/html", 502, /not a typings file/],
    ];
    for (const [path, status, message] of cases) {
      const response = await get(worker, path);
      assert.equal(response.status, status, path);
      assert.equal(response.headers.get("access-control-allow-origin"), "*", path);
      assert.match(((await response.json()) as { error: string }).error, message, path);
    }
    await (await get(worker, "/npm/_types/html")).body?.cancel();
    assert.equal(registry.hits.get("/html@1.0.0/index.d.ts"), 2, "a failed file is asked for again");
  });

  test("the index and its files are served from R2 once the CDN is gone", async () => {
    const closed = new Promise<void>((resolve) => registry.server.close(() => resolve()));
    registry.server.closeAllConnections();
    await closed;
    const index = await get(worker, "/npm/_types/typed");
    assert.equal(index.status, 200);
    assert.equal(((await index.json()) as TypingsIndex).packages["typed"], "typed@2.0.0");
    const file = await get(worker, "/npm/shapes@1.0.0/index.d.ts");
    assert.equal(file.status, 200);
    assert.match(await file.text(), /interface Shape/);
  });
});
