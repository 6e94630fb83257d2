// Custom Elements Manifest from the elements' JSDoc (`npm run manifest`). package.json's `customElements` field is set
// by hand, so the analyzer must not rewrite package.json (the freshness test writes to a temporary folder). The framework
// typings and editor data generated from the manifest (integrations/types/) follow it: scripts/build/integration-types.mjs.
import { readFileSync } from "node:fs";

export default {
  // The shared bases are analysed too, so each element lists the properties it inherits from them. The tags are defined in
  // elements/register/ (so the classes can be imported without registering them).
  globs: ["elements/spike-*.ts", "elements/register/*.ts", "elements/internal/room-element.ts", "elements/internal/lite-element.ts"],
  exclude: ["elements/**/*.test.ts", "elements/**/*-test.ts"],
  litelement: true,
  packagejson: false,
  plugins: [sourceModulePaths(), eventDetailTypes()],
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

/**
 * Each `@fires spike-…` gets its type from the one table of event details, `SpikeEventDetails` in
 * elements/internal/events.ts (`CustomEvent<SpikeChangeDetail>`), so typings generated from the manifest type `e.detail`.
 * An event missing from that table fails the analysis.
 */
function eventDetailTypes() {
  const source = readFileSync(new URL("./elements/internal/events.ts", import.meta.url), "utf8");
  const table = /export interface SpikeEventDetails \{([^}]*)\}/.exec(source)?.[1] ?? "";
  const details = new Map([...table.matchAll(/"([a-z-]+)": (\w+);/g)].map(([, name, type]) => [name, type]));
  return {
    name: "spike-event-detail-types",
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          for (const event of declaration.events ?? []) {
            const detail = details.get(event.name);
            if (!detail) throw new Error(`${declaration.name} fires ${event.name}, which SpikeEventDetails (elements/internal/events.ts) does not list`);
            event.type = { text: `CustomEvent<${detail}>` };
          }
        }
      }
    },
  };
}
