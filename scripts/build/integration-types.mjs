/**
 * The framework typings and editor data, generated from custom-elements.json into integrations/types/ (committed, and
 * shipped in the package): JSX types (React 19, Preact, Solid, Svelte), Vue's GlobalComponents, VS Code's HTML and CSS
 * custom data, JetBrains web-types. `npm run manifest` runs it after the analyzer; integrations/types.test.ts keeps the
 * committed files fresh. Usage: node scripts/build/integration-types.mjs [outdir]
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateJsxTypes } from "@wc-toolkit/jsx-types";
import { generateJetBrainsWebTypes } from "custom-element-jet-brains-integration";
import { generateVsCodeCustomElementData } from "custom-element-vs-code-integration";
import { generateVuejsTypes } from "custom-element-vuejs-integration";
import { root } from "./rollup-plugins.mjs";

/** The generated files, by what they are for. */
export const OUTPUTS = {
  jsx: "jsx.d.ts",
  vue: "vue.d.ts",
  vscodeHtml: "vscode.html-custom-data.json",
  vscodeCss: "vscode.css-custom-data.json",
  webTypes: "web-types.json",
};

/** Where the element classes and event detail types come from in a user's project: the package itself. */
const TYPES_FROM = "spike";

/**
 * The manifest as users see it: only the declarations that define a tag (the shared base and its helpers stay out), and
 * only their exports, so generated imports name nothing the package does not export.
 */
export function publicManifest(manifest) {
  const modules = manifest.modules
    .map((mod) => {
      const declarations = (mod.declarations ?? []).filter((d) => d.tagName);
      const names = new Set(declarations.map((d) => d.name));
      const exports = (mod.exports ?? []).filter((e) => e.kind === "js" && names.has(e.declaration.name));
      return { ...mod, declarations, exports };
    })
    .filter((mod) => mod.declarations.length);
  return { ...manifest, modules };
}

/** Vue's generator wants an event's detail type where the manifest has the event's (`CustomEvent<D>` -> `D`). */
function withDetailTypes(manifest) {
  const detail = (type) => (type ? { text: /^CustomEvent<(.+)>$/.exec(type.text)?.[1] ?? type.text } : type);
  return {
    ...manifest,
    modules: manifest.modules.map((mod) => ({
      ...mod,
      declarations: mod.declarations.map((d) => ({ ...d, events: d.events?.map((e) => ({ ...e, type: detail(e.type) })) })),
    })),
  };
}

/** Vue's generator imports a detail type once per element that fires it, a duplicate identifier for TypeScript. */
function importEachNameOnce(file) {
  const text = readFileSync(file, "utf8").replace(/import type \{([^}]*)\} from "([^"]+)";/g, (_, names, from) => {
    const unique = [...new Set(names.split(",").map((name) => name.trim()).filter(Boolean))];
    return `import type {\n${unique.map((name) => `  ${name},\n`).join("")}} from "${from}";`;
  });
  writeFileSync(file, text);
}

/**
 * Write every file of {@link OUTPUTS} into `outdir` from the manifest at `manifestPath`.
 * @example generateIntegrationTypes("integrations/types")
 */
export function generateIntegrationTypes(outdir, manifestPath = path.join(root, "custom-elements.json")) {
  const manifest = publicManifest(JSON.parse(readFileSync(manifestPath, "utf8")));
  const common = { outdir, hideLogs: true };
  generateJsxTypes(manifest, { ...common, fileName: OUTPUTS.jsx, globalTypePath: TYPES_FROM, stronglyTypedEvents: true });
  generateVuejsTypes(withDetailTypes(manifest), { ...common, fileName: OUTPUTS.vue, globalTypePath: TYPES_FROM });
  importEachNameOnce(path.join(outdir, OUTPUTS.vue));
  generateVsCodeCustomElementData(manifest, {
    ...common,
    htmlFileName: OUTPUTS.vscodeHtml,
    cssFileName: OUTPUTS.vscodeCss,
    descriptionSrc: "description",
  });
  generateJetBrainsWebTypes(manifest, { ...common, webTypesFileName: OUTPUTS.webTypes, descriptionSrc: "description" });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(root, "scripts/build/integration-types.mjs")) {
  generateIntegrationTypes(path.resolve(process.argv[2] ?? path.join(root, "integrations/types")));
}
