/**
 * <spike-preview>: runs a project in an iframe on another site and re-renders it on every change. The project is a room's
 * shared Y.Doc, a named local project shared with editors on the page, or this element's own inline files; it is built in
 * the page (core/build, milliseconds per edit) and only the modules that changed are posted to the frame.
 */
import { LitElement, html, nothing, type PropertyValues } from "lit";
import { property, state } from "lit/decorators.js";
import { keyed } from "lit/directives/keyed.js";
import * as Y from "yjs";
import { DEFAULT_ENTRY, acquireRoomClient, entryOf, readFiles, seedFiles, type TokenSource } from "../core/index.js";
import type { BuildError, ProjectBuilder } from "../core/build/index.js";
import type { ClerkInstance } from "./internal/clerk-loader.js";
import { emit } from "./internal/events.js";
import { acquireLocalProject, readInlineFiles, readSharedSeed, seedRoom } from "./internal/local-project.js";
import { PreviewChannel } from "./internal/preview-channel.js";
import { frameUrl, type FrameMessage } from "./internal/preview-frame/messages.js";
import { previewStyles } from "./internal/preview-styles.js";
import { RoomAccess, refusalText, signInChanged, signInControl } from "./internal/room-access.js";
import { serverConfig } from "./internal/server-config.js";

/** The origin spike.js was loaded from: the default server, as for <spike-editor>. */
const BUNDLE_ORIGIN = new URL(import.meta.url).origin;

/**
 * core/build (sucrase and acorn, ~85 KB gzip) loads on first use, so a page with only editors does not pay for it.
 */
let buildModule: Promise<typeof import("../core/build/index.js")> | undefined;
const loadBuild = () => (buildModule ??= import("../core/build/index.js"));

/** The preview frame's origin, from the server's `/api/config`. */
async function previewOriginOf(server: string): Promise<string> {
  return new URL((await serverConfig(server)).previewOrigin).origin;
}

/**
 * Same site, roughly: same scheme and the same last two host labels (or the same host, for IPs and `localhost`). Erring
 * towards "same" only costs the frame allow-same-origin, never safety.
 */
function isSameSite(a: URL, b: URL): boolean {
  if (a.protocol !== b.protocol) return true;
  const site = (host: string) => (/^[\d.]+$|^\[|^localhost$/.test(host) ? host : host.split(".").slice(-2).join("."));
  return site(a.hostname) === site(b.hostname);
}

/** The project a preview shows. */
interface Project {
  doc: Y.Doc;
  /** Resolves when the doc may be read (a room has synced once). */
  ready: Promise<void>;
  release(): void;
}

type PreviewState = "loading" | "live" | "error";

/**
 * A live preview of a spike project: the entry's default export React component (or the module itself) running in an
 * isolated iframe on another site, re-rendered on every edit.
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
export class SpikePreview extends LitElement {
  static override styles = previewStyles;

  /** Room id (1-64 of `[A-Za-z0-9_-]`). Without it the preview shows a local project. */
  @property({ reflect: true }) room?: string;

  /** Base URL of the spike server (config, npm modules). Defaults to the origin this script was loaded from. */
  @property() server: string = BUNDLE_ORIGIN;

  /** The file to run. Defaults to the project's own entry, else `index.tsx`. */
  @property() entry?: string;

  /** Without a room: the name of a local project shared with the editors on this page that have the same `project`. */
  @property({ reflect: true }) project?: string;

  /** Returns the user's session token (or null); see `<spike-editor>`'s `getToken`. */
  @property({ attribute: false }) getToken?: TokenSource;

  /** A loaded Clerk instance from the host page; see `<spike-editor>`'s `clerk`. */
  @property({ attribute: false }) clerk?: ClerkInstance;

  /** Clerk publishable key: loads Clerk once per page and offers sign-in (default: the server's, if any); see `<spike-editor>`'s. */
  @property({ attribute: "clerk-publishable-key" }) clerkPublishableKey?: string;

  /** Where to load Clerk's browser script from instead of the key's Frontend API. */
  @property({ attribute: "clerk-js-url" }) clerkJsUrl?: string;

  @state() private _frameSrc: string | null = null;
  @state() private _sandbox = "allow-scripts";
  @state() private _buildErrors: BuildError[] = [];
  @state() private _state: PreviewState = "loading";
  @state() private _message = "Loading preview…";

  #project?: Project;
  #builder?: ProjectBuilder;
  #channel?: PreviewChannel;
  #frameFor: string | null = null;
  #frame: HTMLIFrameElement | null = null;
  /** The frame's origin, or "null" when it is sandboxed without allow-same-origin (see #loadFrame). */
  #frameOrigin = "null";
  /** Non-zero while a rebuild is queued: the id of that request (0 = none, or cancelled). */
  #scheduled = 0;
  #requests = 0;
  #lastErrorKey = "";
  #access = new RoomAccess(this);

  /** The entry file the preview runs now. */
  get currentEntry(): string {
    return this.entry || (this.#project ? entryOf(this.#project.doc) : DEFAULT_ENTRY);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && !this.#project) this.requestUpdate("room");
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A move within the page disconnects and reconnects in one task: only tear down if we really left.
    queueMicrotask(() => {
      if (!this.isConnected) this.#teardown();
    });
  }

  protected override render() {
    const errors = this._buildErrors;
    const access = this.#access;
    const refused = access.refused ? refusalText(access.refused) : null;
    return html`<div part="base" class="base">
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
    if (!this.#project || changed.has("room") || changed.has("server") || changed.has("project")) this.#openProject();
    else if (changed.has("entry")) this.#schedule();
    if (signInChanged(changed)) this.#access.update();
    if (changed.has("server") || this.#frameFor === null) void this.#loadFrame();
    // The iframe lit rendered: bind a channel to it once it exists.
    const frame = this.renderRoot.querySelector("iframe");
    if (frame && frame !== this.#frame) this.#bindFrame(frame);
  }

  #openProject(): void {
    this.#closeProject();
    if (this.room) {
      let lease;
      try {
        lease = acquireRoomClient({ server: this.server, room: this.room });
      } catch (error) {
        this.#setState("error", `Cannot open room: ${(error as Error).message}`);
        return;
      }
      const { client } = lease;
      const inline = readInlineFiles(this);
      this.#project = {
        doc: client.doc,
        ready: client.whenSynced().then(() => seedRoom(client.doc, inline)),
        release: () => {
          this.#access.detach();
          lease.release();
        },
      };
      this.#access.attach(lease);
    } else if (this.project) {
      const lease = acquireLocalProject(this.project, readSharedSeed(this, this.project));
      this.#project = { doc: lease.doc, ready: Promise.resolve(), release: () => lease.release() };
    } else {
      const doc = new Y.Doc();
      seedFiles(doc, readInlineFiles(this));
      this.#project = { doc, ready: Promise.resolve(), release: () => doc.destroy() };
    }
    // A new project: nothing built so far is worth reusing.
    this.#builder = undefined;
    const project = this.#project;
    project.doc.on("update", this.#schedule);
    void project.ready.then(() => {
      if (project === this.#project) this.#schedule();
    });
  }

  #closeProject(): void {
    this.#scheduled = 0;
    this.#project?.doc.off("update", this.#schedule);
    this.#project?.release();
    this.#project = undefined;
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
      if (this.#scheduled !== request) return; // cancelled by #closeProject
      this.#scheduled = 0;
      const project = this.#project;
      void project?.ready
        .then(loadBuild)
        .then(
          (build) => project === this.#project && this.#build(build),
          (error: Error) => this.#setState("error", `The preview failed to load: ${error.message}`),
        );
    });
  };

  #build(build: typeof import("../core/build/index.js")): void {
    const project = this.#project;
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
    this.#frameFor = server;
    let previewOrigin: string;
    let serverOrigin: string;
    try {
      serverOrigin = new URL(server).origin;
      previewOrigin = await previewOriginOf(serverOrigin);
    } catch (error) {
      this.#setState("error", `Cannot reach the spike server: ${(error as Error).message}`);
      this.#frameFor = null;
      return;
    }
    if (server !== this.server) return;
    // The frame runs untrusted user code. allow-same-origin gives it its real origin (so its messages can be checked
    // against that origin, and blob: URLs and storage work as on any page); that is safe only because that origin is on a
    // different *site*: the browser then treats the frame as a foreign page, which cannot read parent.document or our
    // cookies. If the server hands us an origin on the same site as this page *or as the spike server* (a deployment
    // without PREVIEW_ORIGIN, embedded on a third-party blog), we drop allow-same-origin and the frame gets an opaque
    // origin: user code must never run as the server's own origin. Never allow-top-navigation: user code must not be
    // able to navigate the host page away. allow-forms: without it a React onSubmit never fires (the CSP's
    // form-action 'none' still stops real form navigations).
    const preview = new URL(previewOrigin);
    const sameSite = isSameSite(preview, new URL(location.href)) || isSameSite(preview, new URL(serverOrigin));
    this._sandbox = sameSite ? "allow-scripts allow-forms" : "allow-scripts allow-forms allow-same-origin";
    this.#frameOrigin = sameSite ? "null" : previewOrigin;
    this._frameSrc = frameUrl(previewOrigin, { parent: location.origin, server: serverOrigin });
  }

  #bindFrame(frame: HTMLIFrameElement): void {
    this.#channel?.dispose();
    this.#frame = frame;
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

  #teardown(): void {
    this.#closeProject();
    this.#channel?.dispose();
    this.#channel = undefined;
    this.#frame = null;
    this.#frameFor = null;
    this._frameSrc = null;
  }
}

if (!customElements.get("spike-preview")) customElements.define("spike-preview", SpikePreview);

declare global {
  interface HTMLElementTagNameMap {
    "spike-preview": SpikePreview;
  }
}
