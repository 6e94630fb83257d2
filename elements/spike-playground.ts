/**
 * <spike-playground>: one element with everything a playground has: file tabs, the editor, the preview, the console and,
 * with `chat`, the chat, laid out side by side (a resizable split), as views behind tabs, or stacked for narrow screens.
 * It opens nothing itself: it hands its room (or a local project of its inline files) to the elements inside through
 * @lit/context, as <spike-room> does, and each of them loads its own live part as usual.
 */
import { html, nothing, type PropertyValues } from "lit";
import { property, state } from "lit/decorators.js";
import type { SpikeNavigateDetail } from "./internal/events.js";
import type { Loading } from "./internal/lite-element.js";
import { paletteStyles } from "./internal/palette.js";
import { clampSplit, dragSplit, splitAfterKey } from "./internal/playground-split.js";
import { playgroundStyles } from "./internal/playground-styles.js";
import { exportParts, PlaygroundSources } from "./internal/playground-sources.js";
import { RoomElement } from "./internal/room-element.js";
import { RoomProvider, roomSettingsOf } from "./internal/room-provider.js";
import type { SpikeEditor } from "./spike-editor.js";

/** How the panes are laid out. */
export type PlaygroundLayout = "split" | "tabs" | "stacked";
/** A view of the `tabs` layout. */
export type PlaygroundView = "code" | "preview" | "console" | "chat" | "versions";

const LAYOUTS: readonly PlaygroundLayout[] = ["split", "tabs", "stacked"];
const VIEW_NAMES: Record<PlaygroundView, string> = { code: "Code", preview: "Preview", console: "Console", chat: "Chat", versions: "Versions" };
/** core's DEFAULT_ENTRY, as elements/internal/lite-source.ts repeats it (the shell imports nothing from core). */
const DEFAULT_FILE = "index.tsx";

let playgrounds = 0;

/**
 * A whole playground in one element: `<spike-tabs>`, `<spike-editor>`, `<spike-preview>`, `<spike-console>`, with
 * `chat` `<spike-chat>`, and with `versions` `<spike-versions>` (the room's saved versions), on one room (or, without one, one local project seeded from the inline files). Each part is the
 * element of the same name, so anything it does on its own it does here. The playground is also the room for anything
 * in its light DOM (as `<spike-room>` is), and it shows that content after its panes.
 *
 * `layout="split"` (the default) puts the code beside the preview and console; the separator between them is dragged with
 * a pointer or moved with the keyboard (arrow keys, Shift for bigger steps, Home and End). `tabs` shows one view at a
 * time behind a tab list; `stacked` puts everything in one column at natural heights, so the page scrolls. Below
 * `stack-below` pixels of its own width (not the viewport's), any layout is shown stacked.
 *
 * The inner elements' parts are re-exported with the element's name in front: `editor-base`, `editor-status`,
 * `preview-frame`, `preview-error`, `console-base`, `tabs-base`, `chat-messages`, `versions-list` and so on.
 *
 * With `version="<n>"` the whole playground shows that saved version of the room, read-only (its preview runs it).
 *
 * @summary Editor, file tabs, preview and console in one: `<spike-playground room="demo" layout="split">`.
 *
 * @slot - Inline files (`<script type="text/plain" data-file="index.tsx">`), which seed the project (a room that is
 *   still empty, or the playground's own local project), and anything else, shown after the panes and in the same room.
 *
 * @csspart base - The frame around the playground.
 * @csspart views - The tab list choosing the view (`tabs` layout only).
 * @csspart view - One tab of that list.
 * @csspart code - The pane with the file tabs and the editor.
 * @csspart output - The pane with the preview and the console.
 * @csspart separator - The separator between the code and output panes (`split` layout only; role "separator").
 * @csspart console - The pane around the console.
 * @csspart chat - The pane around the chat (with `chat`).
 * @csspart versions - The pane around the versions (with `versions`).
 *
 * @cssprop --spike-playground-height - Height of the `split` and `tabs` layouts. Default `480px`.
 * @cssprop --spike-playground-console-height - Height of the console: a share of the output pane in `split` (default `35%`), a length when stacked (default `180px`).
 * @cssprop --spike-playground-chat-width - Width of the chat in `split`. Default `30%`.
 * @cssprop --spike-playground-versions-width - Width of the versions pane in `split`. Default `30%`.
 * @cssprop --spike-editor-height - Height of the editor when stacked. Default `300px`.
 * @cssprop --spike-preview-height - Height of the preview when stacked. Default `300px`.
 * @cssprop --spike-border - Border of the frame (the elements inside draw none). Default `1px solid` a theme grey.
 * @cssprop --spike-radius - Corner radius of the frame. Default `8px`.
 * @cssprop --spike-ui-font-family - Font of the view tabs. Default `system-ui, sans-serif`.
 */
export class SpikePlayground extends RoomElement {
  static override styles = [paletteStyles, playgroundStyles];

  /** `split` (code beside output), `tabs` (one view at a time) or `stacked` (one column); any other value counts as `split`. */
  @property({ reflect: true }) layout: PlaygroundLayout = "split";

  /** Below this width of the element, in CSS pixels, the layout is `stacked` whatever `layout` says; 0: never. */
  @property({ type: Number, attribute: "stack-below" }) stackBelow = 640;

  /** The code pane's share of the `split` layout's width, in percent (20 to 80). The separator changes it. */
  @property({ type: Number }) split = 50;

  /**
   * In the `tabs` layout, the view shown: `code`, `preview`, `console`, (with `chat`) `chat` or (with `versions`)
   * `versions`. The view tabs change it.
   */
  @property() view: PlaygroundView = "code";

  /** The file the editor shows (and the file tabs select). Defaults to `index.tsx`, else the first inline file. */
  @property({ reflect: true }) file?: string;

  /** The file the preview runs. Defaults to the project's own entry, else `index.tsx`. */
  @property() entry?: string;

  /** Show a chat pane (`<spike-chat>`) on the same room. */
  @property({ type: Boolean, reflect: true }) chat = false;

  /** Show a versions pane (`<spike-versions>`) on the same room: save, restore, fork and embed saved versions. */
  @property({ type: Boolean, reflect: true }) versions = false;

  /** Show the files without allowing edits (the editor's and the file tabs' `readonly`). */
  @property({ type: Boolean, reflect: true }) readonly = false;

  /** When the editor, preview and chat load their live parts (their `loading`): `lazy` (default), `eager` or `click`. */
  @property() loading: Loading = "lazy";

  /** The element's width, as last measured. */
  @state() private _width = 0;
  @state() private _dragging = false;

  #provider = new RoomProvider(this);
  #sources = new PlaygroundSources(this);
  /** The local project of a playground with no room and no `project`, shared by the elements inside. */
  #localProject = `spike-playground-${++playgrounds}`;
  #dark = matchMedia("(prefers-color-scheme: dark)");
  #resize = new ResizeObserver(([entry]) => {
    if (entry) this._width = entry.contentRect.width;
  });

  /** The layout shown now: `layout`, or `stacked` while the element is narrower than `stack-below`. */
  get currentLayout(): PlaygroundLayout {
    if (this.stackBelow > 0 && this._width > 0 && this._width < this.stackBelow) return "stacked";
    return LAYOUTS.includes(this.layout) ? this.layout : "split";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Now, not at the next update: the elements inside connect right after us and ask at once.
    this.#provide();
    this.#resize.observe(this);
    this.#dark.addEventListener("change", this.#onScheme);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize.disconnect();
    this.#dark.removeEventListener("change", this.#onScheme);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.#provide();
  }

  protected override render() {
    const layout = this.currentLayout;
    const tabbed = layout === "tabs";
    const views = this.#views();
    const view = views.includes(this.view) ? this.view : "code";
    const file = this.#file();
    const split = clampSplit(this.split);
    /** A pane's attributes: a tab panel in the `tabs` layout, hidden unless its view is chosen. */
    const pane = (name: PlaygroundView) => ({
      role: tabbed ? "tabpanel" : nothing,
      labelledby: tabbed ? `view-${name}` : nothing,
      hidden: tabbed && name !== view,
    });
    const code = pane("code");
    const preview = pane("preview");
    const logs = pane("console");
    const chat = pane("chat");
    const versionsPane = pane("versions");
    const scheme = this.theme === "dark" || (this.theme !== "light" && this.#dark.matches) ? "dark" : "light";
    return html`<div
      part="base"
      class="base ${layout} ${scheme} ${this._dragging ? "dragging" : ""}"
      style="--_split: ${split}%"
      @spike-file-select=${this.#onFileSelect}
      @spike-navigate=${this.#onNavigate}
    >
      ${tabbed ? this.#renderViews(views, view) : nothing}
      <div class="main">
        <div part="code" id="code" class="pane code" role=${code.role} aria-labelledby=${code.labelledby} ?hidden=${code.hidden}>
          <spike-tabs exportparts=${exportParts("tabs")} editor="editor" .file=${file} ?readonly=${this.readonly}
            >${this.#sources.for("tabs")}</spike-tabs
          >
          <spike-editor id="editor" exportparts=${exportParts("editor")} .file=${file} ?readonly=${this.readonly} loading=${this.loading}
            >${this.#sources.for("editor")}</spike-editor
          >
        </div>
        ${layout === "split" ? this.#renderSeparator(split) : nothing}
        <div part="output" class="output">
          <div id="preview-pane" class="pane preview" role=${preview.role} aria-labelledby=${preview.labelledby} ?hidden=${preview.hidden}>
            <spike-preview id="preview" exportparts=${exportParts("preview")} .entry=${this.entry} loading=${this.loading}
              >${this.#sources.for("preview")}</spike-preview
            >
          </div>
          <div part="console" id="console-pane" class="pane console" role=${logs.role} aria-labelledby=${logs.labelledby} ?hidden=${logs.hidden}>
            <spike-console for="preview" exportparts=${exportParts("console")}></spike-console>
          </div>
        </div>
        ${this.chat
          ? html`<div part="chat" id="chat-pane" class="pane chat" role=${chat.role} aria-labelledby=${chat.labelledby} ?hidden=${chat.hidden}>
              <spike-chat exportparts=${exportParts("chat")} loading=${this.loading}></spike-chat>
            </div>`
          : nothing}
        ${this.versions
          ? html`<div part="versions" id="versions-pane" class="pane versions" role=${versionsPane.role} aria-labelledby=${versionsPane.labelledby} ?hidden=${versionsPane.hidden}>
              <spike-versions exportparts=${exportParts("versions")} loading=${this.loading}></spike-versions>
            </div>`
          : nothing}
      </div>
      <slot @slotchange=${() => this.requestUpdate()}></slot>
    </div>`;
  }

  #renderSeparator(split: number) {
    return html`<div
      part="separator"
      class="separator"
      role="separator"
      tabindex="0"
      aria-label="Resize the editor and the preview"
      aria-controls="code"
      aria-orientation="vertical"
      aria-valuemin="20"
      aria-valuemax="80"
      aria-valuenow=${Math.round(split)}
      aria-valuetext="Editor ${Math.round(split)}%"
      @keydown=${this.#onSeparatorKey}
      @pointerdown=${this.#onSeparatorDown}
    ></div>`;
  }

  /** The view tabs (WAI-ARIA tabs with automatic activation: arrow keys, Home and End move and select). */
  #renderViews(views: PlaygroundView[], selected: PlaygroundView) {
    return html`<div part="views" class="views" role="tablist" aria-label="Playground views" @keydown=${this.#onViewKey}>
      ${views.map(
        (view) => html`<button
          part="view"
          id="view-${view}"
          type="button"
          role="tab"
          aria-selected=${view === selected ? "true" : "false"}
          aria-controls=${view === "code" ? "code" : `${view}-pane`}
          tabindex=${view === selected ? "0" : "-1"}
          @click=${() => (this.view = view)}
        >
          ${VIEW_NAMES[view]}
        </button>`,
      )}
    </div>`;
  }

  #views(): PlaygroundView[] {
    const views: PlaygroundView[] = ["code", "preview", "console"];
    if (this.chat) views.push("chat");
    if (this.versions) views.push("versions");
    return views;
  }

  /** `file`, else `index.tsx` if the inline files have it (or there are none), else the first inline file. */
  #file(): string {
    if (this.file) return this.file;
    const names = this.#sources.names();
    return names.length === 0 || names.includes(DEFAULT_FILE) ? DEFAULT_FILE : names[0]!;
  }

  /** The room context for the elements inside: ours, with our own local project when there is no room and no project. */
  #provide(): void {
    const settings = roomSettingsOf(this);
    if (!settings.room && !settings.project) settings.project = this.#localProject;
    this.#provider.provide(settings);
  }

  #onSeparatorKey = (event: KeyboardEvent): void => {
    const next = splitAfterKey(clampSplit(this.split), event);
    if (next === null) return;
    event.preventDefault();
    this.split = next;
  };

  #onSeparatorDown = (event: PointerEvent): void => {
    const base = this.renderRoot.querySelector<HTMLElement>(".main")!;
    dragSplit(event, event.currentTarget as HTMLElement, base, (split) => (this.split = split), (active) => (this._dragging = active));
  };

  #onViewKey = (event: KeyboardEvent): void => {
    const views = this.#views();
    const at = views.indexOf(this.view);
    const to = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: views.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    this.view = views[(to + views.length) % views.length]!;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#view-${this.view}`)?.focus());
  };

  /** A file tab was picked: the editor (and the tabs) follow. */
  #onFileSelect = (event: Event): void => {
    const file = (event as CustomEvent<{ file?: unknown }>).detail?.file;
    if (typeof file === "string" && file) this.file = file;
  };

  /**
   * A file:line link (in the console) was followed: our own editor shows it (the console's default would look for an
   * editor in its root node, ours): that file's tab, the code view, the caret on the line.
   */
  #onNavigate = (event: Event): void => {
    const detail = (event as CustomEvent<SpikeNavigateDetail | undefined>).detail;
    if (typeof detail?.file !== "string" || !detail.file) return;
    event.preventDefault();
    this.file = detail.file;
    this.view = "code";
    const editor = this.renderRoot.querySelector<SpikeEditor>("spike-editor");
    void this.updateComplete.then(() => editor?.reveal(detail.file, detail.line, detail.column));
  };

  #onScheme = (): void => {
    this.requestUpdate();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "spike-playground": SpikePlayground;
  }
}
