/**
 * What a preview's first paint waits for, as the real Worker serves it under workerd from the built dist/site: each answer
 * may be kept by the browser (so a repeat visit takes it from the HTTP cache), and the frame page carries its runtime.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { after, before, test } from "node:test";
import { startTestWorker, type TestWorker } from "../test-support.js";

let worker: TestWorker;

before(async () => {
  assert.ok(existsSync("dist/site/preview/frame.html"), "dist/site is missing: run `npm run build` first");
  worker = await startTestWorker({ assets: "dist/site" });
});

after(() => worker?.dispose());

function get(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(new URL(path, worker.url), { signal: AbortSignal.timeout(15_000), ...init });
}

test("/api/config may be kept five minutes and then used while it is refreshed, by any page", async () => {
  const response = await get("/api/config");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("cache-control"), "public, max-age=300, stale-while-revalidate=86400");
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
  assert.ok(((await response.json()) as { previewOrigin?: string }).previewOrigin);
});

test("the offline import map may be kept five minutes, then is revalidated by its ETag (304, no body)", async () => {
  const response = await get("/npm/importmap.json");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("cache-control"), "public, max-age=300");
  const etag = response.headers.get("etag");
  assert.ok(etag, "an ETag to revalidate with");
  await response.body?.cancel();
  const again = await get("/npm/importmap.json", { headers: { "if-none-match": etag } });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get("cache-control"), "public, max-age=300");
  assert.equal(await again.text(), "");
});

test("the preview frame page carries its runtime inline, is kept briefly, and keeps its CSP; frame.js is still served", async () => {
  const response = await get("/preview/frame.html");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("cache-control"), "public, max-age=300");
  assert.match(response.headers.get("content-security-policy") ?? "", /script-src 'self' blob: 'unsafe-inline'/);
  const html = await response.text();
  assert.doesNotMatch(html, /<script src=/, "no second request for the runtime");
  const inline = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
  assert.match(inline, /spike:ready/, "the runtime is the page's one inline script");
  assert.equal(html.match(/<\/script>/g)?.length, 1, "nothing in the runtime ends its script element early");
  const script = await get("/preview/frame.js");
  assert.equal(script.status, 200);
  assert.equal((await script.text()).trim(), inline.trim());
});

test("React's modules in the offline set and the hashed element chunks are immutable", async () => {
  const { imports } = (await (await get("/npm/importmap.json")).json()) as { imports: Record<string, string> };
  for (const specifier of ["react", "react/jsx-runtime", "react-dom", "react-dom/client"]) {
    const response = await get(imports[specifier]!);
    assert.equal(response.status, 200, specifier);
    assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable", specifier);
    await response.body?.cancel();
  }
  const chunk = readdirSync("dist/site/chunks").find((name) => name.startsWith("build-") && name.endsWith(".js"));
  assert.ok(chunk, "core/build's chunk");
  const response = await get(`/chunks/${chunk}`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable");
  await response.body?.cancel();
});
