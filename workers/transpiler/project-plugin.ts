/**
 * The esbuild plugin that makes a `{name: text}` project a file system: relative imports resolve between project files
 * (see loaders.ts), bare imports stay external and are rewritten to URLs, and `.css` files become JavaScript modules that
 * apply their styles, so the bundle is one self-contained ES module.
 */
import type { Loader, Plugin, PluginBuild } from "./esbuild.js";
import { isBuildFailure } from "./build-errors.js";
import { loaderOf, resolveProjectImport } from "./loaders.js";
import type { BundleInput } from "./request-input.js";

const NAMESPACE = "project";
/** An import that names a URL (`https://…`, `data:…`) or a server path (`/npm/…`) is loaded by the browser as is. */
const URL_OR_PATH = /^(?:[a-z][a-z0-9+.-]*:|\/)/i;

/**
 * The plugin for one bundle request.
 * @example await esbuild.build({ entryPoints: ["index.tsx"], bundle: true, write: false, plugins: [projectPlugin(input)] })
 */
export function projectPlugin({ files, imports = {}, importFallback }: BundleInput): Plugin {
  const exists = (file: string) => Object.hasOwn(files, file);
  return {
    name: "spike-project",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") return { path: args.path, namespace: NAMESPACE };
        const specifier = args.path;
        if (specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..") {
          const file = resolveProjectImport(specifier, args.importer, exists);
          if (file) return { path: file, namespace: NAMESPACE };
          return { errors: [{ text: `Could not resolve "${specifier}" from "${args.importer}": no such project file` }] };
        }
        if (URL_OR_PATH.test(specifier)) return { path: specifier, external: true };
        return { path: mapBareSpecifier(specifier, imports, importFallback), external: true };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
        const text = files[args.path]!;
        const loader: Loader = loaderOf(args.path) ?? "text";
        if (loader !== "css") return { contents: text, loader };
        return cssModule(build, args.path, text);
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

/**
 * A CSS file as a JavaScript module: minified by esbuild's CSS parser (so its syntax errors come back with lines), put in a
 * `<style data-spike-file>` in document.head (replacing an earlier one of the same file), and exported as the CSS text.
 * Without a document (a Worker, node) it only exports the text.
 */
async function cssModule(build: PluginBuild, file: string, text: string) {
  try {
    const { code } = await build.esbuild.transform(text, { loader: "css", minify: true, sourcefile: file });
    const contents = `const css = ${JSON.stringify(code)};
if (typeof document !== "undefined") {
  const selector = ${JSON.stringify(`style[data-spike-file="${file}"]`)};
  const style = document.head.querySelector(selector) ?? document.createElement("style");
  style.setAttribute("data-spike-file", ${JSON.stringify(file)});
  style.textContent = css;
  if (!style.isConnected) document.head.appendChild(style);
}
export default css;
`;
    return { contents, loader: "js" as const };
  } catch (error) {
    if (isBuildFailure(error)) return { errors: error.errors };
    throw error;
  }
}
