/**
 * <spike-chat>: the room's AI chat. Messages live in the room's shared Y.Doc (core/chat.ts), so a reply streams into every
 * open page token by token; the server asks the model and may apply the reply's edits to the project, which can be undone.
 */
import { LitElement, html, nothing, type PropertyValues } from "lit";
import { property, query, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import type * as Y from "yjs";
import { acquireRoomClient, type RoomClient, type RoomRole, type RoomStatus, type TokenSource } from "../core/index.js";
import { CHAT_KEY, readChat, type ChatMessage } from "../core/chat.js";
import { presenceUser } from "../core/presence.js";
import type { AppliedEdit } from "../core/edits.js";
import { chatStyles } from "./internal/chat-styles.js";
import type { ClerkInstance } from "./internal/clerk-loader.js";
import { emit } from "./internal/events.js";
import { RoomAccess, refusalText, signInChanged, signInControl } from "./internal/room-access.js";
import { startRecording, type Recording } from "./internal/voice-input.js";

/** The origin spike.js was loaded from: the default server, as for <spike-editor>. */
const BUNDLE_ORIGIN = new URL(import.meta.url).origin;

/** How long after the last keystroke this user still shows as typing to the others. */
const TYPING_MS = 3000;

/** marked + DOMPurify (~20 KB gzip) load with the first message, so a page without a chat does not pay for them. */
type Markdown = typeof import("./internal/chat-markdown.js");
let markdownModule: Promise<Markdown> | undefined;
const loadMarkdown = () => (markdownModule ??= import("./internal/chat-markdown.js"));

const STATUS_TEXT: Record<RoomStatus, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  offline: "Offline",
};

interface Room {
  client: RoomClient;
  release(): void;
}

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
export class SpikeChat extends LitElement {
  static override styles = chatStyles;

  /** Room id (1-64 of `[A-Za-z0-9_-]`). The chat needs one: it lives in the room. */
  @property({ reflect: true }) room?: string;

  /** Base URL of the spike server. Defaults to the origin this script was loaded from. */
  @property() server: string = BUNDLE_ORIGIN;

  /** The model to ask, e.g. `gpt-4o-mini`, `gpt-4.1`, `claude-sonnet-4-5`, `claude-haiku-4-5`. */
  @property() model = "gpt-4o-mini";

  /** The name shown on this user's messages. Defaults to the user's name in the room (as on their cursor). */
  @property() author?: string;

  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme`. */
  @property({ reflect: true }) theme: "light" | "dark" | "auto" = "auto";

  /** Returns the user's session token (or null); see `<spike-editor>`'s `getToken`. Also sent with chat and transcription requests. */
  @property({ attribute: false }) getToken?: TokenSource;

  /** A loaded Clerk instance from the host page; see `<spike-editor>`'s `clerk`. */
  @property({ attribute: false }) clerk?: ClerkInstance;

  /** Clerk publishable key: loads Clerk once per page and offers sign-in (default: the server's, if any); see `<spike-editor>`'s. */
  @property({ attribute: "clerk-publishable-key" }) clerkPublishableKey?: string;

  /** Where to load Clerk's browser script from instead of the key's Frontend API. */
  @property({ attribute: "clerk-js-url" }) clerkJsUrl?: string;

  @state() private _messages: ChatMessage[] = [];
  @state() private _status: RoomStatus = "connecting";
  @state() private _notice: { text: string; error: boolean } | null = null;
  @state() private _typing: string[] = [];
  @state() private _sending = false;
  @state() private _voice: "idle" | "recording" | "transcribing" = "idle";
  @state() private _markdown: Markdown | null = null;
  /** Assistant messages whose edits this page undid, with what the server said. */
  @state() private _undone = new Map<string, string>();

  @query(".messages") private _log?: HTMLElement;
  @query("textarea") private _input?: HTMLTextAreaElement;

  #room?: Room;
  #known = new Set<string>();
  #typingTimer?: ReturnType<typeof setTimeout>;
  /** The microphone recording in progress: stop it, transcribing what was said unless `discard`. */
  #recording?: Recording;
  #stickToBottom = true;
  /** Rendered HTML per message, reused while its text is unchanged. */
  #rendered = new Map<string, { text: string; html: string }>();
  #access = new RoomAccess(this);

  /** The chat's messages, oldest first (a snapshot). */
  get messages(): ChatMessage[] {
    return this._messages;
  }

  /** What the room lets this user do: `owner`, `editor`, `viewer` (may read the chat, not ask), or null when it has not said. */
  get roomRole(): RoomRole | null {
    return this.#access.role;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && !this.#room) this.requestUpdate("room");
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A move within the page disconnects and reconnects in one task: only tear down if we really left.
    queueMicrotask(() => {
      if (!this.isConnected) this.#closeRoom();
    });
  }

  protected override render() {
    if (!this.room) {
      return html`<div part="base" class="base">
        <div part="messages" class="messages"><p class="empty">Chat needs a room: set the <code>room</code> attribute.</p></div>
      </div>`;
    }
    const streaming = this._messages.some((m) => m.status === "streaming");
    const access = this.#access;
    // Why this user cannot ask: the room refused the connection, or lets them only watch.
    const locked = access.refused
      ? refusalText(access.refused)
      : access.role === "viewer"
        ? "Read-only: only the room's editors can ask the assistant"
        : null;
    return html`<div part="base" class="base">
      <div part="messages" class="messages" role="log" aria-label="Chat" aria-busy=${streaming ? "true" : "false"} @scroll=${this.#onScroll}>
        ${this._messages.length === 0 ? html`<p class="empty">Ask about the code, or ask for a change.</p>` : nothing}
        ${repeat(this._messages, (m) => m.id, (m) => this.#renderMessage(m))}
      </div>
      <form part="composer" class="composer" @submit=${this.#onSubmit}>
        <textarea
          part="input"
          aria-label="Message"
          placeholder=${locked ?? `Ask ${this.model}… (Enter to send, Shift+Enter for a new line)`}
          maxlength="8000"
          ?disabled=${!!locked}
          @input=${this.#onInput}
          @keydown=${this.#onKeydown}
        ></textarea>
        <button
          part="mic"
          class="mic"
          type="button"
          aria-label=${this._voice === "recording" ? "Stop recording" : "Record a question"}
          aria-pressed=${this._voice === "recording" ? "true" : "false"}
          ?disabled=${this._voice === "transcribing" || !!locked}
          @click=${this.#onMic}
        >${this._voice === "recording" ? "■" : "🎤"}</button>
        <button part="send" class="primary" type="submit" ?disabled=${this._sending || !!locked}>Send</button>
      </form>
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

  /**
   * One message. Any editor of the room can write into the chat, so core/chat.ts checks every field; should a message
   * still fail to render, it alone says so and the rest of the chat renders.
   */
  #renderMessage(m: ChatMessage) {
    try {
      return this.#renderMessageContent(m);
    } catch {
      return html`<article part="message" class="message" data-id=${m.id}><div class="note">This message could not be shown.</div></article>`;
    }
  }

  #renderMessageContent(m: ChatMessage) {
    const undone = this._undone.get(m.id);
    return html`<article part="message message-${m.role}" class="message ${m.role}" data-id=${m.id} data-status=${m.status}>
      <div class="meta">
        <span class="who">${m.role === "assistant" ? m.model || "assistant" : m.author}</span>
        ${timeOf(m.time)}
      </div>
      ${m.role === "user" ? html`<div class="body plain">${m.text}</div>` : this.#renderReply(m)}
      ${m.status === "streaming"
        ? html`<div class="actions"><span class="dots" aria-label="Answering">Answering</span>
            <button type="button" class="cancel" @click=${() => this.#post(m.id, "cancel")}>Cancel</button></div>`
        : nothing}
      ${m.status === "error" ? html`<div class="error" role="alert">${m.error || "The reply failed."}</div>` : nothing}
      ${m.status === "cancelled" ? html`<div class="note">Cancelled.</div>` : nothing}
      ${m.edits ? this.#renderEdits(m.id, m.edits, undone) : nothing}
    </article>`;
  }

  /**
   * What the reply did to the files. The server keeps only the edits still applied, so an empty list on a message that
   * had edits means they were undone (here or on another page).
   */
  #renderEdits(id: string, edits: AppliedEdit[], undone: string | undefined) {
    const changed = edits.filter((e) => e.before !== e.after);
    const failed = edits.flatMap((e) => (e.failed ?? []).map((reason) => `${e.file}: ${reason}`));
    return html`<div class="actions">
        ${changed.length > 0
          ? html`<span>Edited ${changed.map((e, i) => html`${i ? ", " : ""}<span class="file">${e.file}</span>`)}</span>
              <button type="button" class="undo" @click=${() => this.#post(id, "undo")}>Undo</button>`
          : nothing}
        ${undone || edits.length === 0 ? html`<span class="undone">${undone ?? "Edits undone."}</span>` : nothing}
      </div>
      ${failed.length > 0 ? html`<div class="error">Not applied: ${failed.join("; ")}</div>` : nothing}`;
  }

  /** A reply as sanitized markdown once the renderer has loaded; plain text until then. */
  #renderReply(m: ChatMessage) {
    const markdown = this._markdown;
    if (!markdown) return html`<div class="body plain">${m.text}</div>`;
    let cached = this.#rendered.get(m.id);
    if (!cached || cached.text !== m.text) {
      cached = { text: m.text, html: markdown.renderMarkdown(m.text) };
      this.#rendered.set(m.id, cached);
    }
    return html`<div class="body">${unsafeHTML(cached.html)}</div>`;
  }

  #statusText(): string {
    if (this._typing.length > 0) {
      const names = this._typing.slice(0, 2).join(" and ") + (this._typing.length > 2 ? " and others" : "");
      return `${names} ${this._typing.length === 1 ? "is" : "are"} typing…`;
    }
    return this._notice?.text ?? STATUS_TEXT[this._status];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("_messages" as keyof SpikeChat) && this._log) {
      const log = this._log;
      this.#stickToBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.isConnected) return;
    if (changed.has("room") || changed.has("server") || (this.room && !this.#room)) this.#openRoom();
    if (signInChanged(changed)) this.#access.update();
    if (changed.has("_messages" as keyof SpikeChat) && this.#stickToBottom && this._log) {
      this._log.scrollTop = this._log.scrollHeight;
    }
  }

  #openRoom(): void {
    this.#closeRoom();
    this._messages = [];
    this.#known.clear();
    this.#rendered.clear();
    if (!this.room) return;
    let lease;
    try {
      lease = acquireRoomClient({ server: this.server, room: this.room });
    } catch (error) {
      this._notice = { text: `Cannot open room: ${(error as Error).message}`, error: true };
      return;
    }
    const { client } = lease;
    const chat = client.doc.getArray<Y.Map<unknown>>(CHAT_KEY);
    const onStatus = (status: RoomStatus) => (this._status = status);
    const onChat = () => this.#readMessages(client.doc, true);
    const onAwareness = () => this.#readTyping(client);
    client.on("status", onStatus);
    chat.observeDeep(onChat);
    client.awareness.on("change", onAwareness);
    this.#room = {
      client,
      release: () => {
        client.off("status", onStatus);
        chat.unobserveDeep(onChat);
        client.awareness.off("change", onAwareness);
        this.#setTyping(false);
        this.#access.detach();
        lease.release();
      },
    };
    this.#access.attach(lease);
    this._status = client.status;
    this.#readMessages(client.doc, false);
    this.#readTyping(client);
  }

  #closeRoom(): void {
    clearTimeout(this.#typingTimer);
    this.#stopRecording(true);
    this.#room?.release();
    this.#room = undefined;
  }

  #readMessages(doc: Y.Doc, announce: boolean): void {
    const messages = readChat(doc);
    this._messages = messages;
    if (messages.length > 0 && !this._markdown) {
      void loadMarkdown().then(
        (module) => (this._markdown = module),
        (error: Error) => (this._notice = { text: `Could not load the markdown renderer: ${error.message}`, error: true }),
      );
    }
    for (const m of messages) {
      if (this.#known.has(m.id)) continue;
      this.#known.add(m.id);
      if (announce) emit(this, "spike-message", { id: m.id, role: m.role });
    }
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

  #onKeydown = (event: KeyboardEvent): void => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.send();
    }
  };

  #onSubmit = (event: Event): void => {
    event.preventDefault();
    void this.send();
  };

  #onScroll = (): void => {
    const log = this._log;
    if (log) this.#stickToBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  };

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

/** The time a message was written, or nothing when it is unknown (0) or no date. */
function timeOf(time: number) {
  const date = new Date(time);
  if (time === 0 || Number.isNaN(date.getTime())) return nothing;
  return html`<time datetime=${date.toISOString()}>${date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}</time>`;
}

if (!customElements.get("spike-chat")) customElements.define("spike-chat", SpikeChat);

declare global {
  interface HTMLElementTagNameMap {
    "spike-chat": SpikeChat;
  }
}
