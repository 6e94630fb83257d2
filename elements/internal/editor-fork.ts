/**
 * `fork="auto"` in the editor (README "Templates and forks"): typing in a room that is read-only for the reader forks it
 * for them (elements/internal/room-forks.ts); the keystrokes typed meanwhile are kept, and once the fork is open and
 * editable they are typed there at the caret where the reader left it, so the switch feels like nothing happened.
 */
import type { editor as MonacoEditor, IKeyboardEvent, Selection } from "monaco-editor/editor/editor.api";
import type { RoomClient } from "../../core/room-client.js";
import { emit } from "./events.js";
import { reportElementError } from "./error-reports.js";
import { requestFork } from "./room-forks.js";
import type { SpikeEditor } from "../spike-editor.js";

/** Keystrokes typed into a template, waiting for its fork. */
interface Handoff {
  template: string;
  file: string;
  selection: Selection | null;
  text: string;
}

/** What a key types, or null for a key that types nothing (moving, shortcuts, modifiers). */
function typedText(event: IKeyboardEvent): string | null {
  const key = event.browserEvent.key;
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (key === "Enter") return "\n";
  return key.length === 1 ? key : null;
}

/**
 * Add to EditorLive once Monaco exists: `new EditorFork(host, editor, () => client)`; call `apply(editable)` whenever the editor
 * may have become editable on a new room (after binding a file, after the read-only state changed).
 * @example this.#fork = new EditorFork(host, editor, () => this.#frame.project?.client ?? null, () => this.#frame.access.role === "viewer");
 */
export class EditorFork {
  #host: SpikeEditor;
  #editor: MonacoEditor.IStandaloneCodeEditor;
  #handoff: Handoff | null = null;
  #listener: { dispose(): void };

  constructor(
    host: SpikeEditor,
    editor: MonacoEditor.IStandaloneCodeEditor,
    client: () => RoomClient | null,
    readOnlyRoom: () => boolean,
  ) {
    this.#host = host;
    this.#editor = editor;
    this.#listener = editor.onKeyDown((event) => {
      const text = typedText(event);
      if (text === null) return;
      // Until the kept keystrokes are typed into the fork, every keystroke joins them, in order: also those that come
      // after the switch, while the fork's editor does not take typing yet (its grant is on the way).
      if (this.#handoff) {
        event.preventDefault();
        event.stopPropagation();
        this.#handoff.text += text;
        return;
      }
      if (host.fork !== "auto" || host.readonly || !readOnlyRoom()) return;
      const template = host.templateRoom;
      const room = client();
      if (!template || !room || host.room !== template) return;
      event.preventDefault();
      event.stopPropagation();
      this.#handoff = { template, file: host.file, selection: editor.getSelection(), text };
      requestFork(host.server, template, room.http).catch((error: unknown) => {
        this.#handoff = null;
        reportElementError(host, "fork", error);
        emit(host, "spike-fork-error", { template, message: (error as Error).message });
      });
    });
  }

  /** True while keystrokes wait for the fork to open. */
  get waiting(): boolean {
    return this.#handoff !== null;
  }

  /**
   * Type the kept keystrokes into the fork, at the kept caret, once the editor shows the kept file of the fork and takes typing.
   * @example this.#fork?.apply(this.#binding !== undefined && !this.#readOnly);
   */
  apply(editable: boolean): void {
    const handoff = this.#handoff;
    const host = this.#host;
    if (!handoff || host.room === handoff.template || host.file !== handoff.file || host.templateRoom !== handoff.template) return;
    const editor = this.#editor;
    if (!editable || !editor.getModel()) return;
    this.#handoff = null;
    if (handoff.selection) editor.setSelection(handoff.selection);
    editor.focus();
    editor.trigger("keyboard", "type", { text: handoff.text });
    emit(host, "spike-fork", { room: host.room!, template: handoff.template, forkedFrom: { room: handoff.template, version: null } });
  }

  dispose(): void {
    this.#listener.dispose();
    this.#handoff = null;
  }
}
