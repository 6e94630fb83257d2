/**
 * Which fork a reader has of which template room (`fork="auto"`, README "Templates and forks"), for the whole page: kept in
 * `localStorage` under the server and the template (in memory where the page may not use storage), so a reload opens the
 * reader's fork again. Every element of that template follows a change at once (one fork request per template and page).
 */
import type { RoomHttp } from "../../core/room-http.js";

/** The values of the `fork` attribute: `auto` forks a read-only room on the reader's first keystroke. */
export type ForkMode = "auto";

/** Fired on {@link forkChanges} when a template's fork changed (made or reset): `detail` is its storage key. */
const CHANGED = "fork-changed";

/**
 * Fires `fork-changed` (detail: {server, template}) when a template gets a fork or loses it.
 * @example forkChanges.addEventListener("fork-changed", () => this.requestUpdate());
 */
export const forkChanges = new EventTarget();

/** What `fork-changed` says. */
export interface ForkChange {
  server: string;
  template: string;
}

const memory = new Map<string, string>();
/** Fork room -> template, for every fork this page has seen (so an element handed the fork knows its template). */
const templates = new Map<string, string>();
const pending = new Map<string, Promise<string>>();

/**
 * The `localStorage` key of a template's fork: the server's origin and the template room.
 * @example forkStorageKey("http://localhost:8787", "tutorial") // "spike-fork:http://localhost:8787|tutorial"
 */
export function forkStorageKey(server: string, template: string): string {
  let origin = server;
  try {
    origin = new URL(server).origin;
  } catch {
    // keep what was given
  }
  return `spike-fork:${origin}|${template}`;
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
}

function write(key: string, room: string | null): void {
  if (room === null) memory.delete(key);
  else memory.set(key, room);
  try {
    if (room === null) localStorage.removeItem(key);
    else localStorage.setItem(key, room);
  } catch {
    // storage blocked (a third-party frame): the fork lasts as long as the page
  }
}

/**
 * The reader's fork of `template` on `server`, or null when they have none.
 * @example const room = forkOf(server, "tutorial") ?? "tutorial";
 */
export function forkOf(server: string, template: string): string | null {
  const room = read(forkStorageKey(server, template));
  if (room) templates.set(`${forkStorageKey(server, room)}`, template);
  return room;
}

/**
 * The template `room` was forked from on this page (or in an earlier visit), or null when it is no fork this page knows.
 * @example templateOf(server, editor.room) // "tutorial"
 */
export function templateOf(server: string, room: string): string | null {
  return templates.get(forkStorageKey(server, room)) ?? null;
}

/**
 * Fork `template` for this reader (once per page, however many elements ask), remember it, and tell every element.
 * Resolves with the fork's room id; rejects with the server's ApiError (a private template, the room-creation limit).
 * @example const room = await requestFork(server, "tutorial", client.http);
 */
export function requestFork(server: string, template: string, http: RoomHttp): Promise<string> {
  const key = forkStorageKey(server, template);
  const existing = read(key);
  if (existing) return Promise.resolve(existing);
  let request = pending.get(key);
  if (!request) {
    request = http
      .fork()
      .then(({ room }) => {
        templates.set(forkStorageKey(server, room), template);
        write(key, room);
        forkChanges.dispatchEvent(new CustomEvent<ForkChange>(CHANGED, { detail: { server, template } }));
        return room;
      })
      .finally(() => pending.delete(key));
    pending.set(key, request);
  }
  return request;
}

/**
 * Forget the reader's fork of `template`: every element of it shows the template again (the fork itself stays on the server).
 * @example resetFork(server, "tutorial");
 */
export function resetFork(server: string, template: string): void {
  const key = forkStorageKey(server, template);
  if (read(key) === null) return;
  write(key, null);
  forkChanges.dispatchEvent(new CustomEvent<ForkChange>(CHANGED, { detail: { server, template } }));
}

/** The name of the change event, for listeners. */
export const FORK_CHANGED = CHANGED;
