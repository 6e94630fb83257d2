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
 * TS diagnostics a playground cannot act on: unresolvable modules (no node_modules in the worker), missing
 * `react/jsx-runtime` and untyped JSX (no @types/react). Everything else (type errors, syntax errors) is shown.
 */
const IGNORED_DIAGNOSTICS = [2307, 2792, 2875, 7016, 7026];

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
    moduleResolution: ts.ModuleResolutionKind.NodeJs,
    jsx: ts.JsxEmit.ReactJSX,
    strict: true,
    esModuleInterop: true,
    allowNonTsExtensions: true,
    // Every file is a module, so files of different editors on one page (one TS program) don't clash as scripts.
    moduleDetection: 3, // ts.ModuleDetectionKind.Force
  });
  ts.typescriptDefaults.setDiagnosticsOptions({
    noSemanticValidation: false,
    noSyntaxValidation: false,
    diagnosticCodesToIgnore: IGNORED_DIAGNOSTICS,
  });
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
