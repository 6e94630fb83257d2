/**
 * Loads Monaco once per page on first use (dynamic import, so spike.js stays small), tells it where its workers live, sets
 * up the TypeScript language service, and turns its CSS into one constructed sheet that every editor's shadow root adopts.
 */
import type * as MonacoEntry from "./monaco-entry.js";
import { previewsSettled } from "./preview-pending.js";

export type MonacoModule = typeof MonacoEntry;

/** Monaco's theme for each colour scheme. Monaco's theme is page-global: the last editor to set it wins. */
export const MONACO_THEMES = { light: "vs", dark: "spike-dark" } as const;

/**
 * TS diagnostics that only mean "the typings are not there yet": cannot find module (2307, 2792), missing
 * `react/jsx-runtime` (2875), an untyped module (7016) and untyped JSX (7026). Hidden while some editor's typings are loading
 * (elements/internal/type-acquisition.ts) or could not be indexed at all (a server without /npm/typings.json), shown once
 * they are there: then "Cannot find module" means what the preview will say too. A package without typings never raises
 * them: it becomes an `any` module.
 */
const IGNORED_WHILE_LOADING = [2307, 2792, 2875, 7016, 7026];

/** Editors whose typings are loading or unindexed (see IGNORED_WHILE_LOADING): while any is, those markers are hidden page-wide. */
const typesPending = new Set<object>();

let loading: Promise<MonacoModule> | undefined;
let editorSheet: CSSStyleSheet | undefined;

/**
 * Monaco, loaded once. A failed load is forgotten so the next call retries.
 * @example const { monaco } = await loadMonaco(); monaco.editor.create(div, {});
 */
export function loadMonaco(): Promise<MonacoModule> {
  loading ??= (async () => {
    installWorkerFactory();
    // Previews loading beside the editor go first: Monaco's evaluation would hold the main thread they need.
    await previewsSettled();
    const mod = await import("./monaco-entry.js");
    configureTypeScript(mod);
    hideWhileLoading(mod);
    defineDarkTheme(mod);
    return mod;
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Monaco's CSS as one sheet to adopt into a shadow root. `@font-face` rules (the codicon font) are moved to the document:
 * Chromium ignores font faces declared inside shadow roots. So is the rule hiding Monaco's screen-reader announcements,
 * which it appends to document.body (e.g. "This room is read-only for you" on a keystroke), out of our shadow root's reach.
 */
export function monacoStyleSheet(mod: MonacoModule): CSSStyleSheet {
  if (editorSheet) return editorSheet;
  const fontFaces: string[] = [];
  const css = mod.monacoStyles().replace(/@font-face\s*\{[^}]*\}/g, (rule) => {
    fontFaces.push(rule);
    return "";
  });
  editorSheet = new CSSStyleSheet();
  editorSheet.replaceSync(css);
  const page = new CSSStyleSheet();
  page.replaceSync([...fontFaces, ".monaco-aria-container { position: absolute; left: -999em; }"].join("\n"));
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, page];
  return editorSheet;
}

/**
 * vs-dark, but the other occurrences of the word under the caret are outlined instead of greyed: vs-dark's grey
 * (#575757b8, #474747 on the editor's background) leaves its blue keywords at 3.2:1, under WCAG AA's 4.5:1, wherever the
 * caret lands on a word (a console link puts it there).
 */
function defineDarkTheme({ monaco }: MonacoModule): void {
  const outline = "#9198a1";
  monaco.editor.defineTheme(MONACO_THEMES.dark, {
    base: "vs-dark",
    inherit: true,
    rules: [],
    colors: {
      "editor.wordHighlightBackground": "#00000000",
      "editor.wordHighlightStrongBackground": "#00000000",
      "editor.wordHighlightTextBackground": "#00000000",
      "editor.wordHighlightBorder": outline,
      "editor.wordHighlightStrongBorder": outline,
      "editor.wordHighlightTextBorder": outline,
    },
  });
}

function configureTypeScript({ typescript: ts }: MonacoModule): void {
  ts.typescriptDefaults.setCompilerOptions({
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    // As the build resolves: package.json `exports` and `types` (the typings of type-acquisition.ts sit in node_modules/).
    moduleResolution: 100 as typeof ts.ModuleResolutionKind.NodeJs, // ts.ModuleResolutionKind.Bundler
    jsx: ts.JsxEmit.ReactJSX,
    allowJs: true,
    strict: true,
    esModuleInterop: true,
    allowNonTsExtensions: true,
    // Every file is a module, so files of different editors on one page (one TS program) don't clash as scripts.
    moduleDetection: 3, // ts.ModuleDetectionKind.Force
  });
  ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
}

/**
 * While typings are pending, drop the TS markers of IGNORED_WHILE_LOADING as they arrive. Not through the worker's
 * `diagnosticCodesToIgnore`: changing an option restarts the worker, which then parses every typing again.
 */
function hideWhileLoading({ monaco }: MonacoModule): void {
  monaco.editor.onDidChangeMarkers((uris) => {
    if (typesPending.size === 0) return;
    for (const resource of uris) {
      const model = monaco.editor.getModel(resource);
      const markers = monaco.editor.getModelMarkers({ owner: "typescript", resource });
      const kept = markers.filter((m) => !IGNORED_WHILE_LOADING.includes(Number(typeof m.code === "object" ? m.code.value : m.code)));
      if (model && kept.length !== markers.length) monaco.editor.setModelMarkers(model, "typescript", kept);
    }
  });
}

/**
 * Mark `owner`'s typings as loading (or unindexed) or done: the "cannot find module" family is hidden while any is pending.
 * @example setTypesPending(watcher, true); await loadTypes(); setTypesPending(watcher, false);
 */
export function setTypesPending(owner: object, pending: boolean): void {
  if (pending) typesPending.add(owner);
  else typesPending.delete(owner);
}

/**
 * The workers sit next to the module that holds this code: spike.js in the site build (rollup.config.mjs checks this
 * module stays there), dist/chunks/ in the npm package. The URLs are literal `new URL("./…", import.meta.url)` so that
 * Vite and webpack 5 find the files and emit them with the app. A page that set up its own MonacoEnvironment keeps it.
 */
function installWorkerFactory(): void {
  const scope = globalThis as { MonacoEnvironment?: { getWorker?: unknown; getWorkerUrl?: unknown } };
  const env = (scope.MonacoEnvironment ??= {});
  if (env.getWorker || env.getWorkerUrl) return;
  env.getWorker = (_moduleId: string, label: string): Worker =>
    label === "typescript" || label === "javascript"
      ? createWorker(new URL("./ts.worker.js", import.meta.url), label)
      : createWorker(new URL("./editor.worker.js", import.meta.url), label);
}

function createWorker(url: URL, label: string): Worker {
  if (url.origin === location.origin) return new Worker(url, { type: "module", name: label });
  // A page on another origin cannot start a worker from our URL; a same-origin blob that imports it can (given CORS).
  const shim = new Blob([`import ${JSON.stringify(url.href)};`], { type: "text/javascript" });
  return new Worker(URL.createObjectURL(shim), { type: "module", name: label });
}
