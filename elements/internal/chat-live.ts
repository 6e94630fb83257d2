/**
 * The live part of <spike-chat> (its own chunk, loaded when the element leaves lite mode): the room's chat log, the
 * composer, typing indicators, voice input and sign-in, for the room the element's frame opens.
 */
import { html, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import type { RoomClient, RoomRole, RoomStatus } from "../../core/index.js";
import { appendUserMessage, type ChatMessage } from "../../core/chat.js";
import { presenceUser } from "../../core/presence.js";
import type { SpikeChat } from "../spike-chat.js";
import { renderComposer } from "./chat-composer.js";
import { IMAGE_COMMAND, generateImageJob, imagePrompt, renderImageJob, type ImageJob } from "./chat-image.js";
import { ChatLog } from "./chat-log.js";
import { renderMessage } from "./chat-message.js";
import { liveState, type LivePart } from "./lite-element.js";
import { refusalText, signInControl } from "./room-access.js";
import { RoomFrame, type Project } from "./room-frame.js";
import { startRecording, type Recording } from "./voice-input.js";

/** How long after the last keystroke this user still shows as typing to the others. */
const TYPING_MS = 3000;

/** What the chat says in an end-to-end encrypted room, where the server cannot read it. */
const AI_OFF = "AI assistant is off in end-to-end encrypted rooms";

const STATUS_TEXT: Record<RoomStatus, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  offline: "Offline",
};

interface ChatState {
  status: RoomStatus;
  notice: { text: string; error: boolean } | null;
  typing: string[];
  sending: boolean;
  voice: "idle" | "recording" | "transcribing";
  /** Assistant messages whose edits this page undid, with what the server said. */
  undone: Map<string, string>;
  /** This page's `/image` requests, oldest first (elements/internal/chat-image.ts). */
  images: ImageJob[];
}

/** Created by SpikeChat.load(): `new ChatLive(chat)`; the element renders `live.render()` from then on. */
export class ChatLive implements LivePart {
  #host: SpikeChat;
  /** What render() shows; setting a field re-renders. */
  #s: ChatState;

  /** The room this chat follows (its own `room` or its `<spike-room>`'s); the chat needs one, it lives in the room. */
  #room?: { client: RoomClient };
  #typingTimer?: ReturnType<typeof setTimeout>;
  /** The microphone recording in progress: stop it, transcribing what was said unless `discard`. */
  #recording?: Recording;
  #log: ChatLog;
  #frame: RoomFrame;

  constructor(host: SpikeChat) {
    this.#host = host;
    this.#s = liveState<ChatState>(host, {
      status: "connecting",
      notice: null,
      typing: [],
      sending: false,
      voice: "idle",
      undone: new Map(),
      images: [],
    });
    this.#log = new ChatLog(host, () => this.#element(".messages"), (text) => (this.#s.notice = { text, error: true }));
    this.#frame = new RoomFrame(host, {
      localProject: null,
      open: (project) => this.#follow(project),
      failed: (message) => (this.#s.notice = { text: message, error: true }),
    });
  }

  hostConnected(): void {}

  /** The chat's messages, oldest first (a snapshot). */
  get messages(): ChatMessage[] {
    return this.#log.messages;
  }

  /** What the room lets this user do: `owner`, `editor`, `viewer` (may read the chat, not ask), or null when it has not said. */
  get roomRole(): RoomRole | null {
    return this.#frame.access.role;
  }

  render() {
    const host = this.#host;
    if (!host.room) {
      return html`<div part="base" class="base ${this.#frame.scheme}">
        <div part="messages" class="messages">
          <p class="empty">Chat needs a room: set the <code>room</code> attribute, or put it in a <code>&lt;spike-room&gt;</code>.</p>
        </div>
      </div>`;
    }
    const messages = this.#log.messages;
    const streaming = messages.some((m) => m.status === "streaming");
    const access = this.#frame.access;
    // Why this user cannot ask: a saved version (no socket, nothing to change), the room refused the connection, or lets
    // them only watch.
    const locked = this.#frame.project?.version != null
      ? "A saved version has no chat: ask in the live room"
      : access.refused
      ? refusalText(access.refused)
      : access.role === "viewer"
        ? "Read-only: only the room's editors can ask the assistant"
        : null;
    return html`<div part="base" class="base ${this.#frame.scheme}">
      <div part="messages" class="messages" role="log" aria-label="Chat" tabindex="0" aria-busy=${streaming ? "true" : "false"} @scroll=${this.#log.onScroll}>
        ${messages.length === 0 && this.#s.images.length === 0 ? html`<p class="empty">Ask about the code, or ask for a change.</p>` : nothing}
        ${repeat(messages, (m) => m.id, (m) => this.#renderMessage(m))}
        ${repeat(this.#s.images, (job) => job.id, renderImageJob)}
      </div>
      ${renderComposer({
        placeholder: locked ?? (this.#sealed() ? "Message the room… (end-to-end encrypted; Enter to send)" : `Ask ${host.model}… (Enter to send, Shift+Enter for a new line, ${IMAGE_COMMAND} <prompt> for a picture)`),
        locked: !!locked,
        sending: this.#s.sending,
        voice: this.#s.voice,
        send: () => void this.send(),
        typed: this.#onInput,
        mic: this.#onMic,
      })}
      <div part="status" class="bar">
        <span>${this.#sealed() ? "Encrypted" : host.model}</span>
        ${access.role === "viewer" ? html`<span part="badge" class="badge">Read-only</span>` : nothing}
        <span class="status ${this.#s.notice?.error || access.refused ? "is-error" : ""}" role="status" aria-live="polite"
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
      undone: this.#s.undone.get(m.id),
      cancel: () => this.#post(m.id, "cancel"),
      undo: () => this.#post(m.id, "undo"),
    });
  }

  #statusText(): string {
    if (this.#s.typing.length > 0) {
      const names = this.#s.typing.slice(0, 2).join(" and ") + (this.#s.typing.length > 2 ? " and others" : "");
      return `${names} ${this.#s.typing.length === 1 ? "is" : "are"} typing…`;
    }
    return this.#s.notice?.text ?? (this.#sealed() ? AI_OFF : STATUS_TEXT[this.#s.status]);
  }

  /**
   * An end-to-end encrypted room (a key was given, or the room said so): the server cannot read the chat, so there is no
   * assistant; messages go into the encrypted doc from here.
   */
  #sealed(): boolean {
    return this.#host.roomKey !== undefined || this.#frame.access.encrypted === true;
  }

  /** Show the chat of a room the frame just opened, live; the returned function stops (and stops recording). */
  #follow({ client }: Project): () => void {
    if (!client) return () => {};
    const onStatus = (status: RoomStatus) => (this.#s.status = status);
    const onAwareness = () => this.#readTyping(client);
    client.on("status", onStatus);
    client.awareness.on("change", onAwareness);
    this.#room = { client };
    this.#s.status = client.status;
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
    if (names.join("\n") !== this.#s.typing.join("\n")) this.#s.typing = names;
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

  /** An element of the chat's shadow root. */
  #element<T extends HTMLElement>(selector: string): T | undefined {
    return this.#host.renderRoot.querySelector<T>(selector) ?? undefined;
  }

  #input(): HTMLTextAreaElement | undefined {
    return this.#element<HTMLTextAreaElement>("textarea");
  }

  /** send() asks for the newest message to show: its question's answer is coming. */
  set #stickToBottom(value: boolean) {
    this.#log.stickToBottom = value;
  }

  /**
   * Send the textarea's text (or `text`) to the model. Resolves once the server accepted it; the reply streams in later.
   * @example document.querySelector("spike-chat").send("Make the heading blue");
   */
  async send(text: string = this.#input()?.value ?? ""): Promise<void> {
    const host = this.#host;
    const question = text.trim();
    if (!question || this.#s.sending || !host.room || !this.#room) return;
    const author = host.author || this.#userName();
    if (this.#sealed()) {
      // Sealed with the rest of the doc before it leaves; no model is asked (the room answers 409 to the HTTP chat).
      appendUserMessage(this.#room.client.doc, { author, text: question, model: "" });
      const input = this.#input();
      if (input && input.value.trim() === question) input.value = "";
      this.#stickToBottom = true;
      return;
    }
    const prompt = imagePrompt(question);
    if (prompt !== null) return this.#image(prompt);
    this.#s.sending = true;
    this.#s.notice = null;
    clearTimeout(this.#typingTimer);
    this.#setTyping(false);
    try {
      await this.#room.client.http.sendChat({ text: question, model: host.model, author });
      const input = this.#input();
      if (input && input.value.trim() === question) input.value = "";
      this.#stickToBottom = true;
    } catch (error) {
      this.#s.notice = { text: (error as Error).message, error: true };
    } finally {
      this.#s.sending = false;
    }
  }

  /** `/image <prompt>`: the picture is generated and stored as a room asset; its entry shows progress, then it or the error. */
  async #image(prompt: string): Promise<void> {
    if (!prompt) {
      this.#s.notice = { text: `Say what to draw: ${IMAGE_COMMAND} <prompt>`, error: true };
      return;
    }
    const http = this.#room!.client.http;
    this.#s.notice = null;
    const input = this.#input();
    if (input && imagePrompt(input.value) === prompt) input.value = "";
    this.#stickToBottom = true;
    await generateImageJob(http, prompt, (job) => {
      const others = this.#s.images.filter((j) => j.id !== job.id);
      this.#s.images = [...others, job].sort((a, b) => Number(a.id.slice(6)) - Number(b.id.slice(6)));
      this.#stickToBottom = true;
    });
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
        this.#s.undone = new Map(this.#s.undone).set(id, text);
        this.#s.notice = { text, error: false };
      }
    } catch (error) {
      this.#s.notice = { text: `Could not ${action}: ${(error as Error).message}`, error: true };
    }
  }

  /** Start recording, or stop and transcribe what was recorded. */
  #onMic = async (): Promise<void> => {
    if (this.#recording) return this.#stopRecording(false);
    if (this.#sealed()) {
      // Transcription happens on the server, which must not hear an encrypted room.
      this.#s.notice = { text: "Voice input is off in end-to-end encrypted rooms", error: false };
      return;
    }
    try {
      this.#recording = await startRecording((audio) => void this.#transcribe(audio));
    } catch (error) {
      this.#s.notice = { text: (error as Error).message, error: true };
      return;
    }
    this.#s.voice = "recording";
    this.#s.notice = { text: "Recording… click the microphone again to stop", error: false };
  };

  #stopRecording(discard: boolean): void {
    if (!this.#recording) return;
    this.#recording.stop(discard);
    this.#recording = undefined;
    this.#s.voice = discard ? "idle" : "transcribing";
  }

  /** The transcript joins the textarea, for the user to check and send. */
  async #transcribe(audio: Blob): Promise<void> {
    this.#s.notice = { text: "Transcribing…", error: false };
    try {
      if (!this.#room) throw new Error("the chat needs a room");
      const text = await this.#room.client.http.transcribe(audio);
      const input = this.#input();
      if (input && text) {
        input.value = input.value.trim() ? `${input.value.trimEnd()} ${text}` : text;
        input.focus();
      }
      this.#s.notice = null;
    } catch (error) {
      this.#s.notice = { text: `Could not transcribe: ${(error as Error).message}`, error: true };
    } finally {
      this.#s.voice = "idle";
    }
  }

  #userName(): string {
    const name = (this.#room?.client.awareness.getLocalState()?.["user"] as { name?: unknown } | undefined)?.name;
    return typeof name === "string" && name ? name : "Guest";
  }
}
