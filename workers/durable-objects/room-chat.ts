/**
 * The room's AI chat inside CodeRoom: validates a question, appends it and an assistant message to the room's doc (so both
 * persist and broadcast like code), streams the provider's reply into that message, then applies the reply's edits.
 * One reply at a time per room; questions are rate-limited by the Worker before they get here (the "ai" bucket of
 * workers/platform/rate-limit.ts). The chat lives in the room's document, so it counts against the room's size limit: it keeps
 * a bounded history (the oldest messages go first), a question that would not fit is refused before the provider is
 * called, a reply stops at the limit, and undo copies keep only the span an edit changed.
 */
import * as Y from "yjs";
import type { ChatAccepted, ChatCancelled, ChatCleared, ChatList, ChatUndone } from "../../core/api.js";
import {
  appendToken,
  appendUserMessage,
  cancelMessage,
  clearChat,
  failMessage,
  finishMessage,
  messageText,
  readChat,
  readMessage,
  setMessageEdits,
  startAssistantMessage,
  trimChat,
} from "../../core/chat.js";
import { applyAssistantEdits, compactEdit, parseEdits, undoAssistantEdits, type ParsedEdit } from "../../core/edits.js";
import { buildPrompt } from "../../core/prompt.js";
import { readFiles } from "../../core/project.js";
import { aiBudgetRefusal, spendAiBudget } from "../platform/ai-budget.js";
import { isChatModel, type ChatModel } from "../platform/ai-models.js";
import { ProviderError, hasProviderKey, streamReply } from "../platform/ai-providers.js";
import { readConfig } from "../platform/config.js";
import type { Env } from "../platform/env.js";

/** Longest question, in characters. */
export const MAX_QUESTION_CHARS = 8_000;
/** Longest author name, in characters. */
export const MAX_AUTHOR_CHARS = 64;
/** Cap of the prompt (files + recent chat) sent to the model, in characters. */
const PROMPT_MAX_CHARS = 60_000;
/** Streamed tokens are written to the doc at most once per this many ms, so a fast stream is not one Yjs update per token. */
const TOKEN_BATCH_MS = 30;
/** Room a question must leave in the document for its reply: the longest reply, at about 4 bytes a token. */
const REPLY_BYTES_PER_TOKEN = 4;
/** The error of a reply that stopped at the room's size limit. */
const CUT_OFF = "The reply was cut off: the room reached its size limit. Delete files or clear the chat";
/** Bytes a message's Yjs structure costs beyond its text (keys, ids, status). */
const MESSAGE_OVERHEAD_BYTES = 256;

/** What the chat needs from its room. */
export interface ChatRoom {
  /** The room's current document (it may be reloaded from storage between calls). */
  doc(): Y.Doc;
  /** True when the stored document may grow by `growth` bytes within the room's size limit. */
  fits(growth: number): boolean;
  /** Fold the log into the snapshot now, so what the chat gave up counts at once (the log grows with deletions too). */
  compact(): void;
  /** The room's size limit, in bytes. */
  readonly maxBytes: number;
}

/** What the room decides about one chat request. */
export interface ChatRequest {
  /** The refusal of a write by the caller under the room's permissions now (checked again after the body arrived). */
  editDenial(): Response | null;
  /** The refusal of clearing the chat by the caller (owner only, once the room has one). */
  clearDenial(): Response | null;
  /** The room-creation limit, for a question that creates the room: null when allowed, else the 429 to send. */
  admitCreation(): Promise<Response | null>;
  /** Run a write; returns the claim token when it created the room. */
  created(write: () => void): string | null;
}

/** The reply being streamed right now. */
interface ActiveReply {
  id: string;
  controller: AbortController;
}

export class RoomChat {
  #ctx: DurableObjectState;
  #env: Env;
  #room: ChatRoom;
  #active: ActiveReply | null = null;
  #budget: { maxMessages: number; maxChars: number };
  #replyReserveBytes: number;

  constructor(ctx: DurableObjectState, env: Env, room: ChatRoom) {
    this.#ctx = ctx;
    this.#env = env;
    this.#room = room;
    // The chat may take at most a quarter of the room (config.ts), and a reply's reserve at most an eighth: the code keeps the rest.
    const { room: settings, ai } = readConfig(env);
    this.#budget = settings.chat;
    this.#replyReserveBytes = Math.min(ai.maxOutputTokens * REPLY_BYTES_PER_TOKEN, Math.floor(room.maxBytes / 8));
  }

  #doc(): Y.Doc {
    return this.#room.doc();
  }

  /**
   * Answer a chat route: `/chat` (GET lists, POST asks, DELETE clears), `/chat/<id>/cancel`, `/chat/<id>/undo` (internal
   * paths of the room). `request` carries the room's decisions about the caller, made when they are needed.
   */
  async fetch(request: Request, path: string, decide: ChatRequest): Promise<Response> {
    if (path === "/chat") {
      if (request.method === "GET") return Response.json({ messages: this.#messages() } satisfies ChatList);
      if (request.method === "POST") return this.#ask(request, decide);
      if (request.method === "DELETE") return this.#clear(decide);
      return jsonError(405, `method ${request.method} not allowed on the chat`);
    }
    const match = /^\/chat\/([A-Za-z0-9_-]{1,64})\/(cancel|undo)$/.exec(path);
    if (!match) return jsonError(404, "not found");
    if (request.method !== "POST") return jsonError(405, `use POST to ${match[2]}`);
    return match[2] === "cancel" ? this.#cancel(match[1]!) : this.#undo(match[1]!);
  }

  #messages() {
    this.#settleOrphans();
    return readChat(this.#doc());
  }

  async #ask(request: Request, decide: ChatRequest): Promise<Response> {
    // Read the body before any answer: a room that answers without reading what it was handed breaks the connection.
    const body = await request.text();
    const revoked = decide.editDenial();
    if (revoked) return revoked;
    let input: unknown;
    try {
      input = JSON.parse(body);
    } catch {
      return jsonError(400, "the body must be JSON: {text, model, author}");
    }
    const invalid = validateQuestion(input, readConfig(this.#env).ai.models);
    if (invalid) return jsonError(400, invalid);
    const { text, model, author } = input as { text: string; model: ChatModel; author: string };
    const limited = await decide.admitCreation();
    if (limited) return limited;
    // The permissions may have changed during that await: check again, with no await from here to the write.
    const overtaken = decide.editDenial();
    if (overtaken) return overtaken;
    this.#settleOrphans();
    if (this.#active) return jsonError(409, "the assistant is still answering in this room; wait or cancel it");

    let doc = this.#doc();
    const questionChars = text.length + author.length;
    // The oldest messages make way; folding the log right away lets the size check below see the room's real size.
    if (trimChat(doc, this.#budget, { incoming: 2, incomingChars: questionChars }) > 0) this.#room.compact();
    const needed = 2 * MESSAGE_OVERHEAD_BYTES + utf8Bytes(text) + utf8Bytes(author) + this.#replyReserveBytes;
    if (!this.#room.fits(needed)) return roomFull();
    // A question that will reach the provider spends the daily AI budget; refused, it is this request's answer (nothing is
    // appended). The await lets other writes in, so the room is checked again after it.
    if (hasProviderKey(this.#env, model)) {
      const budget = await spendAiBudget(this.#env);
      if (!budget.ok) return aiBudgetRefusal(budget);
      const revoked = decide.editDenial();
      if (revoked) return revoked;
      if (this.#active) return jsonError(409, "the assistant is still answering in this room; wait or cancel it");
      if (!this.#room.fits(needed)) return roomFull();
      doc = this.#doc();
    }
    const history = readChat(doc);
    let userMessageId = "";
    const claimToken = decide.created(() => {
      userMessageId = appendUserMessage(doc, { author, text, model });
    });
    const assistantMessageId = startAssistantMessage(doc, { model });
    const controller = new AbortController();
    this.#active = { id: assistantMessageId, controller };
    const prompt = buildPrompt({ files: readFiles(doc), chat: history, question: text, maxChars: PROMPT_MAX_CHARS });
    this.#ctx.waitUntil(this.#reply(assistantMessageId, model, prompt, controller));
    const accepted: ChatAccepted = { userMessageId, assistantMessageId, ...(claimToken ? { claimToken } : {}) };
    return Response.json(accepted, { status: 202 });
  }

  /** Delete the whole chat (stopping a reply being streamed). */
  #clear(decide: ChatRequest): Response {
    const denied = decide.clearDenial();
    if (denied) return denied;
    this.#active?.controller.abort();
    this.#active = null;
    const cleared = clearChat(this.#doc(), { chatClear: true });
    if (cleared > 0) this.#room.compact();
    return Response.json({ cleared } satisfies ChatCleared);
  }

  /** Stream the reply into message `id`, then apply its edits. Never throws: every failure ends the message. */
  async #reply(
    id: string,
    model: ChatModel,
    prompt: ReturnType<typeof buildPrompt>,
    controller: AbortController,
  ): Promise<void> {
    const origin = { chatMessage: id };
    let pending = "";
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastWrite = 0;
    /** Set when the reply stopped at the room's size limit (rather than being cancelled). */
    let full = false;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (pending && !full) {
        // Write what fits; at the room's limit the reply stops there.
        let fitting = pending;
        while (fitting && !this.#room.fits(utf8Bytes(fitting) + 16)) fitting = fitting.slice(0, Math.floor(fitting.length / 2));
        if (fitting) {
          appendToken(this.#doc(), id, fitting, origin);
          lastWrite = Date.now();
        }
        if (fitting.length < pending.length) {
          full = true;
          controller.abort();
        }
      }
      pending = "";
    };
    try {
      await streamReply(this.#env, {
        model,
        system: prompt.system,
        messages: prompt.messages,
        signal: controller.signal,
        // Leading-edge throttle: a token after a quiet spell (the first one above all) is written at once; the rest are
        // gathered so the doc gets at most one update per TOKEN_BATCH_MS (bench/chat-latency.mjs: the first token used
        // to wait the whole batch window).
        onToken: (token) => {
          pending += token;
          if (timer) return;
          const wait = lastWrite + TOKEN_BATCH_MS - Date.now();
          if (wait <= 0) flush();
          else timer = setTimeout(flush, wait);
        },
      });
      flush();
      if (full) return void failMessage(this.#doc(), id, CUT_OFF, origin);
      const doc = this.#doc();
      const edits = parseEdits(messageText(doc, id));
      if (edits.length > 0) {
        if (!this.#room.fits(editGrowth(edits))) {
          failMessage(doc, id, "The reply's edits were not applied: they would pass the room's size limit. Delete files or clear the chat", origin);
          return;
        }
        const applied = applyAssistantEdits(doc, edits, origin);
        setMessageEdits(doc, id, applied.map(compactEdit), origin);
      }
      finishMessage(doc, id, origin);
    } catch (error) {
      flush();
      if (full) {
        failMessage(this.#doc(), id, CUT_OFF, origin);
      } else if (controller.signal.aborted) {
        cancelMessage(this.#doc(), id, origin);
      } else {
        const reason = error instanceof ProviderError ? error.message : "The reply failed unexpectedly";
        if (!(error instanceof ProviderError)) console.error(JSON.stringify({ level: "error", where: "room-chat", message: String(error) }));
        failMessage(this.#doc(), id, reason, origin);
      }
    } finally {
      if (this.#active?.id === id) this.#active = null;
    }
  }

  #cancel(id: string): Response {
    const message = readMessage(this.#doc(), id);
    if (!message) return jsonError(404, `no message "${id}" in this room`);
    if (message.status !== "streaming") return jsonError(409, `message "${id}" is not streaming (it is ${message.status})`);
    if (this.#active?.id === id) this.#active.controller.abort();
    // Marked at once, so the answer already reflects it; the stream's own ending then changes nothing.
    cancelMessage(this.#doc(), id, { chatMessage: id });
    return Response.json({ id, status: "cancelled" } satisfies ChatCancelled);
  }

  #undo(id: string): Response {
    const doc = this.#doc();
    const message = readMessage(doc, id);
    if (!message) return jsonError(404, `no message "${id}" in this room`);
    if (message.status === "streaming") return jsonError(409, `message "${id}" is still streaming`);
    const applied = message.edits ?? [];
    const growth = applied.reduce((sum, edit) => sum + Math.max(0, edit.before.length - edit.after.length), 0);
    if (growth > 0 && !this.#room.fits(3 * growth)) {
      return jsonError(413, "undoing these edits would pass the room's size limit; delete something first");
    }
    const result = undoAssistantEdits(doc, applied, { chatUndo: id });
    // Keep only what is still applied, so a second undo has nothing left to do and the UI can hide its button.
    if (result.undone.length > 0) {
      setMessageEdits(doc, id, applied.filter((edit) => !result.undone.includes(edit.file)), { chatUndo: id });
    }
    return Response.json(result satisfies ChatUndone);
  }

  /** A `streaming` message this instance is not streaming was cut off by a restart: end it, so the room is not stuck. */
  #settleOrphans(): void {
    const doc = this.#doc();
    for (const message of readChat(doc)) {
      if (message.status === "streaming" && message.id !== this.#active?.id) {
        failMessage(doc, message.id, "The reply was interrupted (the room restarted); ask again");
      }
    }
  }
}

const encoder = new TextEncoder();
function utf8Bytes(text: string): number {
  return encoder.encode(text).byteLength;
}

function roomFull(): Response {
  return jsonError(
    413,
    "this room is full: a question and its reply would pass the room's size limit. Delete files, or clear the chat " +
      "(DELETE /live/<room>/chat, the room's owner)",
  );
}

/** Bytes applying `edits` may add to the document: their new text, plus the span each keeps for undo. */
function editGrowth(edits: ParsedEdit[]): number {
  const chars = edits.reduce((sum, edit) => sum + (edit.kind === "file" ? edit.content.length : edit.replace.length), 0);
  return 2 * 3 * chars + MESSAGE_OVERHEAD_BYTES;
}

/** Why a `{text, model, author}` body is unacceptable, or null. `allowed`: the models this server lets callers ask (AI_MODELS). */
function validateQuestion(input: unknown, allowed: readonly ChatModel[]): string | null {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return "the body must be a JSON object: {text, model, author}";
  const { text, model, author } = input as Record<string, unknown>;
  if (typeof text !== "string" || text.trim().length === 0) return "text must be a non-empty string";
  if (text.length > MAX_QUESTION_CHARS) return `text is longer than ${MAX_QUESTION_CHARS} characters`;
  const choices = allowed.length > 0 ? `use one of ${allowed.join(", ")}` : "this server allows no model (AI_MODELS)";
  if (typeof model !== "string") return `model must be a string; ${choices}`;
  if (!isChatModel(model)) return `unknown model "${model.slice(0, 64)}"; ${choices}`;
  if (!allowed.includes(model)) return `model "${model}" is not allowed on this server; ${choices}`;
  if (typeof author !== "string" || author.trim().length === 0 || author.length > MAX_AUTHOR_CHARS) {
    return `author must be 1-${MAX_AUTHOR_CHARS} characters`;
  }
  return null;
}

function jsonError(status: number, error: string): Response {
  return Response.json({ error }, { status });
}
