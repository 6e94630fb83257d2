/**
 * <spike-editor>: a Monaco editor on one file of a project. With a `room` the project is the room's shared Y.Doc (edits and
 * cursors are live for everyone in it); without one it is a local project seeded from inline `<script type="text/plain">`.
 * Room, server, sign-in and theme (its own or a `<spike-room>`'s) are the shared frame's: elements/internal/room-frame.ts.
 */
import { html, nothing, type PropertyValues } from "lit";
import { property, query, state } from "lit/decorators.js";
import type * as Y from "yjs";
import type { editor as MonacoEditor } from "monaco-editor/editor/editor.api";
import { DEFAULT_ENTRY, filesOf, type RoomRole } from "../core/index.js";
import { editorStyles } from "./internal/editor-styles.js";
import { emit, type EditorStatus } from "./internal/events.js";
import { createLocalProject, sharedFileText } from "./internal/local-project.js";
import { MONACO_THEMES, loadMonaco, monacoStyleSheet, type MonacoModule } from "./internal/monaco-loader.js";
import { paletteStyles } from "./internal/palette.js";
import { RemoteCursorStyles } from "./internal/remote-cursors.js";
import { refusalText, signInControl } from "./internal/room-access.js";
import { RoomElement } from "./internal/room-element.js";
import { RoomFrame, type Project } from "./internal/room-frame.js";

const STATUS_TEXT: Record<EditorStatus, (room: string) => string> = {
  connecting: (room) => `Connecting to room ${room}…`,
  connected: (room) => `Live in room ${room}`,
  offline: () => "Offline: edits are kept and sync when the connection returns",
  local: () => "Local project, not shared",
};

/** The current file's model and binding. */
interface FileBinding {
  dispose(): void;
}

let instances = 0;

/**
 * A live, collaborative TypeScript/TSX code editor (Monaco) for one file of a spike project.
 *
 * @summary Embeddable collaborative code editor: `<spike-editor room="demo" file="index.tsx">`.
 *
 * @fires spike-change - The file's text changed, locally or by another user. Detail: `{ file, text, remote }`.
 * @fires spike-status - The connection state changed. Detail: `{ status }`: `connecting | connected | offline | local`.
 * @fires spike-auth-required - The room refused the connection. Detail: `{ room, code, reason }`: code 4401 needs sign-in (or a fresh token), 4403 means the signed-in user has no access. A new token source or a sign-in reconnects.
 * @fires spike-room-created - This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`).
 *
 * @csspart base - The frame around editor and status bar.
 * @csspart editor - The region Monaco renders into (role "region", labelled with the file name).
 * @csspart loading - The loading state shown until Monaco and the room are ready (or the error if loading failed).
 * @csspart status - The status bar: file name, people in the room, connection state (a polite live region).
 * @csspart badge - The "Read-only" badge, shown when the room lets this user watch but not edit.
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
export class SpikeEditor extends RoomElement {
  static override styles = [paletteStyles, editorStyles];

  /** The project file to edit. */
  @property() file: string = DEFAULT_ENTRY;

  /** Show the file without allowing edits. */
  @property({ type: Boolean, reflect: true }) readonly = false;

  @state() private _status: EditorStatus = "local";
  @state() private _loading: string | null = "Loading editor…";
  @state() private _error: string | null = null;
  @state() private _people = 1;

  @query(".editor") private _container!: HTMLDivElement;

  #scope = `spike-${++instances}`;
  #monaco?: MonacoModule;
  #editor?: MonacoEditor.IStandaloneCodeEditor;
  #cursors?: RemoteCursorStyles;
  #binding?: FileBinding;
  #monacoFailed = false;
  #readOnly = false;
  /** The colour scheme Monaco was last given (its theme is page-global). */
  #monacoScheme?: "light" | "dark";
  #frame = new RoomFrame(this, {
    localProject: () => createLocalProject(this, this.file),
    open: (project) => this.#follow(project),
    failed: (message) => (this._error = message),
    left: () => this.#teardown(),
  });

  /** Connection state: `connecting`, `connected`, `offline`, or `local` for a room-less editor. */
  get status(): EditorStatus {
    return this._status;
  }

  /** What the room lets this user do: `owner`, `editor`, `viewer` (read-only), or null when it has not said (anyone edits). */
  get roomRole(): RoomRole | null {
    return this.#frame.access.role;
  }

  protected override render() {
    const label = `Code editor: ${this.file}`;
    const access = this.#frame.access;
    const refused = access.refused ? refusalText(access.refused) : null;
    const error = this._error ?? refused;
    return html`<div part="base" class="base ${this.#frame.scheme}">
      <div part="editor" class="editor" role="region" aria-label=${label} aria-busy=${this._loading ? "true" : "false"}></div>
      <div part="loading" class="loading ${error ? "error" : ""}" ?hidden=${!this._loading && !error}>
        <div><div class="spinner"></div>${error ?? this._loading}</div>
      </div>
      <div part="status" class="bar">
        <span class="file">${this.file}</span>
        ${this.room && this._people > 1 ? html`<span>${this._people} people here</span>` : nothing}
        ${access.role === "viewer" ? html`<span part="badge" class="badge" title="You can watch this room but not edit it">Read-only</span>` : nothing}
        <span class="status" role="status" aria-live="polite">
          <span class="dot ${this._status}" aria-hidden="true"></span>${refused ?? STATUS_TEXT[this._status](this.room ?? "")}
        </span>
        ${signInControl(access)}
      </div>
    </div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.isConnected) return;
    if (this.#frame.scheme !== this.#monacoScheme) this.#setMonacoTheme();
    // The frame (re)opened the project already if room, server or project changed; a new file is bound here.
    if (changed.has("file")) void this.#bindFile();
    if (!this.#editor && !this.#monacoFailed) void this.#startEditor();
    const readOnly = this.#isReadOnly();
    if (changed.has("file") || readOnly !== this.#readOnly) {
      this.#readOnly = readOnly;
      this.#editor?.updateOptions({ readOnly, ariaLabel: `Code editor: ${this.file}` });
    }
  }

  /** The `readonly` attribute, or a room that lets this user only watch (its server drops their edits anyway). */
  #isReadOnly(): boolean {
    return this.readonly || this.#frame.access.role === "viewer";
  }

  /** Show a project the frame just opened: its room's status, people and cursors, and the current file. */
  #follow(project: Project): () => void {
    if (!this.#monacoFailed) this._error = null;
    const client = project.client;
    let unlisten = () => {};
    if (client) {
      const onStatus = (status: EditorStatus) => this.#setStatus(status);
      const onPeers = () => (this._people = client.awareness.getStates().size);
      client.on("status", onStatus);
      client.awareness.on("change", onPeers);
      onPeers();
      unlisten = () => {
        client.off("status", onStatus);
        client.awareness.off("change", onPeers);
      };
      this.#cursors = new RemoteCursorStyles(client.awareness);
    }
    this.#setStatus(client ? client.status : "local", true);
    this.#adoptStyles();
    void this.#bindFile();
    return () => {
      this.#binding?.dispose();
      this.#binding = undefined;
      this.#cursors?.destroy();
      this.#cursors = undefined;
      unlisten();
    };
  }

  async #startEditor(): Promise<void> {
    if (this.#monaco) return;
    let mod: MonacoModule;
    try {
      mod = await loadMonaco();
    } catch (error) {
      this.#monacoFailed = true;
      this._error = `The editor failed to load: ${(error as Error).message}`;
      return;
    }
    if (this.#editor || !this.isConnected) return;
    this.#monaco = mod;
    this.#adoptStyles();
    const style = getComputedStyle(this);
    const fontFamily = style.getPropertyValue("--spike-font-family").trim();
    const fontSize = parseFloat(style.getPropertyValue("--spike-font-size")) || 14;
    this.#editor = mod.monaco.editor.create(this._container, {
      model: null,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      padding: { top: 16, bottom: 8 },
      fontSize,
      ...(fontFamily ? { fontFamily } : {}),
      tabSize: 2,
      readOnly: this.#isReadOnly(),
      readOnlyMessage: { value: "This room is read-only for you" },
      ariaLabel: `Code editor: ${this.file}`,
    });
    this.#setMonacoTheme();
    void this.#bindFile();
  }

  /** (Re)bind the editor to the current file of the current project, once both exist and the project is readable. */
  async #bindFile(): Promise<void> {
    this.#binding?.dispose();
    this.#binding = undefined;
    const project = this.#frame.project;
    if (!project) return;
    if (this._status !== "local") this._loading = this.#monaco ? `Connecting to room ${this.room}…` : "Loading editor…";
    await project.ready;
    const mod = this.#monaco;
    const editor = this.#editor;
    if (!mod || !editor || project !== this.#frame.project || this.#binding) return;
    const file = this.file;
    const text = sharedFileText(project.doc, file);
    const uri = mod.monaco.Uri.parse(`file:///${this.#scope}/${file}`);
    mod.monaco.editor.getModel(uri)?.dispose();
    const model = mod.monaco.editor.createModel(text.toString(), undefined, uri);
    editor.setModel(model);
    const awareness = project.client?.awareness ?? null;
    const binding = new mod.MonacoBinding(text, model, new Set([editor]), awareness);
    const onText = (_event: Y.YTextEvent, transaction: Y.Transaction) =>
      emit(this, "spike-change", { file, text: text.toString(), remote: !transaction.local });
    text.observe(onText);
    // Another client may replace the file's Y.Text (delete + create); follow it.
    const onFiles = (event: Y.YMapEvent<Y.Text>) => {
      if (event.keysChanged.has(file) && filesOf(project.doc).get(file) !== text) void this.#bindFile();
    };
    filesOf(project.doc).observe(onFiles);
    this.#binding = {
      dispose: () => {
        text.unobserve(onText);
        filesOf(project.doc).unobserve(onFiles);
        binding.destroy();
        if (editor.getModel() === model) editor.setModel(null);
        model.dispose();
        awareness?.setLocalStateField("selection", null);
      },
    };
    this._loading = null;
  }

  #setMonacoTheme(): void {
    if (!this.#monaco) return;
    this.#monacoScheme = this.#frame.scheme;
    this.#monaco.monaco.editor.setTheme(MONACO_THEMES[this.#monacoScheme]);
  }

  /** Monaco's sheet first, then ours (so the frame can override it), then the remote cursor colours. */
  #adoptStyles(): void {
    const root = this.shadowRoot;
    if (!root || !this.#monaco) return;
    const own = [paletteStyles, editorStyles].map((s) => s.styleSheet).filter((s): s is CSSStyleSheet => !!s);
    root.adoptedStyleSheets = [monacoStyleSheet(this.#monaco), ...own, ...(this.#cursors ? [this.#cursors.sheet] : [])];
  }

  #setStatus(status: EditorStatus, always = false): void {
    if (status === this._status && !always) return;
    this._status = status;
    emit(this, "spike-status", { status });
  }

  /** The frame let go of the project (the element left the page): Monaco goes too. */
  #teardown(): void {
    this.#editor?.dispose();
    this.#editor = undefined;
    this.#monaco = undefined;
    this._loading = "Loading editor…";
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "spike-editor": SpikeEditor;
  }
}
