/**
 * Builds and type-checks the framework examples (integrations/examples/) the way their users would: Vite with the
 * framework's own plugin, then tsc, vue-tsc or svelte-check. Until the package is built, `spike`, `spike/react`, `spike/jsx`
 * and `spike/vue` resolve to the sources: SPIKE_SPECIFIERS, here and nowhere else (Vite aliases and tsconfig `paths`).
 * At the merge with the package build, point them at the packed tarball instead.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build, type Plugin } from "vite";

const ROOT = resolve(import.meta.dirname, "..");

/** The package's specifiers and the source file each stands for (the package's exports map, until it is built). */
export const SPIKE_SPECIFIERS: Record<string, string> = {
  spike: "elements/index.ts",
  "spike/react": "integrations/react.ts",
  "spike/jsx": "integrations/types/jsx.d.ts",
  "spike/vue": "integrations/types/vue.d.ts",
};

export type Framework = "react" | "vue" | "svelte";

/** Each example's type checker: its command line (node script + arguments) run in the app's folder. */
const CHECKERS: Record<Framework, string[]> = {
  react: ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"],
  vue: ["node_modules/vue-tsc/bin/vue-tsc.js", "-p", "tsconfig.json"],
  svelte: ["node_modules/svelte-check/bin/svelte-check", "--tsconfig", "tsconfig.json", "--output", "human", "--threshold", "error"],
};

/**
 * A scratch copy of integrations/examples/<framework> in a new temporary folder, with the repository's node_modules
 * linked in and a tsconfig.json whose `paths` resolve the spike specifiers. Remove it when done.
 * @example const dir = scratchApp("vue"); try { … } finally { rmSync(dir, { recursive: true, force: true }); }
 */
export function scratchApp(framework: Framework): string {
  const dir = mkdtempSync(join(tmpdir(), `spike-${framework}-app-`));
  cpSync(join(ROOT, "integrations/examples", framework), dir, { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const paths = Object.fromEntries(Object.entries(SPIKE_SPECIFIERS).map(([name, file]) => [name, [join(ROOT, file)]]));
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      lib: ["ES2022", "DOM", "DOM.Iterable"],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      isolatedModules: true,
      verbatimModuleSyntax: true,
      jsx: "react-jsx",
      // Until `spike` resolves to built .d.ts files, the check reads the elements' sources: lit's decorators need these.
      experimentalDecorators: true,
      useDefineForClassFields: false,
      paths,
    },
    include: ["src/**/*.ts", "src/**/*.tsx", "src/**/*.vue", "src/**/*.svelte"],
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  return dir;
}

/**
 * Run the framework's type checker in an app folder; `ok` is its exit status, `output` what it printed.
 * @example const { ok, output } = typecheckApp("svelte", dir);
 */
export function typecheckApp(framework: Framework, dir: string): { ok: boolean; output: string } {
  const [script, ...args] = CHECKERS[framework];
  const result = spawnSync(process.execPath, [join(ROOT, script!), ...args], { cwd: dir, encoding: "utf8" });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/**
 * Build an app folder with Vite and its own vite.config.ts (the framework plugin), into `outDir`.
 * @example await buildApp(dir, join(dir, "dist"));
 */
export async function buildApp(dir: string, outDir: string): Promise<void> {
  await build({
    root: dir,
    base: "./",
    configFile: join(dir, "vite.config.ts"),
    logLevel: "warn",
    resolve: { alias: Object.entries(SPIKE_SPECIFIERS).map(([name, file]) => ({ find: new RegExp(`^${name}$`), replacement: join(ROOT, file) })) },
    plugins: [monacoFromSources()],
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 10_000 },
  });
}

/**
 * What the elements' own build does for Monaco (scripts/build/rollup-plugins.mjs), for a Vite build of the sources: one
 * Monaco for y-monaco's deep import, and Monaco's CSS handed to the editor's shadow root (inlined, fonts as data: URLs)
 * instead of Vite injecting it into the document, and Monaco's workers (built by the site build, dist/site) beside the
 * chunk that loads Monaco, where elements/internal/monaco-loader.ts looks for them. (Vite turns that loader's
 * `new URL(\`./${file}\`, import.meta.url)` into a glob of its folder, which has no workers: marked @vite-ignore here.)
 */
function monacoFromSources(): Plugin {
  const prefix = "\0spike-monaco-css:";
  const monacoStyles = join(ROOT, "elements/internal/monaco-styles.ts");
  return {
    name: "spike-monaco-from-sources",
    enforce: "pre",
    resolveId: {
      filter: { id: /(\.css|editor\.api\.js)$/ },
      async handler(source, importer) {
        if (source === "monaco-editor/esm/vs/editor/editor.api.js") return this.resolve("monaco-editor/editor/editor.api", importer);
        if (!source.endsWith(".css") || !importer?.includes("/monaco-editor/")) return null;
        return `${prefix}${resolve(importer, "..", source)}.js`;
      },
    },
    load(id) {
      if (!id.startsWith(prefix)) return null;
      const file = id.slice(prefix.length, -".js".length);
      const css = readFileSync(file, "utf8").replace(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g, (match, _quote, target: string) => {
        if (/^(data:|https?:|#)/.test(target)) return match;
        return `url("data:font/ttf;base64,${readFileSync(resolve(file, "..", target)).toString("base64")}")`;
      });
      return `import { addMonacoStyles } from ${JSON.stringify(monacoStyles)};\naddMonacoStyles(${JSON.stringify(css)});\n`;
    },
    transform: {
      filter: { id: /(monaco-loader\.ts|typescript\/workerManager\.js)$/ },
      handler(code, id) {
        if (id.endsWith("/elements/internal/monaco-loader.ts")) {
          return code.replace("new URL(`./${file}`, import.meta.url)", "new URL(/* @vite-ignore */ `./${file}`, import.meta.url)");
        }
        // Monaco's own TypeScript worker, which Vite would bundle again (~10 s); the loader's MonacoEnvironment hands out ours.
        return code.replace("new URL('ts.worker.js', import.meta.url)", "new URL(/* @vite-ignore */ 'ts.worker.js', import.meta.url)");
      },
    },
    generateBundle() {
      for (const worker of ["editor.worker.js", "ts.worker.js"]) {
        this.emitFile({ type: "asset", fileName: `assets/${worker}`, source: readFileSync(join(ROOT, "dist/site", worker)) });
      }
    },
  };
}
