/**
 * The esbuild plugin that makes a `{name: text}` project a file system on core/build's rules, the ones `<spike-preview>`
 * builds with: imports resolve through core/build/resolve.ts, bare imports stay external and are rewritten to URLs, and
 * CSS, JSON and other files become the modules of core/build/file-kinds.ts, so the bundle is one self-contained ES module.
 */
import { assetModuleCode, fileKindOf, isScriptKind } from "../../core/build/file-kinds.js";
import { resolveImport } from "../../core/build/resolve.js";
import type { BuildError } from "../../core/build/types.js";
import type { PartialMessage, Plugin, PluginBuild } from "./esbuild.js";
import { isBuildFailure } from "./build-errors.js";
import type { BundleInput } from "./request-input.js";

const NAMESPACE = "project";

/**
 * Appended to every script so that esbuild reads it as an ES module, as the preview frame does: a file with no
 * `import`/`export` that assigns `module.exports` would otherwise be wrapped as CommonJS here and fail in the preview.
 */
const ES_MODULE_MARK = "\nexport {};\n";

/**
 * The plugin for one bundle request.
 * @example await esbuild.build({ entryPoints: ["index.tsx"], bundle: true, write: false, plugins: [projectPlugin(input)] })
 */
export function projectPlugin({ files, imports = {}, importFallback }: BundleInput): Plugin {
  const names = new Set(Object.keys(files));
  return {
    name: "spike-project",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") return { path: args.path, namespace: NAMESPACE };
        // `require()` is no import in an ES module: it is left to run time, where it fails as it does in the preview.
        if (args.kind === "require-call" || args.kind === "require-resolve") return { path: args.path, external: true };
        const resolved = resolveImport(args.importer, args.path, names);
        switch (resolved.kind) {
          case "project":
            return { path: resolved.file, namespace: NAMESPACE };
          case "package":
            return { path: mapBareSpecifier(args.path, imports, importFallback), external: true };
          case "external":
            return { path: args.path, external: true };
          case "missing":
            return { errors: [{ text: resolved.message }] };
        }
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
        const text = files[args.path]!;
        const kind = fileKindOf(args.path);
        if (isScriptKind(kind)) return { contents: text + ES_MODULE_MARK, loader: kind };
        let source = text;
        if (kind === "css") {
          const minified = await minifyCss(build, args.path, text);
          if (typeof minified !== "string") return minified;
          source = minified;
        }
        const asset = assetModuleCode(args.path, source);
        return asset.error ? { errors: [messageOf(asset.error, text)] } : { contents: asset.code, loader: "js" as const };
      });
    },
  };
}

/**
 * Where a bare specifier points: an exact `imports` entry, else the longest `prefix/` entry it falls under (import-map
 * rules), else `importFallback` + specifier, else the specifier as written.
 * @example mapBareSpecifier("react-dom/client", { "react-dom/": "https://h/npm/react-dom@19/" }) // "https://h/npm/react-dom@19/client"
 */
export function mapBareSpecifier(specifier: string, imports: Record<string, string>, importFallback?: string): string {
  if (Object.hasOwn(imports, specifier)) return imports[specifier]!;
  let best = "";
  for (const key of Object.keys(imports)) {
    if (key.endsWith("/") && specifier.startsWith(key) && key.length > best.length) best = key;
  }
  if (best) return imports[best] + specifier.slice(best.length);
  return importFallback ? importFallback + specifier : specifier;
}

/** CSS minified by esbuild's CSS parser (a bundle is minified throughout), or its errors with their lines. */
async function minifyCss(build: PluginBuild, file: string, text: string): Promise<string | { errors: PartialMessage[] }> {
  try {
    return (await build.esbuild.transform(text, { loader: "css", minify: true, sourcefile: file })).code;
  } catch (error) {
    if (isBuildFailure(error)) return { errors: error.errors };
    throw error;
  }
}

const encoder = new TextEncoder();

/** core/build's error as an esbuild message, whose columns count UTF-8 bytes (build-errors.ts turns them back). */
function messageOf(error: BuildError, text: string): PartialMessage {
  const lineText = text.split("\n")[error.line - 1] ?? "";
  const column = encoder.encode(lineText.slice(0, error.column)).byteLength;
  return { text: error.message, location: { file: error.file, line: error.line, column, lineText } };
}
