/** Bindings and variables of the main Worker (see wrangler.jsonc). */
export interface Env {
  CODE_ROOM: DurableObjectNamespace<import("../durable-objects/code-room.js").CodeRoom>;
  ASSETS: Fetcher;
  /** Cache of bundled `/live/<room>/index.js` by content hash. */
  BUNDLES: KVNamespace;
  /** Cache of npm modules fetched from NPM_UPSTREAM. */
  NPM_CACHE: R2Bucket;
  /** The transpiler Worker (esbuild-wasm): POST /api/transpile, POST /api/bundle. */
  TRANSPILER: Fetcher;
  /** Optional upstream ES module CDN for packages outside the offline set, e.g. `https://esm.sh`. */
  NPM_UPSTREAM?: string;
  /** Optional origin of the preview frame; by default localhost <-> 127.0.0.1 of the request's origin. */
  PREVIEW_ORIGIN?: string;
  /** Optional overrides of the room limits in core/protocol.ts DEFAULT_LIMITS. */
  ROOM_MAX_FRAME_BYTES?: string;
  ROOM_MAX_DOCUMENT_BYTES?: string;
  ROOM_MAX_CONNECTIONS?: string;
}
