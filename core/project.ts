/**
 * The project on a Y.Doc: files as a Y.Map of Y.Text, plus a meta map (entry file). The same functions run in the page,
 * in node and inside the CodeRoom Durable Object, so the headless HTTP API and the editors change files the same way.
 */
import * as Y from "yjs";

/** Name of the Y.Map<Y.Text> holding the project's files. */
export const FILES_KEY = "files";
/** Name of the Y.Map holding project metadata (`entry`). */
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
