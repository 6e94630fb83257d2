/**
 * What every spike element does with its settings (elements/internal/room-element.ts), in one lit ReactiveController:
 * open the project they name (a room's shared doc through core's registry, a named local project, or the element's own
 * inline files), follow sign-in for it, resolve the theme, and let go of all of it when the element leaves the page.
 */
import type { ReactiveController } from "lit";
import type * as Y from "yjs";
import { acquireRoomClient, type RoomClient } from "../../core/index.js";
import { reportElementError } from "./error-reports.js";
import { acquireLocalProject, readInlineFiles, readSharedSeed, seedRoom } from "./local-project.js";
import { acquirePinnedProject } from "./pinned-project.js";
import { RoomAccess } from "./room-access.js";
import type { RoomElement } from "./room-element.js";

/** The project an element shows: a room's shared doc, or a local one. */
export interface Project {
  readonly doc: Y.Doc;
  /** The room's shared client (one per server and room on the page), or null for a local project. */
  readonly client: RoomClient | null;
  /** Resolves when the doc may be read: a room has synced once (and, if it was empty, got the element's inline files). */
  readonly ready: Promise<void>;
  /** The saved version of the room this doc holds (read-only, never changes), or null for a live room or local project. */
  readonly version: number | null;
}

/** How an element uses its frame. */
export interface FrameOptions {
  /** The project of an element in no room and no named project (from its inline files); null: it has none (the chat). */
  localProject: (() => Y.Doc) | null;
  /** Follow a project just opened; returns what stops following it (called before the project is let go). */
  open(project: Project): () => void;
  /** The room could not be opened (say, an invalid room id); `message` says why. */
  failed(message: string): void;
  /** The element left the page (not a move within it): drop what it holds besides the project. */
  left?(): void;
  /** Open the live room even when the element names a `version` (`<spike-versions>` manages versions of the live room). */
  live?: boolean;
}

/**
 * Add to an element: `#frame = new RoomFrame(this, { localProject, open, failed, left })`. After each update it opens
 * the project the element's room, server and project name, when those changed; the element renders `frame.scheme` as a
 * class on its base and `frame.access` in its status bar.
 * @example
 * #frame = new RoomFrame(this, { localProject: null, open: (project) => this.#follow(project), failed: (m) => (this._error = m) });
 */
export class RoomFrame implements ReactiveController {
  /** Sign-in and what the room said (role, refusal) for the open room. */
  readonly access: RoomAccess;

  #host: RoomElement;
  #options: FrameOptions;
  #project: Project | null = null;
  /** What the open project was opened for (room, server and project), or null when nothing is open. */
  #key: string | null = null;
  #close: (() => void) | null = null;
  #signIn: unknown[] = [];
  #dark = matchMedia("(prefers-color-scheme: dark)");

  constructor(host: RoomElement, options: FrameOptions) {
    this.#host = host;
    this.#options = options;
    this.access = new RoomAccess(host);
    host.addController(this);
  }

  /** The open project, or null (no room for the chat, a room that could not be opened, or not connected). */
  get project(): Project | null {
    return this.#project;
  }

  /** The element's theme with `auto` resolved by `prefers-color-scheme`; elements put it on their base as a class. */
  get scheme(): "light" | "dark" {
    const theme = this.#host.theme;
    return theme === "dark" || (theme !== "light" && this.#dark.matches) ? "dark" : "light";
  }

  hostConnected(): void {
    this.#dark.addEventListener("change", this.#onScheme);
    // Back on the page after leaving it: update, which opens the project again.
    if (this.#key === null && this.#host.hasUpdated) this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#dark.removeEventListener("change", this.#onScheme);
    // A move within the page disconnects and reconnects in one task: only let go if we really left.
    queueMicrotask(() => {
      if (this.#host.isConnected) return;
      this.#closeProject();
      this.#options.left?.();
    });
  }

  hostUpdated(): void {
    const host = this.#host;
    if (!host.isConnected) return;
    const named = host.project && this.#options.localProject ? `project\n${host.project}` : "own";
    const version = host.room && this.#pinned() !== undefined ? `\n${host.version}` : "";
    const key = host.room ? `room\n${host.server}\n${host.room}${version}\n${host.roomKey ?? ""}` : named;
    if (key !== this.#key) this.#open(key);
    else if (host.persist && this.#project?.client && !this.#project.client.persisted) this.#project.client.persist().catch(() => {});
    const signIn = [host.getToken, host.clerk, host.clerkPublishableKey, host.clerkJsUrl];
    if (signIn.some((value, i) => value !== this.#signIn[i])) {
      this.#signIn = signIn;
      this.access.update();
    }
  }

  #open(key: string): void {
    this.#closeProject();
    this.#key = key;
    const host = this.#host;
    const local = this.#options.localProject;
    let project: Project;
    let release: () => void;
    const pinned = this.#pinned();
    if (host.room && pinned !== undefined) {
      // A saved version: its files, read once over HTTP, no socket; nothing here may write to it.
      const room = host.room;
      const n = pinned;
      const lease = acquirePinnedProject(host.server, room, n, host.getToken);
      const ready = lease.loaded.catch((error: Error) => {
        if (this.#project === project) this.#options.failed(`Cannot show version ${n} of room ${room}: ${error.message}`);
      });
      project = { doc: lease.doc, client: null, ready, version: n };
      release = () => lease.release();
    } else if (host.room) {
      let lease;
      try {
        const roomKey = host.roomKey;
        lease = acquireRoomClient({ server: host.server, room: host.room, persist: host.persist, ...(roomKey ? { key: roomKey } : {}) });
      } catch (error) {
        this.#options.failed(`Cannot open room: ${(error as Error).message}`);
        reportElementError(host, "open-room", error);
        return;
      }
      const { client } = lease;
      const inline = readInlineFiles(host);
      project = { doc: client.doc, client, ready: readable(client, host.persist).then(() => seedRoom(client.doc, inline)), version: null };
      this.access.attach(lease);
      release = () => {
        this.access.detach();
        lease.release();
      };
    } else if (!local) {
      return;
    } else if (host.project) {
      const lease = acquireLocalProject(host.project, readSharedSeed(host, host.project));
      project = { doc: lease.doc, client: null, ready: Promise.resolve(), version: null };
      release = () => lease.release();
    } else {
      const doc = local();
      project = { doc, client: null, ready: Promise.resolve(), version: null };
      release = () => doc.destroy();
    }
    this.#project = project;
    const stop = this.#options.open(project);
    this.#close = () => {
      stop();
      this.#project = null;
      release();
    };
  }

  /** The saved version to show, or undefined for the live room. */
  #pinned(): number | undefined {
    return this.#options.live ? undefined : this.#host.version;
  }

  #closeProject(): void {
    const close = this.#close;
    this.#close = null;
    this.#key = null;
    close?.();
  }

  #onScheme = (): void => {
    this.#host.requestUpdate();
  };
}

/**
 * When a room's doc may be read: once it synced, or, for a room kept in IndexedDB (`persist`), as soon as the stored copy
 * is back in the doc (offline, that is the room as it was last synced here; the sync merges the rest when it comes).
 */
function readable(client: RoomClient, persist: boolean): Promise<void> {
  const synced = client.whenSynced();
  if (!persist) return synced;
  const restored = client.persist().then(
    (had) => (had ? undefined : synced),
    () => synced, // no IndexedDB here: as without persist
  );
  return Promise.race([synced, restored]);
}
