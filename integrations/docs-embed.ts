/**
 * What the docs-site plugins (remark.ts, markdown-it.ts) share: reading a ```` ```tsx spike room=… ```` fence's options, and
 * the lite embed it becomes (an editor and a preview on one project or room) with its code highlighted at build time by
 * the lite view's own tokenizer, so the page shows Monaco's colours before (and without) any script.
 */
import { escapeHtml, tokenize } from "../elements/internal/tokenize.js";

/** When an embed loads its live part (the elements' `loading` attribute). */
export type FenceLoading = "lazy" | "click" | "eager";
/** The embed's colour scheme (the elements' `theme` attribute). */
export type FenceTheme = "light" | "dark" | "auto";

/** Options of both plugins: defaults for every fence of the document. */
export interface SpikeDocsOptions {
  /** Base URL of the spike server (the elements' `server`); default: the origin `spike.js` was loaded from. */
  server?: string;
  /** Default `loading` of the embeds (a fence's `loading=` wins); default `lazy`. */
  loading?: FenceLoading;
  /** Default `theme` of the embeds (a fence's `theme=` wins); default `auto`. */
  theme?: FenceTheme;
}

/** A spike fence's options, read from its info string (` ```tsx spike room=demo readonly `). */
export interface SpikeFence {
  /** The fence's language: `tsx`, `ts`, `jsx` or `js`. */
  lang: string;
  /** The room the embed edits (seeded with the fence's code when it has no files yet); none: a local project. */
  room?: string;
  /** A local project shared by every fence that names it (several files, one preview). */
  project?: string;
  /** The file the fence's code is (default `index.<lang>`). */
  file: string;
  /** The entry the preview runs (default: `file`, or the project's default entry when fences share a `project`). */
  entry?: string;
  /** View only. */
  readonly: boolean;
  /** Whether a preview follows the editor (`no-preview` turns it off). */
  preview: boolean;
  loading?: FenceLoading;
  theme?: FenceTheme;
}

/** A fence whose options are wrong: the message says which option and why (the plugins add where the fence is). */
export class SpikeFenceError extends Error {
  override name = "SpikeFenceError";
}

/** The languages a spike fence may have: what the editor highlights and the preview builds. */
export const FENCE_LANGS: readonly string[] = ["tsx", "ts", "jsx", "js"];

/** Names the server accepts (core/protocol.ts isValidRoomId, core/project.ts isValidFileName). */
const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;
const FILE_NAME = /^[A-Za-z0-9._-][A-Za-z0-9._/-]{0,127}$/;
const LOADING = ["lazy", "click", "eager"];
const THEMES = ["light", "dark", "auto"];

/** ` key=value `, ` key="a value" `, ` key='a value' ` or a bare ` flag `. */
const OPTION = /([^\s=]+)(?:=(?:"([^"]*)"|'([^']*)'|(\S*)))?/g;

/**
 * The fence's options when it is a spike fence (a `tsx`, `ts`, `jsx` or `js` fence whose meta starts with the word
 * `spike`), else null; throws a SpikeFenceError for an unknown option or a bad value.
 * @example parseFence("tsx", "spike room=demo readonly") // { lang: "tsx", room: "demo", file: "index.tsx", readonly: true, preview: true }
 */
export function parseFence(lang: string | null | undefined, meta: string | null | undefined): SpikeFence | null {
  const words = (meta ?? "").trim();
  if (!lang || !FENCE_LANGS.includes(lang) || !/^spike(\s|$)/.test(words)) return null;
  const fence: SpikeFence = { lang, file: `index.${lang}`, readonly: false, preview: true };
  let fileGiven = false;
  for (const [, key, ...quoted] of words.slice("spike".length).matchAll(OPTION)) {
    const value = quoted.find((v) => v !== undefined);
    const need = (pattern: RegExp | string[], what: string): string => {
      const ok = value !== undefined && (Array.isArray(pattern) ? pattern.includes(value) : pattern.test(value) && !value.split("/").includes(".."));
      if (!ok) throw new SpikeFenceError(`spike fence: ${key}=${value ?? ""} is not ${what}`);
      return value;
    };
    const flag = (): true => {
      if (value !== undefined) throw new SpikeFenceError(`spike fence: ${key} takes no value (found ${key}=${value})`);
      return true;
    };
    switch (key) {
      case "room":
        fence.room = need(ROOM_ID, "a room id (1-64 of A-Z a-z 0-9 _ -)");
        break;
      case "project":
        fence.project = need(ROOM_ID, "a project name (1-64 of A-Z a-z 0-9 _ -)");
        break;
      case "file":
        fence.file = need(FILE_NAME, "a file name (A-Z a-z 0-9 . _ - /, no ..)");
        fileGiven = true;
        break;
      case "entry":
        fence.entry = need(FILE_NAME, "a file name (A-Z a-z 0-9 . _ - /, no ..)");
        break;
      case "loading":
        fence.loading = need(LOADING, `one of ${LOADING.join(", ")}`) as FenceLoading;
        break;
      case "theme":
        fence.theme = need(THEMES, `one of ${THEMES.join(", ")}`) as FenceTheme;
        break;
      case "readonly":
        fence.readonly = flag();
        break;
      case "no-preview":
        fence.preview = !flag();
        break;
      default:
        throw new SpikeFenceError(`spike fence: unknown option "${key}" (known: room, project, file, entry, loading, theme, readonly, no-preview)`);
    }
  }
  if (fence.room && fence.project) throw new SpikeFenceError("spike fence: room and project exclude each other (a room is already shared)");
  // Alone, the fence's own file is what the preview runs; in a shared project, the project's entry is.
  if (!fence.entry && !(fence.project && fileGiven)) fence.entry = fence.file;
  return fence;
}

/** An element of the embed, before it is written as HTML (markdown-it) or handed to rehype as hast (remark). */
export interface EmbedElement {
  tag: string;
  attributes: Record<string, string | true>;
  children: (EmbedElement | string)[];
}

const element = (tag: string, attributes: EmbedElement["attributes"], children: EmbedElement["children"] = []): EmbedElement => ({
  tag,
  attributes,
  children,
});

/** A short, stable name from the text (FNV-1a), for the local project of a fence without one. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}

/**
 * The embed a fence becomes: `<div class="spike-embed">` holding a `<spike-editor>` whose child `<pre data-file>` is the
 * highlighted code (the elements read their source from it; before spike.js defines them, spike.css shows it) and, unless
 * `no-preview`, a `<spike-preview>` on the same room or project. `index` (the fence's place in the document) keeps two
 * identical fences apart.
 * @example embedFor(parseFence("tsx", "spike")!, "export default () => <p>Hi</p>;\n", 0, {})
 */
export function embedFor(fence: SpikeFence, code: string, index: number, options: SpikeDocsOptions): EmbedElement {
  // remark gives a fence's code without its last newline, markdown-it with it: the same text either way.
  const text = code.endsWith("\n") ? code : `${code}\n`;
  const shared: Record<string, string | true> = {};
  if (fence.room) shared.room = fence.room;
  else shared.project = fence.project ?? `spike-${index}-${fingerprint(text)}`;
  if (options.server) shared.server = options.server;
  const theme = fence.theme ?? options.theme;
  if (theme && theme !== "auto") shared.theme = theme;
  const loading = fence.loading ?? options.loading;
  if (loading && loading !== "lazy") shared.loading = loading;

  const highlighted = tokenize(text).map(([kind, piece]) => (kind ? element("span", { class: `t-${kind}` }, [piece]) : piece));
  const pre = element("pre", { "data-file": fence.file }, highlighted);
  const editorAttributes: Record<string, string | true> = { ...shared };
  if (fence.file !== "index.tsx") editorAttributes.file = fence.file;
  if (fence.readonly) editorAttributes.readonly = true;
  const children = [element("spike-editor", editorAttributes, [pre])];
  if (fence.preview) {
    children.push(element("spike-preview", { ...shared, ...(fence.entry && fence.entry !== "index.tsx" ? { entry: fence.entry } : {}) }));
  }
  return element("div", { class: "spike-embed" }, children);
}

/**
 * The embed as HTML (attribute values and text escaped; no whitespace added inside the `<pre>`). `{` is written as
 * `&#123;`: the same text in a browser, but no `{{ … }}` interpolation where the page is compiled as a Vue template
 * (VitePress).
 * @example embedHtml(embedFor(fence, code, 0, {})) // '<div class="spike-embed"><spike-editor project="…"><pre data-file="index.tsx">…'
 */
export function embedHtml(node: EmbedElement | string): string {
  if (typeof node === "string") return escapeHtml(node).replaceAll("{", "&#123;");
  const attributes = Object.entries(node.attributes)
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`))
    .join("");
  return `<${node.tag}${attributes}>${node.children.map(embedHtml).join("")}</${node.tag}>`;
}
