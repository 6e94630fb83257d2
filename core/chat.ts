/**
 * The room's AI chat on the Y.Doc: an array of message maps whose text is a Y.Text, so an assistant reply streams to every
 * client token by token and persists exactly like the code does. The same functions run in the page and in the CodeRoom DO.
 */
import * as Y from "yjs";
import type { AppliedEdit } from "./edits.js";

/** Name of the Y.Array holding the chat messages. */
export const CHAT_KEY = "chat";

/** Who wrote a message. */
export type ChatRole = "user" | "assistant";
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
  /** Creation time, ms since epoch. */
  time: number;
  /** The edits the reply applied to the files, once applied. */
  edits?: AppliedEdit[];
}

const ROLES: readonly string[] = ["user", "assistant"];
const STATUSES: readonly string[] = ["done", "streaming", "error", "cancelled"];

/** The chat array of a doc. */
export function chatOf(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return doc.getArray<Y.Map<unknown>>(CHAT_KEY);
}

/** A fresh message id: time plus randomness, no crypto needed (ids only have to be unique within a room). */
export function newMessageId(): string {
  return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
}

/**
 * A plain snapshot of the chat, oldest first. Entries that are not well-formed (any client can write anything) are skipped.
 * @example for (const m of readChat(doc)) console.log(m.role, m.text)
 */
export function readChat(doc: Y.Doc): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const entry of chatOf(doc).toArray()) {
    const message = toMessage(entry);
    if (message) out.push(message);
  }
  return out;
}

/**
 * Append a finished user message; returns its id.
 * @example appendUserMessage(doc, { author: "Ada", text: "Make the button red", model: "gpt-4o-mini" })
 */
export function appendUserMessage(
  doc: Y.Doc,
  { author, text, model }: { author: string; text: string; model: string },
  origin: unknown = null,
): string {
  return appendMessage(doc, { role: "user", author, text, model, status: "done" }, origin);
}

/**
 * Append an empty assistant message in `streaming` state; returns its id. Feed it with `appendToken`, end it with
 * `finishMessage`, `failMessage` or `cancelMessage`.
 * @example const id = startAssistantMessage(doc, { model: "gpt-4o-mini" }); appendToken(doc, id, "Hi"); finishMessage(doc, id)
 */
export function startAssistantMessage(doc: Y.Doc, { model }: { model: string }, origin: unknown = null): string {
  return appendMessage(doc, { role: "assistant", author: model, text: "", model, status: "streaming" }, origin);
}

/**
 * Append streamed text to a message (one insert at the end). Ignored when the message is unknown or no longer streaming,
 * so a late token after a cancel changes nothing.
 * @example appendToken(doc, id, "Hello")
 */
export function appendToken(doc: Y.Doc, id: string, token: string, origin: unknown = null): void {
  const entry = findEntry(doc, id);
  if (!entry || !token || entry.get("status") !== "streaming") return;
  const text = entry.get("text");
  if (!(text instanceof Y.Text)) return;
  doc.transact(() => text.insert(text.length, token), origin);
}

/** Mark a streaming message `done`. Returns false when the message is unknown or already ended. */
export function finishMessage(doc: Y.Doc, id: string, origin: unknown = null): boolean {
  return endMessage(doc, id, "done", undefined, origin);
}

/**
 * Mark a streaming message `error` with a readable reason. Returns false when unknown or already ended.
 * @example failMessage(doc, id, "OpenAI rejected the API key (401)")
 */
export function failMessage(doc: Y.Doc, id: string, error: string, origin: unknown = null): boolean {
  return endMessage(doc, id, "error", error, origin);
}

/** Mark a streaming message `cancelled` (the text so far stays). Returns false when unknown or already ended. */
export function cancelMessage(doc: Y.Doc, id: string, origin: unknown = null): boolean {
  return endMessage(doc, id, "cancelled", undefined, origin);
}

/** The text of a message so far, or "" when there is no such message. */
export function messageText(doc: Y.Doc, id: string): string {
  const text = findEntry(doc, id)?.get("text");
  return text instanceof Y.Text ? text.toString() : "";
}

/**
 * Record the edits a reply applied (stored as a JSON string so the array is one atomic value).
 * @example setMessageEdits(doc, id, applyAssistantEdits(doc, parseEdits(messageText(doc, id)), origin))
 */
export function setMessageEdits(doc: Y.Doc, id: string, edits: AppliedEdit[], origin: unknown = null): boolean {
  const entry = findEntry(doc, id);
  if (!entry) return false;
  doc.transact(() => entry.set("edits", JSON.stringify(edits)), origin);
  return true;
}

/** One message snapshot by id, or undefined. */
export function readMessage(doc: Y.Doc, id: string): ChatMessage | undefined {
  const entry = findEntry(doc, id);
  return entry ? toMessage(entry) : undefined;
}

function appendMessage(
  doc: Y.Doc,
  fields: { role: ChatRole; author: string; text: string; model: string; status: ChatStatus },
  origin: unknown,
): string {
  const id = newMessageId();
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    entry.set("id", id);
    entry.set("role", fields.role);
    entry.set("author", fields.author);
    entry.set("text", new Y.Text(fields.text));
    entry.set("model", fields.model);
    entry.set("status", fields.status);
    entry.set("time", Date.now());
    chatOf(doc).push([entry]);
  }, origin);
  return id;
}

function endMessage(doc: Y.Doc, id: string, status: ChatStatus, error: string | undefined, origin: unknown): boolean {
  const entry = findEntry(doc, id);
  if (!entry || entry.get("status") !== "streaming") return false;
  doc.transact(() => {
    entry.set("status", status);
    if (error !== undefined) entry.set("error", error);
  }, origin);
  return true;
}

/** Newest first: the message being streamed is almost always at the end. */
function findEntry(doc: Y.Doc, id: string): Y.Map<unknown> | undefined {
  const chat = chatOf(doc);
  for (let i = chat.length - 1; i >= 0; i--) {
    const entry = chat.get(i);
    if (entry instanceof Y.Map && entry.get("id") === id) return entry;
  }
  return undefined;
}

function toMessage(entry: unknown): ChatMessage | undefined {
  if (!(entry instanceof Y.Map)) return undefined;
  const id = entry.get("id");
  const role = entry.get("role");
  const status = entry.get("status");
  const text = entry.get("text");
  if (typeof id !== "string" || !ROLES.includes(role) || !STATUSES.includes(status)) return undefined;
  const author = entry.get("author");
  const model = entry.get("model");
  const time = entry.get("time");
  const message: ChatMessage = {
    id,
    role: role as ChatRole,
    author: typeof author === "string" ? author : "",
    text: text instanceof Y.Text ? text.toString() : typeof text === "string" ? text : "",
    model: typeof model === "string" ? model : "",
    status: status as ChatStatus,
    time: typeof time === "number" ? time : 0,
  };
  const error = entry.get("error");
  if (typeof error === "string") message.error = error;
  const edits = parseStoredEdits(entry.get("edits"));
  if (edits) message.edits = edits;
  return message;
}

function parseStoredEdits(value: unknown): AppliedEdit[] | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed)) return undefined;
    return parsed.filter(
      (e): e is AppliedEdit =>
        typeof e === "object" && e !== null && typeof e.file === "string" && typeof e.before === "string" &&
        typeof e.after === "string",
    );
  } catch {
    return undefined;
  }
}

/** The size of one chat entry as the chat budget counts it: its text, error and stored edits, in characters. */
function entryChars(entry: unknown): number {
  if (!(entry instanceof Y.Map)) return 0;
  let chars = 0;
  for (const key of ["text", "error", "edits", "author", "model"]) {
    const value = entry.get(key);
    if (value instanceof Y.Text) chars += value.length;
    else if (typeof value === "string") chars += value.length;
  }
  return chars;
}

/**
 * Keep the chat within a budget before adding `incoming` messages of `incomingChars` characters: drop the oldest
 * messages that are not streaming until the chat has room for them under `maxMessages` and `maxChars`. Deleted messages
 * are garbage-collected by Yjs, so the room's stored size shrinks once its log is compacted. One transaction; returns how
 * many messages were dropped.
 * @example trimChat(doc, { maxMessages: 100, maxChars: 200_000 }, { incoming: 2, incomingChars: question.length })
 */
export function trimChat(
  doc: Y.Doc,
  { maxMessages, maxChars }: { maxMessages: number; maxChars: number },
  { incoming = 0, incomingChars = 0 }: { incoming?: number; incomingChars?: number } = {},
  origin: unknown = null,
): number {
  const chat = chatOf(doc);
  const entries = chat.toArray();
  let count = entries.length;
  let chars = entries.reduce((sum, entry) => sum + entryChars(entry), 0);
  const drop: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    if (count + incoming <= maxMessages && chars + incomingChars <= maxChars) break;
    const entry = entries[i];
    if (entry instanceof Y.Map && entry.get("status") === "streaming") continue;
    drop.push(i);
    count--;
    chars -= entryChars(entry);
  }
  if (drop.length === 0) return 0;
  doc.transact(() => {
    for (const index of drop.reverse()) chat.delete(index, 1);
  }, origin);
  return drop.length;
}

/**
 * Delete every message of the chat (one transaction). Returns how many there were.
 * @example clearChat(doc) // 12
 */
export function clearChat(doc: Y.Doc, origin: unknown = null): number {
  const chat = chatOf(doc);
  const count = chat.length;
  if (count > 0) doc.transact(() => chat.delete(0, count), origin);
  return count;
}
