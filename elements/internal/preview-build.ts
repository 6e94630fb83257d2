/**
 * The build side of <spike-preview>: core/build, loaded on first use (which built files the entry reaches, and so which
 * errors stop the preview, is core/build's `entryErrors`).
 */

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
