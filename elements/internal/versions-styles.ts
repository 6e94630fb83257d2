/**
 * The shadow-root styles of <spike-versions>: the save form, the list of versions with their buttons (or a restore's
 * confirmation), and the status bar. Colours are the palette's tokens (elements/internal/palette.ts), which comes first.
 */
import { css } from "lit";
import { statusBarStyles } from "./status-bar-styles.js";

export const versionsStyles = css`
  :host {
    display: block;
  }
  .base {
    box-sizing: border-box;
    display: flex;
    flex-direction: column;
    height: var(--spike-versions-height, auto);
    min-height: 120px;
    border: var(--spike-border, 1px solid var(--_line));
    border-radius: var(--spike-radius, 8px);
    overflow: hidden;
    background: var(--_bg);
    color: var(--_fg);
    font-family: var(--spike-ui-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
    font-size: 13px;
  }
  .save {
    display: flex;
    gap: 6px;
    padding: 8px 10px;
    border-bottom: 1px solid var(--_line);
    background: var(--_bar);
  }
  .save input {
    flex: 1;
    min-width: 6em;
    padding: 4px 8px;
    border: 1px solid var(--_line);
    border-radius: 6px;
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
  }
  button {
    padding: 3px 10px;
    border: 1px solid var(--_line);
    border-radius: 6px;
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
    cursor: pointer;
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  button.primary {
    border-color: var(--_button);
    background: var(--_button);
    color: #ffffff;
  }
  button.danger {
    border-color: var(--_danger);
    background: var(--_danger);
  }
  button:focus-visible,
  input:focus-visible,
  textarea:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--spike-accent, var(--_accent));
    outline-offset: 1px;
  }
  .list {
    flex: 1;
    margin: 0;
    padding: 0;
    overflow-y: auto;
    list-style: none;
  }
  .version {
    display: grid;
    gap: 4px;
    padding: 8px 10px;
    border-bottom: 1px solid var(--_line);
  }
  .line {
    display: flex;
    align-items: baseline;
    gap: 8px;
  }
  .n {
    font-family: var(--spike-font-family, ui-monospace, "SF Mono", Menlo, Consolas, monospace);
    color: var(--_muted);
  }
  .name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .tag {
    padding: 0 6px;
    border: 1px solid var(--_line);
    border-radius: 999px;
    color: var(--_muted);
    font-size: 11px;
  }
  .meta {
    color: var(--_muted);
    font-size: 12px;
  }
  .actions,
  .confirm {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
  }
  .empty {
    flex: 1;
    margin: 0;
    padding: 12px 10px;
    color: var(--_muted);
  }
  .snippet {
    display: grid;
    gap: 4px;
    padding: 8px 10px;
    border-top: 1px solid var(--_line);
  }
  .snippet textarea {
    box-sizing: border-box;
    width: 100%;
    border: 1px solid var(--_line);
    border-radius: 6px;
    background: var(--_code);
    color: var(--_fg);
    font-family: var(--spike-font-family, ui-monospace, "SF Mono", Menlo, Consolas, monospace);
    font-size: 12px;
    resize: vertical;
  }
  ${statusBarStyles}
  .bar {
    height: auto;
    min-height: 28px;
    white-space: normal;
  }
  .status {
    flex: 1;
  }
  .status.is-error {
    color: var(--_danger);
  }
  .bar button {
    padding: 0 8px;
    font-size: 12px;
  }
  .status a {
    color: var(--_accent);
  }
`;
