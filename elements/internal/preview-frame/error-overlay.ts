/**
 * The frame's error overlay: the message, `file:line` and the mapped stack, over the last good render. It lives in a
 * shadow root on <html> (not <body>), so user CSS cannot restyle it and user code that replaces the body keeps it.
 */
import type { FrameError } from "./messages.js";

const STYLE = `
  :host { all: initial; }
  .overlay { position: fixed; inset: 0; z-index: 2147483647; overflow: auto; padding: 16px 20px; box-sizing: border-box;
    background: rgb(255 255 255 / 0.94); color: #1f2328; font: 13px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
  @media (prefers-color-scheme: dark) { .overlay { background: rgb(13 17 23 / 0.94); color: #e6edf3; } }
  .overlay[hidden] { display: none; }
  .title { margin: 0 0 4px; color: #cf222e; font-weight: 600; font-size: 12px; letter-spacing: 0.02em; text-transform: uppercase; }
  .message { margin: 0 0 8px; font: 600 14px/1.45 ui-monospace, "SF Mono", Menlo, Consolas, monospace; white-space: pre-wrap;
    overflow-wrap: anywhere; }
  .where { display: inline-block; margin-bottom: 12px; padding: 1px 8px; border-radius: 999px; background: rgb(207 34 46 / 0.1);
    color: #cf222e; font: 12px ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
  .where:empty { display: none; }
  .stack { margin: 0; opacity: 0.7; font: 12px/1.5 ui-monospace, "SF Mono", Menlo, Consolas, monospace; white-space: pre-wrap; }
`;

/** The overlay element and its parts. */
export class ErrorOverlay {
  #host = document.createElement("spike-error-overlay");
  #overlay: HTMLDivElement;
  #title: HTMLParagraphElement;
  #message: HTMLPreElement;
  #where: HTMLSpanElement;
  #stack: HTMLPreElement;

  constructor() {
    const root = this.#host.attachShadow({ mode: "open" });
    root.innerHTML = `<style>${STYLE}</style><div class="overlay" role="alert" hidden>
      <p class="title"></p><pre class="message"></pre><span class="where"></span><pre class="stack"></pre></div>`;
    this.#overlay = root.querySelector(".overlay")!;
    this.#title = root.querySelector(".title")!;
    this.#message = root.querySelector(".message")!;
    this.#where = root.querySelector(".where")!;
    this.#stack = root.querySelector(".stack")!;
  }

  /**
   * Show `error` under a heading such as "Runtime error".
   * @example overlay.show("Runtime error", { message: "boom", location: { file: "App.tsx", line: 3, column: 4 } });
   */
  show(title: string, error: FrameError): void {
    if (!this.#host.isConnected) document.documentElement.append(this.#host);
    this.#title.textContent = title;
    this.#message.textContent = error.message;
    this.#where.textContent = error.location ? `${error.location.file}:${error.location.line}:${error.location.column + 1}` : "";
    this.#stack.textContent = error.stack ?? "";
    this.#overlay.hidden = false;
  }

  hide(): void {
    this.#overlay.hidden = true;
  }

  get visible(): boolean {
    return !this.#overlay.hidden;
  }
}
