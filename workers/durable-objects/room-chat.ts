/**
 * The room's AI chat inside CodeRoom: appends a question and an assistant message to the room's doc (so both persist and
 * broadcast like code), then streams the provider's reply into that message (room-chat-reply.ts). One reply at a time per
 * room; questions are checked by the Worker before they get here (AI access, the "ai" rate-limit bucket, the body's size
 * and fields: workers/main/live-routes.ts). The chat lives in the room's document, so it counts against the room's size
 * limit: it keeps a bounded history (the oldest messages go first), a question that would not fit is refused before the
 * provider is called, a reply stops at the limit, and undo copies keep only the span an edit changed.
 */
import type * as Y from "yjs";
import {
  appendUserMessage,
  cancelMessage,
  clearChat,
  failMessage,
  readChat,
  readMessage,
  setMessageEdits,
  startAssistantMessage,
  trimChat,
  type ChatMessage,
} from "../../core/chat.js";
import { undoAssistantEdits } from "../../core/edits.js";
import { buildPrompt } from "../../core/prompt.js";
import { readFiles } from "../../core/project.js";
import { aiBudgetFields, spendAiBudget } from "../platform/ai-budget.js";
import { hasProviderKey } from "../platform/ai-providers.js";
import { readConfig } from "../platform/config.js";
import type { Env } from "../platform/env.js";
import {
  done,
  refuse,
  type ChatAccepted,
  type ChatCleared,
  type Parsed,
  type Question,
  type ChatCancelled,
  type ChatUndone,
  type RoomRefusal,
  type RoomResult,
} from "./room-api.js";
import { MESSAGE_OVERHEAD_BYTES, streamIntoRoom, utf8Bytes } from "./room-chat-reply.js";

/** Cap of the prompt (files + recent chat) sent to the model, in characters. */
const PROMPT_MAX_CHARS = 60_000;
/** Room a question must leave in the document for its reply: the longest reply, at about 4 bytes a token. */
const REPLY_BYTES_PER_TOKEN = 4;
const STILL_ANSWERING = "the assistant is still answering in this room; wait or cancel it";

/** What the chat needs from its room's document (room-document.ts). */
export interface ChatRoom {
  /** The room's current document (it may be reloaded from storage between calls). */
  doc(): Y.Doc;
  /** True when the stored document may grow by `growth` bytes within the room's size limit. */
  fits(growth: number): boolean;
  /** Fold the log into the snapshot now, so what the chat gave up counts at once (the log grows with deletions too). */
  compact(): void;
}

/** What the room decides about one caller, asked when the chat needs to know. */
export interface ChatDecisions {
  /** The refusal of a write by the caller under the room's permissions now (asked again after every await). */
  editDenial(): RoomRefusal | null;
  /** The refusal of clearing the chat by the caller (owner only, once the room has one). */
  clearDenial(): RoomRefusal | null;
  /** The room-creation limit, for a question that creates the room: null when allowed, else the 429. */
  admitCreation(): Promise<RoomRefusal | null>;
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

  /** `maxBytes`: the room's document limit. */
  constructor(ctx: DurableObjectState, env: Env, room: ChatRoom, maxBytes: number) {
    this.#ctx = ctx;
    this.#env = env;
    this.#room = room;
    // The chat may take at most a quarter of the room (workers/platform/config.ts), and a reply's reserve at most an
    // eighth: the code keeps the rest.
    const { room: settings, ai } = readConfig(env);
    this.#budget = settings.chat;
    this.#replyReserveBytes = Math.min(ai.maxOutputTokens * REPLY_BYTES_PER_TOKEN, Math.floor(maxBytes / 8));
  }

  #doc(): Y.Doc {
    return this.#room.doc();
  }

  /** Every message, oldest first (a reply a restart cut off is ended first). */
  messages(): ChatMessage[] {
    this.#settleOrphans();
    return readChat(this.#doc());
  }

  /**
   * Ask: append the question and an empty assistant message, and stream the reply into it. Answers once both are in the
   * room (202); the reply arrives over the room's sockets. A bad `question` is answered only now, after the room's checks.
   */
  async ask(question: Parsed<Question>, decide: ChatDecisions): Promise<RoomResult<ChatAccepted>> {
    if (!question.ok) return question;
    const { text, model, author } = question.value;
    const limited = await decide.admitCreation();
    if (limited) return limited;
    // The permissions may have changed during that await: check again, with no await from here to the write.
    const overtaken = decide.editDenial();
    if (overtaken) return overtaken;
    this.#settleOrphans();
    if (this.#active) return refuse(409, STILL_ANSWERING);

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
      if (!budget.ok) return refuse(budget.status, budget.error, aiBudgetFields(budget));
      const revoked = decide.editDenial();
      if (revoked) return revoked;
      if (this.#active) return refuse(409, STILL_ANSWERING);
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
    const active = (this.#active = { id: assistantMessageId, controller });
    const prompt = buildPrompt({ files: readFiles(doc), chat: history, question: text, maxChars: PROMPT_MAX_CHARS });
    const reply = streamIntoRoom(this.#env, this.#room, { id: assistantMessageId, model, prompt, controller }).finally(() => {
      if (this.#active === active) this.#active = null;
    });
    this.#ctx.waitUntil(reply);
    return done({ userMessageId, assistantMessageId, ...(claimToken ? { claimToken } : {}) });
  }

  /** Delete the whole chat (stopping a reply being streamed). */
  clear(decide: ChatDecisions): RoomResult<ChatCleared> {
    const denied = decide.clearDenial();
    if (denied) return denied;
    this.#active?.controller.abort();
    this.#active = null;
    const cleared = clearChat(this.#doc(), { chatClear: true });
    if (cleared > 0) this.#room.compact();
    return done({ cleared });
  }

  /** Stop the reply streaming into message `id`; it is marked cancelled at once. */
  cancel(id: string): RoomResult<ChatCancelled> {
    const message = readMessage(this.#doc(), id);
    if (!message) return refuse(404, `no message "${id}" in this room`);
    if (message.status !== "streaming") return refuse(409, `message "${id}" is not streaming (it is ${message.status})`);
    if (this.#active?.id === id) this.#active.controller.abort();
    // Marked at once, so the answer already reflects it; the stream's own ending then changes nothing.
    cancelMessage(this.#doc(), id, { chatMessage: id });
    return done({ id, status: "cancelled" });
  }

  /** Restore the files reply `id` edited, except those changed since. */
  undo(id: string): RoomResult<ChatUndone> {
    const doc = this.#doc();
    const message = readMessage(doc, id);
    if (!message) return refuse(404, `no message "${id}" in this room`);
    if (message.status === "streaming") return refuse(409, `message "${id}" is still streaming`);
    const applied = message.edits ?? [];
    const growth = applied.reduce((sum, edit) => sum + Math.max(0, edit.before.length - edit.after.length), 0);
    if (growth > 0 && !this.#room.fits(3 * growth)) {
      return refuse(413, "undoing these edits would pass the room's size limit; delete something first");
    }
    const result = undoAssistantEdits(doc, applied, { chatUndo: id });
    // Keep only what is still applied, so a second undo has nothing left to do and the UI can hide its button.
    if (result.undone.length > 0) {
      setMessageEdits(doc, id, applied.filter((edit) => !result.undone.includes(edit.file)), { chatUndo: id });
    }
    return done(result);
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

function roomFull(): RoomRefusal {
  return refuse(
    413,
    "this room is full: a question and its reply would pass the room's size limit. Delete files, or clear the chat " +
      "(DELETE /live/<room>/chat, the room's owner)",
  );
}
