/**
 * Styles of the lite view (elements/internal/lite-element.ts): the highlighted code in Monaco's colours, font, line height
 * and padding (so the editor replaces it without a jump), the poster's Run button. The page-level rules: lite-css.ts.
 */
import { css, unsafeCSS } from "lit";
import { CODE_FONT, CODE_PADDING_TOP, DARK_TOKENS, LIGHT_TOKENS, LINE_HEIGHT } from "./lite-css.js";

export { CODE_FONT, CODE_PADDING_TOP, LINE_HEIGHT, injectLiteCss } from "./lite-css.js";

/** The lite view inside an element's shadow root: the code, its line numbers, the affordance; token colours as Monaco's. */
export const liteStyles = css`
  .lite-code {
    position: relative;
    display: flex;
    flex: 1;
    min-height: 0;
    overflow: auto;
    background: var(--_bg);
    font-family: var(--spike-font-family, ${unsafeCSS(CODE_FONT)});
    font-size: var(--spike-font-size, 14px);
    line-height: ${LINE_HEIGHT};
  }
  .lite-code pre,
  .lite-code .gutter {
    margin: 0;
    padding: ${CODE_PADDING_TOP}px 0 8px;
    font: inherit;
    white-space: pre;
  }
  .lite-code pre {
    flex: 1;
    padding-left: 16px;
    color: var(--_fg);
    tab-size: 2;
  }
  .lite-code .gutter {
    box-sizing: border-box;
    flex: none;
    width: 52px;
    padding-right: 10px;
    text-align: right;
    color: #6e7681;
    user-select: none;
  }
  .lite-code.skeleton pre::after {
    content: "";
    display: block;
    width: 60%;
    height: 60%;
    border-radius: 4px;
    background: repeating-linear-gradient(var(--_bar) 0 12px, transparent 12px 21px);
  }
  .base.lite {
    position: relative;
  }
  .lite .messages {
    position: relative;
  }
  .poster {
    position: relative;
    flex: 1;
    min-height: 0;
  }
  .activate {
    position: absolute;
    top: 10px;
    right: 10px;
    z-index: 5;
    padding: 4px 12px;
    border: 1px solid var(--_line);
    border-radius: 6px;
    background: var(--_bar);
    color: var(--_fg);
    font: 13px var(--spike-ui-font-family, system-ui, sans-serif);
    cursor: pointer;
  }
  .activate:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .activate.run {
    top: 50%;
    left: 50%;
    right: auto;
    transform: translate(-50%, -50%);
    padding: 10px 22px;
    border-color: var(--_button);
    background: var(--_button);
    color: #ffffff;
    font-size: 15px;
  }
  .lite.clickable {
    cursor: pointer;
  }
  .lite.clickable pre {
    cursor: text;
  }
  .dark .lite-code .gutter {
    color: #858585;
  }
  ${unsafeCSS(Object.entries(LIGHT_TOKENS).map(([kind, colour]) => `.t-${kind} { color: ${colour}; }`).join("\n"))}
  ${unsafeCSS(Object.entries(DARK_TOKENS).map(([kind, colour]) => `.dark .t-${kind} { color: ${colour}; }`).join("\n"))}
`;
