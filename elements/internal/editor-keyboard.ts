/**
 * Keyboard and touch access to Monaco in <spike-editor> (WCAG 2.1.2: no keyboard trap). Tab indents in a code editor, so
 * the editor says how to leave it and lets you: Escape then Tab moves the focus on (Monaco's `tabFocusMode`, switched on
 * for the next key only), and Ctrl+M makes Tab move the focus until pressed again. A hint shows when the editor gets the
 * focus from the keyboard; the editing surface is described by it (screen readers read it on focus), the status bar says
 * what Tab does while the editor has the focus, and a polite live region announces each switch. On a phone, the caret is
 * kept above the soft keyboard (visualViewport). Hooked from elements/internal/editor-live.ts.
 */
import { html, nothing } from "lit";
import type { editor as MonacoEditor, IDisposable } from "monaco-editor/editor/editor.api";
import type { MonacoModule } from "./monaco-loader.js";

/** The id of the hint, which describes the editing surface (aria-describedby; one per shadow root). */
const HINT_ID = "keyboard-hint";

/** What Tab does now: indents (`indent`), leaves the editor once (`armed`, after Escape), moves focus until Ctrl+M (`moves`). */
export type TabMode = "indent" | "armed" | "moves";

const HINT: Record<TabMode, string> = {
  indent: "Press Esc then Tab to leave the editor, or Ctrl+M to make Tab move focus",
  armed: "Press Tab to leave the editor",
  moves: "Tab moves focus: Ctrl+M to indent with Tab again",
};
const STATUS: Record<TabMode, string> = {
  indent: "Esc, Tab: leave",
  armed: "Tab: leave",
  moves: "Tab moves focus",
};
const ANNOUNCE: Record<TabMode, string> = {
  indent: "Tab inserts a tab",
  armed: "Press Tab to leave the editor",
  moves: "Tab moves focus out of the editor",
};

/** Keys that change nothing on their own: they neither disarm Escape-then-Tab nor count as typing. */
const MODIFIERS = new Set(["Shift", "Control", "Alt", "Meta"]);

/** Room (px) kept between the caret and the soft keyboard. */
const CARET_MARGIN = 24;

/**
 * One per Monaco editor: `new EditorKeyboard(mod, editor, host, update)`; render `keyboardHint(keys)` in the editor's
 * frame and `keyboardStatus(keys)` in its status bar; `dispose()` with the editor.
 * @example this.#keys = new EditorKeyboard(mod, editor, host, () => host.requestUpdate());
 */
export class EditorKeyboard {
  /** What Tab does now. */
  mode: TabMode = "indent";
  /** The editor has the focus. */
  focused = false;
  /** The visible hint is up (the focus came from the keyboard, and the reader has not started typing). */
  hintShown = false;
  /** The last switch, for the live region ("" until one). */
  announcement = "";

  #editor: MonacoEditor.IStandaloneCodeEditor;
  #update: () => void;
  #pointer = false;
  #toggled = false;
  #disposables: IDisposable[] = [];
  #cleanups: (() => void)[] = [];

  constructor(mod: MonacoModule, editor: MonacoEditor.IStandaloneCodeEditor, host: HTMLElement, update: () => void) {
    const { KeyCode } = mod.monaco;
    this.#editor = editor;
    this.#update = update;
    this.#disposables.push(
      editor.onKeyDown((event) => {
        if (MODIFIERS.has(event.browserEvent.key)) return;
        // Ctrl+M on every platform, per editor. Stopped here, before Monaco's keybindings: its own Ctrl+M (Cmd+M on a
        // Mac, which minimizes the window there) switches a page-wide mode this editor could not show.
        if (event.ctrlKey && !event.altKey && !event.metaKey && !event.shiftKey && event.keyCode === KeyCode.KeyM) {
          event.preventDefault();
          event.stopPropagation();
          this.#toggled = !this.#toggled;
          return this.#setMode(this.#toggled ? "moves" : "indent", true);
        }
        if (event.keyCode === KeyCode.Escape && !this.#toggled) return this.#setMode("armed", true);
        if (event.keyCode === KeyCode.Tab && this.mode !== "indent") return; // it leaves: the blur resets
        if (this.mode === "armed") this.#setMode("indent", false);
        if (this.hintShown) this.#set(() => (this.hintShown = false));
      }),
      editor.onDidFocusEditorText(() => {
        this.#describe();
        const keyboard = !this.#pointer;
        this.#pointer = false;
        this.#set(() => {
          this.focused = true;
          this.hintShown = keyboard;
        });
      }),
      editor.onDidBlurEditorText(() => {
        if (this.mode === "armed") this.#setMode("indent", false);
        this.#set(() => {
          this.focused = false;
          this.hintShown = false;
          this.announcement = "";
        });
      }),
    );
    const onPointer = () => {
      this.#pointer = true;
      if (this.hintShown) this.#set(() => (this.hintShown = false));
    };
    host.addEventListener("pointerdown", onPointer, true);
    this.#cleanups.push(() => host.removeEventListener("pointerdown", onPointer, true));
    const viewport = globalThis.visualViewport;
    if (viewport) {
      const onViewport = () => this.#keepCaretVisible(viewport);
      viewport.addEventListener("resize", onViewport);
      this.#cleanups.push(() => viewport.removeEventListener("resize", onViewport));
    }
  }

  /** The text of the visible hint (also the editing surface's description). */
  get hint(): string {
    return HINT[this.mode];
  }

  /** The status bar's short form of it. */
  get status(): string {
    return STATUS[this.mode];
  }

  dispose(): void {
    for (const d of this.#disposables.splice(0)) d.dispose();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#editor.updateOptions({ tabFocusMode: false });
  }

  /** Point the editing surface (EditContext div or textarea, whichever Monaco uses) at the hint. */
  #describe(): void {
    const surface = this.#editor.getDomNode()?.querySelector(".native-edit-context, textarea.inputarea");
    if (surface && surface.getAttribute("aria-describedby") !== HINT_ID) surface.setAttribute("aria-describedby", HINT_ID);
  }

  #setMode(mode: TabMode, announce: boolean): void {
    // Monaco's per-editor tabFocusMode makes its Tab command step aside, so the browser moves the focus.
    this.#editor.updateOptions({ tabFocusMode: mode !== "indent" });
    this.#set(() => {
      this.mode = mode;
      this.announcement = announce ? ANNOUNCE[mode] : "";
      if (announce && this.focused) this.hintShown = true;
    });
  }

  #set(change: () => void): void {
    change();
    this.#update();
  }

  /** A soft keyboard (or anything else) shrank the visible part of the page: scroll the caret back above it. */
  #keepCaretVisible(viewport: VisualViewport): void {
    const position = this.#editor.getPosition();
    const node = this.#editor.getDomNode();
    if (!this.focused || !position || !node) return;
    this.#editor.revealPosition(position);
    const caret = this.#editor.getScrolledVisiblePosition(position);
    if (!caret) return;
    const top = node.getBoundingClientRect().top + caret.top;
    const bottom = top + caret.height;
    const visibleTop = viewport.offsetTop;
    const visibleBottom = visibleTop + viewport.height;
    if (bottom + CARET_MARGIN > visibleBottom) scrollBy({ top: bottom + CARET_MARGIN - visibleBottom, behavior: "instant" });
    else if (top < visibleTop) scrollBy({ top: top - visibleTop - CARET_MARGIN, behavior: "instant" });
  }
}

/**
 * The hint over the editor (top right), shown while `keys.hintShown`; always in the DOM, since it describes the editing
 * surface. The live region beside it announces switches of what Tab does.
 * @example html`<div part="base">…${keyboardHint(this.#keys)}</div>`
 */
export function keyboardHint(keys: EditorKeyboard | undefined) {
  if (!keys) return nothing;
  return html`<div part="hint" id=${HINT_ID} class="hint" ?hidden=${!keys.hintShown}>${keys.hint}</div>
    <span class="visually-hidden" aria-live="polite">${keys.announcement}</span>`;
}

/**
 * The status bar's note of what Tab does, while the editor has the focus (the hint already says it to screen readers).
 * @example html`<div part="status" class="bar">…${keyboardStatus(this.#keys)}</div>`
 */
export function keyboardStatus(keys: EditorKeyboard | undefined) {
  if (!keys?.focused) return nothing;
  return html`<span part="keys" class="keys" aria-hidden="true">${keys.status}</span>`;
}
