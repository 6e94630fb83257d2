/**
 * <spike-chat>: the room's AI chat. Messages live in the room's shared Y.Doc (core/chat.ts), so a reply streams into every
 * open page token by token; the server asks the model and may apply the reply's edits to the project, which can be undone.
 * This module is the light shell; the room, the log, markdown, voice and sign-in load with elements/internal/chat-live.ts.
 */
import { html } from "lit";
import { property } from "lit/decorators.js";
import type { RoomRole } from "../core/index.js";
import type { ChatMessage } from "../core/chat.js";
import { chatStyles } from "./internal/chat-styles.js";
import { LiteElement, type LivePart } from "./internal/lite-element.js";
import { liteStyles } from "./internal/lite-styles.js";
import { paletteStyles } from "./internal/palette.js";

/** What the shell uses of its live part (elements/internal/chat-live.ts, loaded on demand). */
export interface ChatLivePart extends LivePart {
  readonly messages: ChatMessage[];
  readonly roomRole: RoomRole | null;
  send(text?: string): Promise<void>;
}

/**
 * An AI chat about the project in a room: ask a question, watch the answer stream in (rendered as sanitized markdown),
 * and undo the edits a reply made to the files, or an AI agent's change over MCP ("Claude (MCP) changed index.tsx").
 * Everyone in the room sees the same chat live. `/image <prompt>` makes a picture and stores it as a room asset the app
 * can import.
 *
 * @summary AI chat for a room: `<spike-chat room="demo">` next to `<spike-editor room="demo">`.
 *
 * @fires spike-message - A message appeared in the chat (sent here, by another user, the assistant's reply starting, or an AI agent's change: role `agent`). Detail: `{ id, role }`.
 * @fires spike-auth-required - The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access).
 * @fires spike-room-created - This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`).
 *
 * Until it loads (see `loading`) it shows an empty log in the same box, with an "Open chat" button in `click` mode.
 *
 * @csspart base - The frame around the chat.
 * @csspart activate - The lite view's "Open chat" button (`loading="click"`).
 * @csspart messages - The scrolling message log.
 * @csspart message - One message (also `message-user`, `message-assistant`, or `message-agent` for an AI agent's change over MCP).
 * @csspart composer - The textarea and Send button.
 * @csspart input - The textarea.
 * @csspart send - The Send button.
 * @csspart mic - The microphone button: records a question, transcribed by `POST /api/transcribe` into the textarea.
 * @csspart image - An `/image <prompt>` entry: the picture generated on the server (Replicate) and stored as a room asset, shown to this page.
 * @csspart image-progress - "Generating the image…" while an `/image` request runs.
 * @csspart image-result - The generated picture (an `<img>` of the room asset).
 * @csspart image-error - Why an `/image` request failed.
 * @csspart status - The status bar: who is typing, the last error, the connection (a polite live region).
 * @csspart badge - The "Read-only" badge, shown when the room lets this user watch but not ask.
 * @csspart sign-in - The "Sign in" button, shown when Clerk is in use and nobody is signed in.
 * @csspart sign-in-error - "Sign-in unavailable", shown instead when the element cannot use Clerk (say, the page's own `window.Clerk` has another publishable key); its `title` says why.
 *
 * @cssprop --spike-chat-height - Height of the element. Default `420px`.
 * @cssprop --spike-chat-background - Background of the chat. Default a theme white/black.
 * @cssprop --spike-chat-user-background - Background of user messages. Default a theme light blue.
 * @cssprop --spike-accent - Colour of the Send button (its text is white). Default `#0969da`, dark `#1f6feb`.
 * @cssprop --spike-border - Border of the frame. Default `1px solid` a theme grey.
 * @cssprop --spike-radius - Corner radius of the frame. Default `8px`.
 * @cssprop --spike-font-family - Font of code in replies. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`.
 * @cssprop --spike-ui-font-family - Font of the chat. Default `system-ui, sans-serif`.
 */
export class SpikeChat extends LiteElement<ChatLivePart> {
  static override styles = [paletteStyles, chatStyles, liteStyles];

  /** The model to ask, e.g. `gpt-4o-mini`, `gpt-4.1`, `claude-sonnet-4-5`, `claude-haiku-4-5`. */
  @property() model = "gpt-4o-mini";

  /** The name shown on this user's messages. Defaults to the user's name in the room (as on their cursor). */
  @property() author?: string;

  /** The chat's messages, oldest first (a snapshot; empty until the chat loads). */
  get messages(): ChatMessage[] {
    return this.live?.messages ?? [];
  }

  /** What the room lets this user do: `owner`, `editor`, `viewer` (may read the chat, not ask), or null when it has not said. */
  get roomRole(): RoomRole | null {
    return this.live?.roomRole ?? null;
  }

  /**
   * Send the textarea's text (or `text`) to the model, loading the chat first if it has not loaded. Resolves once the
   * server accepted it; the reply streams in later.
   * @example document.querySelector("spike-chat").send("Make the heading blue");
   */
  async send(text?: string): Promise<void> {
    await this.load();
    await this.updateComplete;
    return this.live!.send(text);
  }

  protected override createLive(): Promise<ChatLivePart> {
    return import("./internal/chat-live.js").then((m) => new m.ChatLive(this));
  }

  protected override render() {
    if (this.live) return this.live.render();
    const click = this.loading === "click" && !this.activating;
    return html`<div part="base" class="base lite ${this.scheme}">
      <div part="messages" class="messages">
        ${click
          ? html`<button part="activate" class="activate run" type="button" @click=${this.activate}>Open chat</button>`
          : html`<p class="empty">${this.activating ? "Loading chat…" : "Ask about the code, or ask for a change."}</p>`}
      </div>
      <div part="status" class="bar"><span>${this.model}</span></div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "spike-chat": SpikeChat;
  }
}
