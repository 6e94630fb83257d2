/**
 * The room's AI chat inside CodeRoom: validates a question, appends it and an assistant message to the room's doc (so both
 * persist and broadcast like code), streams the provider's reply into that message, then applies the reply's edits.
 * One reply at a time per room; questions are rate-limited by the Worker before they get here (the "ai" bucket of
 * workers/main/rate-limit.ts).
 */
import * as Y from "yjs";
import {
  appendToken,
  appendUserMessage,
  cancelMessage,
  failMessage,
  finishMessage,
  messageText,
  readChat,
  readMessage,
  setMessageEdits,
  startAssistantMessage,
} from "../../core/chat.js";
import { applyAssistantEdits, parseEdits, undoAssistantEdits } from "../../core/edits.js";
import { buildPrompt } from "../../core/prompt.js";
import { readFiles } from "../../core/project.js";
import { aiBudgetRefusal, spendAiBudget } from "../main/ai-budget.js";
import { allowedModels, isChatModel, type ChatModel } from "../main/ai-models.js";
import { ProviderError, hasProviderKey, streamReply } from "../main/ai-providers.js";
import type { Env } from "../main/env.js";

/** Longest question, in characters. */
export const MAX_QUESTION_CHARS = 8_000;
/** Longest author name, in characters. */
export const MAX_AUTHOR_CHARS = 64;
/** Cap of the prompt (files + recent chat) sent to the model, in characters. */
const PROMPT_MAX_CHARS = 60_000;
/** Streamed tokens are written to the doc at most once per this many ms, so a fast stream is not one Yjs update per token. */
const TOKEN_BATCH_MS = 30;

/** The reply being streamed right now. */
interface ActiveReply {
  id: string;
  controller: AbortController;
}

export class RoomChat {
  #ctx: DurableObjectState;
  #env: Env;
  #doc: () => Y.Doc;
  #active: ActiveReply | null = null;

  /** `doc` returns the room's current document (it may be reloaded from storage between calls). */
  constructor(ctx: DurableObjectState, env: Env, doc: () => Y.Doc) {
    this.#ctx = ctx;
    this.#env = env;
    this.#doc = doc;
  }

  /** Handle `/chat`, `/chat/<id>/cancel`, `/chat/<id>/undo` (internal paths of the room). */
  /**
   * Answer a chat route. `editDenial` re-checks the caller's right to edit after the question's body has arrived (the
   * room's permissions may change while it streams in).
   */
  async fetch(request: Request, path: string, editDenial: () => Response | null = () => null): Promise<Response> {
    if (path === "/chat") {
      if (request.method === "GET") return Response.json({ messages: this.#messages() });
      if (request.method === "POST") return this.#ask(request, editDenial);
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

  async #ask(request: Request, editDenial: () => Response | null): Promise<Response> {
    // Read the body before any answer: a room that answers without reading what it was handed breaks the connection.
    const body = await request.text();
    const revoked = editDenial();
    if (revoked) return revoked;
    let input: unknown;
    try {
      input = JSON.parse(body);
    } catch {
      return jsonError(400, "the body must be JSON: {text, model, author}");
    }
    const invalid = validateQuestion(input, allowedModels(this.#env).models);
    if (invalid) return jsonError(400, invalid);
    const { text, model, author } = input as { text: string; model: ChatModel; author: string };
    this.#settleOrphans();
    if (this.#active) return jsonError(409, "the assistant is still answering in this room; wait or cancel it");
    // A question that will reach the provider spends the daily AI budget; refused, it is this request's answer (nothing is
    // appended). The await lets another question in, so the room is checked again after it.
    if (hasProviderKey(this.#env, model)) {
      const budget = await spendAiBudget(this.#env);
      if (!budget.ok) return aiBudgetRefusal(budget);
      if (this.#active) return jsonError(409, "the assistant is still answering in this room; wait or cancel it");
    }

    const doc = this.#doc();
    const history = readChat(doc);
    const userMessageId = appendUserMessage(doc, { author, text, model });
    const assistantMessageId = startAssistantMessage(doc, { model });
    const controller = new AbortController();
    this.#active = { id: assistantMessageId, controller };
    const prompt = buildPrompt({ files: readFiles(doc), chat: history, question: text, maxChars: PROMPT_MAX_CHARS });
    this.#ctx.waitUntil(this.#reply(assistantMessageId, model, prompt, controller));
    return Response.json({ userMessageId, assistantMessageId }, { status: 202 });
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
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (pending) {
        appendToken(this.#doc(), id, pending, origin);
        lastWrite = Date.now();
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
      const doc = this.#doc();
      const edits = parseEdits(messageText(doc, id));
      if (edits.length > 0) {
        const applied = applyAssistantEdits(doc, edits, origin);
        setMessageEdits(doc, id, applied, origin);
      }
      finishMessage(doc, id, origin);
    } catch (error) {
      flush();
      if (controller.signal.aborted) {
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
    return Response.json({ id, status: "cancelled" });
  }

  #undo(id: string): Response {
    const doc = this.#doc();
    const message = readMessage(doc, id);
    if (!message) return jsonError(404, `no message "${id}" in this room`);
    if (message.status === "streaming") return jsonError(409, `message "${id}" is still streaming`);
    const applied = message.edits ?? [];
    const result = undoAssistantEdits(doc, applied, { chatUndo: id });
    // Keep only what is still applied, so a second undo has nothing left to do and the UI can hide its button.
    if (result.undone.length > 0) {
      setMessageEdits(doc, id, applied.filter((edit) => !result.undone.includes(edit.file)), { chatUndo: id });
    }
    return Response.json(result);
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
