/**
 * The build side of <spike-preview>: core/build, loaded on first use, and which of the built files the entry reaches (only
 * their errors stop the preview).
 */
import type { BuiltModule } from "../../core/build/index.js";

/** core/build, as <spike-preview> loads it. */
export type BuildModule = typeof import("../../core/build/index.js");

let buildModule: Promise<BuildModule> | undefined;

/**
 * core/build (sucrase and acorn, ~85 KB gzip) loads on first use, so a page with only editors does not pay for it.
 * @example const { ProjectBuilder } = await loadBuild();
 */
export function loadBuild(): Promise<BuildModule> {
  return (buildModule ??= import("../../core/build/index.js"));
}

/**
 * Project files the entry reaches through imports, and imported files that have no module (missing or broken).
 * @example const { used, missing } = reachableFrom("index.tsx", result.modules);
 */
export function reachableFrom(entry: string, modules: ReadonlyMap<string, BuiltModule>): { used: Set<string>; missing: Set<string> } {
  const used = new Set<string>();
  const missing = new Set<string>();
  const walk = (file: string) => {
    if (used.has(file) || missing.has(file)) return;
    const module = modules.get(file);
    if (!module) {
      missing.add(file);
      return;
    }
    used.add(file);
    for (const dep of module.projectImports) walk(dep);
  };
  walk(entry);
  return { used, missing };
}
