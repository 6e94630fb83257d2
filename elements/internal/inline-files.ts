/**
 * The inline sources of an element, its `<script type="text/plain" data-file="…">` children (or `<pre data-file="…">`, the
 * highlighted code the docs-site plugins write: its text is the source), and their per-embed flags
 * (`hidden`, `readonly` attributes), read with no dependency (no yjs, no core), so the lite view
 * (elements/internal/lite-source.ts) shows them before anything heavy loads. local-project.ts validates the names and
 * seeds projects from them.
 */

/** An element's inline source files: raw-text scripts, or preformatted (possibly highlighted) code. */
const INLINE_FILES = ':scope > script[type="text/plain"][data-file], :scope > pre[data-file]';

/**
 * The sources declared inline under `host`, by `data-file` name (not validated), dedented.
 * @example readInlineSources(el) // { "index.tsx": "export default …" }
 */
export function readInlineSources(host: Element): Record<string, string> {
  const files: Record<string, string> = {};
  for (const source of host.querySelectorAll<HTMLElement>(INLINE_FILES)) {
    files[source.dataset.file ?? ""] = dedent(source.textContent ?? "");
  }
  return files;
}

/** Per-embed flags of inline files, by `data-file` name: only the flags an embed sets (it cannot clear the room's). */
export type InlineFlags = Record<string, { hidden?: true; readonly?: true }>;

/**
 * The `hidden` and `readonly` attributes of the inline files of `hosts` (their `<script type="text/plain" data-file>`
 * children), by file name; a file without either is left out.
 * @example readInlineFlags([el]) // { "secret.ts": { hidden: true } }
 */
export function readInlineFlags(hosts: Iterable<Element>): InlineFlags {
  const flags: InlineFlags = {};
  for (const host of hosts) {
    for (const source of host.querySelectorAll<HTMLElement>(INLINE_FILES)) {
      const name = source.dataset.file ?? "";
      if (source.hasAttribute("hidden")) (flags[name] ??= {}).hidden = true;
      if (source.hasAttribute("readonly")) (flags[name] ??= {}).readonly = true;
    }
  }
  return flags;
}

/**
 * The elements whose inline files describe what `host` shows: itself, the element whose shadow root it is in (a
 * composite such as a playground, whose children are the files), and every element that names the same local project.
 * @example readInlineFlags(embedMembers(el))
 */
export function embedMembers(host: Element & { project?: string | undefined }): Element[] {
  const root = host.getRootNode();
  const members = new Set<Element>([host]);
  if (root instanceof ShadowRoot) members.add(root.host);
  if (host.project) for (const member of projectMembers(host, host.project)) members.add(member);
  return [...members];
}

/**
 * `host` and every element in its document (or shadow root) that names local project `name`.
 * @example projectMembers(el, "intro").map(readInlineSources)
 */
export function projectMembers(host: Element, name: string): Element[] {
  const scope = host.getRootNode() as Document | ShadowRoot;
  return [...new Set<Element>([host, ...scope.querySelectorAll(`[project="${CSS.escape(name)}"]`)])];
}

/** Strip leading/trailing blank lines and the indentation every non-blank line shares; end with one newline. */
export function dedent(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length > 0 && lines[0]!.trim() === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  if (lines.length === 0) return "";
  const indents = lines.filter((l) => l.trim() !== "").map((l) => l.match(/^[ \t]*/)![0].length);
  const cut = Math.min(...indents);
  return lines.map((l) => l.slice(cut)).join("\n") + "\n";
}
