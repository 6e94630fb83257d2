/**
 * <spike-tabs>: the project's files as tabs. Picking one switches an editor to it; adding, renaming and deleting files edit
 * the shared project, so every collaborator's tabs follow. This module is the light shell (properties, which editor it
 * drives, the tab strip drawn from inline files); the project, the file operations and their forms load with
 * elements/internal/tabs-live.ts.
 */
import { html } from "lit";
import { property } from "lit/decorators.js";
import { emit } from "./internal/events.js";
import { embedMembers, readInlineFlags, readInlineSources } from "./internal/inline-files.js";
import { LiteElement, type LivePart } from "./internal/lite-element.js";
import { DEFAULT_ENTRY } from "./internal/lite-source.js";
import { paletteStyles } from "./internal/palette.js";
import { tabsStyles } from "./internal/tabs-styles.js";
import { renderTablist, type TabView } from "./internal/tabs-view.js";

/** What the shell reads from its live part (elements/internal/tabs-live.ts, loaded on demand). */
export interface TabsLivePart extends LivePart {
  /** The files with a tab (hidden files left out), sorted by name. */
  readonly files: string[];
}

/** What the tabs need of the editor they drive (a `<spike-editor>`, or anything with the same properties). */
export type TabsEditor = HTMLElement & { file: string; room?: string | undefined; project?: string | undefined };

/**
 * The file tabs of a spike project: one tab per file (hidden files get none), the entry file marked, read-only files marked.
 * Pick a tab with a click or the arrow keys; add, rename (F2 or a double-click) and delete (the Delete key, confirmed)
 * files with the buttons beside the tabs. Every collaborator in the room sees the change at once.
 *
 * Standalone, it drives the `<spike-editor>` its `editor` attribute names (by id), else the first `<spike-editor>` of
 * the same room (or project) in its document or shadow root. Without a room or project it lists its own inline files.
 *
 * @summary File tabs for a project: `<spike-tabs room="demo"></spike-tabs><spike-editor room="demo"></spike-editor>`.
 *
 * @fires spike-file-select - The user picked a tab. Detail: `{ file }`. Cancelable: unless a listener calls `preventDefault()`, the tabs switch their editor to the file.
 *
 * @csspart base - The frame around the tabs and the buttons.
 * @csspart tablist - The strip of tabs (role "tablist").
 * @csspart tab - One tab (also `tab-selected` on the selected one).
 * @csspart entry - The "entry" mark on the entry file's tab.
 * @csspart readonly - The lock on a read-only file's tab.
 * @csspart actions - The Add, Rename and Delete buttons (left out with `readonly`).
 * @csspart form - The name field of Add and Rename, and the confirmation of Delete, shown below the tabs.
 * @csspart input - The file name field.
 * @csspart error - Why a name or an operation was refused (role "alert").
 *
 * @cssprop --spike-border - Border of the frame. Default `1px solid` a theme grey.
 * @cssprop --spike-radius - Corner radius of the frame. Default `8px`.
 * @cssprop --spike-font-family - Font of the file names. Default `ui-monospace, "SF Mono", Menlo, Consolas, monospace`.
 * @cssprop --spike-ui-font-family - Font of the buttons and messages. Default `system-ui, sans-serif`.
 * @cssprop --spike-accent - Colour of the selected tab's underline and the focus ring. Default a theme blue.
 */
export class SpikeTabs extends LiteElement<TabsLivePart> {
  static override styles = [paletteStyles, tabsStyles];

  /** The selected file. Unset, it is the editor's file (else the entry); picking a tab or a rename or delete sets it. */
  @property({ reflect: true }) file?: string;

  /** List the files without the Add, Rename and Delete buttons (and without F2 and Delete). */
  @property({ type: Boolean, reflect: true }) readonly = false;

  /** The id of the `<spike-editor>` to drive (in the same document or shadow root); unset: the first of the same room. */
  @property() editor?: string;

  /** The files with a tab, sorted by name (hidden files left out; empty until the tabs load). */
  get files(): string[] {
    return this.live?.files ?? [];
  }

  /**
   * The editor these tabs drive: the one `editor` names, else the first `<spike-editor>` of the same room or project in
   * this element's document or shadow root; null if there is none.
   * @internal
   */
  targetEditor(): TabsEditor | null {
    const root = this.getRootNode() as Document | ShadowRoot;
    if (this.editor) return (root.getElementById(this.editor) as TabsEditor | null) ?? null;
    const editors = [...root.querySelectorAll<TabsEditor>("spike-editor")];
    return editors.find((editor) => editor.room === this.room && editor.project === this.project) ?? null;
  }

  /**
   * The elements whose inline files (and their `hidden` / `readonly` flags) this embed shows: its own, its composite's,
   * its named project's and its editor's.
   * @internal
   */
  inlineMembers(): Element[] {
    const editor = this.targetEditor();
    return [...new Set([...embedMembers(this), ...(editor ? embedMembers(editor) : [])])];
  }

  /**
   * The tabs of the inline files of this embed and its editor (hidden ones left out), shown until the project is open.
   * @internal
   */
  inlineTabs(): TabView[] {
    const members = this.inlineMembers();
    const sources: Record<string, string> = Object.assign({}, ...members.map((member) => readInlineSources(member)));
    const flags = readInlineFlags(members);
    return Object.keys(sources)
      .filter((name) => !flags[name]?.hidden)
      .sort()
      .map((name) => ({ name, entry: name === DEFAULT_ENTRY, readonly: !!flags[name]?.readonly }));
  }

  /**
   * The user picked `file`: select it, tell the page (`spike-file-select`) and, unless it cancels, switch the editor.
   * @internal
   */
  pick(file: string): void {
    this.file = file;
    if (!emit(this, "spike-file-select", { file })) return;
    const editor = this.targetEditor();
    if (editor && editor.file !== file) editor.file = file;
  }

  protected override createLive(): Promise<TabsLivePart> {
    return import("./internal/tabs-live.js").then((m) => new m.TabsLive(this));
  }

  protected override render() {
    if (this.live) return this.live.render();
    const selected = this.file ?? this.targetEditor()?.file ?? DEFAULT_ENTRY;
    return html`<div part="base" class="base ${this.scheme}">
      <div class="row">${renderTablist(this, this.inlineTabs(), selected, { onPick: this.#litePick })}</div>
    </div>`;
  }

  /** A tab picked before the project is open: pick it (the editor's lite view follows) and load. */
  #litePick = (file: string): void => {
    this.pick(file);
    void this.load().catch(() => {});
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "spike-tabs": SpikeTabs;
  }
}
