/**
 * <spike-chat>: the room's AI chat. Messages live in the room's shared Y.Doc (core/chat.ts), so a reply streams into every
 * open page token by token; the server asks the model and may apply the reply's edits to the project, which can be undone.
 */
import { html, nothing } from "lit";
import { property, query, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import type { RoomClient, RoomRole, RoomStatus } from "../core/index.js";
import type { ChatMessage } from "../core/chat.js";
import { presenceUser } from "../core/presence.js";
import { renderComposer } from "./internal/chat-composer.js";
import { ChatLog } from "./internal/chat-log.js";
import { renderMessage } from "./internal/chat-message.js";
import { chatStyles } from "./internal/chat-styles.js";
import { paletteStyles } from "./internal/palette.js";
import { refusalText, signInControl } from "./internal/room-access.js";
import { RoomElement } from "./internal/room-element.js";
import { RoomFrame, type Project } from "./internal/room-frame.js";
import { startRecording, type Recording } from "./internal/voice-input.js";

/** How long after the last keystroke this user still shows as typing to the others. */
const TYPING_MS = 3000;

const STATUS_TEXT: Record<RoomStatus, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  offline: "Offline",
};

/**
 * An AI chat about the project in a room: ask a question, watch the answer stream in (rendered as sanitized markdown),
 * and undo the edits a reply made to the files. Everyone in the room sees the same chat live.
 *
 * @summary AI chat for a room: `<spike-chat room="demo">` next to `<spike-editor room="demo">`.
 *
 * @fires spike-message - A message appeared in the chat (sent here, by another user, or the assistant's reply starting). Detail: `{ id, role }`.
 * @fires spike-auth-required - The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access).
 * @fires spike-room-created - This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`).
 *
 * @csspart base - The frame around the chat.
 * @csspart messages - The scrolling message log.
 * @csspart message - One message (also `message-user` or `message-assistant`).
 * @csspart composer - The textarea and Send button.
 * @csspart input - The textarea.
 * @csspart send - The Send button.
 * @csspart mic - The microphone button: records a question, transcribed by `POST /api/transcribe` into the textarea.
 * @csspart status - The status bar: who is typing, the last error, the connection (a polite live region).
 * @csspart badge - The "Read-only" badge, shown when the room lets this user watch but not ask.
 * @csspart sign-in - The "Sign in" button, shown when Clerk is in use and nobody is signed in.
 * @csspart sign-in-error - "Sign-in unavailable", shown instead when the element cannot use Clerk (say, the page's own `window.Clerk` has another publishable key); its `title` says why.
 *
 * @cssprop --spike-chat-height - Height of the element. Default `420px`.
 * @cssprop --spike-chat-background - Background of the chat. Default a theme white/black.
 * @cssprop --spike-chat-user-background - Background of user messages. Default a theme light blue.
 * @cssprop --spike-accent - Colour of the Send button. Default `#0969da`.
 * @cssprop --spike-border - Border of the frame. Default `1px solid` a theme grey.
 * @cssprop --spike-radius - Corner radius of the frame. Default `8px`.
 * @cssprop --spike-font-family - Font of code in replies. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`.
 * @cssprop --spike-ui-font-family - Font of the chat. Default `system-ui, sans-serif`.
 */
export class SpikeChat extends RoomElement {
  static override styles = [paletteStyles, chatStyles];

  /** The model to ask, e.g. `gpt-4o-mini`, `gpt-4.1`, `claude-sonnet-4-5`, `claude-haiku-4-5`. */
  @property() model = "gpt-4o-mini";

  /** The name shown on this user's messages. Defaults to the user's name in the room (as on their cursor). */
  @property() author?: string;

  @state() private _status: RoomStatus = "connecting";
  @state() private _notice: { text: string; error: boolean } | null = null;
  @state() private _typing: string[] = [];
  @state() private _sending = false;
  @state() private _voice: "idle" | "recording" | "transcribing" = "idle";
  /** Assistant messages whose edits this page undid, with what the server said. */
  @state() private _undone = new Map<string, string>();

  @query(".messages") private _log?: HTMLElement;
  @query("textarea") private _input?: HTMLTextAreaElement;

  /** The room this chat follows (its own `room` or its `<spike-room>`'s); the chat needs one, it lives in the room. */
  #room?: { client: RoomClient };
  #typingTimer?: ReturnType<typeof setTimeout>;
  /** The microphone recording in progress: stop it, transcribing what was said unless `discard`. */
  #recording?: Recording;
  #log = new ChatLog(this, () => this._log, (text) => (this._notice = { text, error: true }));
  #frame = new RoomFrame(this, {
    localProject: null,
    open: (project) => this.#follow(project),
    failed: (message) => (this._notice = { text: message, error: true }),
  });

  /** The chat's messages, oldest first (a snapshot). */
  get messages(): ChatMessage[] {
    return this.#log.messages;
  }

  /** What the room lets this user do: `owner`, `editor`, `viewer` (may read the chat, not ask), or null when it has not said. */
  get roomRole(): RoomRole | null {
    return this.#frame.access.role;
  }

  protected override render() {
    if (!this.room) {
      return html`<div part="base" class="base ${this.#frame.scheme}">
        <div part="messages" class="messages">
          <p class="empty">Chat needs a room: set the <code>room</code> attribute, or put it in a <code>&lt;spike-room&gt;</code>.</p>
        </div>
      </div>`;
    }
    const messages = this.#log.messages;
    const streaming = messages.some((m) => m.status === "streaming");
    const access = this.#frame.access;
    // Why this user cannot ask: the room refused the connection, or lets them only watch.
    const locked = access.refused
      ? refusalText(access.refused)
      : access.role === "viewer"
        ? "Read-only: only the room's editors can ask the assistant"
        : null;
    return html`<div part="base" class="base ${this.#frame.scheme}">
      <div part="messages" class="messages" role="log" aria-label="Chat" aria-busy=${streaming ? "true" : "false"} @scroll=${this.#log.onScroll}>
        ${messages.length === 0 ? html`<p class="empty">Ask about the code, or ask for a change.</p>` : nothing}
        ${repeat(messages, (m) => m.id, (m) => this.#renderMessage(m))}
      </div>
      ${renderComposer({
        placeholder: locked ?? `Ask ${this.model}… (Enter to send, Shift+Enter for a new line)`,
        locked: !!locked,
        sending: this._sending,
        voice: this._voice,
        send: () => void this.send(),
        typed: this.#onInput,
        mic: this.#onMic,
      })}
      <div part="status" class="bar">
        <span>${this.model}</span>
        ${access.role === "viewer" ? html`<span part="badge" class="badge">Read-only</span>` : nothing}
        <span class="status ${this._notice?.error || access.refused ? "is-error" : ""}" role="status" aria-live="polite"
          >${access.refused ? refusalText(access.refused) : this.#statusText()}</span
        >
        ${signInControl(access)}
      </div>
    </div>`;
  }

  /** One message, its reply as markdown once the renderer has loaded (see elements/internal/chat-message.ts). */
  #renderMessage(m: ChatMessage) {
    return renderMessage(m, {
      markdown: this.#log.markdown,
      rendered: this.#log.rendered,
      undone: this._undone.get(m.id),
      cancel: () => this.#post(m.id, "cancel"),
      undo: () => this.#post(m.id, "undo"),
    });
  }

  #statusText(): string {
    if (this._typing.length > 0) {
      const names = this._typing.slice(0, 2).join(" and ") + (this._typing.length > 2 ? " and others" : "");
      return `${names} ${this._typing.length === 1 ? "is" : "are"} typing…`;
    }
    return this._notice?.text ?? STATUS_TEXT[this._status];
  }

  /** Show the chat of a room the frame just opened, live; the returned function stops (and stops recording). */
  #follow({ client }: Project): () => void {
    if (!client) return () => {};
    const onStatus = (status: RoomStatus) => (this._status = status);
    const onAwareness = () => this.#readTyping(client);
    client.on("status", onStatus);
    client.awareness.on("change", onAwareness);
    this.#room = { client };
    this._status = client.status;
    const stopLog = this.#log.follow(client.doc);
    this.#readTyping(client);
    return () => {
      clearTimeout(this.#typingTimer);
      this.#stopRecording(true);
      client.off("status", onStatus);
      client.awareness.off("change", onAwareness);
      stopLog();
      this.#setTyping(false);
      this.#room = undefined;
    };
  }

  #readTyping(client: RoomClient): void {
    const names: string[] = [];
    for (const [id, state] of client.awareness.getStates()) {
      if (id === client.doc.clientID || !state["typing"]) continue;
      names.push(presenceUser(state["user"])?.name || "Someone");
    }
    if (names.join("\n") !== this._typing.join("\n")) this._typing = names;
  }

  #setTyping(typing: boolean): void {
    const awareness = this.#room?.client.awareness;
    if (!awareness || awareness.getLocalState() === null) return;
    if (Boolean(awareness.getLocalState()?.["typing"]) !== typing) awareness.setLocalStateField("typing", typing);
  }

  #onInput = (): void => {
    this.#setTyping(true);
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => this.#setTyping(false), TYPING_MS);
  };

  /** send() asks for the newest message to show: its question's answer is coming. */
  set #stickToBottom(value: boolean) {
    this.#log.stickToBottom = value;
  }

  /**
   * Send the textarea's text (or `text`) to the model. Resolves once the server accepted it; the reply streams in later.
   * @example document.querySelector("spike-chat").send("Make the heading blue");
   */
  async send(text: string = this._input?.value ?? ""): Promise<void> {
    const question = text.trim();
    if (!question || this._sending || !this.room || !this.#room) return;
    const author = this.author || this.#userName();
    this._sending = true;
    this._notice = null;
    clearTimeout(this.#typingTimer);
    this.#setTyping(false);
    try {
      await this.#room.client.http.sendChat({ text: question, model: this.model, author });
      if (this._input && this._input.value.trim() === question) this._input.value = "";
      this.#stickToBottom = true;
    } catch (error) {
      this._notice = { text: (error as Error).message, error: true };
    } finally {
      this._sending = false;
    }
  }

  /** Cancel a reply, or undo its edits; the result shows in the status bar (undo also beside the message). */
  async #post(id: string, action: "cancel" | "undo"): Promise<void> {
    const http = this.#room?.client.http;
    if (!http) return;
    try {
      if (action === "cancel") {
        await http.cancelChat(id);
      } else {
        const { undone, conflicts } = await http.undoChat(id);
        const text =
          (undone.length ? `Undone: ${undone.join(", ")}.` : "Nothing undone.") +
          (conflicts.length ? ` Changed since, left alone: ${conflicts.join(", ")}.` : "");
        this._undone = new Map(this._undone).set(id, text);
        this._notice = { text, error: false };
      }
    } catch (error) {
      this._notice = { text: `Could not ${action}: ${(error as Error).message}`, error: true };
    }
  }

  /** Start recording, or stop and transcribe what was recorded. */
  #onMic = async (): Promise<void> => {
    if (this.#recording) return this.#stopRecording(false);
    try {
      this.#recording = await startRecording((audio) => void this.#transcribe(audio));
    } catch (error) {
      this._notice = { text: (error as Error).message, error: true };
      return;
    }
    this._voice = "recording";
    this._notice = { text: "Recording… click the microphone again to stop", error: false };
  };

  #stopRecording(discard: boolean): void {
    if (!this.#recording) return;
    this.#recording.stop(discard);
    this.#recording = undefined;
    this._voice = discard ? "idle" : "transcribing";
  }

  /** The transcript joins the textarea, for the user to check and send. */
  async #transcribe(audio: Blob): Promise<void> {
    this._notice = { text: "Transcribing…", error: false };
    try {
      if (!this.#room) throw new Error("the chat needs a room");
      const text = await this.#room.client.http.transcribe(audio);
      const input = this._input;
      if (input && text) {
        input.value = input.value.trim() ? `${input.value.trimEnd()} ${text}` : text;
        input.focus();
      }
      this._notice = null;
    } catch (error) {
      this._notice = { text: `Could not transcribe: ${(error as Error).message}`, error: true };
    } finally {
      this._voice = "idle";
    }
  }

  #userName(): string {
    const name = (this.#room?.client.awareness.getLocalState()?.["user"] as { name?: unknown } | undefined)?.name;
    return typeof name === "string" && name ? name : "Guest";
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "spike-chat": SpikeChat;
  }
}
