/**
 * The message log of <spike-chat>, as a lit ReactiveController: the room's chat read from its Y.Doc as it changes, one
 * `spike-message` per new message, the markdown renderer loaded with the first message, and the log kept scrolled to the
 * newest message unless the reader has scrolled up.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type * as Y from "yjs";
import { CHAT_KEY, readChat, type ChatMessage } from "../../core/chat.js";
import type { Markdown } from "./chat-message.js";
import { reportElementError } from "./error-reports.js";
import { emit } from "./events.js";

/** marked + DOMPurify (~20 KB gzip) load with the first message, so a page without a chat does not pay for them. */
let markdownModule: Promise<Markdown> | undefined;
const loadMarkdown = () => (markdownModule ??= import("./chat-markdown.js"));

/** How close to the bottom (px) still counts as reading the newest message. */
const NEAR_BOTTOM = 40;

/**
 * Add to the chat: `#log = new ChatLog(this, () => this._log, onError)`; `follow(doc)` when a room opens.
 * @example const stop = this.#log.follow(client.doc); // … stop() when the room closes
 */
export class ChatLog implements ReactiveController {
  /** The chat's messages, oldest first. */
  messages: ChatMessage[] = [];
  /** The markdown renderer, once loaded. */
  markdown: Markdown | null = null;
  /** Rendered HTML per message, reused while its text is unchanged. */
  readonly rendered = new Map<string, { text: string; html: string }>();
  /** Scroll to the newest message after the next render of new messages (true while the reader is at the bottom). */
  stickToBottom = true;

  #host: ReactiveControllerHost & HTMLElement;
  #element: () => HTMLElement | undefined;
  #onError: (text: string) => void;
  #known = new Set<string>();
  #changed = false;

  constructor(host: ReactiveControllerHost & HTMLElement, element: () => HTMLElement | undefined, onError: (text: string) => void) {
    this.#host = host;
    this.#element = element;
    this.#onError = onError;
    host.addController(this);
  }

  /** Read `doc`'s chat now and on every change (announcing new messages); the returned function stops and clears. */
  follow(doc: Y.Doc): () => void {
    const chat = doc.getArray<Y.Map<unknown>>(CHAT_KEY);
    const onChat = () => this.#read(doc, true);
    chat.observeDeep(onChat);
    this.#read(doc, false);
    return () => {
      chat.unobserveDeep(onChat);
      this.#set([]);
      this.#known.clear();
      this.rendered.clear();
    };
  }

  /** The reader scrolled: stick to the bottom only while they are (nearly) there. */
  onScroll = (): void => {
    this.#measure();
  };

  hostUpdate(): void {
    if (this.#changed) this.#measure();
  }

  hostUpdated(): void {
    const element = this.#element();
    if (this.#changed && this.stickToBottom && element) element.scrollTop = element.scrollHeight;
    this.#changed = false;
  }

  #read(doc: Y.Doc, announce: boolean): void {
    const messages = readChat(doc);
    this.#set(messages);
    if (messages.length > 0 && !this.markdown) {
      void loadMarkdown().then(
        (module) => {
          this.markdown = module;
          this.#host.requestUpdate();
        },
        (error: Error) => {
          this.#onError(`Could not load the markdown renderer: ${error.message}`);
          reportElementError(this.#host, "markdown", error);
        },
      );
    }
    for (const m of messages) {
      if (this.#known.has(m.id)) continue;
      this.#known.add(m.id);
      if (announce) emit(this.#host, "spike-message", { id: m.id, role: m.role });
    }
  }

  #set(messages: ChatMessage[]): void {
    this.messages = messages;
    this.#changed = true;
    this.#host.requestUpdate();
  }

  #measure(): void {
    const element = this.#element();
    if (element) this.stickToBottom = element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_BOTTOM;
  }
}
