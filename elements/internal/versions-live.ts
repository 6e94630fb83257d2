/**
 * The live part of <spike-versions> (its own chunk): the room's saved versions, read and changed over the room's HTTP API
 * (core's RoomVersionsHttp, and RoomHttp for forks) with the token of the room's shared client, which the element's frame opens
 * (elements/internal/room-frame.ts). Save with a name, restore after a confirmation, fork, copy a pinned embed snippet.
 */
import { html, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { RoomVersionsHttp, apiUrl, type RoomClient, type RoomRole } from "../../core/index.js";
import type { ForkCreated, VersionInfo } from "../../core/api.js";
import type { SpikeVersions } from "../spike-versions.js";
import { emit } from "./events.js";
import { liveState, type LivePart } from "./lite-element.js";
import { refusalText, signInControl } from "./room-access.js";
import { RoomFrame, type Project } from "./room-frame.js";

/** The calls about the followed room: its versions (core's client) and its own HTTP client (forks), both with its token. */
interface RoomCalls {
  client: RoomClient;
  versions: RoomVersionsHttp;
}

/** What render() shows; every assignment re-renders. */
interface VersionsState {
  versions: VersionInfo[] | null;
  /** A call in flight: what the reader sees it doing ("Saving…"), or null. */
  busy: string | null;
  /** The version whose restore awaits the reader's confirmation, or null. */
  confirming: number | null;
  notice: { text: string; error: boolean } | null;
  /** The last fork made here, with a link to it. */
  fork: ForkCreated | null;
  /** The last restore made here, which the reader may undo: its version and the server's undo id. */
  undo: { version: number; id: string } | null;
  /** A snippet the clipboard refused, shown selected for the reader to copy. */
  snippet: { version: number; text: string } | null;
}

/** Created by SpikeVersions.load(): `new VersionsLive(element)`; the element renders `live.render()` from then on. */
export class VersionsLive implements LivePart {
  #host: SpikeVersions;
  #s: VersionsState;
  #frame: RoomFrame;
  #http: RoomCalls | null = null;

  constructor(host: SpikeVersions) {
    this.#host = host;
    this.#s = liveState<VersionsState>(host, { versions: null, busy: null, confirming: null, notice: null, fork: null, undo: null, snippet: null });
    this.#frame = new RoomFrame(host, {
      localProject: null,
      live: true,
      open: (project) => this.#follow(project),
      failed: (message) => (this.#s.notice = { text: message, error: true }),
    });
  }

  hostConnected(): void {}

  /** The versions as last listed, newest first (empty until listed). */
  get versions(): VersionInfo[] {
    return this.#s.versions ?? [];
  }

  /** What the room lets this user do; a `viewer` may list, fork and copy but not save or restore. */
  get roomRole(): RoomRole | null {
    return this.#frame.access.role;
  }

  render() {
    const host = this.#host;
    const s = this.#s;
    if (!host.room) {
      return html`<div part="base" class="base ${this.#frame.scheme}">
        <p class="empty">Versions need a room: set the <code>room</code> attribute, or put this in a <code>&lt;spike-room&gt;</code>.</p>
      </div>`;
    }
    const access = this.#frame.access;
    const canChange = access.role !== "viewer" && !access.refused;
    return html`<div part="base" class="base ${this.#frame.scheme}" aria-busy=${s.busy ? "true" : "false"}>
      <form part="save" class="save" @submit=${this.#onSave}>
        <label for="name" class="visually-hidden">Version name</label>
        <input id="name" part="input" name="name" maxlength="100" placeholder="Name this version" autocomplete="off" ?disabled=${!canChange} />
        <button type="submit" class="primary" ?disabled=${!canChange || !!s.busy}>Save version</button>
        <button type="button" aria-label="Refresh the list" title="Refresh the list" ?disabled=${!!s.busy} @click=${() => void this.refresh()}>↻</button>
      </form>
      ${this.#renderList(canChange)}
      ${s.snippet
        ? html`<div part="snippet" class="snippet">
            <label for="snippet">Embed snippet for version ${s.snippet.version} (copy it: Ctrl+C or ⌘C)</label>
            <textarea id="snippet" readonly rows="3" .value=${s.snippet.text}></textarea>
          </div>`
        : nothing}
      <div part="status" class="bar">
        ${access.role === "viewer" ? html`<span part="badge" class="badge" title="Only the room's editors can save and restore">Read-only</span>` : nothing}
        <span class="status ${s.notice?.error ? "is-error" : ""}" role="status" aria-live="polite"
          >${access.refused ? refusalText(access.refused) : (s.busy ?? s.notice?.text ?? "")}${s.fork && !s.busy
            ? html` <a part="fork-link" href=${this.#roomPage(s.fork.room)} target="_blank" rel="noopener">Open ${s.fork.room}</a>`
            : nothing}</span
        >
        ${s.undo && !s.busy
          ? html`<button type="button" part="undo" aria-label="Undo the restore of v${s.undo.version}" @click=${() => void this.undoRestore()}>Undo</button>`
          : nothing}
        ${signInControl(access)}
      </div>
    </div>`;
  }

  #renderList(canChange: boolean) {
    const s = this.#s;
    if (s.versions === null) {
      return html`<p class="empty" part="empty">${s.notice?.error ? "The versions could not be listed." : "Loading versions…"}</p>`;
    }
    if (s.versions.length === 0) return html`<p class="empty" part="empty">No saved versions yet.</p>`;
    return html`<ol part="list" class="list" aria-label="Saved versions">
      ${repeat(
        s.versions,
        (v) => v.n,
        (v) => html`<li part="version" class="version" data-version=${v.n}>
          <div class="line">
            <span class="n">v${v.n}</span>
            <span class="name">${v.name || `Version ${v.n}`}</span>
            ${v.auto ? html`<span class="tag" title="Saved automatically while the room was edited">auto</span>` : nothing}
          </div>
          <div class="meta">${v.author?.name ?? "Anonymous"}, <time datetime=${v.createdAt}>${formatTime(v.createdAt)}</time></div>
          ${s.confirming === v.n
            ? html`<div part="confirm" class="confirm" role="group" aria-labelledby="confirm-${v.n}" @keydown=${this.#onConfirmKey}>
                <span id="confirm-${v.n}">Restore v${v.n}? Everyone in the room gets its files (it can be undone).</span>
                <button type="button" class="primary danger" data-action="confirm-restore" @click=${() => void this.restore(v.n)}>Restore</button>
                <button type="button" data-action="cancel" @click=${() => (this.#s.confirming = null)}>Cancel</button>
              </div>`
            : html`<div part="actions" class="actions">
                <button type="button" data-action="restore" ?disabled=${!canChange || !!s.busy} @click=${() => this.#confirm(v.n)}
                  aria-label="Restore v${v.n}">Restore</button>
                <button type="button" data-action="fork" ?disabled=${!!s.busy} @click=${() => void this.forkVersion(v.n)} aria-label="Fork v${v.n}">Fork</button>
                <button type="button" data-action="copy" @click=${() => void this.copySnippet(v.n)} aria-label="Copy an embed of v${v.n}">Copy embed</button>
              </div>`}
        </li>`,
      )}
    </ol>`;
  }

  /** List the room's versions again. */
  async refresh(): Promise<void> {
    const http = this.#http;
    if (!http) return;
    try {
      const versions = await http.versions.list();
      if (http === this.#http) this.#s.versions = versions;
    } catch (error) {
      if (http === this.#http) this.#fail("Cannot list versions", error);
    }
  }

  /** Save the room as it is now as version `name` (empty: the server names it); resolves with the new version. */
  async save(name: string): Promise<VersionInfo | null> {
    const http = this.#http;
    if (!http) return null;
    return this.#run("Saving…", "Cannot save", async () => {
      const version = await http.versions.save(name.trim() ? { name: name.trim() } : {});
      this.#s.notice = { text: `Saved v${version.n}${version.name ? ` (${version.name})` : ""}`, error: false };
      emit(this.#host, "spike-save", { room: http.versions.room, version: { n: version.n, name: version.name, createdAt: version.createdAt } });
      await this.refresh();
      return version;
    });
  }

  /** Bring version `n` back into the live room (no confirmation: the element asks before it calls this). */
  async restore(n: number): Promise<boolean> {
    const http = this.#http;
    this.#s.confirming = null;
    if (!http) return false;
    const done = await this.#run(`Restoring v${n}…`, `Cannot restore v${n}`, async () => {
      const restored = await http.versions.restore(n);
      this.#s.undo = { version: n, id: restored.restore };
      this.#s.notice = { text: `Restored v${n}`, error: false };
      emit(this.#host, "spike-restore", { room: http.versions.room, version: n });
      return true;
    });
    return done ?? false;
  }

  /** Set back the last restore made here (the files someone changed since stay as they are). */
  async undoRestore(): Promise<boolean> {
    const http = this.#http;
    const undo = this.#s.undo;
    if (!http || !undo) return false;
    const done = await this.#run(`Undoing the restore of v${undo.version}…`, "Cannot undo the restore", async () => {
      const undone = await http.versions.undoRestore(undo.id);
      this.#s.undo = null;
      const kept = undone.conflicts.length > 0 ? ` (${undone.conflicts.join(", ")} changed since, left as they are)` : "";
      this.#s.notice = { text: `Undid the restore of v${undo.version}${kept}`, error: false };
      return true;
    });
    return done ?? false;
  }

  /** A new room from version `n` (null: from the room as it is now). */
  async forkVersion(n: number | null): Promise<ForkCreated | null> {
    const http = this.#http;
    if (!http) return null;
    return this.#run(n === null ? "Forking…" : `Forking v${n}…`, "Cannot fork", async () => {
      const fork = await http.client.http.fork(n ?? undefined);
      this.#s.fork = fork;
      this.#s.notice = { text: `Forked ${n === null ? "the room" : `v${n}`} into room ${fork.room}.`, error: false };
      emit(this.#host, "spike-fork", { room: fork.room, template: fork.forkedFrom.room, forkedFrom: fork.forkedFrom });
      return fork;
    });
  }

  /** Put an embed snippet pinned to version `n` on the clipboard; when the browser refuses, show it selected instead. */
  async copySnippet(n: number): Promise<string> {
    const host = this.#host;
    const text = host.snippetFor(n, (await bundleVersion(host.server)) ?? undefined);
    let copied = true;
    try {
      await navigator.clipboard.writeText(text);
      this.#s.snippet = null;
      this.#s.notice = { text: `Copied an embed of v${n}`, error: false };
    } catch {
      copied = false;
      this.#s.snippet = { version: n, text };
      this.#s.notice = null;
      await host.updateComplete;
      host.renderRoot.querySelector<HTMLTextAreaElement>("#snippet")?.select();
      host.renderRoot.querySelector<HTMLTextAreaElement>("#snippet")?.focus();
    }
    emit(host, "spike-copy", { room: host.room ?? "", version: n, snippet: text, copied });
    return text;
  }

  /** Follow the room the frame opened: the calls go through its client; list once it is there. */
  #follow(project: Project): () => void {
    const client = project.client;
    if (!client) return () => {};
    const http: RoomCalls = { client, versions: new RoomVersionsHttp({ server: client.http.server, room: client.room, token: () => client.token() }) };
    this.#http = http;
    this.#s.versions = null;
    this.#s.notice = null;
    this.#s.fork = null;
    this.#s.undo = null;
    void this.refresh();
    // A refusal the socket heard (sign-in, access) may have been answered since: list again once it connects.
    const onStatus = () => {
      if (client.status === "connected" && this.#s.versions === null) void this.refresh();
    };
    client.on("status", onStatus);
    return () => {
      client.off("status", onStatus);
      if (this.#http === http) this.#http = null;
    };
  }

  #confirm(n: number): void {
    this.#s.confirming = n;
    void this.#host.updateComplete.then(() =>
      this.#host.renderRoot.querySelector<HTMLElement>('[data-action="confirm-restore"]')?.focus(),
    );
  }

  #onConfirmKey = (event: KeyboardEvent): void => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    const n = this.#s.confirming;
    this.#s.confirming = null;
    void this.#host.updateComplete.then(() =>
      this.#host.renderRoot.querySelector<HTMLElement>(`[data-version="${n}"] [data-action="restore"]`)?.focus(),
    );
  };

  #onSave = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem("name") as HTMLInputElement;
    void this.save(input.value).then((version) => {
      if (version) input.value = "";
    });
  };

  /** Run one call, saying what it does meanwhile; a refusal becomes the notice (the server's words) and resolves null. */
  async #run<T>(doing: string, failure: string, call: () => Promise<T>): Promise<T | null> {
    this.#s.busy = doing;
    this.#s.notice = null;
    try {
      return await call();
    } catch (error) {
      this.#fail(failure, error);
      return null;
    } finally {
      this.#s.busy = null;
    }
  }

  #fail(what: string, error: unknown): void {
    this.#s.notice = { text: `${what}: ${(error as Error).message}`, error: true };
  }

  /** The full-page editor of `room` on this element's server. */
  #roomPage(room: string): string {
    return new URL(`live/${encodeURIComponent(room)}`, this.#host.server.replace(/\/*$/, "/")).toString();
  }
}

const bundleVersions = new Map<string, Promise<string | null>>();
/**
 * The version of the element bundle `server` serves (`GET /api/health`), so a snippet pins `/v/<version>/spike.js` as
 * well as the room's version; null when the server does not say (the snippet then loads the moving `/spike.js`).
 */
function bundleVersion(server: string): Promise<string | null> {
  let version = bundleVersions.get(server);
  if (!version) {
    version = fetch(apiUrl(server, "health"), { credentials: "omit" })
      .then((response) => (response.ok ? response.json() : null))
      .then((body: { version?: unknown } | null) => (typeof body?.version === "string" ? body.version : null))
      .catch(() => null);
    bundleVersions.set(server, version);
  }
  return version;
}

/** A version's time as the reader's locale writes it, short. */
function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
