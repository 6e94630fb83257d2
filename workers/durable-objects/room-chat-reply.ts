/**
 * One assistant reply inside a room: the provider's tokens streamed into the assistant message of the room's doc (so every
 * collaborator sees them over the room's sockets as they arrive), stopped at the room's size limit, then the reply's code
 * edits applied to the files as one undoable change. Started by RoomChat (workers/durable-objects/room-chat.ts).
 */
import type * as Y from "yjs";
import { appendToken, cancelMessage, failMessage, finishMessage, messageText, setMessageEdits } from "../../core/chat.js";
import { applyAssistantEdits, compactEdit, parseEdits, type ParsedEdit } from "../../core/edits.js";
import type { buildPrompt } from "../../core/prompt.js";
import type { ChatModel } from "../platform/ai-models.js";
import { ProviderError, streamReply } from "../platform/ai-providers.js";
import type { Env } from "../platform/env.js";
import { logError } from "../platform/log.js";

/** Streamed tokens are written to the doc at most once per this many ms, so a fast stream is not one Yjs update per token. */
const TOKEN_BATCH_MS = 30;
/** The error of a reply that stopped at the room's size limit. */
const CUT_OFF = "The reply was cut off: the room reached its size limit. Delete files or clear the chat";
/** Bytes a message's Yjs structure costs beyond its text (keys, ids, status). */
export const MESSAGE_OVERHEAD_BYTES = 256;

/** What a reply needs from its room. */
export interface ReplyRoom {
  /** The room's current document (it may be reloaded from storage between calls). */
  doc(): Y.Doc;
  /** True when the stored document may grow by `growth` bytes within the room's size limit. */
  fits(growth: number): boolean;
}

/** One reply to stream: into assistant message `id`, from `model`, for `prompt`; `controller` cancels it. */
export interface Reply {
  id: string;
  model: ChatModel;
  prompt: ReturnType<typeof buildPrompt>;
  controller: AbortController;
}

/**
 * Stream `reply` into its message, then apply its edits. Never throws: every failure ends the message (failed, cancelled
 * or cut off), so a room is never left with a reply that streams forever.
 * @example ctx.waitUntil(streamIntoRoom(env, room, { id, model, prompt, controller }));
 */
export async function streamIntoRoom(env: Env, room: ReplyRoom, { id, model, prompt, controller }: Reply): Promise<void> {
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
      while (fitting && !room.fits(utf8Bytes(fitting) + 16)) fitting = fitting.slice(0, Math.floor(fitting.length / 2));
      if (fitting) {
        appendToken(room.doc(), id, fitting, origin);
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
    await streamReply(env, {
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
    if (full) return void failMessage(room.doc(), id, CUT_OFF, origin);
    const doc = room.doc();
    const edits = parseEdits(messageText(doc, id));
    if (edits.length > 0) {
      if (!room.fits(editGrowth(edits))) {
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
      failMessage(room.doc(), id, CUT_OFF, origin);
    } else if (controller.signal.aborted) {
      cancelMessage(room.doc(), id, origin);
    } else {
      const reason = error instanceof ProviderError ? error.message : "The reply failed unexpectedly";
      if (!(error instanceof ProviderError)) logError(error, { type: "room", event: "reply_failed" });
      failMessage(room.doc(), id, reason, origin);
    }
  }
}

const encoder = new TextEncoder();

/**
 * The UTF-8 size of `text`, in bytes.
 * @example utf8Bytes("é") // 2
 */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).byteLength;
}

/** Bytes applying `edits` may add to the document: their new text, plus the span each keeps for undo. */
function editGrowth(edits: ParsedEdit[]): number {
  const chars = edits.reduce((sum, edit) => sum + (edit.kind === "file" ? edit.content.length : edit.replace.length), 0);
  return 2 * 3 * chars + MESSAGE_OVERHEAD_BYTES;
}
