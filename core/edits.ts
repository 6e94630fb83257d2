/**
 * The assistant's edit format (search/replace and whole-file fenced blocks): parsing a reply, applying its edits to the
 * project in one transaction with minimal spans, and undoing them when nobody touched the result since (the prompt that
 * teaches the model this format is in prompt.ts). Pure Yjs, so it runs in the CodeRoom DO, the page and node alike.
 */
import * as Y from "yjs";
import { hashText } from "./build/hash.js";
import { filesOf, isValidFileName } from "./project.js";

/** One edit parsed from a reply: a search/replace hunk (`edit:`) or a complete new file (`file:`). */
export type ParsedEdit =
  | { kind: "replace"; file: string; search: string; replace: string }
  | { kind: "file"; file: string; content: string };

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
  /** Readable reasons for the edits to this file that could not be applied (e.g. SEARCH not found). */
  failed?: string[];
}


// ---- parsing ----------------------------------------------------------------------------------------------------------

/** An opening fence naming a file: ```edit:index.tsx, ```file: styles.css, ````tsx edit:"App.tsx" … */
const OPEN_FENCE = /^ {0,3}(`{3,}|~{3,})\s*(?:[\w.+-]+\s+)?(edit|file):\s*["'`]?([^\s"'`]+)["'`]?(?:\s.*)?$/i;
/** Any other opening fence: an ordinary code block, whose content (even an example edit block) is not an edit. */
const OTHER_FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SEARCH_MARK = /^\s*<{5,9}\s*SEARCH\s*$/i;
const DIVIDER_MARK = /^\s*={5,9}\s*$/;
const REPLACE_MARK = /^\s*>{5,9}\s*REPLACE\s*$/i;

function isClosingFence(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed === fence[0]!.repeat(trimmed.length);
}

/**
 * The edits in an assistant reply, in reply order. Tolerates CRLF, trailing spaces, a missing final fence, several blocks
 * and several SEARCH/REPLACE sections per block; a section cut off before its REPLACE part (a stream that stopped) is dropped.
 * @example parseEdits("```file:a.css\nbody{}\n```") // [{ kind: "file", file: "a.css", content: "body{}\n" }]
 */
export function parseEdits(reply: string): ParsedEdit[] {
  const lines = reply.replace(/\r\n?/g, "\n").split("\n");
  const edits: ParsedEdit[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = OPEN_FENCE.exec(lines[i]!);
    const other = open ? null : OTHER_FENCE.exec(lines[i]!);
    i++;
    if (other) {
      while (i < lines.length && !isClosingFence(lines[i]!, other[1]!)) i++;
      i++;
      continue;
    }
    if (!open) continue;
    const fence = open[1]!;
    const kind = open[2]!.toLowerCase();
    const file = open[3]!;
    if (kind === "file") {
      const body: string[] = [];
      while (i < lines.length && !isClosingFence(lines[i]!, fence)) body.push(lines[i++]!);
      i++; // the closing fence (or past the end)
      edits.push({ kind: "file", file, content: body.length ? body.join("\n") + "\n" : "" });
      continue;
    }
    i = parseEditBlock(lines, i, fence, file, edits);
  }
  return edits;
}

/** Parse SEARCH/REPLACE sections from line `i` until the block's closing fence; returns the index after the block. */
function parseEditBlock(lines: string[], i: number, fence: string, file: string, edits: ParsedEdit[]): number {
  while (i < lines.length) {
    const line = lines[i]!;
    if (isClosingFence(line, fence)) return i + 1;
    if (OPEN_FENCE.test(line)) return i; // a new block started without this one being closed
    i++;
    if (!SEARCH_MARK.test(line)) continue;
    // Fence lines inside SEARCH/REPLACE are content: the markers, not the fence, delimit the code.
    const search: string[] = [];
    while (i < lines.length && !DIVIDER_MARK.test(lines[i]!)) search.push(lines[i++]!);
    if (i >= lines.length) return i; // cut off inside SEARCH
    i++;
    const replace: string[] = [];
    let complete = false;
    while (i < lines.length) {
      const current = lines[i]!;
      if (REPLACE_MARK.test(current)) {
        complete = true;
        i++;
        break;
      }
      // A model that forgets ">>>>>>> REPLACE" closes the fence instead; accept that when no marker follows in this block.
      if (isClosingFence(current, fence) && !replaceMarkAhead(lines, i + 1)) {
        complete = true;
        break;
      }
      replace.push(current);
      i++;
    }
    if (!complete) return i; // cut off inside REPLACE: never apply half a change
    edits.push({ kind: "replace", file, search: joinLines(search), replace: joinLines(replace) });
  }
  return i;
}

function replaceMarkAhead(lines: string[], from: number): boolean {
  for (let j = from; j < lines.length; j++) {
    if (OPEN_FENCE.test(lines[j]!) || SEARCH_MARK.test(lines[j]!)) return false;
    if (REPLACE_MARK.test(lines[j]!)) return true;
  }
  return false;
}

function joinLines(lines: string[]): string {
  return lines.length ? lines.join("\n") + "\n" : "";
}

// ---- matching ---------------------------------------------------------------------------------------------------------

interface Hunk {
  start: number;
  end: number;
  replacement: string;
}

/**
 * Where `search` is in `text` and what to put there. Exact match first; then, line by line, ignoring trailing whitespace;
 * then ignoring indentation too (re-indenting the replacement by the same offset). Undefined when not found.
 */
function locate(text: string, search: string, replace: string): Hunk | undefined {
  const crlf = text.includes("\r\n");
  if (crlf) {
    search = search.replace(/\n/g, "\r\n");
    replace = replace.replace(/\n/g, "\r\n");
  }
  const exact = indexAtLineStart(text, search);
  if (exact >= 0) return { start: exact, end: exact + search.length, replacement: replace };
  const eol = crlf ? "\r\n" : "\n";
  const fileLines = splitLinesWithOffsets(text);
  const searchLines = trimBlankEnds(search.split(eol).slice(0, search.endsWith(eol) ? -1 : undefined));
  if (!searchLines.length) return undefined;
  for (const normalize of [(s: string) => s.trimEnd(), (s: string) => s.trim()]) {
    const wanted = searchLines.map(normalize);
    for (let at = 0; at + wanted.length <= fileLines.length; at++) {
      if (!wanted.every((w, k) => normalize(fileLines[at + k]!.line) === w)) continue;
      const first = fileLines[at]!;
      const last = fileLines[at + wanted.length - 1]!;
      let replacement = reindent(replace, eol, first.line, searchLines);
      // The matched span ends with its last line's newline only if the file has one there.
      const end = last.end + (last.hasEol ? eol.length : 0);
      if (!last.hasEol && replacement.endsWith(eol)) replacement = replacement.slice(0, -eol.length);
      return { start: first.start, end, replacement };
    }
  }
  return undefined;
}

/** The first occurrence that starts a line (so "b();" does not match inside "ab();"), else the first anywhere. */
function indexAtLineStart(text: string, search: string): number {
  for (let at = text.indexOf(search); at >= 0; at = text.indexOf(search, at + 1)) {
    if (at === 0 || text[at - 1] === "\n") return at;
  }
  return text.indexOf(search);
}

function splitLinesWithOffsets(text: string): { line: string; start: number; end: number; hasEol: boolean }[] {
  const out: { line: string; start: number; end: number; hasEol: boolean }[] = [];
  const eol = /\r?\n/g;
  let start = 0;
  for (let m = eol.exec(text); m; m = eol.exec(text)) {
    out.push({ line: text.slice(start, m.index), start, end: m.index, hasEol: true });
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push({ line: text.slice(start), start, end: text.length, hasEol: false });
  return out;
}

function trimBlankEnds(lines: string[]): string[] {
  let from = 0;
  let to = lines.length;
  while (from < to && !lines[from]!.trim()) from++;
  while (to > from && !lines[to - 1]!.trim()) to--;
  return lines.slice(from, to);
}

const leadingSpace = (s: string) => /^\s*/.exec(s)![0];

/** Shift the replacement's indentation by the difference between the file's first matched line and the SEARCH's. */
function reindent(replace: string, eol: string, fileFirst: string, searchLines: string[]): string {
  const have = leadingSpace(fileFirst);
  const wrote = leadingSpace(searchLines[0]!);
  if (have === wrote) return replace;
  return replace
    .split(eol)
    .map((line) => {
      if (!line.trim()) return line;
      if (have.startsWith(wrote)) return have.slice(wrote.length) + line;
      const extra = wrote.slice(have.length);
      return wrote.startsWith(have) && line.startsWith(extra) ? line.slice(extra.length) : line;
    })
    .join(eol);
}

// ---- applying and undoing ---------------------------------------------------------------------------------------------

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
 * Entries that changed nothing are skipped.
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
      if (entry.before === entry.after && !entry.created) continue;
      const text = files.get(entry.file);
      const current = text instanceof Y.Text ? text.toString() : undefined;
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
