/** The status bar every spike element ends with (file name on the left, state on the right), in one place. */
import { css } from "lit";

/** The "Read-only" badge, the "Sign in" button and the "Sign-in unavailable" note of a room element's status bar. */
export const signInStyles = css`
  .badge {
    padding: 0 6px;
    border: 1px solid var(--_line);
    border-radius: 999px;
    color: var(--_fg);
    font-size: 11px;
  }
  .sign-in {
    padding: 1px 8px;
    border: 1px solid var(--_line);
    border-radius: 6px;
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
    cursor: pointer;
  }
  .sign-in-error {
    color: var(--_fg);
    cursor: help;
  }
`;

/**
 * `.bar`, its `.file` name, `.badge` and `.sign-in`; the element's own styles add `.status` and the dot. Uses the palette's
 * `--_*` tokens (elements/internal/palette.ts).
 */
export const statusBarStyles = css`
  .bar {
    display: flex;
    align-items: center;
    gap: 12px;
    height: 28px;
    padding: 0 10px;
    border-top: 1px solid var(--_line);
    background: var(--_bar);
    color: var(--_muted);
    font-size: 12px;
    white-space: nowrap;
  }
  .file {
    font-family: var(--spike-font-family, ui-monospace, "SF Mono", Menlo, Consolas, monospace);
    color: var(--_fg);
  }
  ${signInStyles}
`;
