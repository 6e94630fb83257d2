/**
 * <spike-console>: the console of the previews beside it. It listens on its root node (the document, or the shadow root
 * of the element that renders it) for the `spike-console` and `spike-error` events of `<spike-preview>`s of the same room
 * or project (or the one its `for` names), keeps them as lines (elements/internal/console-lines.ts) and draws them
 * (console-view.ts). A file:line link fires `spike-navigate` and, unless a listener takes it, reveals the place in the
 * `<spike-editor>` beside it. Light (no live part): it must hear the first messages, and it draws only text.
 */
import { html, nothing, type PropertyValues } from "lit";
import { property, state } from "lit/decorators.js";
import type { SpikeEditor } from "./spike-editor.js";
import { consoleStyles } from "./internal/console-styles.js";
import { CONSOLE_LEVELS, ConsoleLines, type ConsoleLine, type ConsoleLineLevel, type IncomingLine } from "./internal/console-lines.js";
import { renderLine } from "./internal/console-view.js";
import { emit, type SpikeConsoleDetail, type SpikeErrorDetail } from "./internal/events.js";
import { paletteStyles } from "./internal/palette.js";
import type { SourceLocation } from "./internal/preview-frame/messages.js";
import { RoomElement } from "./internal/room-element.js";

const FILTER_NAMES: Record<ConsoleLineLevel, string> = { error: "Errors", warn: "Warnings", info: "Info", log: "Logs", debug: "Debug" };

/**
 * The console of a `<spike-preview>`: what the previewed code logs, by level, with objects you can expand, and build and
 * runtime errors with file:line links that jump to the editor.
 *
 * @summary Console of the previews beside it: `<spike-console>` next to `<spike-preview>` and `<spike-editor>`.
 *
 * @fires spike-navigate - A file:line link was clicked. Detail: `{ file, line, column }` (1-based). Cancelable: unless a listener calls preventDefault(), the console calls `reveal()` on the editor beside it.
 *
 * @csspart base - The frame around the toolbar and the lines.
 * @csspart toolbar - The level filters and the Clear button.
 * @csspart filter - One level's filter button (`aria-pressed` says whether its lines show); also `filter-<level>`.
 * @csspart clear - The Clear button.
 * @csspart lines - The scrolling list of lines.
 * @csspart line - One line; also `line-<level>` (`line-error`, `line-warn`, `line-info`, `line-log`, `line-debug`).
 * @csspart tree - An object argument: a `<details>` whose entries show when opened.
 * @csspart link - A file:line button that shows the place in the editor.
 * @csspart dropped - The note that older lines were dropped to stay within `max-lines`.
 * @csspart empty - What the list says before anything was logged.
 *
 * @cssprop --spike-console-height - Height of the element. Default `220px`.
 * @cssprop --spike-console-background - Background of the lines. Default a theme white/black.
 * @cssprop --spike-border - Border of the frame. Default `1px solid` a theme grey.
 * @cssprop --spike-radius - Corner radius of the frame. Default `8px`.
 * @cssprop --spike-font-family - Font of the lines. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`.
 * @cssprop --spike-ui-font-family - Font of the toolbar. Default `system-ui, sans-serif`.
 */
export class SpikeConsole extends RoomElement {
  static override styles = [paletteStyles, consoleStyles];

  /** The id of the `<spike-preview>` to show (in the same document or shadow root). Without it: every preview of the same room or project there. */
  @property({ reflect: true }) for?: string;

  /** The id of the `<spike-editor>` a file:line link reveals in. Without it: the first editor of the same room or project showing that file, else the first one. */
  @property({ reflect: true }) editor?: string;

  /** How many lines to keep; the oldest go first, and a note says how many went. */
  @property({ attribute: "max-lines", type: Number }) maxLines = 1000;

  /** The levels whose lines show (the filter buttons). */
  @state() private _shown = new Set<ConsoleLineLevel>(CONSOLE_LEVELS);
  /** The latest error, for the live region (errors only: logs are not announced). */
  @state() private _announce = "";

  #lines = new ConsoleLines(this.maxLines);
  #root: Document | ShadowRoot | null = null;
  #dark = matchMedia("(prefers-color-scheme: dark)");

  /** The kept lines, oldest first: `{ level, kind, text, values, location, stack, count }` each (a snapshot). */
  get lines(): ConsoleLine[] {
    return [...this.#lines.all];
  }

  /** How many older lines were dropped to stay within `max-lines` since the last clear. */
  get dropped(): number {
    return this.#lines.dropped;
  }

  /**
   * Remove every line.
   * @example document.querySelector("spike-console").clear();
   */
  clear(): void {
    this.#lines.clear();
    this._announce = "";
    this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#root = this.getRootNode() as Document | ShadowRoot;
    this.#root.addEventListener("spike-console", this.#onConsole);
    this.#root.addEventListener("spike-error", this.#onError);
    this.#dark.addEventListener("change", this.#onScheme);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#root?.removeEventListener("spike-console", this.#onConsole);
    this.#root?.removeEventListener("spike-error", this.#onError);
    this.#root = null;
    this.#dark.removeEventListener("change", this.#onScheme);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("maxLines")) this.#lines.max = this.maxLines;
  }

  protected override updated(): void {
    // Follow the newest line, unless the reader scrolled up to read an older one.
    const list = this.renderRoot.querySelector<HTMLElement>(".scroller");
    if (list && this.#stick) list.scrollTop = list.scrollHeight;
  }

  protected override render() {
    const lines = this.#lines.all;
    const counts = this.#lines.counts();
    const shown = lines.filter((line) => this._shown.has(line.level));
    const dropped = this.#lines.dropped;
    return html`<div part="base" class="base ${this.#scheme}">
      <div part="toolbar" class="toolbar">
        <div class="filters" role="group" aria-label="Show levels">
          ${CONSOLE_LEVELS.map(
            (level) => html`<button
              part="filter filter-${level}"
              class="filter ${level}"
              type="button"
              aria-pressed=${this._shown.has(level) ? "true" : "false"}
              @click=${() => this.#toggle(level)}
            >
              ${FILTER_NAMES[level]}<span class="n">${counts[level]}</span>
            </button>`,
          )}
        </div>
        <button part="clear" class="clear" type="button" title="Remove every line" @click=${() => this.clear()}>Clear</button>
      </div>
      <div class="scroller" tabindex="0" role="region" aria-label="Console output" @scroll=${this.#onScroll}>
        ${dropped > 0
          ? html`<p part="dropped" class="dropped">${dropped} older ${dropped === 1 ? "line" : "lines"} dropped (keeping ${ConsoleLines.cap(this.maxLines)})</p>`
          : nothing}
        ${lines.length === 0
          ? html`<p part="empty" class="empty">Nothing logged yet</p>`
          : shown.length === 0
            ? html`<p part="empty" class="empty">${lines.length} ${lines.length === 1 ? "line" : "lines"} hidden by the filters</p>`
            : nothing}
        <ol part="lines" class="lines" aria-label="Console lines">
          ${shown.map((line) => renderLine(line, this.#view))}
        </ol>
      </div>
      <div class="visually-hidden" role="status" aria-live="polite">${this._announce}</div>
    </div>`;
  }

  /** Whether the list was scrolled to its end (so it follows new lines). */
  #stick = true;
  #onScroll = (event: Event): void => {
    const list = event.currentTarget as HTMLElement;
    this.#stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  };

  #view = {
    navigate: (location: SourceLocation) => this.#navigate(location),
    requestUpdate: () => this.requestUpdate(),
  };

  #toggle(level: ConsoleLineLevel): void {
    const shown = new Set(this._shown);
    if (!shown.delete(level)) shown.add(level);
    this._shown = shown;
  }

  /** The preview events this console shows: from the preview `for` names, else from any of the same room or project. */
  #follows(event: Event): boolean {
    const target = event.target as (Element & Partial<RoomElement>) | null;
    if (!target || target === this) return false;
    if (this.for) return target.id === this.for;
    return target.room === this.room && target.project === this.project;
  }

  // Typed as plain events: a document's and a shadow root's event maps do not list the spike-* events.
  #onConsole = (event: Event): void => {
    if (!this.#follows(event)) return;
    const { level, args, values, file, line, column } = (event as CustomEvent<SpikeConsoleDetail>).detail;
    this.#add({ level, kind: "console", values, text: args.join(" "), location: file && line ? { file, line, column: column ?? 0 } : undefined });
  };

  #onError = (event: Event): void => {
    if (!this.#follows(event)) return;
    const { kind, message, file, line, column, stack } = (event as CustomEvent<SpikeErrorDetail>).detail;
    const location = file && line ? { file, line, column: column ?? 0 } : undefined;
    this.#add({ level: "error", kind, values: [{ type: "string", text: message }], text: message, location, stack });
    const where = location ? ` in ${location.file} line ${location.line}` : "";
    this._announce = `${kind === "build" ? "Build error" : "Runtime error"}${where}: ${message}`;
  };

  #add(line: IncomingLine): void {
    this.#lines.add(line);
    this.requestUpdate();
  }

  /** A link was clicked: tell the page, and unless it takes over, reveal the place in the editor beside us. */
  #navigate(location: SourceLocation): void {
    const detail = { file: location.file, line: location.line, column: location.column + 1 };
    if (!emit(this, "spike-navigate", detail)) return;
    void this.#editorFor(location.file)?.reveal(detail.file, detail.line, detail.column);
  }

  #editorFor(file: string): SpikeEditor | undefined {
    const root = this.getRootNode() as Document | ShadowRoot;
    if (this.editor) return (root.getElementById(this.editor) as SpikeEditor | null) ?? undefined;
    const editors = [...root.querySelectorAll("spike-editor")].filter((e) => e.room === this.room && e.project === this.project);
    return editors.find((e) => e.file === file) ?? editors[0];
  }

  get #scheme(): "light" | "dark" {
    const theme = this.theme;
    return theme === "dark" || (theme !== "light" && this.#dark.matches) ? "dark" : "light";
  }

  #onScheme = (): void => this.requestUpdate();
}

declare global {
  interface HTMLElementTagNameMap {
    "spike-console": SpikeConsole;
  }
}
