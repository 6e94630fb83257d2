/**
 * <spike-preview>: runs a project in an iframe on another site and re-renders it on every change. The project is a room's
 * shared Y.Doc, a named local project shared with editors on the page, or this element's own inline files; it is built in
 * the page (core/build, milliseconds per edit) and only the modules that changed are posted to the frame.
 */
import { html, nothing, type PropertyValues } from "lit";
import { property, state } from "lit/decorators.js";
import { keyed } from "lit/directives/keyed.js";
import * as Y from "yjs";
import { DEFAULT_ENTRY, entryOf, readFiles, seedFiles } from "../core/index.js";
import type { BuildError, ProjectBuilder } from "../core/build/index.js";
import { emit } from "./internal/events.js";
import { readInlineFiles } from "./internal/local-project.js";
import { paletteStyles } from "./internal/palette.js";
import { PreviewChannel } from "./internal/preview-channel.js";
import { frameUrl, type FrameMessage } from "./internal/preview-frame/messages.js";
import { loadBuild, type BuildModule } from "./internal/preview-build.js";
import { previewFrameSource, type PreviewFrameSource } from "./internal/preview-origin.js";
import { previewStyles } from "./internal/preview-styles.js";
import { refusalText, signInControl } from "./internal/room-access.js";
import { RoomElement } from "./internal/room-element.js";
import { RoomFrame, type Project } from "./internal/room-frame.js";

type PreviewState = "loading" | "live" | "error";

/**
 * A live preview of a spike project: the entry's default export React component (or the module itself) running in an
 * isolated iframe on another site, re-rendered on every edit. Its status bar and error overlay follow the `theme`; the app
 * does not (it is the user's page: it draws on `--spike-preview-background` like a fresh page, and gets no colour-scheme
 * hint).
 *
 * @summary Live preview of a project: `<spike-preview room="demo">` next to a `<spike-editor room="demo">`.
 *
 * @fires spike-render - The preview shows the current code. Detail: `{ entry, mode }`, mode `react` or `module`.
 * @fires spike-error - A build error (syntax, with file:line) or a runtime error in the preview. Detail: `{ kind, message, file, line, column }`.
 * @fires spike-console - The previewed code wrote to the console. Detail: `{ level, args }`, args formatted as text. At most 300 at once and 100 a second; past that, messages are dropped and one `warn` entry a second says how many.
 * @fires spike-auth-required - The room refused the connection. Detail: `{ room, code, reason }` (4401 sign-in needed, 4403 no access).
 * @fires spike-room-created - This page's connection created the room (its first write). Detail: `{ room, claimToken }`: with the token the page may claim the room later, signed in (`PUT /live/<room>/permissions`).
 *
 * @csspart base - The frame around the preview and status bar.
 * @csspart frame - The iframe the project runs in.
 * @csspart error - The build error overlay (message and file:line), shown over the last good render.
 * @csspart status - The status bar: entry file and state (a polite live region).
 * @csspart sign-in - The "Sign in" button, shown when Clerk is in use and nobody is signed in.
 * @csspart sign-in-error - "Sign-in unavailable", shown instead when the element cannot use Clerk (say, the page's own `window.Clerk` has another publishable key); its `title` says why.
 *
 * @cssprop --spike-preview-height - Height of the element. Default `320px`.
 * @cssprop --spike-preview-background - Background behind the previewed app. Default `#ffffff`.
 * @cssprop --spike-border - Border of the frame. Default `1px solid` a theme grey.
 * @cssprop --spike-radius - Corner radius of the frame. Default `8px`.
 * @cssprop --spike-font-family - Font of file names and error messages. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`.
 * @cssprop --spike-ui-font-family - Font of the status bar. Default `system-ui, sans-serif`.
 */
export class SpikePreview extends RoomElement {
  static override styles = [paletteStyles, previewStyles];

  /** The file to run. Defaults to the project's own entry, else `index.tsx`. */
  @property() entry?: string;

  @state() private _frameSrc: string | null = null;
  @state() private _sandbox = "allow-scripts";
  @state() private _buildErrors: BuildError[] = [];
  @state() private _state: PreviewState = "loading";
  @state() private _message = "Loading preview…";

  #builder?: ProjectBuilder;
  #channel?: PreviewChannel;
  #frameFor: string | null = null;
  /** Whether the frame was chosen for a local project (no room): see previewFrameSource. */
  #frameLocal = false;
  #iframe: HTMLIFrameElement | null = null;
  /** The frame's origin, or "null" when it is sandboxed without allow-same-origin (see #loadFrame). */
  #frameOrigin = "null";
  /** Non-zero while a rebuild is queued: the id of that request (0 = none, or cancelled). */
  #scheduled = 0;
  #requests = 0;
  #lastErrorKey = "";
  #frame = new RoomFrame(this, {
    localProject: () => {
      const doc = new Y.Doc();
      seedFiles(doc, readInlineFiles(this));
      return doc;
    },
    open: (project) => this.#follow(project),
    failed: (message) => this.#setState("error", message),
    left: () => this.#teardown(),
  });

  /** The entry file the preview runs now. */
  get currentEntry(): string {
    const project = this.#frame.project;
    return this.entry || (project ? entryOf(project.doc) : DEFAULT_ENTRY);
  }

  protected override render() {
    const errors = this._buildErrors;
    const access = this.#frame.access;
    const refused = access.refused ? refusalText(access.refused) : null;
    return html`<div part="base" class="base ${this.#frame.scheme}">
      ${this._frameSrc
        ? keyed(this._frameSrc, html`<iframe
            part="frame"
            title="Preview of ${this.currentEntry}"
            sandbox=${this._sandbox}
            src=${this._frameSrc}
          ></iframe>`)
        : nothing}
      <div part="error" class="error" role="alert" ?hidden=${errors.length === 0}>
        <p class="title">${errors.length === 1 ? "Build error" : `${errors.length} build errors`}</p>
        ${errors.map(
          (e) => html`<div class="item">
            <span class="where">${e.file}:${e.line}:${e.column + 1}</span>
            <pre>${e.message}</pre>
          </div>`,
        )}
      </div>
      <div part="status" class="bar">
        <span class="file">${this.currentEntry}</span>
        <span class="status" role="status" aria-live="polite">
          <span class="dot is-${refused ? "error" : this._state}" aria-hidden="true"></span>${refused ?? this._message}
        </span>
        ${signInControl(access)}
      </div>
    </div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.isConnected) return;
    if (changed.has("entry")) this.#schedule();
    if (changed.has("server") || this.#frameFor === null || this.#frameLocal !== !this.room) void this.#loadFrame();
    // The iframe lit rendered: bind a channel to it once it exists.
    const frame = this.renderRoot.querySelector("iframe");
    if (frame && frame !== this.#iframe) this.#bindFrame(frame);
  }

  /** Build a project the frame just opened, and again on every change to it. */
  #follow(project: Project): () => void {
    // A new project: nothing built so far is worth reusing.
    this.#builder = undefined;
    project.doc.on("update", this.#schedule);
    void project.ready.then(() => {
      if (project === this.#frame.project) this.#schedule();
    });
    return () => {
      this.#scheduled = 0;
      project.doc.off("update", this.#schedule);
    };
  }

  /**
   * Rebuild once the current task's changes are in: a burst in one task (a paste, a remote batch, a seed) costs one build,
   * and a keystroke reaches the frame without waiting for the next animation frame (that wait was up to a whole 16.7 ms
   * frame of the keystroke-to-preview budget; bench/preview-latency.mjs).
   */
  #schedule = (): void => {
    if (this.#scheduled) return;
    const request = (this.#scheduled = ++this.#requests);
    queueMicrotask(() => {
      if (this.#scheduled !== request) return; // cancelled: the project was closed
      this.#scheduled = 0;
      const project = this.#frame.project;
      void project?.ready
        .then(loadBuild)
        .then(
          (build) => project === this.#frame.project && this.#build(build),
          (error: Error) => this.#setState("error", `The preview failed to load: ${error.message}`),
        );
    });
  };

  #build(build: BuildModule): void {
    const project = this.#frame.project;
    if (!project) return;
    const entry = this.currentEntry;
    this.#builder ??= new build.ProjectBuilder();
    const result = this.#builder.update(readFiles(project.doc));
    // Errors only count in files the entry reaches: a broken file nothing imports does not stop the preview.
    const errors = build.entryErrors(entry, result);
    this._buildErrors = errors;
    if (errors.length > 0) {
      this.#setState("error", "Build error");
      const first = errors[0]!;
      const key = `${first.file}:${first.line}:${first.column}:${first.message}`;
      if (key !== this.#lastErrorKey) emit(this, "spike-error", { kind: "build", ...first });
      this.#lastErrorKey = key;
      return;
    }
    this.#lastErrorKey = "";
    if (this._state !== "live") this.#setState("loading", "Rendering…");
    this.#channel?.send(entry, result.modules, build.moduleVersions(result.modules));
    this.requestUpdate();
  }

  async #loadFrame(): Promise<void> {
    const server = this.server;
    const local = (this.#frameLocal = !this.room);
    this.#frameFor = server;
    let source: PreviewFrameSource;
    try {
      source = await previewFrameSource(server, { local });
    } catch (error) {
      this.#setState("error", `Cannot reach the spike server: ${(error as Error).message}`);
      this.#frameFor = null;
      return;
    }
    if (server !== this.server || local !== this.#frameLocal) return;
    this._sandbox = source.sandbox;
    this.#frameOrigin = source.origin;
    this._frameSrc = frameUrl(source.frameBase, { parent: location.origin, server: source.npmBase });
  }

  #bindFrame(frame: HTMLIFrameElement): void {
    this.#channel?.dispose();
    this.#iframe = frame;
    this.#channel = new PreviewChannel(frame, this.#frameOrigin, {
      onMessage: (message) => this.#onFrameMessage(message),
      onUnresponsive: () => this.#setState("error", "The preview is not responding (an endless loop?)"),
    });
    this.#schedule();
  }

  #onFrameMessage(message: FrameMessage): void {
    switch (message.type) {
      case "spike:ready":
        break;
      case "spike:rendered":
        if (this._buildErrors.length === 0) this.#setState("live", "Live");
        emit(this, "spike-render", { entry: this.currentEntry, mode: message.mode });
        break;
      case "spike:error": {
        const { message: text, location } = message.error;
        if (this._buildErrors.length === 0) this.#setState("error", location ? `Error in ${location.file}:${location.line}` : "Runtime error");
        emit(this, "spike-error", { kind: "runtime", message: text, file: location?.file, line: location?.line, column: location?.column });
        break;
      }
      case "spike:console":
        emit(this, "spike-console", { level: message.level, args: message.args });
        break;
    }
  }

  #setState(state: PreviewState, message: string): void {
    this._state = state;
    this._message = message;
  }

  /** The frame let go of the project (the element left the page): the preview frame goes too. */
  #teardown(): void {
    this.#channel?.dispose();
    this.#channel = undefined;
    this.#iframe = null;
    this.#frameFor = null;
    this._frameSrc = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "spike-preview": SpikePreview;
  }
}
