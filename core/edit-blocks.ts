/**
 * Reading the assistant's edit format out of a reply: fenced `edit:` blocks of SEARCH/REPLACE sections and whole-file
 * `file:` blocks (the prompt that teaches the model this format is in prompt.ts). Pure text; edits.ts applies the result.
 */

/** One edit parsed from a reply: a search/replace hunk (`edit:`) or a complete new file (`file:`). */
export type ParsedEdit =
  | { kind: "replace"; file: string; search: string; replace: string }
  | { kind: "file"; file: string; content: string };

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
