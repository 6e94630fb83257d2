/**
 * `/live/<room>/assets…` through the real Worker, CodeRoom and R2 in workerd: upload, list, serve (type, nosniff, sandbox,
 * immutable on the hashed URL), the map every client sees, delete; and bad input (too large, the wrong bytes for the
 * name, path traversal, over the quota, a method the route does not take) answered with a clean 4xx and nothing stored.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { readAssets } from "../../core/assets.js";
import { closeOpened, joinRoom, rawRequest, startTestWorker, waitUntil, type TestWorker } from "../test-support.js";

/** Small limits, so the size and quota refusals need only a few kilobytes. */
const MAX_BYTES = 4_000;
const QUOTA_BYTES = 6_000;

let worker: TestWorker;
before(async () => {
  worker = await startTestWorker({ vars: { ROOM_ASSET_MAX_BYTES: String(MAX_BYTES), ROOM_ASSETS_QUOTA_BYTES: String(QUOTA_BYTES) } });
});
after(() => worker?.dispose());
afterEach(closeOpened);

/** A real PNG of `width` x `height` in one colour; `noise` adds random pixels so it does not compress to nothing. */
function png(width: number, height: number, [r, g, b]: [number, number, number], noise = false): Uint8Array {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    const random = noise ? Math.floor(Math.random() * 256) : 0;
    image.data.set([noise ? random : r, noise ? (random * 7) & 255 : g, b, 255], i * 4);
  }
  return new Uint8Array(PNG.sync.write(image));
}

const SVG = `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><script>alert(1)</script><rect width="4" height="4" fill="red"/></svg>`;

function request(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(new URL(path, worker.url), { signal: AbortSignal.timeout(20_000), ...init });
}

async function put(room: string, name: string, body: Uint8Array | string, headers: Record<string, string> = {}): Promise<Response> {
  return request(`/live/${room}/assets/${name}`, { method: "PUT", body, headers });
}

async function list(room: string): Promise<{ status: number; names: string[]; totalBytes?: number }> {
  const response = await request(`/live/${room}/assets`);
  if (response.status !== 200) return { status: response.status, names: [] };
  const body = (await response.json()) as { assets: { name: string }[]; totalBytes: number };
  return { status: 200, names: body.assets.map((asset) => asset.name), totalBytes: body.totalBytes };
}

describe("room assets", () => {
  it("an uploaded PNG is listed, served with its type, nosniff and a sandbox, immutable by its hashed URL, and every client sees it", async () => {
    const room = "assets-upload";
    const client = joinRoom(worker, room);
    await client.synced();
    const bytes = png(3, 2, [255, 0, 0]);
    const response = await put(room, "img/logo.png", bytes, { "content-type": "text/html" });
    assert.equal(response.status, 201, await response.clone().text());
    const stored = (await response.json()) as { name: string; hash: string; type: string; size: number; url: string };
    assert.equal(stored.name, "img/logo.png");
    assert.equal(stored.type, "image/png", "the type comes from the bytes, not the request's Content-Type");
    assert.equal(stored.size, bytes.byteLength);
    assert.match(stored.hash, /^[0-9a-f]{64}$/);
    assert.equal(stored.url, `assets/img/logo.png?v=${stored.hash}`);

    assert.deepEqual(await list(room), { status: 200, names: ["img/logo.png"], totalBytes: bytes.byteLength });
    await waitUntil(() => readAssets(client.doc)["img/logo.png"]?.hash === stored.hash, { what: "the client to see the asset" });

    const pinned = await request(`/live/${room}/${stored.url}`);
    assert.equal(pinned.status, 200);
    assert.deepEqual(new Uint8Array(await pinned.arrayBuffer()), bytes);
    assert.equal(pinned.headers.get("content-type"), "image/png");
    assert.equal(pinned.headers.get("x-content-type-options"), "nosniff");
    assert.match(pinned.headers.get("content-security-policy") ?? "", /\bsandbox\b/);
    assert.equal(pinned.headers.get("cache-control"), "public, max-age=31536000, immutable");
    const decoded = PNG.sync.read(Buffer.from(bytes));
    assert.deepEqual([decoded.width, decoded.height, ...decoded.data.subarray(0, 3)], [3, 2, 255, 0, 0]);

    const byName = await request(`/live/${room}/assets/img/logo.png`);
    assert.equal(byName.status, 200);
    assert.equal(byName.headers.get("cache-control"), "no-cache", "a name can be given new bytes: revalidate");
    const etag = byName.headers.get("etag")!;
    await byName.arrayBuffer();
    const again = await request(`/live/${room}/assets/img/logo.png`, { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);

    // New bytes under the same name: a new hash, and the list has one entry.
    const blue = png(3, 2, [0, 0, 255]);
    const replaced = (await (await put(room, "img/logo.png", blue)).json()) as { hash: string };
    assert.notEqual(replaced.hash, stored.hash);
    assert.deepEqual(await list(room), { status: 200, names: ["img/logo.png"], totalBytes: blue.byteLength });
  });

  it("an SVG with a script is stored as image/svg+xml and served so that it cannot run script", async () => {
    const response = await put("assets-svg", "icon.svg", SVG);
    assert.equal(response.status, 201, await response.clone().text());
    const served = await request(`/live/assets-svg/assets/icon.svg`);
    assert.equal(served.headers.get("content-type"), "image/svg+xml");
    const csp = served.headers.get("content-security-policy") ?? "";
    assert.match(csp, /\bsandbox\b/);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/);
    assert.equal(await served.text(), SVG);
  });

  it("delete removes the name: the list drops it, its URL is a 404, a second delete is a 404, and clients see it go", async () => {
    const room = "assets-delete";
    assert.equal((await put(room, "a.png", png(2, 2, [0, 255, 0]))).status, 201);
    const client = joinRoom(worker, room);
    await client.synced();
    await waitUntil(() => "a.png" in readAssets(client.doc), { what: "the client to see a.png" });
    const deleted = await request(`/live/${room}/assets/a.png`, { method: "DELETE" });
    assert.equal(deleted.status, 200);
    assert.deepEqual(await deleted.json(), { deleted: "a.png" });
    await waitUntil(() => !("a.png" in readAssets(client.doc)), { what: "the client to see a.png go" });
    assert.deepEqual((await list(room)).names, []);
    assert.equal((await request(`/live/${room}/assets/a.png`)).status, 404);
    const twice = await request(`/live/${room}/assets/a.png`, { method: "DELETE" });
    assert.equal(twice.status, 404);
    assert.match(((await twice.json()) as { error: string }).error, /no asset "a.png"/);
  });

  it("an HTML page named logo.png is a 415 and creates nothing; so is a PNG named .jpg", async () => {
    const html = await put("assets-wrong-type", "logo.png", "<!doctype html><script>alert(1)</script>", { "content-type": "image/png" });
    assert.equal(html.status, 415);
    assert.match(((await html.json()) as { error: string }).error, /must be image\/png/);
    const misnamed = await put("assets-wrong-type", "photo.jpg", png(2, 2, [1, 2, 3]));
    assert.equal(misnamed.status, 415);
    assert.equal((await list("assets-wrong-type")).status, 404, "the room was never created");
  });

  it("an asset over the size limit is a 413 and nothing is stored", async () => {
    const room = "assets-too-large";
    assert.equal((await put(room, "small.png", png(2, 2, [9, 9, 9]))).status, 201);
    const big = png(60, 60, [0, 0, 0], true);
    assert.ok(big.byteLength > MAX_BYTES, `test image of ${big.byteLength} bytes`);
    const response = await put(room, "big.png", big);
    assert.equal(response.status, 413);
    assert.match(((await response.json()) as { error: string }).error, /larger than 4000 bytes/);
    assert.deepEqual((await list(room)).names, ["small.png"]);
  });

  it("an upload past the room's quota is a 413 and nothing is stored; replacing a name counts only its new bytes", async () => {
    const room = "assets-quota";
    const sized = (target: number): Uint8Array => {
      for (let side = 10; side < 60; side++) {
        const image = png(side, side, [0, 0, 0], true);
        if (image.byteLength > target) return image;
      }
      throw new Error("no image that large");
    };
    const first = sized(2_500);
    assert.equal((await put(room, "one.png", first)).status, 201);
    assert.equal((await put(room, "two.png", first)).status, 201, "the same bytes again still count against the quota");
    const over = await put(room, "three.png", first);
    assert.equal(over.status, 413);
    assert.match(((await over.json()) as { error: string }).error, /quota of 6000 bytes/);
    assert.deepEqual((await list(room)).names, ["one.png", "two.png"]);
    assert.equal((await put(room, "two.png", png(2, 2, [5, 5, 5]))).status, 201, "replacing two.png frees its bytes");
    assert.equal((await put(room, "three.png", first)).status, 201);
  });

  it("path traversal and names that are not images or fonts are 400s, a wrong method is a 405, and nothing is stored", async () => {
    const room = "assets-names";
    const bytes = png(2, 2, [1, 1, 1]);
    for (const path of ["assets/..%2F..%2Fetc%2Fpasswd.png", "assets/a/../../b.png", "assets/%2e%2e/x.png", "assets/page.html", "assets/noext"]) {
      const response = await rawRequest(worker, `/live/${room}/${path}`, { method: "PUT", body: bytes });
      assert.ok(response.status === 400 || response.status === 404, `${path}: ${response.status} ${response.text}`);
      assert.ok(response.text.startsWith("{"), `${path}: a JSON error`);
    }
    const post = await request(`/live/${room}/assets/a.png`, { method: "POST", body: bytes });
    assert.equal(post.status, 405);
    assert.equal((await request(`/live/${room}/assets`, { method: "PUT" })).status, 405);
    assert.equal((await list(room)).status, 404, "the room was never created");
  });
});
