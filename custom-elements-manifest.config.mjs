// Custom Elements Manifest from the elements' JSDoc (`npm run manifest`). package.json's `customElements` field is set
// by hand, so the analyzer must not rewrite package.json (the freshness test writes to a temporary folder).
export default {
  // The shared bases are analysed too, so each element lists the properties it inherits from them. The tags are defined in
  // elements/register/ (so the classes can be imported without registering them).
  globs: ["elements/spike-*.ts", "elements/register/*.ts", "elements/internal/room-element.ts", "elements/internal/lite-element.ts"],
  exclude: ["elements/**/*.test.ts", "elements/**/*-test.ts"],
  litelement: true,
  packagejson: false,
  plugins: [sourceModulePaths()],
};

/**
 * The analyzer names a definition's class by its import specifier resolved from the root ("/elements/spike-chat.js");
 * every other reference in the manifest is a source path ("elements/spike-chat.ts"). Make those agree.
 */
function sourceModulePaths() {
  return {
    name: "spike-source-module-paths",
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const entry of mod.exports ?? []) {
          const module = entry.declaration?.module;
          if (module?.startsWith("/")) entry.declaration.module = module.slice(1).replace(/\.js$/, ".ts");
        }
      }
    },
  };
}
