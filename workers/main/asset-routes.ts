/**
 * `/live/<room>/assets…`: a room's images and fonts (README "Assets"). The Worker checks what it can without the room (the
 * name, the size, the type sniffed from the bytes: asset-sniff.ts) and the room decides the rest (permissions, quota) and
 * stores the bytes in R2 by hash (workers/durable-objects/room-assets.ts). Bytes are served from R2 with the type recorded
 * at upload, `nosniff`, a sandboxing Content-Security-Policy (an SVG opened as a page runs no script), and immutable
 * caching on the hashed URL `assets/<name>?v=<sha256>` that the room's list and the preview use.
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import { assetTypeOfName } from "../../core/assets.js";
import type { AssetStored } from "../../core/api.js";
import { assetKey, type AssetSource } from "../durable-objects/room-assets.js";
import { refuse, type RoomCaller, type RoomResult } from "../durable-objects/room-api.js";
import { readConfig } from "../platform/config.js";
import type { Env } from "../platform/env.js";
import { sniffAssetType } from "./asset-sniff.js";
import type { AuthVariables } from "./authenticate.js";
import { limitBody } from "./body-limit.js";
import { jsonError } from "./errors.js";
import { rateLimit } from "./rate-limit-middleware.js";
import { timed } from "./request-log.js";
import { answer, callerOf, refusal, roomOf } from "./room-answer.js";
import { requireFeature } from "./features.js";

type LiveEnv = { Bindings: Env; Variables: AuthVariables };

const ASSET = "/:room/assets/:name{.+}";

/**
 * What an asset is answered with besides its type: never sniffed, never run. `sandbox` makes an SVG opened as a page a
 * unique origin with scripts off; `default-src 'none'` keeps it from loading anything but inline styles and data: images.
 */
export const ASSET_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; sandbox";

/** `Cache-Control` of an asset fetched by its hashed URL: its bytes never change. */
const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * Store `bytes` as the asset `name` of `caller`'s room, as `PUT /live/<room>/assets/<name>` does, for any route that makes
 * an asset (the upload, a generated image): 400 for a name that is not an image or font name, 413 over
 * ROOM_ASSET_MAX_BYTES, 415 when the bytes are not what the name's extension says (sniffed, never trusted from a header),
 * then the room's refusals (401/403 permissions, 413 quota, 429 room creation). Nothing is stored on a refusal.
 * Rate limits and the request body limit are the route's.
 * @example
 * const stored = await storeAsset(c.env, callerOf(c), "sunset.png", new Uint8Array(await output.arrayBuffer()));
 * return answer(c, Promise.resolve(stored), (asset) => c.json(asset, 201));
 */
export async function storeAsset(env: Env, caller: RoomCaller, name: string, bytes: Uint8Array): Promise<RoomResult<AssetStored>> {
  const expected = assetTypeOfName(name);
  const { maxBytes } = readConfig(env).room.assets;
  const room = env.CODE_ROOM.get(env.CODE_ROOM.idFromName(caller.room));
  if (expected === null) {
    return refuse(400, `invalid asset name "${name}": a file name ending in .png, .jpg, .jpeg, .gif, .webp, .avif, .svg, .woff, .woff2, .ttf or .otf`);
  }
  if (bytes.byteLength === 0) return refuse(400, "empty asset");
  if (bytes.byteLength > maxBytes) return refuse(413, `asset larger than ${maxBytes} bytes`);
  const sniffed = sniffAssetType(bytes);
  if (sniffed !== expected) {
    const what = sniffed === null ? "not an image or font this server accepts" : sniffed;
    return refuse(415, `"${name}" must be ${expected}, but its bytes are ${what}`);
  }
  return room.putAsset(caller, name, { ok: true, value: { bytes, type: sniffed } });
}

/**
 * Mount the asset routes on the room routes (after their room-id and auth middleware).
 * @example assetRoutes(live);
 */
export function assetRoutes(live: Hono<LiveEnv>): void {
  live.get("/:room/assets", rateLimit({ bucket: "read" }), (c) => answer(c, roomOf(c).assets(callerOf(c)), (list) => c.json(list)));
  live.all("/:room/assets", (c) => jsonError(c, 405, `method ${c.req.method} not allowed on the asset list`));

  live.get(ASSET, rateLimit({ bucket: "read" }), validAssetName(), async (c) => {
    const call: Promise<RoomResult<AssetSource>> = roomOf(c).asset(callerOf(c), c.req.param("name"), c.req.query("v") ?? null);
    const asset = await timed(c.req.raw, "room", call);
    return asset.ok ? serveAsset(c, asset.value) : refusal(c, asset);
  });
  live.put(ASSET, requireFeature("ASSETS"), rateLimit({ bucket: "upload" }), validAssetName(), limitBody("asset", (env) => readConfig(env).room.assets.maxBytes), async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    return answer(c, storeAsset(c.env, callerOf(c), c.req.param("name"), bytes), (stored) => c.json(stored, 201));
  });
  live.delete(ASSET, requireFeature("ASSETS"), rateLimit({ bucket: "upload" }), validAssetName(), (c) =>
    answer(c, roomOf(c).deleteAsset(callerOf(c), c.req.param("name")), (deleted) => c.json(deleted)),
  );
  // `POST …/assets/generate` is the image generator's route, wherever it is mounted in the table.
  live.all(ASSET, async (c, next) => {
    if (c.req.method === "POST" && c.req.param("name") === "generate") return next();
    return jsonError(c, 405, `method ${c.req.method} not allowed on an asset`);
  });
}

/**
 * The asset's bytes from R2. By a hashed URL (`?v=<hash>`) they are immutable; by the name alone they are revalidated
 * (`no-cache` with the hash as ETag), since the name may be given new bytes. An older hash is served only as the type
 * R2 recorded for it, which must be the name's.
 */
async function serveAsset(c: Context<LiveEnv>, asset: AssetSource): Promise<Response> {
  const etag = `"${asset.hash}"`;
  const pinned = asset.pinned;
  const headers: Record<string, string> = {
    "content-type": asset.type,
    "x-content-type-options": "nosniff",
    "content-security-policy": ASSET_CSP,
    "cache-control": pinned ? IMMUTABLE : "no-cache",
    etag,
    // Images and fonts load in the preview, another origin: a font needs CORS, and CORP must not block either.
    "access-control-allow-origin": "*",
    "cross-origin-resource-policy": "cross-origin",
  };
  if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
  const object = await c.env.ROOMS.get(assetKey(asset.hash));
  if (object === null || object.httpMetadata?.contentType !== asset.type) {
    return jsonError(c, 404, `no asset "${asset.name}" with hash ${asset.hash.slice(0, 12)}… in this room`);
  }
  headers["content-length"] = String(object.size);
  return c.body(object.body, 200, headers);
}

/** Middleware: 400 for a name that no asset may have (path traversal, no image or font extension). */
function validAssetName(): MiddlewareHandler {
  return async function validAssetName(c, next) {
    const name = c.req.param("name") ?? "";
    if (c.req.method === "POST" && name === "generate") return next();
    if (assetTypeOfName(name) === null) {
      return jsonError(c, 400, `invalid asset name "${name}": a file name ending in .png, .jpg, .jpeg, .gif, .webp, .avif, .svg, .woff, .woff2, .ttf or .otf`);
    }
    await next();
  };
}
