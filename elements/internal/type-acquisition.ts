/**
 * Types for the editor's TypeScript worker: the `.d.ts` files of the npm packages a project imports, and the project's other
 * files, so hover, completion and errors work across files and packages. Typings load lazily, only for packages some file of
 * the project imports (plus react for JSX), from the offline set's /npm/typings.json (scripts/build-npm-types.mjs) or, for
 * other packages, the server's /npm/_types/<name> (workers/main/npm-types.ts, NPM_UPSTREAM), and go in as extra libs under
 * `file:///node_modules/<package>/…`, where TypeScript's own resolution finds them. monaco-loader.ts hides the "cannot find
 * module" family of markers only while some editor's typings are still loading or could not be indexed at all.
 */
import type * as Y from "yjs";
import type { editor as MonacoEditor, IDisposable } from "monaco-editor/editor/editor.api";
import { filesOf } from "../../core/index.js";
import { specifierKind } from "../../core/build/resolve.js";
import { setTypesPending, type MonacoModule } from "./monaco-loader.js";
import { BUNDLE_BASE } from "./preview-origin.js";

/** The index both sources answer: package -> its typings package id (null: it has none), and per id the files to load. */
interface TypingsIndex {
  packages: Record<string, string | null>;
  typings: Record<string, { files: string[]; dependencies: string[] }>;
}

/** What the project's files may import besides code: the build turns CSS and JSON into modules (README, Build rules). */
const AMBIENT_MODULES = `declare module "*.module.css" { const classes: Record<string, string>; export default classes; export { classes }; }
declare module "*.css" { const text: string; export default text; }
declare module "*.json" { const value: any; export default value; }
`;
/** Project files TypeScript reads: code only (a .json or .css file goes through AMBIENT_MODULES). */
const CODE_FILE = /\.(?:[cm]?[jt]sx?)$/;
const JSX_FILE = /\.[jt]sx$/;
const IMPORT_PATTERNS = [/\b(?:from|import)\s*["']([^"'\n]+)["']/g, /\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)/g];
/** Quiet time after an edit before the other editors' copies of the file and the import scan catch up. */
const SETTLE_MS = 400;

/** Per npm base: the offline index (fetched once) and each package's loading (once per page). */
const indexes = new Map<string, Promise<TypingsIndex | null>>();
const packages = new Map<string, Promise<void>>();
/** Keys of `packages` whose loading has finished. */
const settled = new Set<string>();
const loadedTypings = new Set<string>();
let ambient: IDisposable | undefined;

/**
 * The names of the npm packages `source` imports: `react-dom/client` -> `react-dom`, `@scope/x/y` -> `@scope/x`.
 * @example importedPackages('import { useState } from "react"; import "./App";') // ["react"]
 */
export function importedPackages(source: string): string[] {
  const names = new Set<string>();
  for (const pattern of IMPORT_PATTERNS) {
    for (const [, specifier] of source.matchAll(pattern)) {
      if (!specifier || specifierKind(specifier) !== "package") continue;
      names.add(specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/"));
    }
  }
  return [...names];
}

/**
 * Where `/npm/` is for this project: the folder spike.js came from for a local project on the default server (as the preview
 * frame's, elements/internal/preview-origin.ts), else the server's origin.
 */
function npmBaseOf(server: string, local: boolean): string {
  const origin = new URL(server, location.href).origin;
  return local && BUNDLE_BASE && origin === new URL(BUNDLE_BASE).origin ? BUNDLE_BASE.replace(/\/$/, "") : origin;
}

async function fetchJson<T>(url: string): Promise<T | null> {
  const response = await fetch(url).catch(() => null);
  if (!response?.ok) {
    await response?.body?.cancel();
    return null;
  }
  return (await response.json().catch(() => null)) as T | null;
}

function offlineIndex(base: string): Promise<TypingsIndex | null> {
  let index = indexes.get(base);
  if (!index) indexes.set(base, (index = fetchJson<TypingsIndex>(`${base}/npm/typings.json`)));
  return index;
}

/** Every file of `id` and of the typings it imports, as extra libs at their node_modules path. */
async function loadTypings(mod: MonacoModule, base: string, index: TypingsIndex, id: string): Promise<boolean> {
  const ids: string[] = [];
  const queue = [id];
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (ids.includes(next) || loadedTypings.has(`${base} ${next}`)) continue;
    ids.push(next);
    queue.push(...(index.typings[next]?.dependencies ?? []));
  }
  const files = ids.flatMap((typings) => (index.typings[typings]?.files ?? []).map((file) => ({ typings, file })));
  const texts = await Promise.all(
    files.map(async ({ typings, file }) => {
      const response = await fetch(`${base}/npm/${typings}/${file}`).catch(() => null);
      return response?.ok ? response.text() : null;
    }),
  );
  if (texts.some((text) => text === null)) return false;
  files.forEach(({ typings, file }, i) => {
    const name = typings.slice(0, typings.lastIndexOf("@"));
    mod.typescript.typescriptDefaults.addExtraLib(texts[i]!, `file:///node_modules/${name}/${file}`);
  });
  for (const typings of ids) loadedTypings.add(`${base} ${typings}`);
  return true;
}

/**
 * Give the worker `name`'s typings, once per page and npm base. A package that has none, or whose typings failed to load,
 * becomes a shorthand ambient module (`any`), so its imports are not flagged; a package that exists nowhere (no offline set
 * entry, and the server has no NPM_UPSTREAM or it answered 404) is left alone, so "Cannot find module" says what the preview
 * will say too.
 */
function loadPackage(mod: MonacoModule, base: string, name: string): Promise<void> {
  const key = `${base} ${name}`;
  let loading = packages.get(key);
  if (loading) return loading;
  loading = (async () => {
    const offline = await offlineIndex(base);
    // No typings index at all: not a spike server (an app's own static host) or an older one, so no `_types` either; the
    // missing-module errors stay hidden there (monaco-loader.ts).
    if (!offline) return;
    let index = name in offline.packages ? offline : null;
    let missing = false;
    if (!index) {
      const response = await fetch(`${base}/npm/_types/${name}`).catch(() => null);
      missing = response?.status === 404 || response?.status === 400;
      index = response?.ok ? ((await response.json().catch(() => null)) as TypingsIndex | null) : null;
      if (!response?.ok) await response?.body?.cancel();
    }
    const id = index?.packages[name];
    if (index && id && (await loadTypings(mod, base, index, id))) return;
    if (missing) return;
    // No typings (say, canvas-confetti) or they failed to load: imports of it are `any` rather than an error.
    const stub = `declare module ${JSON.stringify(name)};\ndeclare module ${JSON.stringify(`${name}/*`)};\n`;
    mod.typescript.typescriptDefaults.addExtraLib(stub, `file:///node_modules/@spike-untyped/${name}.d.ts`);
  })();
  packages.set(key, loading);
  void loading.then(() => settled.add(key));
  return loading;
}

/**
 * Keep the TS worker's picture of `doc` for the editor showing `model`: the project's other files beside the model (so
 * `import App from "./App"` resolves) and the typings of every package the project imports. Returns what stops it.
 * @example const stop = watchProjectTypes(mod, project.doc, model, host.server, !project.client);
 */
export function watchProjectTypes(mod: MonacoModule, doc: Y.Doc, model: MonacoEditor.ITextModel, server: string, local: boolean): () => void {
  const defaults = mod.typescript.typescriptDefaults;
  ambient ??= defaults.addExtraLib(AMBIENT_MODULES, "file:///node_modules/@spike-ambient/index.d.ts");
  const base = npmBaseOf(server, local);
  const folder = model.uri.toString().replace(/[^/]*$/, "");
  const own = model.uri.toString();
  const mirrored = new Map<string, { text: string; lib: IDisposable }>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const owner = {};

  const sync = async () => {
    timer = undefined;
    const files = filesOf(doc);
    const wanted = new Set<string>();
    const names = new Set<string>();
    for (const [file, text] of files) {
      if (!CODE_FILE.test(file)) continue;
      const source = text.toString();
      for (const name of importedPackages(source)) names.add(name);
      if (JSX_FILE.test(file)) names.add("react");
      const path = `${folder}${file}`;
      if (path === own) continue;
      wanted.add(path);
      if (mirrored.get(path)?.text !== source) mirrored.set(path, { text: source, lib: defaults.addExtraLib(source, path) });
    }
    for (const [path, { lib }] of mirrored) {
      if (wanted.has(path)) continue;
      lib.dispose();
      mirrored.delete(path);
    }
    // Pending (markers of missing modules hidden) only while something new loads, not on every edit.
    if ([...names].some((name) => !settled.has(`${base} ${name}`))) setTypesPending(owner, true);
    await Promise.all([...names].map((name) => loadPackage(mod, base, name)));
    // No index at all (an old server, a folder without the set): nothing can be told apart, so keep hiding.
    if (!stopped) setTypesPending(owner, (await offlineIndex(base)) === null);
  };
  const onChange = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void sync(), SETTLE_MS);
  };
  void sync();
  filesOf(doc).observeDeep(onChange);
  return () => {
    stopped = true;
    clearTimeout(timer);
    filesOf(doc).unobserveDeep(onChange);
    for (const { lib } of mirrored.values()) lib.dispose();
    setTypesPending(owner, false);
  };
}
