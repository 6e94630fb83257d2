/** The status bar every spike element ends with (file name on the left, state on the right), in one place. */
import { css } from "lit";

/** `.bar` and its `.file` name; the element's own styles add `.status` and the dot. Uses the host's `--_*` tokens. */
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
`;
