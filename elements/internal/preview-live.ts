/**
 * The live part of <spike-preview> (its own chunk, loaded when the element leaves lite mode): the project the element's
 * frame opens (elements/internal/room-frame.ts), built in the page on every change and run in the preview frame.
 */
import { html, nothing, type PropertyValues } from "lit";
import { keyed } from "lit/directives/keyed.js";
import * as Y from "yjs";
import { DEFAULT_ENTRY, assetModules, entryOf, readFiles, roomUrl, seedFiles } from "../../core/index.js";
import type { BuildError, ProjectBuilder } from "../../core/build/index.js";
import type { SpikePreview } from "../spike-preview.js";
import { reportElementError } from "./error-reports.js";
import { emit } from "./events.js";
import type { LivePart } from "./lite-element.js";
import { readInlineFiles } from "./local-project.js";
import { PreviewChannel } from "./preview-channel.js";
import { ConsoleReporter } from "./preview-console-report.js";
import { frameUrl, type FrameMessage, type FramePackages } from "./preview-frame/messages.js";
import { framePackages } from "./preview-packages.js";
import { loadBuild, type BuildModule } from "./preview-build.js";
import { markPreviewSettled } from "./preview-pending.js";
import { previewFrameSource, type PreviewFrameSource } from "./preview-origin.js";
import { refusalText, signInControl } from "./room-access.js";
import { RoomFrame, type Project } from "./room-frame.js";

type PreviewState = "loading" | "live" | "error";

/** Created by SpikePreview.load(): `new PreviewLive(preview)`; the element renders `live.render()` from then on. */
export class PreviewLive implements LivePart {
  #host: SpikePreview;
  #frameSrc: string | null = null;
  #sandbox = "allow-scripts";
  #buildErrors: BuildError[] = [];
  #state: PreviewState = "loading";
  #message = "Loading preview…";

  #builder?: ProjectBuilder;
  #channel?: PreviewChannel;
  #frameFor: string | null = null;
  /** Whether the frame was chosen for a local project (no room): see previewFrameSource. */
  #frameLocal = false;
  #iframe: HTMLIFrameElement | null = null;
  /** The frame's origin, or "null" when it is sandboxed without allow-same-origin (see #loadFrame). */
  #frameOrigin = "null";
  /** core/build once loaded, and the project whose `ready` has resolved: a change to it can be built at once. */
  #loaded: BuildModule | undefined;
  #readyProject: Project | undefined;
  /** A change came in this task that the build of this task has not seen. */
  #pending = false;
  /** The offline set the host passes to a frame with an opaque origin (it has no HTTP cache of its own): see preview-packages.ts. */
  #framePackages: Promise<FramePackages | null> | undefined;
  /** Non-zero while a rebuild is queued: the id of that request (0 = none, or cancelled). */
  #scheduled = 0;
  #requests = 0;
  #lastErrorKey = "";
  #frame: RoomFrame;
  /** Reports the app's console and runtime errors to the room's console log, while a live room is shown. */
  #reporter: ConsoleReporter | undefined;

  constructor(host: SpikePreview) {
    this.#host = host;
    // Fetch core/build now, beside the project and the frame, rather than once the project is open (a failure is
    // reported by the first build, which asks again).
    loadBuild().catch(() => {});
    this.#frame = new RoomFrame(host, {
      localProject: () => {
        const doc = new Y.Doc();
        seedFiles(doc, readInlineFiles(host));
        return doc;
      },
      open: (project) => this.#follow(project),
      failed: (message) => this.#setState("error", message),
      left: () => this.#teardown(),
    });
  }

  /** The entry file the preview runs now (see SpikePreview.currentEntry). */
  get currentEntry(): string {
    const project = this.#frame.project;
    return this.#host.entry || (project ? entryOf(project.doc) : DEFAULT_ENTRY);
  }

  hostConnected(): void {}

  render() {
    const errors = this.#buildErrors;
    const access = this.#frame.access;
    const refused = access.refused ? refusalText(access.refused) : null;
    const pinned = this.#frame.project?.version ?? null;
    return html`<div part="base" class="base ${this.#frame.scheme}">
      ${this.#frameSrc
        ? keyed(this.#frameSrc, html`<iframe
            part="frame"
            title="Preview of ${this.currentEntry}"
            sandbox=${this.#sandbox}
            src=${this.#frameSrc}
          ></iframe>`)
        : nothing}
      <div part="error" class="error" role="alert" tabindex="0" ?hidden=${errors.length === 0}>
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
        ${pinned !== null ? html`<span part="badge" class="badge" title="A saved version never changes">Version ${pinned}</span>` : nothing}
        <span class="status" role="status" aria-live="polite">
          <span class="dot is-${refused ? "error" : this.#state}" aria-hidden="true"></span>${refused ?? this.#message}
        </span>
        ${signInControl(access)}
      </div>
    </div>`;
  }

  updated(changed: PropertyValues): void {
    if (!this.#host.isConnected) return;
    if (changed.has("entry")) this.#schedule();
    if (changed.has("server") || this.#frameFor === null || this.#frameLocal !== !this.#host.room) void this.#loadFrame();
    // The iframe lit rendered: bind a channel to it once it exists.
    const frame = this.#host.renderRoot.querySelector("iframe");
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
    // Only a live room has a console log to report to (a local project or a saved version has no client), and only a
    // plaintext one: an encrypted room's console lines are its code's output, which must not reach the server in clear.
    const client = project.client;
    const sealed = () => this.#host.roomKey !== undefined || client?.encrypted === true;
    const reporter = client && !sealed() ? new ConsoleReporter((entries) => client.http.appendConsole(entries)) : undefined;
    this.#reporter = reporter;
    return () => {
      reporter?.dispose();
      if (this.#reporter === reporter) this.#reporter = undefined;
      this.#scheduled = 0;
      project.doc.off("update", this.#schedule);
    };
  }

  /**
   * Rebuild on a change. Once core/build is loaded and the project ready, the first change of a task is built at once,
   * inside the editor's keystroke: the frame gets it before the editor has finished its own work on the key (measured
   * with bench/preview-profile.mjs). Further changes in the same task (a paste, a remote batch) are built once more at
   * the task's end, so a burst costs at most two builds. Before that, one build at the end of the task.
   */
  #schedule = (): void => {
    if (this.#scheduled) {
      this.#pending = true;
      return;
    }
    const request = (this.#scheduled = ++this.#requests);
    const project = this.#frame.project;
    const loaded = this.#loaded;
    this.#pending = false;
    if (loaded && project && project === this.#readyProject) this.#build(loaded);
    else this.#pending = true;
    queueMicrotask(() => {
      if (this.#scheduled !== request) return; // cancelled: the project was closed
      this.#scheduled = 0;
      if (!this.#pending) return;
      this.#pending = false;
      const project = this.#frame.project;
      void project?.ready
        .then(loadBuild)
        .then(
          (build) => {
            if (project !== this.#frame.project) return;
            this.#loaded = build;
            this.#readyProject = project;
            this.#build(build);
          },
          (error: Error) => {
            this.#setState("error", `The preview failed to load: ${error.message}`);
            reportElementError(this.#host, "build-load", error);
          },
        );
    });
  };

  #build(build: BuildModule): void {
    const project = this.#frame.project;
    if (!project) return;
    const entry = this.currentEntry;
    this.#builder ??= new build.ProjectBuilder({ refresh: true });
    // The room's images and fonts build as modules whose default export is their URL (core/assets.ts assetModules).
    const room = this.#host.room;
    const assets = room ? assetModules(project.doc, roomUrl(this.#host.server, room, "")) : {};
    const result = this.#builder.update({ ...assets, ...readFiles(project.doc) });
    // Errors only count in files the entry reaches: a broken file nothing imports does not stop the preview.
    const errors = build.entryErrors(entry, result);
    this.#buildErrors = errors;
    if (errors.length > 0) {
      this.#setState("error", "Build error");
      const first = errors[0]!;
      const key = `${first.file}:${first.line}:${first.column}:${first.message}`;
      if (key !== this.#lastErrorKey) emit(this.#host, "spike-error", { kind: "build", ...first });
      this.#lastErrorKey = key;
      return;
    }
    this.#lastErrorKey = "";
    if (this.#state !== "live") this.#setState("loading", "Rendering…");
    this.#channel?.send(entry, result.modules, build.moduleVersions(result.modules));
    this.#host.requestUpdate();
  }

  async #loadFrame(): Promise<void> {
    const server = this.#host.server;
    const local = (this.#frameLocal = !this.#host.room);
    this.#frameFor = server;
    let source: PreviewFrameSource;
    try {
      source = await previewFrameSource(server, { local });
    } catch (error) {
      this.#setState("error", `Cannot reach the spike server: ${(error as Error).message}`);
      reportElementError(this.#host, "frame", error);
      this.#frameFor = null;
      return;
    }
    if (server !== this.#host.server || local !== this.#frameLocal) return;
    this.#sandbox = source.sandbox;
    this.#frameOrigin = source.origin;
    this.#framePackages = source.origin === "null" ? framePackages(source.npmBase) : undefined;
    this.#frameSrc = frameUrl(source.frameBase, { parent: location.origin, server: source.npmBase, hostPackages: !!this.#framePackages });
    // Render the frame now: it loads while core/build does, instead of after the first build asks for an update.
    this.#host.requestUpdate();
  }

  #bindFrame(frame: HTMLIFrameElement): void {
    this.#channel?.dispose();
    this.#iframe = frame;
    this.#channel = new PreviewChannel(frame, this.#frameOrigin, {
      onMessage: (message) => this.#onFrameMessage(message),
      onUnresponsive: () => this.#setState("error", "The preview is not responding (an endless loop?)"),
    }, this.#framePackages);
    this.#schedule();
  }

  #onFrameMessage(message: FrameMessage): void {
    switch (message.type) {
      case "spike:ready":
        break;
      case "spike:rendered":
        if (this.#buildErrors.length === 0) this.#setState("live", "Live");
        emit(this.#host, "spike-render", { entry: this.currentEntry, mode: message.mode });
        break;
      case "spike:error": {
        const { message: text, location, stack } = message.error;
        if (this.#buildErrors.length === 0) this.#setState("error", location ? `Error in ${location.file}:${location.line}` : "Runtime error");
        emit(this.#host, "spike-error", { kind: "runtime", message: text, file: location?.file, line: location?.line, column: location?.column, stack });
        this.#reporter?.add({ level: "error", text: stack?.includes(text) ? stack : stack ? `${text}\n${stack}` : text });
        break;
      }
      case "spike:console": {
        const { level, args, location } = message;
        // The host's own notes (dropped messages, malformed packages) come as text only.
        const values = message.values ?? args.map((text) => ({ type: "string" as const, text }));
        emit(this.#host, "spike-console", { level, args, values, file: location?.file, line: location?.line, column: location?.column });
        this.#reporter?.add({ level: level === "debug" ? "log" : level, text: args.join(" ") });
        break;
      }
        break;
    }
  }

  #setState(state: PreviewState, message: string): void {
    if (state !== "loading") markPreviewSettled(this.#host);
    this.#state = state;
    this.#message = message;
    this.#host.requestUpdate();
  }

  /** The frame let go of the project (the element left the page): the preview frame goes too. */
  #teardown(): void {
    markPreviewSettled(this.#host);
    this.#channel?.dispose();
    this.#channel = undefined;
    this.#iframe = null;
    this.#frameFor = null;
    this.#frameSrc = null;
  }
}
