/**
 * The assistant's edits applied to the project in one transaction with minimal spans, and undone when nobody touched the
 * result since. Reading the edit format out of a reply is edit-blocks.ts, finding a SEARCH text in a file edit-locate.ts.
 * Pure Yjs, so it runs in the CodeRoom DO, the page and node alike.
 */
import * as Y from "yjs";
import { hashText } from "./build/hash.js";
import type { ParsedEdit } from "./edit-blocks.js";
import { locate, type Hunk } from "./edit-locate.js";
import { filesOf, isValidFileName } from "./project.js";

export { parseEdits, type ParsedEdit } from "./edit-blocks.js";

/**
 * What applying a reply did to one file, so the change can be undone. `before`/`after` are whole-file texts as
 * `applyAssistantEdits` returns them; stored in the chat they are compacted to the span that changed (`compactEdit`):
 * `at` is where it starts, and `length` and `hash` describe the whole file after the change.
 */
export interface AppliedEdit {
  file: string;
  before: string;
  after: string;
  /** Where the changed span starts, when `before`/`after` are that span only (absent: whole-file texts). */
  at?: number;
  /** Length of the whole file after the change (with `at`). */
  length?: number;
  /** `hashText` of the whole file after the change (with `at`): undo goes ahead only while the file still has it. */
  hash?: string;
  /** True when the file did not exist before (undo deletes it). */
  created?: boolean;
  /** True when the change deleted the file (`before` is its whole text; undo brings it back while the name is free). */
  deleted?: boolean;
  /** Readable reasons for the edits to this file that could not be applied (e.g. SEARCH not found). */
  failed?: string[];
}

/**
 * Apply a reply's edits to the doc's files in ONE transaction with `origin`. Each hunk is written as its own minimal
 * delete/insert, so people typing elsewhere in the same file keep their text. An edit that cannot be applied (SEARCH not
 * found, unknown file, bad name) is listed in its file's `failed`; the others still apply. Returns one entry per touched
 * file, in first-mention order, for `undoAssistantEdits`.
 * @example const applied = applyAssistantEdits(doc, parseEdits(reply), { assistantMessage: id })
 */
export function applyAssistantEdits(doc: Y.Doc, edits: ParsedEdit[], origin: unknown = null): AppliedEdit[] {
  const results = new Map<string, AppliedEdit>();
  if (!edits.length) return [];
  doc.transact(() => {
    const files = filesOf(doc);
    for (const edit of edits) {
      let result = results.get(edit.file);
      const existing = files.get(edit.file);
      const text = existing instanceof Y.Text ? existing : undefined;
      if (!result) {
        result = { file: edit.file, before: text ? text.toString() : "", after: "" };
        if (!text) result.created = true;
        results.set(edit.file, result);
      }
      const problem = applyOne(files, edit);
      if (problem) (result.failed ??= []).push(problem);
    }
    for (const result of results.values()) {
      const text = files.get(result.file);
      result.after = text instanceof Y.Text ? text.toString() : "";
      if (result.created && !(text instanceof Y.Text)) delete result.created;
    }
  }, origin);
  return [...results.values()];
}

/** Apply one edit inside the caller's transaction; returns a readable reason when it cannot be applied. */
function applyOne(files: Y.Map<Y.Text>, edit: ParsedEdit): string | undefined {
  if (!isValidFileName(edit.file)) return `"${edit.file}" is not a valid file name`;
  let text = files.get(edit.file);
  if (edit.kind === "file") {
    if (!(text instanceof Y.Text)) {
      files.set(edit.file, new Y.Text(edit.content));
      return undefined;
    }
    const current = text.toString();
    writeSpan(text, { start: 0, end: current.length, replacement: edit.content }, current);
    return undefined;
  }
  if (!(text instanceof Y.Text)) {
    if (edit.search.trim()) return `${edit.file} does not exist, so its SEARCH text cannot be found`;
    text = new Y.Text();
    files.set(edit.file, text);
  }
  const current = text.toString();
  if (!edit.search.trim()) {
    // An empty SEARCH creates (or fills) an empty file; in a non-empty file it has no defined place.
    if (current.trim()) return `an empty SEARCH in ${edit.file} does not say where to change it`;
    writeSpan(text, { start: 0, end: current.length, replacement: edit.replace }, current);
    return undefined;
  }
  const hunk = locate(current, edit.search, edit.replace);
  if (!hunk) return `SEARCH text not found in ${edit.file}: ${firstLine(edit.search)}`;
  writeSpan(text, hunk, current);
  return undefined;
}

/** Replace `current.slice(start, end)` in `text` by touching only the part of the span that really changes. */
function writeSpan(text: Y.Text, { start, end, replacement }: Hunk, current: string): void {
  const old = current.slice(start, end);
  let head = 0;
  const max = Math.min(old.length, replacement.length);
  while (head < max && old.charCodeAt(head) === replacement.charCodeAt(head)) head++;
  let tail = 0;
  while (
    tail < max - head &&
    old.charCodeAt(old.length - 1 - tail) === replacement.charCodeAt(replacement.length - 1 - tail)
  ) tail++;
  const removed = old.length - head - tail;
  if (removed > 0) text.delete(start + head, removed);
  const inserted = replacement.slice(head, replacement.length - tail);
  if (inserted) text.insert(start + head, inserted);
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0]!.trim();
  return line.length > 60 ? line.slice(0, 57) + "..." : line;
}

/**
 * Undo what `applyAssistantEdits` did, in ONE transaction with `origin`: a file goes back to `before` (or is deleted when
 * the reply created it) only while it still equals `after`; a file someone changed since is a conflict and is left alone.
 * A deleted file comes back with its old text while no file of that name exists again. Entries that changed nothing are
 * skipped.
 * @example const { undone, conflicts } = undoAssistantEdits(doc, readChat(doc).at(-1)!.edits ?? [], "undo")
 */
export function undoAssistantEdits(
  doc: Y.Doc,
  applied: AppliedEdit[],
  origin: unknown = null,
): { undone: string[]; conflicts: string[] } {
  const undone: string[] = [];
  const conflicts: string[] = [];
  doc.transact(() => {
    const files = filesOf(doc);
    for (const entry of [...applied].reverse()) {
      if (entry.before === entry.after && !entry.created && !entry.deleted) continue;
      const text = files.get(entry.file);
      const current = text instanceof Y.Text ? text.toString() : undefined;
      if (entry.deleted) {
        if (files.has(entry.file)) conflicts.push(entry.file);
        else {
          files.set(entry.file, new Y.Text(entry.before));
          undone.push(entry.file);
        }
        continue;
      }
      if (current === undefined || !stillAsAfter(entry, current)) {
        conflicts.push(entry.file);
        continue;
      }
      const at = entry.at ?? 0;
      if (entry.created) files.delete(entry.file);
      else writeSpan(text!, { start: at, end: at + entry.after.length, replacement: entry.before }, current);
      undone.push(entry.file);
    }
  }, origin);
  return { undone: undone.reverse(), conflicts: conflicts.reverse() };
}

/** True while `current` is still exactly what the edit left (whole-file texts, or a compacted span with length and hash). */
function stillAsAfter(entry: AppliedEdit, current: string): boolean {
  if (entry.at === undefined) return current === entry.after;
  return (
    current.length === entry.length &&
    current.startsWith(entry.after, entry.at) &&
    entry.hash === hashText(current)
  );
}

/**
 * The same edit with only the span that changed kept (common head and tail dropped), for storing in the chat: undo copies
 * of a one-line change to a 100 KB file cost a line, not 200 KB. Undo still refuses when the file changed since (by hash).
 * @example compactEdit({ file: "a.ts", before: "let a = 1;", after: "let a = 2;" }) // { file, at: 8, before: "1", after: "2", length: 10, hash }
 */
export function compactEdit(edit: AppliedEdit): AppliedEdit {
  if (edit.at !== undefined) return edit;
  const { before, after } = edit;
  let head = 0;
  const max = Math.min(before.length, after.length);
  while (head < max && before.charCodeAt(head) === after.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < max - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return {
    ...edit,
    at: head,
    before: before.slice(head, before.length - tail),
    after: after.slice(head, after.length - tail),
    length: after.length,
    hash: hashText(after),
  };
}
