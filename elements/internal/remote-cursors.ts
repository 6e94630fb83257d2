/**
 * Remote carets and selections. y-monaco decorates other users' selections with `yRemoteSelection-<clientID>` and their
 * carets with `yRemoteSelectionHead-<clientID>`; this keeps a stylesheet of per-client rules (the user's colour and a
 * name label) in step with the room's awareness, for the editor's shadow root to adopt.
 */
import type { Awareness } from "y-protocols/awareness";
import { SAFE_COLOR, presenceUser } from "../../core/presence.js";

const FALLBACK_COLOR = "#6e7781";

/**
 * @example
 * const cursors = new RemoteCursorStyles(client.awareness);
 * shadowRoot.adoptedStyleSheets = [...shadowRoot.adoptedStyleSheets, cursors.sheet];
 */
export class RemoteCursorStyles {
  /** The per-client rules; adopt it where the editor renders. */
  readonly sheet = new CSSStyleSheet();
  #awareness: Awareness;
  #rendered = "";

  constructor(awareness: Awareness) {
    this.#awareness = awareness;
    awareness.on("change", this.#render);
    this.#render();
  }

  /** Stop following the awareness. */
  destroy(): void {
    this.#awareness.off("change", this.#render);
  }

  #render = (): void => {
    const rules: string[] = [];
    for (const [clientId, state] of this.#awareness.getStates()) {
      if (clientId === this.#awareness.clientID) continue;
      const user = presenceUser((state as { user?: unknown }).user);
      rules.push(cursorRules(clientId, user?.name || "Anonymous", user?.color ?? FALLBACK_COLOR));
    }
    const css = rules.join("\n");
    if (css === this.#rendered) return; // most awareness changes are cursor moves: same users, same rules
    this.#rendered = css;
    this.sheet.replaceSync(css);
  };
}

/**
 * The rules for one remote client. Colour and name come from other users: RoomClient lets only checked states in
 * (core/presence.ts), and both are checked again here, where they become CSS.
 */
export function cursorRules(clientId: number, name: string, color: string): string {
  const safeColor = SAFE_COLOR.test(color) ? color : FALLBACK_COLOR;
  const label = cssString(name.slice(0, 40));
  return `
.yRemoteSelection-${clientId} { background-color: color-mix(in srgb, ${safeColor} 28%, transparent); }
.yRemoteSelectionHead-${clientId} { border-left-color: ${safeColor}; }
.yRemoteSelectionHead-${clientId}::after { content: ${label}; background-color: ${safeColor}; }`;
}

/** A CSS string literal: quotes and backslashes escaped, line breaks flattened. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, "\\$&").replace(/[\r\n\f]/g, " ")}"`;
}

/**
 * Rules shared by every remote caret: a 2px bar with the name label above it. The label covers the line above, so it
 * fades out a few seconds after the caret last moved (Monaco re-renders the decoration on every move, which restarts
 * the animation) and comes back while the pointer is over the line.
 */
export const REMOTE_CURSOR_BASE_CSS = `
.yRemoteSelectionHead {
  position: absolute;
  height: 100%;
  box-sizing: border-box;
  border-left: 2px solid ${FALLBACK_COLOR};
  margin-left: -1px;
}
.yRemoteSelectionHead::after {
  position: absolute;
  left: -2px;
  bottom: 100%;
  padding: 1px 5px;
  border-radius: 4px 4px 4px 0;
  color: #fff;
  font: 600 10px/1.3 system-ui, sans-serif;
  white-space: nowrap;
  pointer-events: none;
  z-index: 5;
  animation: spike-remote-label 4s ease-in forwards;
}
.view-line:hover .yRemoteSelectionHead::after {
  animation: none;
  opacity: 1;
}
@keyframes spike-remote-label {
  0%, 75% { opacity: 1; }
  100% { opacity: 0; }
}`;
