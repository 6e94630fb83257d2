/**
 * The one palette of every spike element: colour tokens (`--_*`) on the element's `.base`, light unless the base also has
 * the class `dark` (elements/internal/room-frame.ts resolves the `theme` to that class). Element styles use the tokens.
 * It also holds what every element needs for accessibility: the screen-reader-only class and reduced motion.
 */
import { css } from "lit";

/**
 * `--_bg` surface, `--_fg` text, `--_muted` secondary text, `--_bar` status bar, `--_line` borders, `--_danger` errors,
 * `--_accent` links and focus rings, `--_button` the primary button (white text on it passes WCAG AA), `--_mine` the user's own chat messages, `--_code` code blocks. Dark matches
 * Monaco's `vs-dark`, so an editor's frame and its code share one background.
 */
export const paletteStyles = css`
  :host([hidden]) {
    display: none;
  }
  .base {
    color-scheme: light;
    --_bg: #ffffff;
    --_fg: #1f2328;
    --_muted: #59636e;
    --_bar: #f6f8fa;
    --_line: #d1d9e0;
    --_danger: #cf222e;
    --_accent: #0969da;
    --_button: #0969da;
    --_mine: #ddf4ff;
    --_code: #f6f8fa;
  }
  /* Text only screen readers get (a live region, a description). */
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  /* Scrolling regions made focusable (the lite code, the error overlay, the chat log) show where the focus is. */
  .base [tabindex="0"]:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  /* Less motion when the reader asks for it: no spinners, pulses, transitions or smooth scrolling (Monaco's too). */
  @media (prefers-reduced-motion: reduce) {
    .base,
    .base *,
    .base *::before,
    .base *::after {
      animation: none !important;
      transition: none !important;
      scroll-behavior: auto !important;
    }
  }
  .base.dark {
    color-scheme: dark;
    --_bg: #1e1e1e;
    --_fg: #e6edf3;
    --_muted: #9198a1;
    --_bar: #252526;
    --_line: #3d444d;
    --_danger: #ff7b72;
    --_accent: #4493f8;
    --_button: #1f6feb;
    --_mine: #12263a;
    --_code: #252526;
  }
`;
