/**
 * The live part of <spike-tabs> (its own chunk): the tabs of the project the element's frame opens, kept in step with
 * the shared files map and metadata, and the Add / Rename / Delete operations (core/project.ts) with their name form,
 * inline errors and delete confirmation.
 */
import { html, nothing } from "lit";
import type * as Y from "yjs";
import {
  DEFAULT_ENTRY,
  META_KEY,
  addFile,
  deleteFile,
  entryOf,
  fileFlags,
  filesOf,
  readFiles,
  renameFile,
  renamedTo,
} from "../../core/index.js";
import type { SpikeTabs } from "../spike-tabs.js";
import { readInlineFlags } from "./inline-files.js";
import type { LivePart } from "./lite-element.js";
import { createLocalProject } from "./local-project.js";
import { RoomFrame, type Project } from "./room-frame.js";
import { renderTablist, type TabView } from "./tabs-view.js";

/** The form under the tabs: a new file's name, a file's new name, or the confirmation of a delete. */
type Form = { kind: "add" } | { kind: "rename"; file: string } | { kind: "delete"; file: string };

const ICONS = {
  add: "M7 2h2v5h5v2H9v5H7V9H2V7h5z",
  rename: "M11.3 1.3l3.4 3.4L5.4 14H2v-3.4zM10 4.6 3.5 11.1v.9h.9L10.9 5.5z",
  delete: "M5 1h6v2h4v2H1V3h4zM2.5 6h11l-1 9h-9zm2.3 2 .5 5h1.4l-.4-5zm4.6 0-.4 5h1.4l.5-5z",
};

/** Created by SpikeTabs.load(): `new TabsLive(tabs)`; the element renders `live.render()` from then on. */
export class TabsLive implements LivePart {
  #host: SpikeTabs;
  #frame: RoomFrame;
  /** True once the open project may be read (a room has synced). */
  #ready = false;
  #form: Form | null = null;
  /** Why the last name or operation was refused ("" for none). */
  #error = "";

  constructor(host: SpikeTabs) {
    this.#host = host;
    this.#frame = new RoomFrame(host, {
      localProject: () => createLocalProject(host, DEFAULT_ENTRY),
      open: (project) => this.#follow(project),
      failed: (message) => this.#set(() => (this.#error = message)),
    });
  }

  /** The files with a tab: the project's, less the hidden ones (room metadata or this embed's inline files), sorted. */
  get files(): string[] {
    return this.#tabs().map((tab) => tab.name);
  }

  hostConnected(): void {}

  render() {
    const host = this.#host;
    const canEdit = this.#canEdit();
    const tabs = this.#tabs();
    const selected = this.#selected();
    const onSelected = tabs.some((tab) => tab.name === selected);
    const handlers = canEdit
      ? { onPick: (name: string) => host.pick(name), onRename: (name: string) => this.#open({ kind: "rename", file: name }), onDelete: (name: string) => this.#open({ kind: "delete", file: name }) }
      : { onPick: (name: string) => host.pick(name) };
    const button = (label: string, icon: keyof typeof ICONS, form: Form, disabled = false) =>
      html`<button type="button" aria-label=${label} title=${label} ?disabled=${disabled} @click=${() => this.#open(form)}>
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path fill="currentColor" d=${ICONS[icon]} /></svg>
      </button>`;
    return html`<div part="base" class="base ${this.#frame.scheme}">
      <div class="row">
        ${renderTablist(host, tabs, selected, handlers)}
        ${canEdit
          ? html`<div part="actions" class="actions">
              ${button("Add file", "add", { kind: "add" })}
              ${button(`Rename ${selected}`, "rename", { kind: "rename", file: selected }, !onSelected)}
              ${button(`Delete ${selected}`, "delete", { kind: "delete", file: selected }, !onSelected)}
            </div>`
          : nothing}
      </div>
      ${this.#renderForm()}
      ${this.#form || !canEdit ? nothing : html`<p part="error" class="error notice" role="alert">${this.#error}</p>`}
    </div>`;
  }

  /** The Add / Rename name form, or the Delete confirmation. */
  #renderForm() {
    const form = this.#form;
    if (!form) return nothing;
    const error = html`<p id="form-error" part="error" class="error" role="alert">${this.#error}</p>`;
    if (form.kind === "delete") {
      return html`<div part="form" class="form" role="group" aria-labelledby="confirm" @keydown=${this.#onFormKey}>
        <span id="confirm">Delete ${form.file} for everyone in the project?</span>
        <button type="button" class="primary" @click=${() => this.#delete(form.file)}>Delete</button>
        <button type="button" class="cancel" @click=${this.#close}>Cancel</button>
        ${error}
      </div>`;
    }
    const label = form.kind === "add" ? "New file name" : `Rename ${form.file} to`;
    return html`<form part="form" class="form" novalidate @submit=${this.#onSubmit} @keydown=${this.#onFormKey}>
      <label for="name">${label}</label>
      <input
        id="name"
        part="input"
        autocomplete="off"
        spellcheck="false"
        aria-invalid=${this.#error ? "true" : "false"}
        aria-describedby="form-error"
        @input=${() => this.#error && this.#set(() => (this.#error = ""))}
      />
      <button type="submit" class="primary">${form.kind === "add" ? "Add" : "Rename"}</button>
      <button type="button" class="cancel" @click=${this.#close}>Cancel</button>
      ${error}
    </form>`;
  }

  /** Change what render() shows, then re-render. */
  #set(change: () => unknown): void {
    change();
    this.#host.requestUpdate();
  }

  /** Files may be changed here: no `readonly` attribute, not a saved version, and a room that lets this user edit. */
  #canEdit(): boolean {
    return !this.#host.readonly && this.#frame.project?.version == null && this.#frame.access.role !== "viewer";
  }

  /** The tabs: the open project's files once readable, the inline files before. */
  #tabs(): TabView[] {
    const host = this.#host;
    const doc = this.#frame.project?.doc;
    if (!doc || !this.#ready) return host.inlineTabs();
    const inline = readInlineFlags(host.inlineMembers());
    const flags = fileFlags(doc);
    const entry = entryOf(doc);
    return Object.keys(readFiles(doc))
      .filter((name) => !flags[name]?.hidden && !inline[name]?.hidden)
      .map((name) => ({ name, entry: name === entry, readonly: !!(flags[name]?.readonly || inline[name]?.readonly) }));
  }

  /** The selected file: the element's `file`, else its editor's, else the entry. */
  #selected(): string {
    const host = this.#host;
    const doc = this.#frame.project?.doc;
    return host.file ?? host.targetEditor()?.file ?? (doc ? entryOf(doc) : DEFAULT_ENTRY);
  }

  /** Show a project the frame just opened, and follow its files and metadata. */
  #follow(project: Project): () => void {
    this.#ready = false;
    const files = filesOf(project.doc);
    const meta = project.doc.getMap(META_KEY);
    const onFiles = (event: Y.YMapEvent<Y.Text>) => {
      const host = this.#host;
      // The selected file (or the one a form is about) was renamed or deleted, here or by someone else.
      if (host.file !== undefined && !files.has(host.file)) host.file = renamedTo(event, host.file) ?? entryOf(project.doc);
      const form = this.#form;
      if (form && form.kind !== "add" && !files.has(form.file)) {
        const to = renamedTo(event, form.file);
        this.#form = to ? { ...form, file: to } : null;
      }
      host.requestUpdate();
    };
    const onMeta = () => this.#host.requestUpdate();
    files.observe(onFiles);
    meta.observe(onMeta);
    void project.ready.then(() => {
      if (this.#frame.project !== project) return;
      const host = this.#host;
      const editor = host.targetEditor();
      // A `file` set on the tabs picks the editor's file at the start; otherwise the tabs show the editor's.
      if (host.file === undefined) host.file = editor?.file ?? entryOf(project.doc);
      else if (editor && editor.file !== host.file) editor.file = host.file;
      this.#set(() => (this.#ready = true));
    });
    return () => {
      files.unobserve(onFiles);
      meta.unobserve(onMeta);
      this.#ready = false;
    };
  }

  /** Open a form (after F2, Delete, a double-click or a button), focusing its field or its Cancel button. */
  #open(form: Form): void {
    const doc = this.#frame.project?.doc;
    if (!doc || !this.#canEdit()) return;
    const refusal =
      form.kind !== "add" && this.#tabs().find((tab) => tab.name === form.file)?.readonly
        ? `${form.file} is read-only: it cannot be renamed or deleted here`
        : form.kind === "delete" && form.file === entryOf(doc)
          ? `${form.file} is the entry file and cannot be deleted`
          : "";
    this.#set(() => {
      this.#form = refusal ? null : form;
      this.#error = refusal;
    });
    if (refusal) return;
    void this.#host.updateComplete.then(() => {
      const root = this.#host.shadowRoot!;
      const input = root.querySelector<HTMLInputElement>("#name");
      if (!input) return root.querySelector<HTMLElement>(".form .cancel")?.focus();
      input.value = form.kind === "rename" ? form.file : "";
      input.focus();
      // Renaming: select the name without its extension, as file managers do.
      const dot = input.value.lastIndexOf(".");
      input.setSelectionRange(0, dot > 0 ? dot : input.value.length);
    });
  }

  #onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = this.#form;
    const doc = this.#frame.project?.doc;
    const name = this.#host.shadowRoot!.querySelector<HTMLInputElement>("#name")!.value.trim();
    if (!form || form.kind === "delete" || !doc) return;
    try {
      if (form.kind === "add") addFile(doc, name);
      else renameFile(doc, form.file, name);
    } catch (error) {
      this.#set(() => (this.#error = (error as Error).message));
      this.#host.shadowRoot!.querySelector<HTMLInputElement>("#name")!.focus();
      return;
    }
    // A renamed selected file is followed by onFiles; a new file is picked, as the user surely wants to fill it.
    if (form.kind === "add") this.#host.pick(name);
    this.#close();
  };

  #delete(file: string): void {
    const doc = this.#frame.project?.doc;
    if (!doc) return;
    try {
      deleteFile(doc, file);
    } catch (error) {
      this.#set(() => (this.#error = (error as Error).message));
      return;
    }
    this.#close();
  }

  #onFormKey = (event: KeyboardEvent): void => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    this.#close();
  };

  /** Close the form and put the focus back on the selected tab. */
  #close = (): void => {
    this.#set(() => {
      this.#form = null;
      this.#error = "";
    });
    void this.#host.updateComplete.then(() =>
      this.#host.shadowRoot?.querySelector<HTMLElement>('[role="tab"][tabindex="0"]')?.focus(),
    );
  };
}
