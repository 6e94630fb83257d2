/**
 * The shadow-root styles of <spike-editor>: the frame around Monaco, the loading state, the keyboard hint, the status bar, remote carets (their base rules come with the live part: elements/internal/remote-cursors.ts).
 * Colours are the palette's tokens (elements/internal/palette.ts), which comes first in the element's styles.
 */
import { css } from "lit";
import { statusBarStyles } from "./status-bar-styles.js";

export const editorStyles = css`
  :host {
    display: block;
    height: var(--spike-editor-height, 320px);
  }
  .base {
    position: relative;
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    height: 100%;
    overflow: hidden;
    border: var(--spike-border, 1px solid var(--_line));
    border-radius: var(--spike-radius, 8px);
    background: var(--_bg);
    color: var(--_fg);
    font-family: var(--spike-ui-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  }
  .editor {
    position: relative;
    flex: 1;
    min-height: 0;
  }
  .loading {
    position: absolute;
    inset: 0 0 28px 0;
    z-index: 10;
    display: grid;
    place-items: center;
    background: var(--_bg);
    color: var(--_muted);
    font-size: 13px;
  }
  .loading[hidden] {
    display: none;
  }
  .loading .spinner {
    width: 18px;
    height: 18px;
    margin: 0 auto 8px;
    border: 2px solid var(--_line);
    border-top-color: var(--_muted);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  .loading.error .spinner {
    display: none;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  .hint {
    position: absolute;
    right: 10px;
    bottom: 38px;
    z-index: 20;
    max-width: calc(100% - 40px);
    padding: 4px 10px;
    border: 1px solid var(--_line);
    border-radius: 6px;
    background: var(--_bar);
    color: var(--_fg);
    font-size: 12px;
    pointer-events: none;
  }
  .hint[hidden] {
    display: none;
  }
  .keys {
    color: var(--_fg);
  }
  /* Takes the bar's free space and no more: a long message is cut, never widening the editor in a grid or flex layout. */
  .drop {
    flex: 1 1 0;
    width: 0;
    min-width: 0;
    overflow: hidden;
    text-align: end;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .drop.error {
    color: var(--spike-error-color, #cf222e);
  }
  ${statusBarStyles}
  .status {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    margin-left: auto;
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: #9198a1;
  }
  .dot.connected {
    background: #1f883d;
  }
  .dot.connecting {
    background: #d4a72c;
  }
  .dot.offline {
    background: #cf222e;
  }
  .dot.local {
    background: #0969da;
  }
`;
