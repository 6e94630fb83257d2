/**
 * The playground-elements side of the preview bench: its elements bundled by esbuild and served, with their
 * service-worker sandbox, by two loopback servers showing the bench project.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PLAYGROUND_HTML, PLAYGROUND_MAIN } from "../preview-app.mjs";
import { versionOf } from "../support.mjs";
import { CONTENT_TYPES, startStaticServer } from "./static-server.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const HOST = "127.0.0.1";
const PLAYGROUND_DIR = path.join(ROOT, "node_modules", "playground-elements");
const NPM_DIR = path.join(ROOT, "dist", "site", "npm");

/**
 * playground-elements as a page would ship it: its three elements bundled by esbuild into one module served at
 * /pg/__bundle.js, beside the package's own files, so `new URL("./playground-typescript-worker.js", import.meta.url)`
 * finds the TypeScript worker it starts.
 */
export async function bundlePlaygroundElements() {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    stdin: {
      contents: ["playground-project.js", "playground-file-editor.js", "playground-preview.js"]
        .map((file) => `import "playground-elements/${file}";`)
        .join("\n"),
      resolveDir: ROOT,
      loader: "js",
    },
    bundle: true,
    format: "esm",
    minify: true,
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

/** `/npm/...` modules of the offline set (contract C2, built into dist/site/npm by scripts/build-npm.mjs), as an import map on `origin`. */
export function npmImportMap(origin) {
  const file = path.join(NPM_DIR, "importmap.json");
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: the offline npm set was not built`);
  const { imports } = JSON.parse(readFileSync(file, "utf8"));
  return { imports: Object.fromEntries(Object.entries(imports).map(([k, v]) => [k, new URL(v, origin).href])) };
}

/**
 * Two loopback servers: the host page and playground-elements on 127.0.0.1:A, and the sandbox (service worker, its proxy
 * page, the React modules, and an always-404 stand-in for the CDN the TypeScript worker asks for type declarations) on
 * localhost:B, a different site, as playground-elements advises and as spike's preview frame is.
 * @example const target = await startPlayground(appSource()); await page.goto(target.url);
 */
export async function startPlayground(app) {
  const bundle = await bundlePlaygroundElements();
  const sandbox = await startStaticServer("playground sandbox", {
    "/pg/": PLAYGROUND_DIR,
    "/npm/": NPM_DIR,
  });
  const sandboxOrigin = `http://${HOST}:${sandbox.port}`;
  const config = {
    files: {
      "index.html": { content: PLAYGROUND_HTML },
      "main.tsx": { content: PLAYGROUND_MAIN, hidden: true },
      "index.tsx": { content: app.source, selected: true },
    },
    importMap: npmImportMap(sandboxOrigin),
  };
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>playground-elements preview bench</title>
<link rel="icon" href="data:,">
<style>body { margin: 16px; font-family: system-ui; } playground-file-editor, playground-preview { height: 420px; border: 1px solid #ccc; }</style>
<script type="module">
  import "/pg/__bundle.js";
  const project = document.getElementById("project");
  project.sandboxBaseUrl = ${JSON.stringify(`${sandboxOrigin}/pg/`)};
  // No internet: the TypeScript worker's type-declaration fetches get a fast 404 from the sandbox server instead of unpkg.
  project.cdnBaseUrl = ${JSON.stringify(`${sandboxOrigin}/cdn`)};
  project.config = ${JSON.stringify(config).replace(/</g, "\\u003c")};
</script></head><body>
<playground-project id="project"></playground-project>
<playground-file-editor project="project" filename="index.tsx"></playground-file-editor>
<playground-preview project="project"></playground-preview>
</body></html>`;
  const host = await startStaticServer("playground host", {
    "/pg/__bundle.js": () => ({ body: bundle, type: CONTENT_TYPES[".js"] }),
    "/pg/": PLAYGROUND_DIR,
    "/": (rest) => (rest === "" || rest === "index.html" ? { body: page, type: CONTENT_TYPES[".html"] } : null),
  });
  return {
    name: "playground",
    title: `playground-elements ${versionOf("playground-elements")}`,
    url: `http://${HOST}:${host.port}/`,
    editorSelector: "playground-file-editor .cm-content",
    servers: [host, sandbox],
    describe:
      `host http://${HOST}:${host.port}, sandbox ${sandboxOrigin} (another origin, same site: Chromium here denies a ` +
      `cross-site frame its service worker); React from the offline /npm set (dist/site/npm) on the sandbox origin`,
  };
}
