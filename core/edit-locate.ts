/**
 * Where a SEARCH text is in a file, forgiving what models get wrong: exact first, then ignoring trailing whitespace, then
 * ignoring indentation (re-indenting the replacement to match). Pure text; edits.ts writes the span it finds.
 */

/** A span of a file and the text that replaces it. */
export interface Hunk {
  start: number;
  end: number;
  replacement: string;
}

/**
 * Where `search` is in `text` and what to put there. Exact match first; then, line by line, ignoring trailing whitespace;
 * then ignoring indentation too (re-indenting the replacement by the same offset). Undefined when not found.
 * @example locate("if (x) {\n  go();\n}\n", "    go();\n", "    stop();\n") // { start: 9, end: 17, replacement: "  stop();\n" }
 */
export function locate(text: string, search: string, replace: string): Hunk | undefined {
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
