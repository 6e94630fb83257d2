/** Bindings and variables of the main Worker (see wrangler.jsonc). */
export interface Env {
  CODE_ROOM: DurableObjectNamespace<import("../durable-objects/code-room.js").CodeRoom>;
  ASSETS: Fetcher;
  /** Optional overrides of the room limits in core/protocol.ts DEFAULT_LIMITS. */
  ROOM_MAX_FRAME_BYTES?: string;
  ROOM_MAX_DOCUMENT_BYTES?: string;
  ROOM_MAX_CONNECTIONS?: string;
}
