/**
 * Monaco's CSS, collected while its modules evaluate: rollup.config.mjs turns each of Monaco's `.css` imports into a call
 * to {@link addMonacoStyles}, so the editor can adopt the whole sheet into a shadow root instead of document.head.
 */
const collected: string[] = [];

/** Called by the build-generated CSS modules; not for application code. */
export function addMonacoStyles(css: string): void {
  collected.push(css);
}

/**
 * Everything collected so far, in import order.
 * @example new CSSStyleSheet().replaceSync(monacoStyles())
 */
export function monacoStyles(): string {
  return collected.join("\n");
}
