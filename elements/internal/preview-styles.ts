/**
 * The shadow-root styles of <spike-preview>: the frame, the build error overlay, the status bar, in the palette's colours
 * (elements/internal/palette.ts). The app in the frame is not themed: it draws on `--spike-preview-background`.
 */
import { css } from "lit";
import { statusBarStyles } from "./status-bar-styles.js";

export const previewStyles = css`
  :host {
    display: block;
    height: var(--spike-preview-height, 320px);
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
    /* The app inside draws on white unless it says otherwise, like a fresh page. */
    background: var(--spike-preview-background, #ffffff);
    color: var(--_fg);
    font-family: var(--spike-ui-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  }
  iframe {
    flex: 1;
    min-height: 0;
    width: 100%;
    border: 0;
    background: transparent;
    color-scheme: light;
  }
  .error {
    position: absolute;
    inset: 0 0 28px 0;
    z-index: 10;
    overflow: auto;
    padding: 16px 20px;
    box-sizing: border-box;
    background: color-mix(in srgb, var(--_bar) 96%, transparent);
    font-size: 13px;
    line-height: 1.5;
  }
  .error[hidden] {
    display: none;
  }
  .error .title {
    margin: 0 0 8px;
    color: var(--_danger);
    font-size: 12px;
    font-weight: 600;
    letter-spacing: 0.02em;
    text-transform: uppercase;
  }
  .error .item + .item {
    margin-top: 12px;
  }
  .error .where {
    display: inline-block;
    padding: 1px 8px;
    border-radius: 999px;
    background: color-mix(in srgb, var(--_danger) 12%, transparent);
    color: var(--_danger);
    font: 12px var(--spike-font-family, ui-monospace, "SF Mono", Menlo, Consolas, monospace);
  }
  .error pre {
    margin: 6px 0 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    font: 600 13px/1.45 var(--spike-font-family, ui-monospace, "SF Mono", Menlo, Consolas, monospace);
  }
  ${statusBarStyles}
  .status {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    margin-left: auto;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .dot {
    flex: none;
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: #9198a1;
  }
  .dot.is-live {
    background: #1f883d;
  }
  .dot.is-loading {
    background: #d4a72c;
  }
  .dot.is-error {
    background: var(--_danger);
  }
`;
