/**
 * <spike-editor>: a Monaco editor on one file of a project. With a `room` the project is the room's shared Y.Doc (edits and
 * cursors are live for everyone in it); without one it is a local project seeded from inline `<script type="text/plain">`.
 * This module is the light shell (properties, the lite view); Monaco, the room and the rest load with the live part,
 * elements/internal/editor-live.ts, when `loading` says so. Room, server, sign-in and theme: elements/internal/room-frame.ts.
 */
import { html, nothing } from "lit";
import { property, state } from "lit/decorators.js";
import type { RoomRole } from "../core/index.js";
import { editorStyles } from "./internal/editor-styles.js";
import type { EditorStatus } from "./internal/events.js";
import { highlight } from "./internal/highlight.js";
import { LiteElement, type LivePart } from "./internal/lite-element.js";
import { liteStyles } from "./internal/lite-styles.js";
import { DEFAULT_ENTRY, fetchRoomFile, isValidRoomFile, liteSource } from "./internal/lite-source.js";
import { loadMonaco } from "./internal/monaco-loader.js";
import { paletteStyles } from "./internal/palette.js";

/**
 * What the shell reads from its live part (elements/internal/editor-live.ts, loaded on demand). Declared here so the
 * element's public type names no module of the live part (nor Monaco's types).
 */
export interface EditorLivePart extends LivePart {
  readonly status: EditorStatus;
  readonly roomRole: RoomRole | null;
  reveal(line: number, column: number): Promise<void>;
}

/**
 * A live, collaborative TypeScript/TSX code editor (Monaco) for one file of a spike project.
 *
 * @summary Embeddable collaborative code editor: `<spike-editor room="demo" file="index.tsx">`.
 *
 * @fires spike-change - The file's text changed, locally or by another user. Detail: `{ file, text, remote }`.
 * @fires spike-status - The connection state changed, or who else is here and how they are reached. Detail: `{ status, peers }`:
 *   `connecting | connected | offline | local`, and `{ clientId, name, transport: "webrtc" | "websocket" }` per other client.
 * @fires spike-auth-required - The room refused the connection. Detail: `{ room, code, reason }`: code 4401 needs sign-in (or a fresh token), 4403 means the signed-in user has no access. A new token source or a sign-in reconnects.
 * @fires spike-fork - With `fork="auto"`, the reader's typing in the read-only template moved them to their own fork. Detail: `{ room, template }`.
 * @fires spike-fork-error - With `fork="auto"`, forking the template failed (say, the room-creation limit). Detail: `{ template, message }`.
 * @fires spike-room-created - This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`).
 *
 * Until it loads (see `loading`) it shows the file as highlighted, selectable text in the same box (the lite view), from
 * its inline sources, or (in `click` mode, for a room) the file's text over HTTP (no socket), else a placeholder.
 *
 * @csspart base - The frame around editor and status bar (also around the lite view).
 * @csspart code - The lite view's highlighted code (a `<pre>`), shown until the editor loads.
 * @csspart activate - The lite view's "Click to edit" button (`loading="click"`).
 * @csspart editor - The region Monaco renders into (role "region", labelled with the file name).
 * @csspart loading - The loading state shown until Monaco and the room are ready (or the error if loading failed).
 * @csspart hint - The keyboard hint ("Press Esc then Tab to leave the editor…"), shown when the editor gets the focus from the keyboard; it also describes the editing surface to screen readers.
 * @csspart status - The status bar: file name, people in the room, connection state (a polite live region).
 * @csspart keys - What Tab does now (`Esc, Tab: leave` or `Tab moves focus`), in the status bar while the editor has the focus.
 * @csspart drop-status - What the last drop of image or font files did ("Uploading logo.png…", "Uploaded logo.png", or why not), in the status bar. Dropping images or fonts on a room's editor uploads them as room assets and inserts their imports.
 * @csspart badge - The "Read-only" badge, shown when the room lets this user watch but not edit (with `fork="auto"`: "Template: type to edit your copy"; "Version <n>" for a saved version, `version`).
 * @csspart reset-fork - The "Reset to original" button, shown while `fork="auto"` shows the reader's fork: back to the template.
 * @csspart sign-in - The "Sign in" button, shown when Clerk is in use and nobody is signed in.
 * @csspart sign-in-error - "Sign-in unavailable", shown instead when the element cannot use Clerk (say, the page's own `window.Clerk` has another publishable key); its `title` says why.
 *
 * @cssprop --spike-editor-height - Height of the element. Default `320px`.
 * @cssprop --spike-border - Border of the frame. Default `1px solid` a theme grey.
 * @cssprop --spike-radius - Corner radius of the frame. Default `8px`.
 * @cssprop --spike-font-family - Code font. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`.
 * @cssprop --spike-font-size - Code font size in px. Default `14px`.
 * @cssprop --spike-ui-font-family - Font of the status bar. Default `system-ui, sans-serif`.
 */
export class SpikeEditor extends LiteElement<EditorLivePart> {
  static override styles = [paletteStyles, editorStyles, liteStyles];

  /** The project file to edit. */
  @property() file: string = DEFAULT_ENTRY;

  /** Show the file without allowing edits. */
  @property({ type: Boolean, reflect: true }) readonly = false;

  /** A room file's text fetched for the lite view, and for which server, room and file (text null: it could not be). */
  @state() private _roomText: { key: string; text: string | null } | null = null;
  #fetchedFor = "";

  /** Connection state: `connecting`, `connected`, `offline`, or `local` for a room-less editor (also before it loads). */
  get status(): EditorStatus {
    return this.live?.status ?? "local";
  }

  /** What the room lets this user do: `owner`, `editor`, `viewer` (read-only), or null when it has not said (anyone edits). */
  get roomRole(): RoomRole | null {
    return this.live?.roomRole ?? null;
  }

  /**
   * Show `file` with the caret at `line` and `column` (1-based; clamped to the file), scrolled into view, and focus the
   * editor. Loads the editor first if it has not loaded. `<spike-console>` calls it for a clicked file:line link.
   * @example await document.querySelector("spike-editor").reveal("App.tsx", 12);
   */
  async reveal(file: string, line: number, column = 1): Promise<void> {
    this.file = file;
    await this.load();
    await this.updateComplete;
    return this.live!.reveal(line, column);
  }

  protected override createLive(): Promise<EditorLivePart> {
    // Monaco's chunk and the live part's download side by side.
    void loadMonaco().catch(() => {});
    return import("./internal/editor-live.js").then((m) => new m.EditorLive(this));
  }

  protected override render() {
    if (this.live) return this.live.render();
    const roomKey = this.#roomKey();
    const source = liteSource(this, this.file) ?? (this._roomText?.key === roomKey ? this._roomText.text : null);
    if (source === null && roomKey) this.#fetchRoomText(roomKey);
    const click = this.loading === "click" && !this.activating;
    const lines = (source ?? "\n").split("\n").length - (source?.endsWith("\n") ? 1 : 0);
    return html`<div part="base" class="base lite ${this.scheme} ${click ? "clickable" : ""}" @click=${click ? this.activate : nothing}>
      <div class="lite-code ${source === null ? "skeleton" : ""}" role="region" aria-label="Code: ${this.file}" tabindex="0">
        <div class="gutter" aria-hidden="true">${Array.from({ length: Math.max(lines, 1) }, (_, i) => i + 1).join("\n")}</div>
        <pre part="code">${source === null ? "" : highlight(source)}</pre>
      </div>
      ${click ? html`<button part="activate" class="activate" type="button" aria-label="Click to edit ${this.file}">Click to edit</button>` : nothing}
      <div part="status" class="bar">
        <span class="file">${this.file}</span>
        <span class="status">${this.activating ? "Loading editor…" : ""}</span>
      </div>
    </div>`;
  }

  /**
   * A click-mode room editor with no inline source shows the file's current text, read over HTTP (no socket), once per
   * room and file. (A lazy one loads as soon as it is near, so that request would be wasted.)
   */
  #fetchRoomText(key: string): void {
    if (key === this.#fetchedFor) return;
    this.#fetchedFor = key;
    void fetchRoomFile(this.server, this.room!, this.file, this.version).then((text) => (this._roomText = { key, text }));
  }

  /** What a fetched room text is for: server, room and file; "" when this editor fetches none. */
  #roomKey(): string {
    // An encrypted room's files are not readable over HTTP (409): the editor shows them once it has the key and the doc.
    const wanted = this.room && !this.roomKey && this.loading === "click" && isValidRoomFile(this.room, this.file);
    return wanted ? `${this.server}\n${this.room}\n${this.version ?? ""}\n${this.file}` : "";
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "spike-editor": SpikeEditor;
  }
}
