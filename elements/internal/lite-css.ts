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

/** Monaco's token colours (vs and vs-dark), the lite view's too (elements/internal/lite-styles.ts). */
export const LIGHT_TOKENS: Record<string, string> = { comment: "#008000", string: "#a31515", keyword: "#0000ff", type: "#008080", number: "#098658", regexp: "#800000" };
export const DARK_TOKENS: Record<string, string> = { comment: "#608b4e", string: "#ce9178", keyword: "#569cd6", type: "#3dc9b0", number: "#b5cea8", regexp: "#b46695" };

/**
 * Colours for the highlighted `<pre data-file>` the docs-site plugins write inside an editor (integrations/docs-embed.ts),
 * shown until the element is defined: the editor's `theme` attribute picks the scheme, as it does for the lite view.
 */
function tokenColours(theme: string, colours: Record<string, string>): string {
  return Object.entries(colours)
    .map(([kind, colour]) => `spike-editor${theme}:not(:defined) > pre[data-file] .t-${kind} { color: ${colour}; }`)
    .join("\n");
}

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
:is(spike-editor, spike-preview, spike-room):not(:defined) > pre[data-file] {
  margin: 0;
  padding: ${CODE_PADDING_TOP}px 16px 8px 68px;
  background: none;
  white-space: pre;
  tab-size: 2;
  font-family: var(--spike-font-family, ${CODE_FONT});
  font-size: var(--spike-font-size, 14px);
  line-height: ${LINE_HEIGHT};
}
${tokenColours(":not([theme=dark])", LIGHT_TOKENS)}
${tokenColours("[theme=dark]", DARK_TOKENS)}
@media (prefers-color-scheme: dark) {
${tokenColours(":not([theme])", DARK_TOKENS)}
${tokenColours("[theme=auto]", DARK_TOKENS)}
}
.spike-embed { display: grid; gap: 8px; margin: 16px 0; }
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
