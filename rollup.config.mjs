// Builds the static site the Worker serves from dist/site: the element bundle (spike.js, small; Monaco only in lazily
// loaded chunks under chunks/), Monaco's two workers as separate builds (one multi-input build moved the worker URL and
// it 404'd), and the demo pages. `npm run build`; prints gzip sizes.
import { createHash } from "node:crypto";
import { cp, readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { liteStylesheet } from "./scripts/build/lite-css.mjs";
import { monacoEsm, onwarn, plugins as sharedPlugins, root } from "./scripts/build/rollup-plugins.mjs";

const outDir = path.join(root, "dist/site");
const minify = process.env.SPIKE_MINIFY !== "0";
const plugins = () => sharedPlugins({ minify });
const started = Date.now();

/** Copy demos/ into the site once the element bundle is written. */
function copyDemos() {
  return {
    name: "spike-copy-demos",
    async writeBundle() {
      await cp(path.join(root, "demos"), outDir, { recursive: true });
    },
  };
}

/**
 * `_headers` for the static site (Workers static assets read it; wrangler dev too): nosniff on everything, CORS on the
 * element's files so a page on another origin can load spike.js (module scripts are CORS requests), its chunks and its
 * workers (started through a same-origin blob that imports them), a CSP on each demo page, and the preview frame's own.
 * Rules that match one path are combined by joining values, so no header appears in two rules that can overlap.
 */
function siteHeaders() {
  return {
    name: "spike-site-headers",
    async generateBundle() {
      const paths = ["/spike.js", "/spike.css", "/core.js", "/chunks/*", "/editor.worker.js", "/ts.worker.js"];
      const cors = paths.map((p) => `${p}\n  Access-Control-Allow-Origin: *\n`).join("");
      const pages = await pageHeaders(path.join(root, "demos"));
      const source = `/*\n  X-Content-Type-Options: nosniff\n${cors}${pages}${PREVIEW_HEADERS}`;
      this.emitFile({ type: "asset", fileName: "_headers", source });
    },
  };
}

/**
 * The demo pages' CSP. What each source is for:
 * - script-src: the page's own files and its inline scripts by hash (computed below, so editing a demo keeps it valid);
 *   `https:` for Clerk's clerk-js, served from the deployment's Clerk Frontend API (its host comes from the publishable key,
 *   unknown at build time; narrow it to `https://clerk.<your-domain> https://challenges.cloudflare.com` when deploying),
 *   loopback for a self-hosted `clerk-js-url` in development and tests.
 * - style-src 'unsafe-inline': Monaco and Clerk inject styles at run time (Clerk's CSP guide requires it).
 * - worker-src blob: Monaco's workers start from a same-origin blob (elements/internal/monaco-loader.ts), as Clerk's do.
 * - connect-src: room WebSockets and API calls to the spike server (which an element may name), Clerk's API.
 * - frame-src: <spike-preview>'s frame lives on another origin on purpose (elements/spike-preview.ts); Clerk's bot check.
 * - frame-ancestors *: pages may themselves be framed by the sites that embed spike; embedding is the product.
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' HASHES http://localhost:* http://127.0.0.1:* https:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss: http://localhost:* http://127.0.0.1:* https:",
  "worker-src 'self' blob:",
  "frame-src 'self' http://localhost:* http://127.0.0.1:* https:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors *",
].join("; ");

/** One `_headers` rule per demo page (both `/react` and `/react.html`: assets drop the extension by default). */
async function pageHeaders(dir) {
  const rules = [];
  for (const file of (await readdir(dir)).filter((name) => name.endsWith(".html")).sort()) {
    const html = await readFile(path.join(dir, file), "utf8");
    const hashes = inlineScripts(html).map((code) => `'sha256-${createHash("sha256").update(code).digest("base64")}'`);
    const csp = PAGE_CSP.replace("HASHES ", hashes.map((hash) => `${hash} `).join(""));
    const name = file.slice(0, -".html".length);
    const urls = name === "index" ? ["/", "/index.html"] : [`/${name}`, `/${name}.html`];
    for (const url of urls) {
      rules.push(`${url}\n  Content-Security-Policy: ${csp}\n  Referrer-Policy: strict-origin-when-cross-origin\n`);
    }
  }
  return rules.join("");
}

/** The text of each inline script a browser would run (no src; classic or module), exactly as CSP hashes it. */
function inlineScripts(html) {
  const scripts = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attributes = match[1];
    if (/\bsrc\s*=/i.test(attributes)) continue;
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1]?.toLowerCase();
    if (type && type !== "module" && !/^(text|application)\/(java|ecma)script$/.test(type)) continue;
    scripts.push(match[2]);
  }
  return scripts;
}

/**
 * The preview frame (elements/internal/preview-frame/) runs untrusted user code. Its CSP cannot name the spike server
 * (unknown at build time), so it allows loopback and https origins and the runtime narrows script-src to the server
 * given in its URL with a <meta> CSP. 'unsafe-inline' is for the import maps the runtime adds; user code may eval.
 * CORS: a same-site deployment loads the frame sandboxed without allow-same-origin, i.e. from an opaque origin.
 * frame-ancestors *: any page that embeds <spike-preview> frames it. nosniff comes from the `/*` rule.
 */
const PREVIEW_HEADERS = `/preview/*
  Content-Security-Policy: default-src 'self' blob: data:; script-src 'self' blob: 'unsafe-inline' 'unsafe-eval' http://localhost:* http://127.0.0.1:* https:; style-src * 'unsafe-inline' blob: data:; img-src * blob: data:; font-src * data:; media-src * blob: data:; connect-src *; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors *
  Referrer-Policy: no-referrer
  Access-Control-Allow-Origin: *
`;

/** The preview frame's page, next to its runtime script (dist/site/preview/). */
function copyPreviewFrameHtml() {
  return {
    name: "spike-copy-preview-frame-html",
    async generateBundle() {
      const source = await readFile(path.join(root, "elements/internal/preview-frame/frame.html"), "utf8");
      this.emitFile({ type: "asset", fileName: "frame.html", source });
    },
  };
}

/** monaco-loader.ts resolves the worker files next to its own module URL, so it must stay in spike.js (dist/site/). */
function checkLoaderPlacement() {
  return {
    name: "spike-check-loader-placement",
    generateBundle(_options, bundle) {
      const entry = bundle["spike.js"];
      const loader = path.join(root, "elements/internal/monaco-loader.ts");
      if (!entry || !Object.keys(entry.modules).includes(loader)) {
        this.error("elements/internal/monaco-loader.ts must be bundled into spike.js (it locates the workers)");
      }
      const monacoInEntry = Object.keys(entry.modules).filter((id) => id.startsWith(monacoEsm));
      if (monacoInEntry.length > 0) this.error(`Monaco leaked into spike.js: ${monacoInEntry[0]}`);
    },
  };
}

/** Print the gzip size of the files a page loads, after the last build. */
function reportSizes(files) {
  return {
    name: "spike-report-sizes",
    async writeBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === "chunk" && (files ? files.includes(c.fileName) : true));
      for (const chunk of chunks.sort((a, b) => b.code.length - a.code.length).slice(0, 6)) {
        const raw = (await stat(path.join(outDir, chunk.fileName))).size;
        const gz = gzipSync(chunk.code).length;
        console.log(`  ${chunk.fileName.padEnd(40)} ${kb(raw).padStart(10)} raw ${kb(gz).padStart(10)} gzip`);
      }
    },
  };
}

function reportTime() {
  return {
    name: "spike-report-time",
    closeBundle() {
      console.log(`  built in ${((Date.now() - started) / 1000).toFixed(1)} s${minify ? " (minified)" : ""}`);
    },
  };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** A Monaco worker as its own single-file ES module build. */
const worker = (input, file) => ({
  input,
  output: { file: path.join(outDir, file), format: "es", inlineDynamicImports: true },
  plugins: [...plugins(), reportSizes([file])],
  onwarn,
});

export default [
  {
    // core.js: the headless client beside the elements, sharing their RoomClient registry; spike.js must not import it.
    input: { spike: "elements/index.ts", core: "core/index.ts" },
    // Let the lazy chunks import shared code (lit, yjs, core) from spike.js itself instead of a facade + extra chunk.
    preserveEntrySignatures: "allow-extension",
    output: {
      dir: outDir,
      format: "es",
      entryFileNames: "[name].js",
      chunkFileNames: "chunks/[name]-[hash].js",
      assetFileNames: "chunks/[name]-[hash][extname]",
    },
    plugins: [...plugins(), checkLoaderPlacement(), siteHeaders(), copyDemos(), liteStylesheet(), reportSizes()],
    onwarn,
  },
  {
    // The preview frame's runtime: a classic script (iife) with nothing to import, so it runs before any import map exists.
    input: "elements/internal/preview-frame/runtime.ts",
    output: { file: path.join(outDir, "preview/frame.js"), format: "iife" },
    plugins: [...plugins(), copyPreviewFrameHtml()],
    onwarn,
  },
  worker("monaco-editor/editor/editor.worker", "editor.worker.js"),
  { ...worker("monaco-editor/language/typescript/ts.worker", "ts.worker.js"), plugins: [...plugins(), reportSizes(["ts.worker.js"]), reportTime()] },
];
