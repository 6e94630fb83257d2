/**
 * The project on a Y.Doc: files as a Y.Map of Y.Text, plus a meta map (entry file, per-file flags). The same functions run
 * in the page, in node and inside the CodeRoom Durable Object, so the headless HTTP API, the editors and the file tabs
 * change files the same way.
 */
import * as Y from "yjs";

/** Name of the Y.Map<Y.Text> holding the project's files. */
export const FILES_KEY = "files";
/** Name of the Y.Map holding project metadata (`entry`, and per-file flags under `hidden:<name>` / `readonly:<name>`). */
export const META_KEY = "meta";
/** The entry file when the project does not name one. */
export const DEFAULT_ENTRY = "index.tsx";

/** File names: relative paths of `[A-Za-z0-9._-]` segments, no `..`, at most 128 characters. */
const FILE_NAME = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/**
 * True when `name` is an acceptable project file name.
 * @example isValidFileName("components/App.tsx") // true; isValidFileName("../etc/passwd") // false
 */
export function isValidFileName(name: string): boolean {
  return name.length > 0 && name.length <= 128 && FILE_NAME.test(name);
}

/** The files map of a doc. */
export function filesOf(doc: Y.Doc): Y.Map<Y.Text> {
  return doc.getMap<Y.Text>(FILES_KEY);
}

/** The entry file of a doc. */
export function entryOf(doc: Y.Doc): string {
  const entry = doc.getMap<unknown>(META_KEY).get("entry");
  return typeof entry === "string" && entry ? entry : DEFAULT_ENTRY;
}

/** A plain `{name: text}` view of the project's files, sorted by name. */
export function readFiles(doc: Y.Doc): Record<string, string> {
  const out: Record<string, string> = {};
  const files = filesOf(doc);
  for (const name of [...files.keys()].sort()) {
    // Any client can put anything in the map; only Y.Text under a valid name is a file.
    const text = files.get(name);
    if (text instanceof Y.Text && isValidFileName(name)) out[name] = text.toString();
  }
  return out;
}

/**
 * The Y.Text of file `name`, created empty (in its own transaction) when it does not exist yet.
 * @example fileText(doc, "index.tsx").insert(0, "export default () => null;\n")
 */
export function fileText(doc: Y.Doc, name: string, origin: unknown = null): Y.Text {
  const files = filesOf(doc);
  let text = files.get(name);
  if (!(text instanceof Y.Text)) {
    text = new Y.Text();
    doc.transact(() => files.set(name, text!), origin);
  }
  return text;
}

/**
 * Replace a file's text with `next`, touching only the span that changed so concurrent edits elsewhere in the file survive
 * and remote cursors keep their places. Creates the file if needed. One transaction.
 * @example writeFile(doc, "index.tsx", "console.log(1)\n", "http")
 */
export function writeFile(doc: Y.Doc, name: string, next: string, origin: unknown = null): void {
  doc.transact(() => {
    const files = filesOf(doc);
    let text = files.get(name);
    if (!(text instanceof Y.Text)) {
      text = new Y.Text();
      files.set(name, text);
    }
    const current = text.toString();
    if (current === next) return;
    let start = 0;
    const max = Math.min(current.length, next.length);
    while (start < max && current.charCodeAt(start) === next.charCodeAt(start)) start++;
    let end = 0;
    while (
      end < max - start &&
      current.charCodeAt(current.length - 1 - end) === next.charCodeAt(next.length - 1 - end)
    ) end++;
    const removed = current.length - start - end;
    if (removed > 0) text.delete(start, removed);
    const inserted = next.slice(start, next.length - end);
    if (inserted) text.insert(start, inserted);
  }, origin);
}

/**
 * Seed a doc with files when it has none, in one transaction. Used for local (room-less) projects and demo rooms.
 * Returns true when it wrote anything.
 */
export function seedFiles(doc: Y.Doc, files: Record<string, string>, origin: unknown = null): boolean {
  if (filesOf(doc).size > 0) return false;
  doc.transact(() => {
    for (const [name, text] of Object.entries(files)) writeFile(doc, name, text, origin);
  }, origin);
  return Object.keys(files).length > 0;
}

/** What a project says about one file besides its text: `hidden` (builds, but gets no tab), `readonly` (no typing). */
export interface FileFlags {
  hidden: boolean;
  readonly: boolean;
}

/** The flag names, each kept in the meta map as `<flag>:<file name>` = true (flat keys: no nested map for two clients to race on). */
export const FILE_FLAGS = ["hidden", "readonly"] as const satisfies readonly (keyof FileFlags)[];

/**
 * The flags the room's metadata sets, by file name (files with no flag set are left out).
 * @example fileFlags(doc) // { "secret.ts": { hidden: true, readonly: false } }
 */
export function fileFlags(doc: Y.Doc): Record<string, FileFlags> {
  const out: Record<string, FileFlags> = {};
  for (const [key, value] of doc.getMap<unknown>(META_KEY).entries()) {
    const colon = key.indexOf(":");
    const flag = key.slice(0, colon) as keyof FileFlags;
    const name = key.slice(colon + 1);
    if (colon < 0 || value !== true || !FILE_FLAGS.includes(flag) || !isValidFileName(name)) continue;
    (out[name] ??= { hidden: false, readonly: false })[flag] = true;
  }
  return out;
}

/**
 * Set or clear flags of file `name` in the room's metadata (flags left out of `flags` keep their value). One transaction.
 * @example setFileFlags(doc, "secret.ts", { hidden: true })
 */
export function setFileFlags(doc: Y.Doc, name: string, flags: Partial<FileFlags>, origin: unknown = null): void {
  const meta = doc.getMap<unknown>(META_KEY);
  doc.transact(() => {
    for (const flag of FILE_FLAGS) {
      if (flags[flag] === true) meta.set(`${flag}:${name}`, true);
      else if (flags[flag] === false) meta.delete(`${flag}:${name}`);
    }
  }, origin);
}

/** Why a file operation was refused; `message` is written for the person who asked. */
export class FileOperationError extends Error {
  override name = "FileOperationError";
}

/**
 * Why `name` cannot be the name of a new (or renamed) file in `doc`, or null when it can.
 * @example fileNameProblem(doc, "../x") // "A file name is made of letters, digits, ".", "_", "-" and "/" …"
 */
export function fileNameProblem(doc: Y.Doc, name: string): string | null {
  if (name.trim() === "") return "Type a file name, for example utils.ts";
  if (name.length > 128) return "A file name is at most 128 characters long";
  if (!isValidFileName(name)) {
    return `"${name}" is not a file name: use letters, digits, ".", "_" and "-", with "/" between folders (no "..")`;
  }
  if (filesOf(doc).has(name)) return `A file named "${name}" already exists`;
  return null;
}

/**
 * Add an empty (or `text`) file. Throws a FileOperationError for a bad or taken name.
 * @example addFile(doc, "utils.ts", "export const two = 2;\n")
 */
export function addFile(doc: Y.Doc, name: string, text = "", origin: unknown = null): void {
  const problem = fileNameProblem(doc, name);
  if (problem) throw new FileOperationError(problem);
  doc.transact(() => {
    const created = new Y.Text();
    filesOf(doc).set(name, created);
    if (text) created.insert(0, text);
  }, origin);
}

/**
 * Rename file `from` to `to`, keeping its text, its flags and, if it was the entry, the entry. A Y.Text cannot move to
 * another key (its history stays with it), so its text is copied into a new one and the old one removed, in one transaction:
 * every collaborator sees one change. Throws a FileOperationError for a missing file or a bad or taken new name.
 * @example renameFile(doc, "util.ts", "lib/util.ts")
 */
export function renameFile(doc: Y.Doc, from: string, to: string, origin: unknown = null): void {
  const files = filesOf(doc);
  const text = files.get(from);
  if (!(text instanceof Y.Text)) throw new FileOperationError(`There is no file named "${from}"`);
  if (to === from) return;
  const problem = fileNameProblem(doc, to);
  if (problem) throw new FileOperationError(problem);
  const flags = fileFlags(doc)[from];
  const entry = entryOf(doc) === from;
  doc.transact(() => {
    const moved = new Y.Text();
    files.set(to, moved);
    moved.insert(0, text.toString());
    files.delete(from);
    if (flags) {
      setFileFlags(doc, from, { hidden: false, readonly: false }, origin);
      setFileFlags(doc, to, flags, origin);
    }
    if (entry) doc.getMap<unknown>(META_KEY).set("entry", to);
  }, origin);
}

/**
 * Delete file `name` and its flags. The entry file cannot be deleted (the preview starts there): rename it instead.
 * Throws a FileOperationError for a missing file or the entry.
 * @example deleteFile(doc, "old.ts")
 */
export function deleteFile(doc: Y.Doc, name: string, origin: unknown = null): void {
  if (!filesOf(doc).has(name)) throw new FileOperationError(`There is no file named "${name}"`);
  if (entryOf(doc) === name) throw new FileOperationError(`"${name}" is the entry file and cannot be deleted`);
  doc.transact(() => {
    filesOf(doc).delete(name);
    setFileFlags(doc, name, { hidden: false, readonly: false }, origin);
  }, origin);
}

/**
 * Where file `name` went in the files-map change `event`: the new name when the same transaction deleted it and added
 * exactly one other file (a rename, as renameFile makes it), undefined otherwise (still there, or deleted). Call it in
 * the observer itself: Yjs computes an event's changes only while its handlers run.
 * @example filesOf(doc).observe((event) => { const to = renamedTo(event, current); if (to) current = to; });
 */
export function renamedTo(event: Y.YMapEvent<Y.Text>, name: string): string | undefined {
  if (event.changes.keys.get(name)?.action !== "delete") return undefined;
  const added = [...event.changes.keys].filter(([, change]) => change.action === "add").map(([key]) => key);
  return added.length === 1 ? added[0] : undefined;
}
