/**
 * The shadow-root styles of <spike-playground>: one frame around the inner elements (whose own borders and corners are
 * turned off), the three layouts as classes on `.base` (`split`, `tabs`, `stacked`), the separator and the view tabs.
 * Colours are the palette's tokens (elements/internal/palette.ts), which comes first in the element's styles.
 */
import { css } from "lit";

export const playgroundStyles = css`
  :host {
    display: block;
    max-width: 100%;
  }
  [hidden] {
    display: none !important;
  }
  .base {
    box-sizing: border-box;
    display: flex;
    flex-direction: column;
    max-width: 100%;
    overflow: hidden;
    border: var(--spike-border, 1px solid var(--_line));
    border-radius: var(--spike-radius, 8px);
    background: var(--_bg);
    color: var(--_fg);
    font-family: var(--spike-ui-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  }
  /* The frame is the playground's; the elements inside draw none of their own. */
  spike-tabs,
  spike-editor,
  spike-preview,
  spike-console,
  spike-chat,
  spike-versions {
    --spike-border: 0;
    --spike-radius: 0;
    min-width: 0;
  }
  .main {
    display: flex;
    min-height: 0;
  }
  .pane {
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
  }
  .output {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }

  /* split: code | output side by side, one fixed height; the console under the preview. */
  .split .main {
    height: var(--spike-playground-height, 480px);
  }
  .split .code {
    flex: 0 0 var(--_split, 50%);
  }
  .split .output {
    flex: 1 1 0;
  }
  .split spike-editor,
  .split .preview,
  .split spike-preview {
    flex: 1 1 0;
    min-height: 0;
  }
  .split .console {
    flex: 0 0 var(--spike-playground-console-height, 35%);
    border-top: 1px solid var(--_line);
  }
  .split .chat {
    flex: 0 0 var(--spike-playground-chat-width, 30%);
    border-left: 1px solid var(--_line);
  }
  .split .versions {
    flex: 0 0 var(--spike-playground-versions-width, 30%);
    border-left: 1px solid var(--_line);
  }

  /* tabs: one view at a time, chosen in the view tab list. */
  .tabs .main {
    flex-direction: column;
    height: var(--spike-playground-height, 480px);
  }
  .tabs .output {
    display: contents;
  }
  .tabs .pane,
  .tabs spike-editor,
  .tabs spike-preview,
  .tabs spike-console,
  .tabs spike-chat,
  .tabs spike-versions {
    flex: 1 1 0;
    min-height: 0;
  }

  /* stacked: everything in one column, each at its own height, for narrow screens; the page scrolls. */
  .stacked .main {
    flex-direction: column;
  }
  .stacked .output,
  .stacked .console,
  .stacked .chat,
  .stacked .versions {
    border-top: 1px solid var(--_line);
  }
  .stacked spike-editor {
    height: var(--spike-editor-height, 300px);
  }
  .stacked spike-preview {
    height: var(--spike-preview-height, 300px);
  }
  .stacked .console {
    height: var(--spike-playground-console-height, 180px);
  }
  .console > spike-console {
    flex: 1 1 0;
    min-height: 0;
  }
  /* The versions pane fills its column (or its view): its list scrolls inside. */
  .versions > spike-versions {
    --spike-versions-height: 100%;
  }
  .stacked .versions > spike-versions {
    --spike-versions-height: auto;
  }
  .split .chat > spike-chat,
  .split .versions > spike-versions {
    flex: 1 1 0;
    min-height: 0;
  }

  .separator {
    flex: 0 0 9px;
    margin: 0 -4px;
    z-index: 1;
    box-sizing: border-box;
    background: linear-gradient(to right, transparent 4px, var(--_line) 4px, var(--_line) 5px, transparent 5px);
    cursor: col-resize;
    /* A finger drags the separator instead of scrolling the page. */
    touch-action: none;
  }
  .separator:hover,
  .dragging .separator {
    background: linear-gradient(to right, transparent 3px, var(--_accent) 3px, var(--_accent) 6px, transparent 6px);
  }
  .separator:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  /* While dragging, the panes (the preview's iframe above all) let the pointer through to the separator. */
  .dragging .pane {
    pointer-events: none;
    user-select: none;
  }

  .views {
    display: flex;
    gap: 2px;
    padding: 4px 6px 0;
    border-bottom: 1px solid var(--_line);
    background: var(--_bar);
    overflow-x: auto;
  }
  .views button {
    min-height: 32px;
    padding: 4px 14px;
    border: 1px solid transparent;
    border-bottom: 0;
    border-radius: 6px 6px 0 0;
    background: transparent;
    color: var(--_muted);
    font: inherit;
    font-size: 13px;
    cursor: pointer;
  }
  .views button[aria-selected="true"] {
    border-color: var(--_line);
    background: var(--_bg);
    color: var(--_fg);
    margin-bottom: -1px;
  }
  .views button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
`;
