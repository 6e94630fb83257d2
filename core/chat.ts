/**
 * The room's AI chat on the Y.Doc: an array of message maps whose text is a Y.Text, so an assistant reply streams to every
 * client token by token and persists exactly like the code does. The same functions run in the page and in the CodeRoom DO.
 */
import * as Y from "yjs";
import { readChatEntry, type ChatMessage, type ChatRole, type ChatStatus } from "./chat-entry.js";
import type { AppliedEdit } from "./edits.js";

export { CHAT_READ_LIMITS, type ChatMessage, type ChatRole, type ChatStatus } from "./chat-entry.js";

/** Name of the Y.Array holding the chat messages. */
export const CHAT_KEY = "chat";

/** The chat array of a doc. */
export function chatOf(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return doc.getArray<Y.Map<unknown>>(CHAT_KEY);
}

/** A fresh message id: time plus randomness, no crypto needed (ids only have to be unique within a room). */
export function newMessageId(): string {
  return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
}

/**
 * A plain snapshot of the chat, oldest first. Any client can write anything into the array, so entries without a usable
 * id, role or status are skipped (as is an older entry whose id a newer one repeats), and the other fields are checked one by one: a
 * wrong type reads as empty, an overlong string is cut, a time that is no date reads as 0 (see {@link CHAT_READ_LIMITS}).
 * One bad entry never hides the others.
 * @example for (const m of readChat(doc)) console.log(m.role, m.text)
 */
export function readChat(doc: Y.Doc): ChatMessage[] {
  const out: ChatMessage[] = [];
  const ids = new Set<string>();
  const entries = chatOf(doc).toArray();
  // Newest first, as readMessage looks ids up: when two entries claim one id (ids key rendering, cancel and undo), the
  // one shown is the one the room acts on.
  for (let i = entries.length - 1; i >= 0; i--) {
    const message = readChatEntry(entries[i]);
    if (!message || ids.has(message.id)) continue;
    ids.add(message.id);
    out.push(message);
  }
  return out.reverse();
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

/**
 * Append a finished "agent" message: an AI agent (over MCP) changed the files, `edits` being what it did (compacted, as
 * `compactEdit` makes them), so the chat's Undo can take it back. Returns its id.
 * @example appendAgentMessage(doc, { author: "Claude (MCP)", text: "changed index.tsx", edits: applied.map(compactEdit) })
 */
export function appendAgentMessage(
  doc: Y.Doc,
  { author, text, edits }: { author: string; text: string; edits: AppliedEdit[] },
  origin: unknown = null,
): string {
  let id = "";
  doc.transact(() => {
    id = appendMessage(doc, { role: "agent", author, text, model: "", status: "done" }, origin);
    setMessageEdits(doc, id, edits, origin);
  }, origin);
  return id;
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
  return entry ? readChatEntry(entry) : undefined;
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
