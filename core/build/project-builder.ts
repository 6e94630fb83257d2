/**
 * Builds a whole project into browser modules and rebuilds it incrementally: a file is transpiled again only when its
 * text changed, and relinked (a cheap string splice) only when its transpiled code or the set of file names changed.
 * Unchanged files keep the very same BuiltModule object from one result to the next.
 */
import { linkModule } from "./imports.js";
import { transpileFile, type TranspileOutcome } from "./transpile.js";
import type { BuildError, BuildResult, BuiltModule } from "./types.js";

/** Options of a ProjectBuilder. */
export interface ProjectBuilderOptions {
  /** How long one loop may run before its guard throws (default 1000 ms). */
  loopBudgetMs?: number;
  /** Register top-level components for the preview frame's refresh (see TranspileOptions.refresh). */
  refresh?: boolean;
}

interface FileState {
  source: string;
  outcome: TranspileOutcome;
  /** The file-name set the link below was made against. */
  linkedAgainst: string | null;
  linked: { module?: BuiltModule; error?: BuildError } | null;
}

/**
 * Turns `{ name: text }` snapshots of a project into modules, reusing the work of the previous snapshot.
 * @example
 * const builder = new ProjectBuilder();
 * const { modules, errors } = builder.update({ "index.tsx": 'import { App } from "./App";', "App.tsx": "export const App = 1;" });
 * modules.get("index.tsx")?.code // 'import { App } from "/@project/App.tsx";'
 */
export class ProjectBuilder {
  readonly #options: ProjectBuilderOptions;
  readonly #files = new Map<string, FileState>();
  #modules: ReadonlyMap<string, BuiltModule> = new Map();
  #transpiles = 0;

  constructor(options: ProjectBuilderOptions = {}) {
    this.#options = options;
  }

  /** How many files this builder has transpiled so far (unchanged files are not counted again). */
  get transpileCount(): number {
    return this.#transpiles;
  }

  /** The modules of the last update. */
  get modules(): ReadonlyMap<string, BuiltModule> {
    return this.#modules;
  }

  /**
   * Builds the project as it is now. `changed` and `removed` compare this result's modules with the previous one's.
   * @example builder.update(files).changed // ["App.tsx"] after an edit to App.tsx that changed its code
   */
  update(files: Record<string, string>): BuildResult {
    const names = Object.keys(files).sort();
    const nameSet = new Set(names);
    const namesKey = names.join("\n");
    for (const name of this.#files.keys()) if (!nameSet.has(name)) this.#files.delete(name);

    const modules = new Map<string, BuiltModule>();
    const errors: BuildError[] = [];
    for (const name of names) {
      const source = files[name]!;
      let state = this.#files.get(name);
      if (!state || state.source !== source) {
        this.#transpiles++;
        state = { source, outcome: transpileFile(name, source, this.#options), linkedAgainst: null, linked: null };
        this.#files.set(name, state);
      }
      if (state.outcome.error) {
        errors.push(state.outcome.error);
        continue;
      }
      if (state.linkedAgainst !== namesKey) {
        state.linked = linkModule(state.outcome.transpiled, nameSet);
        state.linkedAgainst = namesKey;
      }
      const { module, error } = state.linked!;
      if (error) {
        errors.push(error);
        continue;
      }
      // Keep the previous object when relinking produced the same code, so identity means "unchanged".
      const previous = this.#modules.get(name);
      const kept = previous && previous.code === module!.code ? previous : module!;
      state.linked = { module: kept };
      modules.set(name, kept);
    }

    const changed = names.filter((name) => modules.has(name) && modules.get(name) !== this.#modules.get(name));
    const removed = [...this.#modules.keys()].filter((name) => !modules.has(name)).sort();
    this.#modules = modules;
    return { modules, changed, removed, errors };
  }
}

/**
 * The errors that stop `entry` from running: those of the files it reaches through project imports (a broken file that
 * nothing imports does not count, as in a bundle), and a missing entry. `<spike-preview>` shows these; the transpiler
 * Worker's bundle fails on the same ones.
 * @example entryErrors("index.tsx", builder.update(files)) // [{ file: "App.tsx", line: 3, column: 16, message: 'Cannot find "./Nope": …' }]
 */
export function entryErrors(entry: string, result: Pick<BuildResult, "modules" | "errors">): BuildError[] {
  const reached = new Set<string>();
  const walk = (file: string): void => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const dep of result.modules.get(file)?.projectImports ?? []) walk(dep);
  };
  walk(entry);
  // A file without a module failed to build: its error is in `errors`.
  const errors = result.errors.filter((error) => reached.has(error.file));
  if (errors.length === 0 && !result.modules.has(entry)) {
    errors.push({ file: entry, line: 1, column: 0, message: `The entry file "${entry}" is not in the project.` });
  }
  return errors;
}
