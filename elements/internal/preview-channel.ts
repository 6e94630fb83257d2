/**
 * The host side of the preview frame's postMessage protocol (elements/internal/preview-frame/messages.ts): sends the
 * frame what changed since it last heard from us, accepts messages only from that frame's window at its origin, throttles
 * them (user code runs in that window and can post anything the frame may send, as fast as it likes), and notices when
 * the frame stops answering (user code stuck where no loop guard reaches).
 */
import type { BuiltModule } from "../../core/build/index.js";
import { TokenBucket, type BucketLimit } from "../../core/token-bucket.js";
import { isFrameMessage, type FrameMessage, type FrameModule, type FramePackages, type UpdateMessage } from "./preview-frame/messages.js";

/** What the channel reports to its element. */
export interface PreviewChannelHandlers {
  onMessage(message: FrameMessage): void;
  /** No answer to an update for {@link UNRESPONSIVE_AFTER_MS}; called once per silence. */
  onUnresponsive(): void;
}

/** How long a frame may take to answer an update before the element says it is not responding. */
export const UNRESPONSIVE_AFTER_MS = 4000;

/** Console messages passed on: a burst, then a sustained rate; the rest are dropped and counted. */
export const CONSOLE_LIMIT: BucketLimit = { capacity: 300, refillPerSecond: 100 };
/** Renders and errors passed on; past this only the newest waits, and goes out once there is room. */
export const REPORT_LIMIT: BucketLimit = { capacity: 100, refillPerSecond: 20 };
/** A `spike:ready` makes us send every module again: acted on at most once per this many ms (the last one always). */
export const READY_INTERVAL_MS = 250;
/** How often dropped console messages are summed up in one console entry, and a held report goes out. */
const FLUSH_MS = 1000;

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
  #console = new TokenBucket(CONSOLE_LIMIT);
  #reports = new TokenBucket(REPORT_LIMIT);
  /** Console messages dropped since the last summary. */
  #dropped = 0;
  /** The newest render or error report that did not fit in its bucket. */
  #heldReport: FrameMessage | undefined;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #lastReadyAt = -Infinity;
  /** Our end of the frame's update port, once the frame has been sent the other end. */
  #port: MessagePort | undefined;
  #readyTimer: ReturnType<typeof setTimeout> | undefined;
  /** The offline set for a frame told `packages=host` (preview-packages.ts); the next update after a ready carries it. */
  #packages: Promise<FramePackages | null> | undefined;
  #packagesDue: FramePackages | undefined;

  /** `packages`: for a frame whose URL says `packages=host`; its first update after each `spike:ready` waits for them. */
  constructor(iframe: HTMLIFrameElement, origin: string, handlers: PreviewChannelHandlers, packages?: Promise<FramePackages | null>) {
    this.#iframe = iframe;
    this.#origin = origin;
    this.#handlers = handlers;
    this.#packages = packages;
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
      ...this.#takePackages(),
    };
    this.#post(message);
    this.#armWatchdog();
  }

  /**
   * Updates travel on a MessagePort handed to the frame with the first one: Chromium forwards a cross-process
   * `window.postMessage` from a task it posts after the current one (RemoteDOMWindow::SchedulePostMessage), which on a
   * keystroke runs only after the editor has rendered, while a port's message leaves at once (bench/preview-profile.mjs).
   */
  #post(message: UpdateMessage): void {
    if (this.#port) return this.#port.postMessage(message);
    const channel = new MessageChannel();
    this.#iframe.contentWindow?.postMessage(message, this.#origin === "null" ? "*" : this.#origin, [channel.port2]);
    this.#port = channel.port1;
  }

  dispose(): void {
    this.#port?.close();
    removeEventListener("message", this.#onMessage);
    clearTimeout(this.#watchdog);
    clearTimeout(this.#flushTimer);
    clearTimeout(this.#readyTimer);
  }

  #onMessage = (event: MessageEvent): void => {
    // Our frame's window, at the origin it must have; a message from anything else is not for us.
    if (event.source !== this.#iframe.contentWindow || event.origin !== this.#origin || !isFrameMessage(event.data)) return;
    const message = event.data;
    switch (message.type) {
      case "spike:ready":
        return this.#onReady();
      case "spike:console":
        return this.#onConsole(message);
      case "spike:rendered":
      case "spike:error":
        return this.#onReport(message);
      default:
        message satisfies never;
    }
  };

  /** A fresh document (first load, or the frame reloaded itself) has nothing, so send everything again; not too often. */
  #onReady(): void {
    const wait = this.#lastReadyAt + READY_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.#readyTimer ??= setTimeout(() => {
        this.#readyTimer = undefined;
        this.#onReady();
      }, wait);
      return;
    }
    this.#lastReadyAt = Date.now();
    if (this.#packages) return void this.#packages.then((packages) => this.#readyWith(packages));
    this.#readyWith(null);
  }

  /** The frame is ready: everything goes again, the first update with the offline set when there is one. */
  #readyWith(packages: FramePackages | null): void {
    this.#packagesDue = packages ?? undefined;
    this.#ready = true;
    this.#sent.clear();
    // A fresh document has not got our port: the next update brings a new one.
    this.#port?.close();
    this.#port = undefined;
    if (this.#latest) this.send(this.#latest.entry, this.#latest.modules, this.#latest.versions);
    this.#handlers.onMessage({ type: "spike:ready" });
  }

  /** `{ packages }` for the first update after a ready, `{}` for the others. */
  #takePackages(): { packages?: FramePackages } {
    const packages = this.#packagesDue;
    this.#packagesDue = undefined;
    return packages ? { packages } : {};
  }

  #onConsole(message: FrameMessage & { type: "spike:console" }): void {
    if (!this.#console.take().ok) {
      this.#dropped++;
      return this.#scheduleFlush();
    }
    this.#handlers.onMessage(message);
  }

  #onReport(message: FrameMessage & { type: "spike:rendered" | "spike:error" }): void {
    if (message.seq === this.#seq) {
      clearTimeout(this.#watchdog);
      this.#watchdog = undefined;
    }
    if (!this.#reports.take().ok) {
      this.#heldReport = message;
      return this.#scheduleFlush();
    }
    this.#handlers.onMessage(message);
  }

  #scheduleFlush(): void {
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = undefined;
      this.#reportDropped();
      const held = this.#heldReport;
      this.#heldReport = undefined;
      if (held) this.#handlers.onMessage(held);
    }, FLUSH_MS);
  }

  /** One console entry for the messages dropped since the last one (at most one a {@link FLUSH_MS}). */
  #reportDropped(): void {
    if (this.#dropped === 0) return;
    const count = this.#dropped;
    this.#dropped = 0;
    const text = `${count} console ${count === 1 ? "message" : "messages"} dropped: the preview logged faster than ${CONSOLE_LIMIT.refillPerSecond} a second`;
    this.#handlers.onMessage({ type: "spike:console", level: "warn", args: [text] });
  }

  #armWatchdog(): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => {
      this.#watchdog = undefined;
      this.#handlers.onUnresponsive();
    }, UNRESPONSIVE_AFTER_MS);
  }
}
