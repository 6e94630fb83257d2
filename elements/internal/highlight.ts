/**
 * The lite view's highlighter: the code as lit content, coloured by the tokenizer in tokenize.ts (Monaco's TypeScript
 * grammar, about 1 KB gzip, where Prism with its TS/TSX grammars is about 7 KB and sets a page-global `window.Prism` that a
 * blog may already have).
 */
import { html } from "lit";
import { tokenize } from "./tokenize.js";

export { tokenize, type TokenKind } from "./tokenize.js";

/**
 * The code as lit content for a `<pre>`: a `<span class="t-keyword">` (etc.) per coloured token.
 * @example html`<pre>${highlight(source)}</pre>`
 */
export function highlight(text: string) {
  return tokenize(text).map(([kind, piece]) => (kind ? html`<span class="t-${kind}">${piece}</span>` : piece));
}
