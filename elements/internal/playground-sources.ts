/**
 * What <spike-playground> hands the elements in its shadow root besides the room: copies of its inline files (each
 * element reads its own `<script type="text/plain" data-file>` children, for its lite view, its local project and the seed
 * of an empty room), and the `exportparts` lists that re-export their parts under prefixed names.
 */
import type { ReactiveElement } from "lit";

/** The inner elements that read inline files. */
type Reader = "tabs" | "editor" | "preview";

/**
 * The parts of each inner element, as their class docs list them (`@csspart`, and so custom-elements.json:
 * playground-sources.test.ts holds the two together), plus the state parts the docs name in prose.
 */
const PARTS = {
  tabs: ["base", "tablist", "tab", "tab-selected", "entry", "readonly", "actions", "form", "input", "error"],
  editor: ["base", "code", "activate", "editor", "loading", "hint", "status", "keys", "drop-status", "badge", "reset-fork", "sign-in", "sign-in-error"],
  preview: ["base", "activate", "frame", "error", "status", "badge", "sign-in", "sign-in-error"],
  console: ["base", "toolbar", "filter", "clear", "lines", "line", "tree", "link", "dropped", "empty"],
  chat: [
    ...["base", "activate", "messages", "message", "message-user", "message-assistant", "message-agent"],
    ...["composer", "input", "send", "mic", "image", "image-progress", "image-result", "image-error"],
    ...["status", "badge", "sign-in", "sign-in-error"],
  ],
  versions: [
    ...["base", "save", "input", "list", "version", "actions", "confirm", "empty", "snippet", "fork-link", "undo", "status", "badge"],
    ...["sign-in", "sign-in-error"],
  ],
} as const;

/**
 * The `exportparts` value that re-exports `element`'s parts as `<element>-<part>`.
 * @example exportParts("preview") // "base:preview-base, activate:preview-activate, frame:preview-frame, …"
 */
export function exportParts(element: keyof typeof PARTS): string {
  return PARTS[element].map((part) => `${part}:${element}-${part}`).join(", ");
}

/**
 * The host's inline files, and copies of them for each inner element, remade only when the scripts themselves change
 * (the host re-renders on its slot's `slotchange`), so a render hands lit the same nodes.
 * @example html`<spike-editor>${sources.for("editor")}</spike-editor>`
 */
export class PlaygroundSources {
  #host: ReactiveElement;
  #scripts: HTMLScriptElement[] = [];
  #copies = new Map<Reader, Node[]>();

  constructor(host: ReactiveElement) {
    this.#host = host;
  }

  /** The names of the inline files, in document order. */
  names(): string[] {
    return this.#read().map((script) => script.dataset.file ?? "");
  }

  /** Copies of the inline files for `reader` (the same nodes until the host's scripts change). */
  for(reader: Reader): Node[] {
    this.#read();
    let copies = this.#copies.get(reader);
    if (!copies) {
      copies = this.#scripts.map((script) => script.cloneNode(true));
      this.#copies.set(reader, copies);
    }
    return copies;
  }

  #read(): HTMLScriptElement[] {
    const scripts = [...this.#host.querySelectorAll<HTMLScriptElement>(':scope > script[type="text/plain"][data-file]')];
    const same = scripts.length === this.#scripts.length && scripts.every((script, i) => script === this.#scripts[i]);
    if (!same) {
      this.#scripts = scripts;
      this.#copies.clear();
    }
    return this.#scripts;
  }
}
