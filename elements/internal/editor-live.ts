/**
 * The live part of <spike-editor> (its own chunk, loaded when the element leaves lite mode): Monaco on the current file of
 * the project the element's frame opens (elements/internal/room-frame.ts), its status bar, remote cursors and sign-in.
 */
import { html, nothing, type PropertyValues } from "lit";
import type * as Y from "yjs";
import type { editor as MonacoEditor } from "monaco-editor/editor/editor.api";
import { entryOf, fileFlags, filesOf, META_KEY, renamedTo, type RoomRole } from "../../core/index.js";
import type { SpikeEditor } from "../spike-editor.js";
import { acceptAssetDrops } from "./editor-drop.js";
import { EditorFork } from "./editor-fork.js";
import { EditorKeyboard, keyboardHint, keyboardStatus } from "./editor-keyboard.js";
import { reportElementError } from "./error-reports.js";
import { emit, type EditorStatus, type SpikeStatusPeer } from "./events.js";
import { embedMembers, readInlineFlags } from "./inline-files.js";
import type { LivePart } from "./lite-element.js";
import { CODE_FONT, CODE_PADDING_TOP, LINE_HEIGHT } from "./lite-styles.js";
import { createLocalProject, sharedFileText } from "./local-project.js";
import { MONACO_THEMES, loadMonaco, monacoStyleSheet, type MonacoModule } from "./monaco-loader.js";
import { keepHoversInShadowRoot } from "./monaco-shadow.js";
import { REMOTE_CURSOR_BASE_CSS, RemoteCursorStyles } from "./remote-cursors.js";
import { refusalText, signInControl } from "./room-access.js";
import { RoomFrame, type Project } from "./room-frame.js";
import { peopleText, statusPeers } from "./status-peers.js";
import { watchProjectTypes } from "./type-acquisition.js";

const STATUS_TEXT: Record<EditorStatus, (room: string) => string> = {
  connecting: (room) => `Connecting to room ${room}…`,
  connected: (room) => `Live in room ${room}`,
  offline: () => "Offline, changes will sync",
  local: () => "Local project, not shared",
};

/** Why the editor takes no typing (see #isReadOnly), or false. */
type ReadOnly = "room" | "file" | "version" | false;

/** The current file's model and binding. */
interface FileBinding {
  dispose(): void;
}

let instances = 0;
/** The reader asked for less motion: Monaco's caret stops blinking. */
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
let cursorBase: CSSStyleSheet | undefined;

/** Created by SpikeEditor.load(): `new EditorLive(editor)`; the element renders `live.render()` from then on. */
export class EditorLive implements LivePart {
  status: EditorStatus = "local";

  #host: SpikeEditor;
  #loading: string | null = "Loading editor…";
  #error: string | null = null;
  #people = 1;
  /** The room's other clients and their transports, as `spike-status` last reported them. */
  #peers: SpikeStatusPeer[] = [];
  #scope = `spike-${++instances}`;
  #monaco?: MonacoModule;
  #editor?: MonacoEditor.IStandaloneCodeEditor;
  #keys?: EditorKeyboard;
  #fork?: EditorFork;
  #cursors?: RemoteCursorStyles;
  #binding?: FileBinding;
  #monacoFailed = false;
  #readOnly: ReadOnly = false;
  /** The file the editor shows now (set once its binding is in place), and who waits for a file to be shown (reveal). */
  #boundFile: string | null = null;
  /** The bound file's shared text, where a dropped asset's import goes. */
  #boundText: Y.Text | null = null;
  /** What the last asset drop did (editor-drop.ts), shown in the status bar; and how to stop taking drops. */
  #dropMessage: { text: string; error: boolean } | null = null;
  #stopDrops?: () => void;
  #onBound: (() => void)[] = [];
  /** The colour scheme Monaco was last given (its theme is page-global). */
  #monacoScheme?: "light" | "dark";
  #frame: RoomFrame;

  constructor(host: SpikeEditor) {
    this.#host = host;
    this.#frame = new RoomFrame(host, {
      localProject: () => createLocalProject(host, host.file),
      open: (project) => this.#follow(project),
      failed: (message) => this.#set(() => (this.#error = message)),
      left: () => this.#teardown(),
    });
  }

  /** What the room lets this user do (see SpikeEditor.roomRole). */
  get roomRole(): RoomRole | null {
    return this.#frame.access.role;
  }

  hostConnected(): void {}

  /**
   * Caret at `line`/`column` (1-based, clamped to the file) of the file the host shows, once Monaco shows it: scrolled to
   * the middle and focused (see SpikeEditor.reveal).
   */
  async reveal(line: number, column: number): Promise<void> {
    const file = this.#host.file;
    while (this.#boundFile !== file || !this.#editor) {
      await new Promise<void>((resolve) => this.#onBound.push(resolve));
      if (this.#host.file !== file) return; // asked for another file meanwhile
    }
    const editor = this.#editor;
    const position = editor.getModel()!.validatePosition({ lineNumber: line, column });
    editor.setPosition(position);
    editor.revealPositionInCenter(position);
    editor.focus();
  }

  render() {
    const host = this.#host;
    const label = `Code editor: ${host.file}`;
    const access = this.#frame.access;
    const refused = access.refused ? refusalText(access.refused) : null;
    const error = this.#error ?? refused;
    const pinned = this.#frame.project?.version ?? null;
    return html`<div part="base" class="base ${this.#frame.scheme}">
      <div part="editor" class="editor" role="region" aria-label=${label} aria-busy=${this.#loading ? "true" : "false"}></div>
      ${keyboardHint(this.#keys)}
      <div part="loading" class="loading ${error ? "error" : ""}" ?hidden=${!this.#loading && !error}>
        <div><div class="spinner"></div>${error ?? this.#loading}</div>
      </div>
      <div part="status" class="bar">
        <span class="file">${host.file}</span>
        ${host.room && this.#people > 1
          ? html`<span part="people">${peopleText(this.#people, this.#peers.filter((p) => p.transport === "webrtc").length)}</span>`
          : nothing}
        ${pinned !== null ? html`<span part="badge" class="badge" title="A saved version never changes">Version ${pinned}</span>` : nothing}
        ${access.role === "viewer" && host.fork === "auto"
          ? html`<span part="badge" class="badge" title="Type to edit your own copy of this room">Template: type to edit your copy</span>`
          : access.role === "viewer"
            ? html`<span part="badge" class="badge" title="You can watch this room but not edit it">Read-only</span>`
            : nothing}
        ${host.forked
          ? html`<button part="reset-fork" class="sign-in reset-fork" type="button" title="Leave your copy and show the original again" @click=${() => host.resetFork()}>Reset to original</button>`
          : nothing}
        ${access.role !== "viewer" && this.#isReadOnly() === "file" ? html`<span part="badge" class="badge" title="This file cannot be edited here">Read-only file</span>` : nothing}
        <span class="status" role="status" aria-live="polite">
          <span class="dot ${this.status}" aria-hidden="true"></span>${refused ??
          (pinned !== null ? `Saved version of room ${host.room}, read-only` : STATUS_TEXT[this.status](host.room ?? ""))}
        </span>
        ${this.#dropMessage
          ? html`<span part="drop-status" class="drop ${this.#dropMessage.error ? "error" : ""}" role="status">${this.#dropMessage.text}</span>`
          : nothing}
        ${keyboardStatus(this.#keys)}
        ${signInControl(access)}
      </div>
    </div>`;
  }

  updated(changed: PropertyValues): void {
    if (!this.#host.isConnected) return;
    if (this.#frame.scheme !== this.#monacoScheme) this.#setMonacoTheme();
    // The frame (re)opened the project already if room, server or project changed; a new file is bound here.
    if (changed.has("file")) void this.#bindFile();
    if (!this.#editor && !this.#monacoFailed) void this.#startEditor();
    const readOnly = this.#isReadOnly();
    if (changed.has("file") || readOnly !== this.#readOnly) {
      this.#readOnly = readOnly;
      this.#editor?.updateOptions(this.#fileOptions(readOnly));
    }
    this.#fork?.apply(this.#binding !== undefined && !readOnly);
  }

  /** Change what render() shows, then re-render. */
  #set(change: () => unknown): void {
    change();
    this.#host.requestUpdate();
  }

  /** Monaco's options that follow the file: its label, and whether (and why) typing is refused. */
  #fileOptions(readOnly: ReadOnly): MonacoEditor.IEditorOptions {
    const file = this.#host.file;
    const message =
      readOnly === "file" ? `${file} is read-only` : readOnly === "version" ? "A saved version cannot be edited" : "This room is read-only for you";
    return { readOnly: !!readOnly, readOnlyMessage: { value: message }, ariaLabel: `Code editor: ${file}` };
  }

  /**
   * Why the editor takes no typing: `room` for the `readonly` attribute or a room that lets this user only watch (its
   * server drops their edits anyway), `file` for a file flagged readonly (room metadata or this embed's inline file),
   * `version` for a saved version (`version="<n>"`), which never changes.
   */
  #isReadOnly(): ReadOnly {
    const host = this.#host;
    if (this.#frame.project?.version != null) return "version";
    if (host.readonly || this.#frame.access.role === "viewer") return "room";
    const doc = this.#frame.project?.doc;
    const flagged = (doc && fileFlags(doc)[host.file]?.readonly) || readInlineFlags(embedMembers(host))[host.file]?.readonly;
    return flagged ? "file" : false;
  }

  /** Show a project the frame just opened: its room's status, people and cursors, and the current file. */
  #follow(project: Project): () => void {
    if (!this.#monacoFailed) this.#error = null;
    const client = project.client;
    let unlisten = () => {};
    this.#peers = statusPeers(client ?? null);
    if (client) {
      const onStatus = (status: EditorStatus) => this.#setStatus(status);
      const onPeers = () => this.#set(() => (this.#people = client.awareness.getStates().size));
      const onTransports = () => {
        this.#set(() => (this.#peers = statusPeers(client)));
        emit(this.#host, "spike-status", { status: this.status, peers: this.#peers });
      };
      client.on("status", onStatus);
      client.on("peers", onTransports);
      client.awareness.on("change", onPeers);
      onPeers();
      unlisten = () => {
        client.off("status", onStatus);
        client.off("peers", onTransports);
        client.awareness.off("change", onPeers);
      };
      this.#cursors = new RemoteCursorStyles(client.awareness);
    }
    this.#setStatus(client ? client.status : "local", true);
    this.#adoptStyles();
    void this.#bindFile();
    // A file flagged or unflagged readonly in the room's metadata: updated() sets Monaco's option.
    const meta = project.doc.getMap(META_KEY);
    const onMeta = () => this.#host.requestUpdate();
    meta.observe(onMeta);
    return () => {
      meta.unobserve(onMeta);
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
      reportElementError(this.#host, "monaco", error);
      this.#set(() => (this.#error = `The editor failed to load: ${(error as Error).message}`));
      return;
    }
    const host = this.#host;
    const container = host.renderRoot.querySelector<HTMLElement>(".editor");
    if (this.#editor || !host.isConnected || !container) return;
    this.#monaco = mod;
    this.#adoptStyles();
    const style = getComputedStyle(host);
    // The lite view drew the code in this same font, size, line height and padding: the swap moves nothing.
    const fontFamily = style.getPropertyValue("--spike-font-family").trim() || CODE_FONT;
    const fontSize = parseFloat(style.getPropertyValue("--spike-font-size")) || 14;
    this.#editor = mod.monaco.editor.create(container, {
      model: null,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      padding: { top: CODE_PADDING_TOP, bottom: 8 },
      fontSize,
      fontFamily,
      lineHeight: Math.round(fontSize * LINE_HEIGHT),
      tabSize: 2,
      // No number for the empty line after a final newline, as in the lite view (Monaco's default dims it, below contrast).
      renderFinalNewline: "off",
      ...this.#fileOptions(this.#isReadOnly()),
      // A swipe or wheel over an editor that cannot scroll further scrolls the page.
      scrollbar: { alwaysConsumeMouseWheel: false },
      cursorBlinking: reducedMotion.matches ? "solid" : "blink",
    });
    keepHoversInShadowRoot(this.#editor);
    this.#stopDrops = acceptAssetDrops(container, {
      client: () => this.#frame.project?.client ?? null,
      file: () => (this.#boundFile && this.#boundText ? { name: this.#boundFile, text: this.#boundText } : null),
      editable: () => !this.#isReadOnly(),
      report: (text, error = false) => this.#set(() => (this.#dropMessage = { text, error })),
      uploaded: () => {},
    });
    this.#keys = new EditorKeyboard(mod, this.#editor, host, () => host.requestUpdate());
    this.#fork = new EditorFork(host, this.#editor, () => this.#frame.project?.client ?? null, () => this.#frame.access.role === "viewer");
    reducedMotion.addEventListener("change", this.#onMotion);
    this.#setMonacoTheme();
    void this.#bindFile();
  }

  /** (Re)bind the editor to the current file of the current project, once both exist and the project is readable. */
  async #bindFile(): Promise<void> {
    this.#binding?.dispose();
    this.#binding = undefined;
    const project = this.#frame.project;
    if (!project) return;
    if (this.status !== "local") this.#set(() => (this.#loading = this.#monaco ? `Connecting to room ${this.#host.room}…` : "Loading editor…"));
    await project.ready;
    const mod = this.#monaco;
    const editor = this.#editor;
    if (!mod || !editor || project !== this.#frame.project || this.#binding) return;
    const host = this.#host;
    const file = host.file;
    const text = sharedFileText(project.doc, file);
    const uri = mod.monaco.Uri.parse(`file:///${this.#scope}/${file}`);
    mod.monaco.editor.getModel(uri)?.dispose();
    const model = mod.monaco.editor.createModel(text.toString(), undefined, uri);
    // A saved version is read-only from its first frame on, before the next update would say so.
    this.#readOnly = this.#isReadOnly();
    editor.updateOptions(this.#fileOptions(this.#readOnly));
    editor.setModel(model);
    const awareness = project.client?.awareness ?? null;
    const binding = new mod.MonacoBinding(text, model, new Set([editor]), awareness);
    const onText = (_event: Y.YTextEvent, transaction: Y.Transaction) =>
      emit(host, "spike-change", { file, text: text.toString(), remote: !transaction.local });
    text.observe(onText);
    // Another client may replace the file's Y.Text (delete + create): follow it. Renamed: follow the new name; deleted:
    // show the entry (never write the deleted file back).
    const onFiles = (event: Y.YMapEvent<Y.Text>) => {
      if (!event.keysChanged.has(file)) return;
      const now = filesOf(project.doc).get(file);
      if (now === undefined) host.file = renamedTo(event, file) ?? entryOf(project.doc);
      else if (now !== text) void this.#bindFile();
    };
    filesOf(project.doc).observe(onFiles);
    const stopTypes = watchProjectTypes(mod, project.doc, model, host.server, !project.client);
    this.#binding = {
      dispose: () => {
        stopTypes();
        this.#boundFile = null;
        this.#boundText = null;
        text.unobserve(onText);
        filesOf(project.doc).unobserve(onFiles);
        binding.destroy();
        if (editor.getModel() === model) editor.setModel(null);
        model.dispose();
        awareness?.setLocalStateField("selection", null);
      },
    };
    this.#set(() => (this.#loading = null));
    this.#boundFile = file;
    this.#boundText = text;
    for (const resolve of this.#onBound.splice(0)) resolve();
    // Opened from the keyboard (Enter on "Click to edit"): the reader wants to type here now.
    if (host.takeFocus()) editor.focus();
    // Opened because the reader typed into a template (fork="auto"): their keystrokes go into the fork now.
    this.#fork?.apply(!this.#isReadOnly());
  }

  #setMonacoTheme(): void {
    if (!this.#monaco) return;
    this.#monacoScheme = this.#frame.scheme;
    this.#monaco.monaco.editor.setTheme(MONACO_THEMES[this.#monacoScheme]);
  }

  /** Monaco's sheet first, then the element's (so the frame can override it), then the remote cursor colours. */
  #adoptStyles(): void {
    const root = this.#host.shadowRoot;
    if (!root || !this.#monaco) return;
    const own = (this.#host.constructor as typeof SpikeEditor).elementStyles
      .map((s) => (s instanceof CSSStyleSheet ? s : s.styleSheet))
      .filter((s): s is CSSStyleSheet => !!s);
    if (!cursorBase) {
      cursorBase = new CSSStyleSheet();
      cursorBase.replaceSync(REMOTE_CURSOR_BASE_CSS);
    }
    const cursors = this.#cursors ? [cursorBase, this.#cursors.sheet] : [];
    root.adoptedStyleSheets = [monacoStyleSheet(this.#monaco), ...own, ...cursors];
  }

  #setStatus(status: EditorStatus, always = false): void {
    if (status === this.status && !always) return;
    this.#set(() => (this.status = status));
    emit(this.#host, "spike-status", { status, peers: this.#peers });
  }

  #onMotion = (): void => {
    this.#editor?.updateOptions({ cursorBlinking: reducedMotion.matches ? "solid" : "blink" });
  };

  /** The frame let go of the project (the element left the page): Monaco goes too. */
  #teardown(): void {
    reducedMotion.removeEventListener("change", this.#onMotion);
    this.#keys?.dispose();
    this.#keys = undefined;
    this.#stopDrops?.();
    this.#stopDrops = undefined;
    this.#fork?.dispose();
    this.#fork = undefined;
    this.#editor?.dispose();
    this.#editor = undefined;
    this.#monaco = undefined;
    this.#loading = "Loading editor…";
  }
}
