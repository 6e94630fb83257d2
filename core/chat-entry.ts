/**
 * One chat message as every reader sees it. Any editor can write anything into the room's chat array over the socket, so
 * each entry is read field by field here, once, for the page, the room's HTTP answers and the prompt alike: a wrong type
 * reads as empty, an overlong string is cut, and an entry without a usable id, role or status is no message at all.
 */
import * as Y from "yjs";
import type { AppliedEdit } from "./edits.js";
import { isValidFileName } from "./project.js";

/** Who wrote a message: a person asking, the room's assistant, or an AI agent that changed files over MCP (`author` names it). */
export type ChatRole = "user" | "assistant" | "agent";
/** Where a message is in its life: assistant messages start `streaming` and end in one of the other states. */
export type ChatStatus = "done" | "streaming" | "error" | "cancelled";

/** A plain snapshot of one chat message. */
export interface ChatMessage {
  /** Random-ish unique id. */
  id: string;
  role: ChatRole;
  /** Display name of the writer ("assistant" replies carry the model name in `model`). */
  author: string;
  /** The text so far (complete unless `status` is `streaming`). */
  text: string;
  /** The model asked (user messages) or answering (assistant messages). */
  model: string;
  status: ChatStatus;
  /** Readable reason, when `status` is `error`. */
  error?: string;
  /** Creation time, ms since epoch; 0 when unknown (the stored value was not a usable date). */
  time: number;
  /** The edits the reply applied to the files, once applied. */
  edits?: AppliedEdit[];
}

const ROLES: readonly string[] = ["user", "assistant", "agent"];
const STATUSES: readonly string[] = ["done", "streaming", "error", "cancelled"];

/**
 * What a reader accepts from the chat array. Any editor can write anything into it over the socket, so every field is
 * checked and bounded here, once, for the page, the room's HTTP answers and the prompt alike.
 */
export const CHAT_READ_LIMITS = {
  /** Longer ids are not ours (ours are about 20 characters): the entry is skipped. */
  idLength: 128,
  /** Longer names are cut (the chat route takes 1-64 characters). */
  authorLength: 64,
  modelLength: 64,
  /** Longer texts are cut: far above what a reply of the largest allowed output can hold. */
  textLength: 100_000,
  errorLength: 2_000,
  /** Latest time accepted: the end of the range a JavaScript Date can represent. */
  maxTime: 8.64e15,
} as const;

/**
 * The message an entry of the chat array holds, every field checked and bounded (see {@link CHAT_READ_LIMITS}), or
 * undefined when it has no usable id, role or status.
 * @example const message = readChatEntry(chatOf(doc).get(0)); if (message) console.log(message.role, message.text)
 */
export function readChatEntry(entry: unknown): ChatMessage | undefined {
  if (!(entry instanceof Y.Map)) return undefined;
  const id = entry.get("id");
  const role = entry.get("role");
  const status = entry.get("status");
  if (typeof id !== "string" || id.length === 0 || id.length > CHAT_READ_LIMITS.idLength) return undefined;
  if (!ROLES.includes(role as string) || !STATUSES.includes(status as string)) return undefined;
  const text = entry.get("text");
  const message: ChatMessage = {
    id,
    role: role as ChatRole,
    author: boundedString(entry.get("author"), CHAT_READ_LIMITS.authorLength),
    text: boundedString(text instanceof Y.Text ? text.toString() : text, CHAT_READ_LIMITS.textLength),
    model: boundedString(entry.get("model"), CHAT_READ_LIMITS.modelLength),
    status: status as ChatStatus,
    time: usableTime(entry.get("time")),
  };
  const error = entry.get("error");
  if (typeof error === "string") message.error = boundedString(error, CHAT_READ_LIMITS.errorLength);
  const edits = parseStoredEdits(entry.get("edits"));
  if (edits) message.edits = edits;
  return message;
}

/** `value` when it is a string, cut to `max` characters (never in the middle of a surrogate pair); "" otherwise. */
function boundedString(value: unknown, max: number): string {
  if (typeof value !== "string") return "";
  if (value.length <= max) return value;
  const end = /[\uD800-\uDBFF]/.test(value[max - 1]!) ? max - 1 : max;
  return `${value.slice(0, end)}…`;
}

/** A time a Date can show (ms since the epoch, not before it), or 0. */
function usableTime(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= CHAT_READ_LIMITS.maxTime ? value : 0;
}

/** The `edits` JSON text: the well-formed entries of an array (valid file name, before/after texts), else undefined. */
function parseStoredEdits(value: unknown): AppliedEdit[] | undefined {
  if (typeof value !== "string") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const edits: AppliedEdit[] = [];
  for (const item of parsed as unknown[]) {
    if (typeof item !== "object" || item === null) continue;
    const { file, before, after, created, deleted, failed, at, length, hash } = item as Record<string, unknown>;
    if (typeof file !== "string" || !isValidFileName(file) || typeof before !== "string" || typeof after !== "string") continue;
    const edit: AppliedEdit = { file, before, after };
    // A compacted undo copy (core/edits.ts compactEdit) names where its span starts and what the whole file was after.
    if (at !== undefined) {
      if (!isCount(at) || !isCount(length) || typeof hash !== "string" || hash.length > 32) continue;
      Object.assign(edit, { at, length, hash });
    }
    if (created === true) edit.created = true;
    if (deleted === true) edit.deleted = true;
    if (Array.isArray(failed)) {
      const reasons = failed.filter((reason): reason is string => typeof reason === "string");
      if (reasons.length > 0) edit.failed = reasons.map((reason) => boundedString(reason, CHAT_READ_LIMITS.errorLength));
    }
    edits.push(edit);
  }
  return edits;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
