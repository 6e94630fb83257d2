/**
 * The shadow-root styles of <spike-tabs>: a strip of tabs with the file operations' buttons beside it, and the name form
 * or delete confirmation below. Colours are the palette's tokens (elements/internal/palette.ts), which comes first.
 */
import { css } from "lit";

export const tabsStyles = css`
  :host {
    display: block;
  }
  .base {
    box-sizing: border-box;
    border: var(--spike-border, 1px solid var(--_line));
    border-radius: var(--spike-radius, 8px);
    background: var(--_bar);
    color: var(--_fg);
    font-family: var(--spike-ui-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
    font-size: 13px;
  }
  .row {
    display: flex;
    align-items: stretch;
  }
  .tablist {
    display: flex;
    flex: 1;
    min-width: 0;
    overflow-x: auto;
    scrollbar-width: thin;
  }
  .tab {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    flex: none;
    padding: 7px 12px 5px;
    border: 0;
    border-bottom: 2px solid transparent;
    background: none;
    color: var(--_muted);
    font-family: var(--spike-font-family, ui-monospace, "SF Mono", Menlo, Consolas, monospace);
    font-size: 13px;
    cursor: pointer;
    white-space: nowrap;
  }
  .tab:hover {
    color: var(--_fg);
  }
  .tab[aria-selected="true"] {
    border-bottom-color: var(--spike-accent, var(--_accent));
    background: var(--_bg);
    color: var(--_fg);
  }
  .tab:focus-visible,
  .actions button:focus-visible,
  .form :focus-visible {
    outline: 2px solid var(--spike-accent, var(--_accent));
    outline-offset: -2px;
  }
  .entry {
    padding: 0 5px;
    border: 1px solid var(--_line);
    border-radius: 999px;
    color: var(--_fg);
    font-family: var(--spike-ui-font-family, system-ui, sans-serif);
    font-size: 10px;
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }
  .lock {
    width: 11px;
    height: 11px;
    fill: currentColor;
  }
  .actions {
    display: flex;
    align-items: center;
    gap: 2px;
    padding: 0 4px;
    border-left: 1px solid var(--_line);
  }
  .actions button,
  .form button {
    padding: 3px 8px;
    border: 1px solid transparent;
    border-radius: 6px;
    background: none;
    color: var(--_fg);
    font: inherit;
    cursor: pointer;
  }
  .actions button:hover,
  .form button:hover {
    border-color: var(--_line);
    background: var(--_bg);
  }
  .form {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    padding: 8px 10px;
    border-top: 1px solid var(--_line);
  }
  .form input {
    min-width: 12em;
    padding: 3px 6px;
    border: 1px solid var(--_line);
    border-radius: 6px;
    background: var(--_bg);
    color: var(--_fg);
    font-family: var(--spike-font-family, ui-monospace, "SF Mono", Menlo, Consolas, monospace);
    font-size: 13px;
  }
  .form input[aria-invalid="true"] {
    border-color: var(--_danger);
  }
  .form .primary {
    border-color: var(--_line);
    background: var(--_bg);
  }
  .error {
    flex-basis: 100%;
    margin: 0;
    color: var(--_danger);
  }
  .notice {
    padding: 6px 10px;
    border-top: 1px solid var(--_line);
  }
  .error:empty {
    display: none;
  }
`;
