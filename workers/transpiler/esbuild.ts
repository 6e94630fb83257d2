/**
 * esbuild-wasm inside workerd, started on first use. Workers may not compile WebAssembly from bytes at run time, so the
 * module is imported precompiled (wrangler's CompiledWasm rule for `*.wasm`) and handed to `initialize`; it runs on the
 * request's own thread (`worker: false`: workerd has no Web Workers).
 */
import * as esbuild from "esbuild-wasm/esm/browser.js";
import wasmModule from "esbuild-wasm/esbuild.wasm";

let ready: Promise<typeof esbuild> | undefined;

/**
 * esbuild, initialized once per isolate. Global scope may not do this work (no async I/O or timers there), so the first
 * request pays for it; a failed start is forgotten so the next request tries again.
 * @example const { transform } = await loadEsbuild(); await transform("let x: number = 1", { loader: "ts" });
 */
export function loadEsbuild(): Promise<typeof esbuild> {
  ready ??= esbuild.initialize({ wasmModule, worker: false }).then(
    () => esbuild,
    (error: unknown) => {
      ready = undefined;
      throw error;
    },
  );
  return ready;
}

export type { BuildFailure, Loader, Message, PartialMessage, Plugin, PluginBuild, TransformFailure } from "esbuild-wasm/esm/browser.js";
