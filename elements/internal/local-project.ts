/**
 * Room-less projects: a Y.Doc seeded from the element's inline `<script type="text/plain" data-file="…">` children, so a
 * static page (a blog post) gets a working editor with no server.
 */
import * as Y from "yjs";
import { filesOf, isValidFileName, seedFiles } from "../../core/index.js";
import { projectMembers, readInlineSources } from "./inline-files.js";

export { dedent } from "./inline-files.js";

/**
 * The files declared inline under `host`, by name. Indentation common to all lines is removed, as are the blank lines
 * the markup leaves around the code.
 * @example readInlineFiles(el) // { "index.tsx": "export default …" }
 */
export function readInlineFiles(host: Element): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(readInlineSources(host))) {
    if (isValidFileName(name)) files[name] = text;
    else console.warn(`<${host.localName}>: ignoring inline file with invalid name "${name}"`);
  }
  return files;
}

/**
 * A new local project: inline files, or one empty `file` when there are none.
 * @example const doc = createLocalProject(el, "index.tsx");
 */
export function createLocalProject(host: Element, file: string): Y.Doc {
  const doc = new Y.Doc();
  const files = readInlineFiles(host);
  seedFiles(doc, Object.keys(files).length > 0 ? files : { [file]: "" });
  return doc;
}

/**
 * Seed a room from inline files when, once synced, it turns out to have none. The seed is written on top of the room's
 * current state under a client id derived from the files' content, so editors seeding the same empty room at once with the
 * same files produce the identical update and Yjs keeps a single copy, while different seeds get different ids (Yjs
 * requires a (client, clock) pair to name one change only) and resolve like any concurrent edit.
 * @example await client.whenSynced(); seedRoom(client.doc, readInlineFiles(el));
 */
export function seedRoom(doc: Y.Doc, files: Record<string, string>): void {
  if (filesOf(doc).size > 0 || Object.keys(files).length === 0) return;
  const seed = new Y.Doc();
  Y.applyUpdate(seed, Y.encodeStateAsUpdate(doc));
  seed.clientID = seedClientId(files);
  seedFiles(seed, files);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(seed, Y.encodeStateVector(doc)));
  seed.destroy();
}

/**
 * The Y.Text of file `name`, created if missing the way every client creates it: the same struct under a client id derived
 * from the name, on top of the doc's current state. Two people opening an empty room (or a new file) at once then create
 * the *same* Y.Text and Yjs keeps one, instead of two whose map conflict silently drops the loser's first keystrokes.
 * @example const text = sharedFileText(client.doc, "index.tsx");
 */
export function sharedFileText(doc: Y.Doc, name: string): Y.Text {
  const existing = filesOf(doc).get(name);
  if (existing instanceof Y.Text) return existing;
  const seed = new Y.Doc();
  Y.applyUpdate(seed, Y.encodeStateAsUpdate(doc));
  seed.clientID = seedClientId({ [name]: "" });
  seed.transact(() => filesOf(seed).set(name, new Y.Text()));
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(seed, Y.encodeStateVector(doc)));
  seed.destroy();
  return filesOf(doc).get(name)!;
}

/** FNV-1a over the sorted files: a stable 32-bit client id for a given seed. */
function seedClientId(files: Record<string, string>): number {
  const text = JSON.stringify(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A handle on a named local project; call `release()` exactly once when done. */
export interface LocalProjectLease {
  readonly doc: Y.Doc;
  release(): void;
}

const localProjects = new Map<string, { doc: Y.Doc; refs: number }>();

/**
 * The local (room-less) project named `name` on this page, shared by every element with the same `project="…"`: one
 * Y.Doc, so an editor and a preview without a server see the same files. The first non-empty `seed` fills an empty
 * project, whichever element brings it (markup order and upgrade order need not match). The last release destroys it.
 * @example const lease = acquireLocalProject("intro", readInlineFiles(el)); lease.doc; lease.release();
 */
export function acquireLocalProject(name: string, seed: Record<string, string>): LocalProjectLease {
  let entry = localProjects.get(name);
  if (!entry) {
    entry = { doc: new Y.Doc(), refs: 0 };
    localProjects.set(name, entry);
  }
  seedFiles(entry.doc, seed);
  entry.refs++;
  const held = entry;
  let released = false;
  return {
    doc: held.doc,
    release() {
      if (released) return;
      released = true;
      if (--held.refs === 0 && localProjects.get(name) === held) {
        localProjects.delete(name);
        held.doc.destroy();
      }
    },
  };
}

/**
 * The seed of local project `name`: the inline files of every element in `host`'s document (or shadow root) with
 * `project="name"`, so it does not matter which of them upgrades first or which one carries the files.
 * @example acquireLocalProject("intro", readSharedSeed(el, "intro"))
 */
export function readSharedSeed(host: Element, name: string): Record<string, string> {
  return Object.assign({}, ...projectMembers(host, name).map((element) => readInlineFiles(element)));
}
