/**
 * Presence (awareness) as spike's clients accept it. Any client of a room can publish any JSON as its awareness state, and
 * y-monaco, the cursor labels and the chat's "is typing" render what they find there, so a remote state is checked here
 * before it reaches the Awareness instance: a malformed field is dropped, a state that is not an object is ignored.
 */
import { ProtocolError, decodeAwarenessEntries, encodeAwarenessEntries, type AwarenessEntry } from "./protocol.js";

/** Bounds on what a remote state may carry. */
export const PRESENCE_LIMITS = {
  /** Longer names are cut. */
  nameLength: 64,
  /** Longer root-type names in a relative position are refused (ours are short file-map names). */
  typeNameLength: 128,
} as const;

/** How a user appears to others: `user` in an awareness state. */
export interface PresenceUser {
  name: string;
  color: string;
}

/** A Yjs item id as JSON: `{client, clock}`. */
export interface IdJson {
  client: number;
  clock: number;
}

/** A Yjs RelativePosition as JSON (what `JSON.stringify` makes of one, and what y-monaco puts in awareness). */
export interface RelativePositionJson {
  type: IdJson | null;
  tname: string | null;
  item: IdJson | null;
  assoc: number;
}

/** `selection` in an awareness state, as y-monaco 0.1.6 writes it: the anchor and head of the user's selection. */
export interface PresenceSelection {
  anchor: RelativePositionJson;
  head: RelativePositionJson;
}

/**
 * Colours that are safe to put into CSS as they are: hex, `rgb()`/`hsl()` with plain numbers, or a bare keyword (no
 * punctuation, so nothing can end the declaration or open another).
 */
export const SAFE_COLOR = /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\([\d\s.,%/]+\)|[a-z]{3,20})$/i;

/**
 * A remote `user` field as spike renders it: `{name, color}` with a string name (cut to {@link PRESENCE_LIMITS}) and a
 * {@link SAFE_COLOR}; undefined for anything else.
 * @example presenceUser({ name: "Ada", color: "#e6194b" }) // { name: "Ada", color: "#e6194b" }
 */
export function presenceUser(value: unknown): PresenceUser | undefined {
  if (!isObject(value)) return undefined;
  const { name, color } = value;
  if (typeof name !== "string" || typeof color !== "string" || !SAFE_COLOR.test(color)) return undefined;
  return { name: cut(name, PRESENCE_LIMITS.nameLength), color };
}

/**
 * A remote `selection` field, checked against what y-monaco reads from it (two relative positions it resolves against
 * the document), rebuilt with every field present; null stays null (no selection); undefined when malformed.
 * @example presenceSelection({ anchor: {}, head: {} }) // undefined: y-monaco would throw on it
 */
export function presenceSelection(value: unknown): PresenceSelection | null | undefined {
  if (value === null) return null;
  if (!isObject(value)) return undefined;
  const anchor = relativePosition(value.anchor);
  const head = relativePosition(value.head);
  return anchor && head ? { anchor, head } : undefined;
}

/**
 * A remote awareness state made safe to render: `user`, `selection`, `typing` and `peer` are kept only when well-formed (other
 * fields belong to other tools and pass unchanged); null (the client left) stays null; undefined means "ignore this
 * state": it is not a JSON object.
 * @example presenceState({ user: { name: {}, color: "red" }, selection: null }) // { selection: null }
 */
export function presenceState(state: unknown): Record<string, unknown> | null | undefined {
  if (state === null) return null;
  if (!isObject(state)) return undefined;
  const out: Record<string, unknown> = { ...state };
  if ("user" in out) {
    const user = presenceUser(out["user"]);
    if (user) out["user"] = user;
    else delete out["user"];
  }
  if ("selection" in out) {
    const selection = presenceSelection(out["selection"]);
    if (selection === undefined) delete out["selection"];
    else out["selection"] = selection;
  }
  if ("typing" in out && typeof out["typing"] !== "boolean") delete out["typing"];
  // `peer: true` invites a direct connection (core/room-peers.ts); anything but a boolean is dropped.
  if ("peer" in out && typeof out["peer"] !== "boolean") delete out["peer"];
  return out;
}

/**
 * The payload of an Awareness message with every state passed through {@link presenceState}; entries whose state must
 * be ignored are left out. Null when nothing is left or the payload is malformed (then it is ignored whole).
 * @example const safe = sanitizeAwarenessUpdate(update); if (safe) applyAwarenessUpdate(awareness, safe, origin);
 */
export function sanitizeAwarenessUpdate(update: Uint8Array): Uint8Array | null {
  let entries: AwarenessEntry[];
  try {
    entries = decodeAwarenessEntries(update);
  } catch (error) {
    if (error instanceof ProtocolError) return null;
    throw error;
  }
  const kept: AwarenessEntry[] = [];
  for (const entry of entries) {
    const state = presenceState(JSON.parse(entry.state));
    if (state !== undefined) kept.push({ ...entry, state: JSON.stringify(state) });
  }
  return kept.length > 0 ? encodeAwarenessEntries(kept) : null;
}

/**
 * `{type, tname, item, assoc}` as `Y.createAbsolutePositionFromRelativePosition` reads it: each id null or two
 * non-negative integers, `tname` null or a short string, `assoc` an integer (0 when absent), and at least one of item,
 * type and tname set (with none Yjs throws).
 */
function relativePosition(value: unknown): RelativePositionJson | undefined {
  if (!isObject(value)) return undefined;
  const type = itemId(value["type"]);
  const item = itemId(value["item"]);
  const tname = value["tname"] ?? null;
  const assoc = value["assoc"] ?? 0;
  if (type === undefined || item === undefined || !Number.isSafeInteger(assoc)) return undefined;
  if (tname !== null && (typeof tname !== "string" || tname.length > PRESENCE_LIMITS.typeNameLength)) return undefined;
  if (type === null && item === null && tname === null) return undefined;
  return { type, tname, item, assoc: assoc as number };
}

function itemId(value: unknown): IdJson | null | undefined {
  if (value === null || value === undefined) return null;
  if (!isObject(value)) return undefined;
  const { client, clock } = value;
  return isCount(client) && isCount(clock) ? { client, clock } : undefined;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `text` cut to `max` characters, never between the two halves of a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max);
}
