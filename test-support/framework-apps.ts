/**
 * Builds and type-checks the framework examples (integrations/examples/) the way their users would: the packed npm
 * package installed into a copy of the app (test-support/package.ts), Vite with the framework's own plugin, then tsc,
 * vue-tsc or svelte-check against the package's declarations.
 */
import { spawnSync } from "node:child_process";
import { cpSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "vite";
import { installTarball, packedTarball, tempApp } from "./package.js";

const ROOT = resolve(import.meta.dirname, "..");

export type Framework = "react" | "vue" | "svelte";

/** Each example's type checker: its command line (node script + arguments) run in the app's folder. */
const CHECKERS: Record<Framework, string[]> = {
  react: ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"],
  vue: ["node_modules/vue-tsc/bin/vue-tsc.js", "-p", "tsconfig.json"],
  svelte: ["node_modules/svelte-check/bin/svelte-check", "--tsconfig", "tsconfig.json", "--output", "human", "--threshold", "error"],
};

/**
 * A copy of integrations/examples/<framework> with the packed package installed in its node_modules (its other imports,
 * the framework and Vite, resolve from the project's node_modules above it). Remove it when done.
 * @example const dir = scratchApp("vue"); try { … } finally { rmSync(dir, { recursive: true, force: true }); }
 */
export function scratchApp(framework: Framework): string {
  const dir = tempApp(framework, { "tsconfig.json": JSON.stringify(TSCONFIG, null, 2) });
  cpSync(join(ROOT, "integrations/examples", framework), dir, { recursive: true });
  installTarball(packedTarball(), dir);
  return dir;
}

/** The apps' tsconfig: what a Vite app of each framework starts with. */
const TSCONFIG = {
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
  },
  include: ["src/**/*.ts", "src/**/*.tsx", "src/**/*.vue", "src/**/*.svelte"],
};

/**
 * Run the framework's type checker in an app folder; `ok` is its exit status, `output` what it printed.
 * @example const { ok, output } = typecheckApp("svelte", dir);
 */
export function typecheckApp(framework: Framework, dir: string): { ok: boolean; output: string } {
  const [script, ...args] = CHECKERS[framework];
  const result = spawnSync(process.execPath, [join(ROOT, script!), ...args], { cwd: dir, encoding: "utf8" });
  // Checkers colour their output when they think a terminal or CI wants it (svelte-check does under CI=true): plain text.
  const output = `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
  return { ok: result.status === 0, output };
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
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 10_000 },
  });
}
