/**
 * The two jobs of the transpiler: one file to a browser ES module (`transpileFile`), and a whole project to one minified
 * ES module (`bundleProject`). Problems in the user's code come back as structured errors, never as exceptions.
 */
import { isBuildFailure, toBuildErrors, type BuildError } from "./build-errors.js";
import { bundleHash } from "./bundle-key.js";
import { loadEsbuild } from "./esbuild.js";
import { loaderOf } from "./loaders.js";
import { projectPlugin } from "./project-plugin.js";
import type { BundleInput, TranspileInput } from "./request-input.js";

/** Compiled code, or the errors that stopped it. */
export type CompileResult<T> = ({ ok: true } & T) | { ok: false; errors: BuildError[] };

/** Browsers the output must run in: anything with ES modules, import maps and top-level await. */
const TARGET = "es2022";

/**
 * One file transpiled on its own: TS/TSX/JSX to JavaScript with React's automatic JSX runtime, CSS and JSON normalized.
 * The loader comes from the extension (the caller has checked it with loaderOf).
 * @example await transpileFile({ file: "App.tsx", code: "export default () => <p/>" }) // { ok: true, code: "import { jsx } …" }
 */
export async function transpileFile({ file, code }: TranspileInput): Promise<CompileResult<{ code: string }>> {
  const esbuild = await loadEsbuild();
  try {
    const result = await esbuild.transform(code, {
      loader: loaderOf(file)!,
      sourcefile: file,
      format: loaderOf(file) === "css" ? undefined : "esm",
      jsx: "automatic",
      target: TARGET,
      logLevel: "silent",
    });
    return { ok: true, code: result.code };
  } catch (error) {
    if (isBuildFailure(error)) return { ok: false, errors: toBuildErrors(error.errors, file) };
    throw error;
  }
}

/**
 * A project bundled from its entry into one minified ES module; `hash` identifies the input (see bundle-key.ts).
 * @example await bundleProject({ files: { "index.tsx": "import './a.css'", "a.css": "p{color:red}" }, entry: "index.tsx" })
 */
export async function bundleProject(input: BundleInput): Promise<CompileResult<{ code: string; hash: string }>> {
  const [esbuild, hash] = await Promise.all([loadEsbuild(), bundleHash(input)]);
  try {
    const result = await esbuild.build({
      entryPoints: [input.entry],
      bundle: true,
      write: false,
      format: "esm",
      minify: true,
      jsx: "automatic",
      target: TARGET,
      platform: "browser",
      charset: "utf8",
      legalComments: "none",
      outfile: "index.js",
      logLevel: "silent",
      plugins: [projectPlugin(input)],
    });
    const output = result.outputFiles.find((file) => file.path.endsWith(".js"));
    return { ok: true, code: output?.text ?? "", hash };
  } catch (error) {
    if (isBuildFailure(error)) return { ok: false, errors: toBuildErrors(error.errors, input.entry) };
    throw error;
  }
}
