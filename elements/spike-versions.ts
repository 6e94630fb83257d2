/**
 * <spike-versions>: a room's saved versions, to save, restore, fork and embed. This module is the light shell (properties,
 * the embed snippet, the lite view); the list and its calls load with elements/internal/versions-live.ts.
 */
import { html } from "lit";
import { property } from "lit/decorators.js";
import type { RoomRole } from "../core/index.js";
import { LiteElement, type LivePart } from "./internal/lite-element.js";
import { paletteStyles } from "./internal/palette.js";
import { versionsStyles } from "./internal/versions-styles.js";

/** One saved version as the element lists it. */
export interface VersionEntry {
  n: number;
  name: string;
  author: { id: string; name: string } | null;
  /** ISO 8601. */
  createdAt: string;
  /** Saved by the room itself while it was being edited. */
  auto: boolean;
}

/** What the shell reads from its live part (elements/internal/versions-live.ts, loaded on demand). */
export interface VersionsLivePart extends LivePart {
  readonly versions: VersionEntry[];
  readonly roomRole: RoomRole | null;
  refresh(): Promise<void>;
  save(name: string): Promise<VersionEntry | null>;
  restore(n: number): Promise<boolean>;
  forkVersion(n: number | null): Promise<{ room: string; forkedFrom: { room: string; version: number | null } } | null>;
  copySnippet(n: number): Promise<string>;
  undoRestore(): Promise<boolean>;
}

/**
 * The saved versions of a room, newest first: save the room as a named version, restore one (after a confirmation; the
 * restore is one edit everyone in the room sees, and can be undone), fork one into a new room, and copy an embed snippet
 * pinned to one (`version="<n>"`, which never changes). Saving and restoring are for the room's editors and owner; a
 * reader who may only watch still lists, forks and copies. Calls carry the room's sign-in (the same token as its socket).
 *
 * @summary Versions of a room: `<spike-versions room="demo"></spike-versions>`.
 *
 * @fires spike-save - A version was saved here. Detail: `{ room, version: { n, name, createdAt } }`.
 * @fires spike-restore - A version was restored into the live room. Detail: `{ room, version }`.
 * @fires spike-fork - A new room was made from a version. Detail: `{ room, forkedFrom: { room, version } }`: `room` is the new one.
 * @fires spike-copy - An embed snippet was copied. Detail: `{ room, version, snippet, copied }`: `copied` is false when the clipboard refused and the snippet is shown selected instead.
 *
 * @csspart base - The frame around the element.
 * @csspart save - The save form: the name field and the Save button.
 * @csspart input - The version name field.
 * @csspart list - The list of versions (an `<ol>`).
 * @csspart version - One version of the list.
 * @csspart actions - A version's Restore, Fork and Copy embed buttons.
 * @csspart confirm - The restore confirmation that replaces a version's buttons.
 * @csspart empty - "Loading versions…" or "No saved versions yet."
 * @csspart snippet - The embed snippet, shown selected when the clipboard refused it.
 * @csspart fork-link - The link to the room just forked.
 * @csspart undo - The Undo button shown after a restore made here: sets the restored files back (except those changed since).
 * @csspart status - The status bar: what is happening, what happened, or why it failed (a polite live region).
 * @csspart badge - The "Read-only" badge, shown when the room lets this user watch but not change it.
 * @csspart sign-in - The "Sign in" button, shown when Clerk is in use and nobody is signed in.
 * @csspart sign-in-error - "Sign-in unavailable", shown when the element cannot use Clerk.
 *
 * @cssprop --spike-versions-height - Height of the element (the list scrolls). Default `auto`.
 * @cssprop --spike-border - Border of the frame. Default `1px solid` a theme grey.
 * @cssprop --spike-radius - Corner radius of the frame. Default `8px`.
 * @cssprop --spike-ui-font-family - Font of the element. Default `system-ui, sans-serif`.
 * @cssprop --spike-accent - Colour of the focus ring. Default a theme blue.
 */
export class SpikeVersions extends LiteElement<VersionsLivePart> {
  static override styles = [paletteStyles, versionsStyles];

  /** The element an embed snippet uses: `spike-playground` (default), `spike-editor`, `spike-preview` or any room element. */
  @property() embed = "spike-playground";

  /** The room's versions, newest first, as last listed (empty until the element has loaded). */
  get versions(): VersionEntry[] {
    return this.live?.versions ?? [];
  }

  /** What the room lets this user do: `owner`, `editor`, `viewer` (lists, forks, copies), or null when it has not said. */
  get roomRole(): RoomRole | null {
    return this.live?.roomRole ?? null;
  }

  /**
   * The embed snippet pinned to version `n`: the element bundle of this server (pinned too when `bundle` names its
   * version, `/v/<bundle>/spike.js`, else the moving `/spike.js`) and the `embed` element on the room and version.
   * The Copy embed button pins the bundle to the version the server reports (`GET /api/health`).
   * @example versions.snippetFor(3, "0.1.0") // '<script type="module" src="…/v/0.1.0/spike.js"></script>\n<spike-playground … version="3">…'
   */
  snippetFor(n: number, bundle?: string): string {
    const server = this.server.replace(/\/+$/, "");
    const tag = /^[a-z][a-z0-9]*-[a-z0-9-]+$/.test(this.embed) ? this.embed : "spike-playground";
    const script = bundle && /^[0-9A-Za-z.+-]{1,40}$/.test(bundle) ? `${server}/v/${bundle}/spike.js` : `${server}/spike.js`;
    return (
      `<script type="module" src="${attr(script)}"></script>\n` +
      `<${tag} server="${attr(server)}" room="${attr(this.room ?? "")}" version="${n}"></${tag}>`
    );
  }

  /** List the versions again (loads the element first). */
  async refresh(): Promise<void> {
    await this.load();
    return this.live!.refresh();
  }

  /**
   * Save the room as it is now as a version named `name`; resolves with it, or null when the server refused (the status
   * bar says why).
   * @example const version = await document.querySelector("spike-versions").save("Published");
   */
  async save(name = ""): Promise<VersionEntry | null> {
    await this.load();
    return this.live!.save(name);
  }

  /** Restore version `n` into the live room without asking (the Restore button asks first); false when refused. */
  async restore(n: number): Promise<boolean> {
    await this.load();
    return this.live!.restore(n);
  }

  /** Undo the last restore made here (the files someone changed since stay as they are); false when there is none or refused. */
  async undoRestore(): Promise<boolean> {
    await this.load();
    return this.live!.undoRestore();
  }

  /**
   * Fork version `n` (null: the room as it is now) into a new room; resolves with it, or null when refused. (`fork` is the
   * room elements' `fork="auto"` setting.)
   */
  async forkVersion(n: number | null): Promise<{ room: string; forkedFrom: { room: string; version: number | null } } | null> {
    await this.load();
    return this.live!.forkVersion(n);
  }

  protected override createLive(): Promise<VersionsLivePart> {
    return import("./internal/versions-live.js").then((m) => new m.VersionsLive(this));
  }

  protected override render() {
    if (this.live) return this.live.render();
    return html`<div part="base" class="base ${this.scheme}">
      <p part="empty" class="empty">${this.activating ? "Loading versions…" : "Versions"}</p>
    </div>`;
  }
}

/** A value safe inside a double-quoted HTML attribute. */
function attr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

declare global {
  interface HTMLElementTagNameMap {
    "spike-versions": SpikeVersions;
  }
}
