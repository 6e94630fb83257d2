/**
 * <spike-preview>: runs a project in an iframe on another site and re-renders it on every change. The project is a room's
 * shared Y.Doc, a named local project shared with editors on the page, or this element's own inline files; it is built in
 * the page (core/build, milliseconds per edit) and only the modules that changed are posted to the frame. This module is
 * the light shell (properties, the poster); the build, the frame and the room load with elements/internal/preview-live.ts.
 */
import { html, nothing } from "lit";
import { property } from "lit/decorators.js";
import { LiteElement, type LivePart } from "./internal/lite-element.js";
import { liteStyles } from "./internal/lite-styles.js";
import { DEFAULT_ENTRY } from "./internal/lite-source.js";
import { paletteStyles } from "./internal/palette.js";
import { markPreviewPending } from "./internal/preview-pending.js";
import { previewStyles } from "./internal/preview-styles.js";

/** What the shell reads from its live part (elements/internal/preview-live.ts, loaded on demand). */
export interface PreviewLivePart extends LivePart {
  readonly currentEntry: string;
}

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
 * Until it loads (see `loading`) it shows a poster with a "Run" button in the same box.
 *
 * @csspart base - The frame around the preview and status bar (also around the poster).
 * @csspart activate - The poster's "Run" button, shown until the preview loads.
 * @csspart frame - The iframe the project runs in.
 * @csspart error - The build error overlay (message and file:line), shown over the last good render.
 * @csspart status - The status bar: entry file and state (a polite live region).
 * @csspart badge - The "Version <n>" badge, shown when the preview runs a saved version (`version`).
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
export class SpikePreview extends LiteElement<PreviewLivePart> {
  static override styles = [paletteStyles, previewStyles, liteStyles];

  /** The file to run. Defaults to the project's own entry, else `index.tsx`. */
  @property() entry?: string;

  /** The entry file the preview runs now (before it loads: `entry`, else `index.tsx`). */
  get currentEntry(): string {
    return this.live?.currentEntry ?? (this.entry || DEFAULT_ENTRY);
  }

  protected override createLive(): Promise<PreviewLivePart> {
    // Editors on the page let this preview render first (elements/internal/preview-pending.ts).
    markPreviewPending(this);
    return import("./internal/preview-live.js").then((m) => new m.PreviewLive(this));
  }

  protected override render() {
    if (this.live) return this.live.render();
    const waiting = this.activating || this.loading === "eager";
    return html`<div part="base" class="base lite ${this.scheme}">
      <div class="poster">
        ${waiting
          ? nothing
          : html`<button part="activate" class="activate run" type="button" aria-label="Run ${this.currentEntry}" @click=${this.activate}>
              ▶ Run
            </button>`}
      </div>
      <div part="status" class="bar">
        <span class="file">${this.currentEntry}</span>
        <span class="status">${waiting ? "Loading preview…" : "Not running yet"}</span>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "spike-preview": SpikePreview;
  }
}
