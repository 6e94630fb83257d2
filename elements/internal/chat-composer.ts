/**
 * The composer of <spike-chat>: the question's textarea (Enter sends, Shift+Enter starts a new line), the microphone and
 * the Send button, all disabled with the reason as placeholder while the user may not ask.
 */
import { html } from "lit";

/** What the composer shows and whom it tells. */
export interface ComposerView {
  /** The textarea's placeholder: the model to ask, or why the user cannot ask. */
  placeholder: string;
  /** The user may not ask (a refused connection, a read-only role). */
  locked: boolean;
  /** A question is on its way to the server. */
  sending: boolean;
  voice: "idle" | "recording" | "transcribing";
  send(): void;
  /** A keystroke in the textarea (this user is typing). */
  typed(): void;
  /** The microphone button: start recording, or stop and transcribe. */
  mic(): void;
}

/**
 * @example html`${renderComposer({ placeholder: "Ask…", locked: false, sending: false, voice: "idle", send, typed, mic })}`
 */
export function renderComposer(view: ComposerView) {
  const { locked, voice } = view;
  const onSubmit = (event: Event) => {
    event.preventDefault();
    view.send();
  };
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      view.send();
    }
  };
  return html`<form part="composer" class="composer" @submit=${onSubmit}>
    <textarea
      part="input"
      aria-label="Message"
      placeholder=${view.placeholder}
      maxlength="8000"
      ?disabled=${locked}
      @input=${view.typed}
      @keydown=${onKeydown}
    ></textarea>
    <button
      part="mic"
      class="mic"
      type="button"
      aria-label=${voice === "recording" ? "Stop recording" : "Record a question"}
      aria-pressed=${voice === "recording" ? "true" : "false"}
      ?disabled=${voice === "transcribing" || locked}
      @click=${view.mic}
    >${voice === "recording" ? "■" : "🎤"}</button>
    <button part="send" class="primary" type="submit" ?disabled=${view.sending || locked}>Send</button>
  </form>`;
}
