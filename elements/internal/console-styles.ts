/**
 * The shadow-root styles of <spike-console>: toolbar, lines by level, expandable trees and file:line links, in the
 * palette's colours (elements/internal/palette.ts) plus a warning colour of its own, AA contrast in both themes.
 */
import { css } from "lit";

export const consoleStyles = css`
  :host {
    display: block;
    height: var(--spike-console-height, 220px);
  }
  .base {
    --_warn: #7d4e00;
    --_warn-bg: #fff8c5;
    --_error-bg: #ffebe9;
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    height: 100%;
    overflow: hidden;
    border: var(--spike-border, 1px solid var(--_line));
    border-radius: var(--spike-radius, 8px);
    background: var(--spike-console-background, var(--_bg));
    color: var(--_fg);
    font-family: var(--spike-ui-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
    font-size: 12px;
  }
  .base.dark {
    --_warn: #e3b341;
    --_warn-bg: #2e2a1a;
    --_error-bg: #3a1d1d;
  }
  .toolbar {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 4px 8px;
    border-bottom: 1px solid var(--_line);
    background: var(--_bar);
  }
  .filters {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
  }
  button {
    min-height: 24px;
    padding: 1px 8px;
    border: 1px solid var(--_line);
    border-radius: 6px;
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
    cursor: pointer;
  }
  button:focus-visible,
  .scroller:focus-visible,
  summary:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  .filter[aria-pressed="false"] {
    background: transparent;
    color: var(--_muted);
    text-decoration: line-through;
  }
  .filter .n {
    margin-left: 6px;
    font-variant-numeric: tabular-nums;
  }
  .clear {
    margin-left: auto;
  }
  .scroller {
    flex: 1;
    min-height: 0;
    overflow: auto;
  }
  .lines {
    margin: 0;
    padding: 0;
    list-style: none;
    font: 12px/1.5 var(--spike-font-family, ui-monospace, "SF Mono", Menlo, Consolas, monospace);
  }
  .line {
    display: flex;
    align-items: flex-start;
    gap: 8px;
    padding: 3px 8px;
    border-bottom: 1px solid color-mix(in srgb, var(--_line) 50%, transparent);
  }
  .line.warn {
    background: var(--_warn-bg);
  }
  .line.error {
    background: var(--_error-bg);
  }
  .level {
    flex: none;
    width: 5.5em;
    color: var(--_muted);
  }
  .line.warn .level {
    color: var(--_warn);
  }
  .line.error .level,
  .label {
    color: var(--_danger);
  }
  .label {
    margin-right: 8px;
    font-weight: 600;
  }
  .count {
    flex: none;
    padding: 0 6px;
    border-radius: 999px;
    background: var(--_line);
    color: var(--_fg);
  }
  .message {
    flex: 1;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .value.string {
    white-space: pre-wrap;
  }
  .value + .value {
    margin-left: 1ch;
  }
  details.tree {
    display: inline-block;
    vertical-align: top;
  }
  li > details.tree {
    display: block;
  }
  summary {
    cursor: pointer;
  }
  .tree ul {
    margin: 0;
    padding-left: 2ch;
    list-style: none;
  }
  .key {
    color: var(--_accent);
  }
  .more,
  .value.undefined,
  .value.null,
  .value.circular {
    color: var(--_muted);
  }
  .stack pre {
    margin: 2px 0 0;
    white-space: pre-wrap;
    font: inherit;
    color: var(--_muted);
  }
  /* A 24px target (WCAG 2.5.8) that does not make its line taller. */
  .link {
    flex: none;
    min-height: 24px;
    margin: -3px 0;
    padding: 0 6px;
    border: 0;
    background: none;
    color: var(--_accent);
    text-decoration: underline;
  }
  .dropped,
  .empty {
    margin: 0;
    padding: 6px 8px;
    color: var(--_muted);
  }
`;
