/**
 * The host side of the preview frame's postMessage protocol (elements/internal/preview-frame/messages.ts): sends the
 * frame what changed since it last heard from us, accepts messages only from that frame's window at its origin, and
 * notices when the frame stops answering (user code stuck where no loop guard reaches).
 */
import type { BuiltModule } from "../../core/build/index.js";
import { isFrameMessage, type FrameMessage, type FrameModule, type UpdateMessage } from "./preview-frame/messages.js";

/** What the channel reports to its element. */
export interface PreviewChannelHandlers {
  onMessage(message: FrameMessage): void;
  /** No answer to an update for {@link UNRESPONSIVE_AFTER_MS}; called once per silence. */
  onUnresponsive(): void;
}

/** How long a frame may take to answer an update before the element says it is not responding. */
export const UNRESPONSIVE_AFTER_MS = 4000;

/**
 * One frame's channel. `origin` is the frame's origin, or `"null"` for a frame sandboxed without allow-same-origin
 * (opaque origin: then the window check alone identifies it, and messages must be sent with target `*`).
 * @example const channel = new PreviewChannel(iframe, "http://127.0.0.1:8787", handlers); channel.send("index.tsx", result.modules, moduleVersions(result.modules));
 */
export class PreviewChannel {
  #iframe: HTMLIFrameElement;
  #origin: string;
  #handlers: PreviewChannelHandlers;
  #ready = false;
  #seq = 0;
  /** Hash of each module's code as the frame has it. */
  #sent = new Map<string, string>();
  #latest: { entry: string; modules: ReadonlyMap<string, BuiltModule>; versions: ReadonlyMap<string, string> } | undefined;
  #watchdog: ReturnType<typeof setTimeout> | undefined;

  constructor(iframe: HTMLIFrameElement, origin: string, handlers: PreviewChannelHandlers) {
    this.#iframe = iframe;
    this.#origin = origin;
    this.#handlers = handlers;
    addEventListener("message", this.#onMessage);
  }

  /**
   * Send the project as it is now (`versions` from C1 moduleVersions); only code the frame has not seen travels. Held
   * until the frame says it is ready.
   */
  send(entry: string, modules: ReadonlyMap<string, BuiltModule>, versions: ReadonlyMap<string, string>): void {
    this.#latest = { entry, modules, versions };
    if (!this.#ready) return;
    const changed: Record<string, FrameModule> = {};
    for (const [file, module] of modules) {
      if (this.#sent.get(file) === module.hash) continue;
      changed[file] = { code: module.code, projectImports: module.projectImports, packageImports: module.packageImports };
      this.#sent.set(file, module.hash);
    }
    for (const file of this.#sent.keys()) if (!modules.has(file)) this.#sent.delete(file);
    const message: UpdateMessage = {
      type: "spike:update",
      seq: ++this.#seq,
      entry,
      versions: Object.fromEntries(versions),
      modules: changed,
    };
    this.#iframe.contentWindow?.postMessage(message, this.#origin === "null" ? "*" : this.#origin);
    this.#armWatchdog();
  }

  dispose(): void {
    removeEventListener("message", this.#onMessage);
    clearTimeout(this.#watchdog);
  }

  #onMessage = (event: MessageEvent): void => {
    // Our frame's window, at the origin it must have; a message from anything else is not for us.
    if (event.source !== this.#iframe.contentWindow || event.origin !== this.#origin || !isFrameMessage(event.data)) return;
    const message = event.data;
    if (message.type === "spike:ready") {
      // A fresh document (first load, or the frame reloaded itself): it has nothing, so send everything again.
      this.#ready = true;
      this.#sent.clear();
      if (this.#latest) this.send(this.#latest.entry, this.#latest.modules, this.#latest.versions);
    } else if ((message.type === "spike:rendered" || message.type === "spike:error") && message.seq === this.#seq) {
      clearTimeout(this.#watchdog);
      this.#watchdog = undefined;
    }
    this.#handlers.onMessage(message);
  };

  #armWatchdog(): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => {
      this.#watchdog = undefined;
      this.#handlers.onUnresponsive();
    }, UNRESPONSIVE_AFTER_MS);
  }
}
