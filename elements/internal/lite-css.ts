/**
 * The page-level rules of lite embeds, shipped as `spike.css` (the build writes it from LITE_CSS:
 * scripts/build/lite-css.mjs) and injected by spike.js too: an element's size and border before its script defines it,
 * and its inline sources shown as code to readers without JavaScript. No imports, so the build can evaluate this module.
 */

/** The code font and line height both the lite view and Monaco use (elements/internal/editor-live.ts). */
export const CODE_FONT = 'ui-monospace, "SF Mono", Menlo, Consolas, "Droid Sans Mono", monospace';
/** Line height as a multiple of the font size, for both. */
export const LINE_HEIGHT = 1.5;
/** Monaco's top padding (px), mirrored by the lite view. */
export const CODE_PADDING_TOP = 16;

/**
 * The page-level rules, shipped as `spike.css` (link it in `<head>`) and injected by the script as well. Before the
 * elements are defined they get their final size and border, and their inline `<script type="text/plain">` sources show
 * as preformatted code (a script element displays like any other once CSS says so).
 */
export const LITE_CSS = `spike-editor:not(:defined):not([hidden]), spike-preview:not(:defined):not([hidden]),
spike-chat:not(:defined):not([hidden]) {
  display: block;
  box-sizing: border-box;
  overflow: auto;
  border: 1px solid #d1d9e0;
  border-radius: 8px;
}
spike-editor:not(:defined) { height: var(--spike-editor-height, 320px); }
spike-preview:not(:defined) { height: var(--spike-preview-height, 320px); }
spike-chat:not(:defined) { height: var(--spike-chat-height, 420px); }
spike-room:not(:defined) { display: contents; }
:is(spike-editor, spike-preview, spike-room):not(:defined) script[type="text/plain"][data-file] {
  display: block;
  margin: 0;
  padding: ${CODE_PADDING_TOP}px 16px 8px;
  white-space: pre;
  font-family: var(--spike-font-family, ${CODE_FONT});
  font-size: var(--spike-font-size, 14px);
  line-height: ${LINE_HEIGHT};
}
:is(spike-editor, spike-preview, spike-room):not(:defined) script[type="text/plain"][data-file]::before {
  content: "// " attr(data-file);
  display: block;
  opacity: 0.6;
}
`;

let injected = false;
/** Add LITE_CSS to the document once (harmless beside a linked spike.css: the same rules). */
export function injectLiteCss(): void {
  if (injected || typeof document === "undefined") return;
  injected = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(LITE_CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
