/** wrangler imports `*.wasm` as a compiled WebAssembly.Module (its default CompiledWasm module rule). */
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
