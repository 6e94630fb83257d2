/**
 * <spike-editor>: a Monaco editor on one file of a project. With a `room` the project is the room's shared Y.Doc (edits and
 * cursors are live for everyone in it); without one it is a local project seeded from inline `<script type="text/plain">`.
 */
import { LitElement, html, nothing, type PropertyValues } from "lit";
import { property, query, state } from "lit/decorators.js";
import type * as Y from "yjs";
import type { Awareness } from "y-protocols/awareness";
import type { editor as MonacoEditor } from "monaco-editor/editor/editor.api";
import { DEFAULT_ENTRY, acquireRoomClient, filesOf, type RoomRole, type TokenSource } from "../core/index.js";
import type { ClerkInstance } from "./internal/clerk-loader.js";
import { editorStyles } from "./internal/editor-styles.js";
import { emit, type EditorStatus } from "./internal/events.js";
import { acquireLocalProject, createLocalProject, readInlineFiles, readSharedSeed, seedRoom, sharedFileText } from "./internal/local-project.js";
import { MONACO_THEMES, loadMonaco, monacoStyleSheet, type MonacoModule } from "./internal/monaco-loader.js";
import { RemoteCursorStyles } from "./internal/remote-cursors.js";
import { RoomAccess, refusalText, signInChanged, signInControl } from "./internal/room-access.js";

/** The origin spike.js was loaded from: the default server, so a third-party page embedding our script talks to us. */
const BUNDLE_ORIGIN = new URL(import.meta.url).origin;

const STATUS_TEXT: Record<EditorStatus, (room: string) => string> = {
  connecting: (room) => `Connecting to room ${room}…`,
  connected: (room) => `Live in room ${room}`,
  offline: () => "Offline: edits are kept and sync when the connection returns",
  local: () => "Local project, not shared",
};

/** The document an editor shows: a room's shared doc, or a local one. */
interface Project {
  doc: Y.Doc;
  awareness: Awareness | null;
  /** Resolves when the doc may be read (a room has synced once). */
  ready: Promise<void>;
  release(): void;
}

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
export class SpikeEditor extends LitElement {
  static override styles = editorStyles;

  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without it the editor edits a local project seeded from inline scripts. */
  @property({ reflect: true }) room?: string;

  /** Base URL of the spike server. Defaults to the origin this script was loaded from. */
  @property() server: string = BUNDLE_ORIGIN;

  /** The project file to edit. */
  @property() file: string = DEFAULT_ENTRY;

  /** Colour scheme: `light`, `dark`, or `auto` to follow `prefers-color-scheme`. Monaco's theme is page-global. */
  @property({ reflect: true }) theme: "light" | "dark" | "auto" = "auto";

  /** Show the file without allowing edits. */
  @property({ type: Boolean, reflect: true }) readonly = false;

  /** Without a room: the name of a local project shared with the other elements on this page that have the same `project`. */
  @property({ reflect: true }) project?: string;

  /**
   * Returns the signed-in user's session token (or null when signed out); sent to the room on connect and before it
   * expires. Takes precedence over `clerk` and `clerk-publishable-key`. Elements sharing a room share the latest source.
   */
  @property({ attribute: false }) getToken?: TokenSource;

  /**
   * A loaded Clerk instance the host page hands over (`element.clerk = window.Clerk`): tokens come from its session;
   * offers sign-in. Without this, the page's own `window.Clerk` is used only if it has the element's publishable key.
   */
  @property({ attribute: false }) clerk?: ClerkInstance;

  /**
   * Clerk publishable key: loads Clerk's browser script (once per page, only then) and offers sign-in. Without it the
   * server's `CLERK_PUBLISHABLE_KEY` (from `/api/config`) is used, if it has one. A `window.Clerk` the page already has
   * is used only when it has this same key (never one of another Clerk application, whose users' tokens are not for this
   * server); for a different key given here, sign-in is unavailable and a console warning says why.
   */
  @property({ attribute: "clerk-publishable-key" }) clerkPublishableKey?: string;

  /** Where to load Clerk's browser script from instead of the key's Frontend API (self-hosting, tests). */
  @property({ attribute: "clerk-js-url" }) clerkJsUrl?: string;

  @state() private _status: EditorStatus = "local";
  @state() private _loading: string | null = "Loading editor…";
  @state() private _error: string | null = null;
  @state() private _dark = false;
  @state() private _people = 1;

  @query(".editor") private _container!: HTMLDivElement;

  #scope = `spike-${++instances}`;
  #monaco?: MonacoModule;
  #editor?: MonacoEditor.IStandaloneCodeEditor;
  #project?: Project;
  #cursors?: RemoteCursorStyles;
  #binding?: FileBinding;
  #scheme = matchMedia("(prefers-color-scheme: dark)");
  #monacoFailed = false;
  #access = new RoomAccess(this);
  #readOnly = false;

  /** Connection state: `connecting`, `connected`, `offline`, or `local` for a room-less editor. */
  get status(): EditorStatus {
    return this._status;
  }

  /** What the room lets this user do: `owner`, `editor`, `viewer` (read-only), or null when it has not said (anyone edits). */
  get roomRole(): RoomRole | null {
    return this.#access.role;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#scheme.addEventListener("change", this.#applyTheme);
    if (this.hasUpdated && !this.#project) this.requestUpdate("room");
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#scheme.removeEventListener("change", this.#applyTheme);
    // A move within the page disconnects and reconnects in one task: only tear down if we really left.
    queueMicrotask(() => {
      if (!this.isConnected) this.#teardown();
    });
  }

  protected override render() {
    const label = `Code editor: ${this.file}`;
    const access = this.#access;
    const refused = access.refused ? refusalText(access.refused) : null;
    const error = this._error ?? refused;
    return html`<div part="base" class="base ${this._dark ? "dark" : ""}">
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

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("theme")) this.#applyTheme();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.isConnected) return;
    if (changed.has("_dark" as keyof SpikeEditor)) this.#setMonacoTheme();
    if (!this.#project || changed.has("room") || changed.has("server") || changed.has("project")) this.#openProject();
    else if (changed.has("file")) void this.#bindFile();
    if (!this.#editor && !this.#monacoFailed) void this.#startEditor();
    if (signInChanged(changed)) this.#access.update();
    const readOnly = this.#isReadOnly();
    if (changed.has("file") || readOnly !== this.#readOnly) {
      this.#readOnly = readOnly;
      this.#editor?.updateOptions({ readOnly, ariaLabel: `Code editor: ${this.file}` });
    }
  }

  /** The `readonly` attribute, or a room that lets this user only watch (its server drops their edits anyway). */
  #isReadOnly(): boolean {
    return this.readonly || this.#access.role === "viewer";
  }

  #openProject(): void {
    this.#closeProject();
    if (!this.#monacoFailed) this._error = null;
    if (this.room) {
      let lease;
      try {
        lease = acquireRoomClient({ server: this.server, room: this.room });
      } catch (error) {
        this._error = `Cannot open room: ${(error as Error).message}`;
        return;
      }
      const { client } = lease;
      const onStatus = (status: EditorStatus) => this.#setStatus(status);
      const onPeers = () => (this._people = client.awareness.getStates().size);
      client.on("status", onStatus);
      client.awareness.on("change", onPeers);
      onPeers();
      const inline = readInlineFiles(this);
      const ready = client.whenSynced().then(() => seedRoom(client.doc, inline));
      this.#project = {
        doc: client.doc,
        awareness: client.awareness,
        ready,
        release: () => {
          client.off("status", onStatus);
          client.awareness.off("change", onPeers);
          this.#access.detach();
          lease.release();
        },
      };
      this.#access.attach(lease);
      this.#cursors = new RemoteCursorStyles(client.awareness);
      this.#setStatus(client.status, true);
    } else if (this.project) {
      const lease = acquireLocalProject(this.project, readSharedSeed(this, this.project));
      this.#project = { doc: lease.doc, awareness: null, ready: Promise.resolve(), release: () => lease.release() };
      this.#setStatus("local", true);
    } else {
      const doc = createLocalProject(this, this.file);
      this.#project = { doc, awareness: null, ready: Promise.resolve(), release: () => doc.destroy() };
      this.#setStatus("local", true);
    }
    this.#adoptStyles();
    void this.#bindFile();
  }

  #closeProject(): void {
    this.#binding?.dispose();
    this.#binding = undefined;
    this.#cursors?.destroy();
    this.#cursors = undefined;
    this.#project?.release();
    this.#project = undefined;
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
    const project = this.#project;
    if (!project) return;
    if (this._status !== "local") this._loading = this.#monaco ? `Connecting to room ${this.room}…` : "Loading editor…";
    await project.ready;
    const mod = this.#monaco;
    const editor = this.#editor;
    if (!mod || !editor || project !== this.#project || this.#binding) return;
    const file = this.file;
    const text = sharedFileText(project.doc, file);
    const uri = mod.monaco.Uri.parse(`file:///${this.#scope}/${file}`);
    mod.monaco.editor.getModel(uri)?.dispose();
    const model = mod.monaco.editor.createModel(text.toString(), undefined, uri);
    editor.setModel(model);
    const binding = new mod.MonacoBinding(text, model, new Set([editor]), project.awareness);
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
        project.awareness?.setLocalStateField("selection", null);
      },
    };
    this._loading = null;
  }

  #applyTheme = (): void => {
    this._dark = this.theme === "dark" || (this.theme === "auto" && this.#scheme.matches);
  };

  #setMonacoTheme(): void {
    this.#monaco?.monaco.editor.setTheme(this._dark ? MONACO_THEMES.dark : MONACO_THEMES.light);
  }

  /** Monaco's sheet first, then ours (so the frame can override it), then the remote cursor colours. */
  #adoptStyles(): void {
    const root = this.shadowRoot;
    if (!root || !this.#monaco) return;
    const own = [editorStyles.styleSheet].filter((s): s is CSSStyleSheet => !!s);
    root.adoptedStyleSheets = [monacoStyleSheet(this.#monaco), ...own, ...(this.#cursors ? [this.#cursors.sheet] : [])];
  }

  #setStatus(status: EditorStatus, always = false): void {
    if (status === this._status && !always) return;
    this._status = status;
    emit(this, "spike-status", { status });
  }

  #teardown(): void {
    this.#closeProject();
    this.#editor?.dispose();
    this.#editor = undefined;
    this.#monaco = undefined;
    this._loading = "Loading editor…";
  }
}

if (!customElements.get("spike-editor")) customElements.define("spike-editor", SpikeEditor);

declare global {
  interface HTMLElementTagNameMap {
    "spike-editor": SpikeEditor;
  }
}
