// Builds the CDN build dist/cdn (self-contained: spike.js with all four elements, spike-{room,editor,preview,chat}.js with
// one each, hashed chunks under chunks/ with Monaco only in lazily loaded ones, Monaco's two workers as separate builds
// (one multi-input build moved the worker URL and it 404'd), the preview frame, and the offline npm set that
// scripts/build-npm.mjs writes into dist/cdn/npm first), each built file with its source map (scripts/build/source-maps.mjs),
// then the site the Worker serves, dist/site: the demo pages, a copy of dist/cdn at its root (the moving latest,
// /spike.js) and one at v/<version>/ (pinned). `npm run build`; prints gzip sizes.
import { createHash } from "node:crypto";
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { addLiveReloadTag, devMonacoBuild, devMonacoExternal } from "./scripts/build/dev-build.mjs";
import { liteStylesheet } from "./scripts/build/lite-css.mjs";
import { monacoEsm, onwarn, plugins as sharedPlugins, root } from "./scripts/build/rollup-plugins.mjs";
import { buildServiceWorkers } from "./scripts/build/service-workers.mjs";
import { checkAssetSizes, sourceMapOutput } from "./scripts/build/source-maps.mjs";

/**
 * `npm run dev` (scripts/dev.mjs) builds into dist/dev/, so a dev build never stands in for a production one; it serves
 * dist/dev/site, which it updates from the site assembled here.
 */
const dev = process.env.SPIKE_DEV === "1";
const outDir = path.join(root, dev ? "dist/dev/cdn" : "dist/cdn");
const siteDir = path.join(root, dev ? "dist/dev/assembled" : "dist/site");
const { version } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8"));
/** The entries a page may load, by file name; each is also a pinned URL, /v/<version>/<file>. */
const ENTRIES = {
  spike: "elements/index.ts",
  "spike-room": "elements/register/spike-room.ts",
  "spike-editor": "elements/register/spike-editor.ts",
  "spike-preview": "elements/register/spike-preview.ts",
  "spike-chat": "elements/register/spike-chat.ts",
  "spike-tabs": "elements/register/spike-tabs.ts",
  "spike-console": "elements/register/spike-console.ts",
  "spike-playground": "elements/register/spike-playground.ts",
  "spike-versions": "elements/register/spike-versions.ts",
  // The headless client beside the elements, sharing their RoomClient registry (spike.js must not import it: size budget).
  core: "core/index.ts",
};
/** Modules that build URLs from their own (Monaco's workers, the preview frame): see rootImportMeta. */
const ROOT_RELATIVE = ["elements/internal/monaco-loader.ts", "elements/internal/preview-origin.ts"].map((file) => path.join(root, file));
const minify = !dev && process.env.SPIKE_MINIFY !== "0";
const plugins = () => sharedPlugins({ minify, dev });
const started = Date.now();

/**
 * `import.meta.url` in ROOT_RELATIVE reads as a file at the build's root, whichever chunk the module lands in (with five
 * entries, shared code goes to chunks/), so `new URL("./editor.worker.js", import.meta.url)` there finds dist/cdn's files.
 */
function rootImportMeta() {
  return {
    name: "spike-root-import-meta",
    resolveImportMeta(property, { chunkId, moduleId }) {
      if (property !== "url" || !ROOT_RELATIVE.includes(moduleId)) return null;
      const up = path.posix.relative(path.posix.dirname(chunkId), ".");
      return up ? `new URL(${JSON.stringify(`${up}/`)}, import.meta.url).href` : null;
    },
  };
}

/** Start from an empty chunks/ folder, so dist/cdn holds only this build's hashed files. */
function cleanChunks() {
  return {
    name: "spike-clean-chunks",
    async buildStart() {
      await rm(path.join(outDir, "chunks"), { recursive: true, force: true });
    },
  };
}

/**
 * dist/site = the demos + dist/cdn at the root (the moving latest) + dist/cdn at v/<version>/ (pinned). Runs after the
 * last build; copies (not links) because Workers static assets upload files.
 */
function assembleSite() {
  return { name: "spike-assemble-site", closeBundle: buildSite };
}

/**
 * Write dist/site from dist/cdn and demos/ (see assembleSite). In a dev build (dist/dev/assembled), for scripts/dev.mjs, which
 * calls it after each rebuild: the npm set comes from the production dist/cdn/npm, and each demo page loads the live-reload
 * client from $SPIKE_LIVE_RELOAD_URL, a script tag that exists in dev builds only.
 */
export async function buildSite() {
  await rm(path.join(siteDir, "chunks"), { recursive: true, force: true });
  await rm(path.join(siteDir, "v"), { recursive: true, force: true });
  await mkdir(siteDir, { recursive: true });
  // The gallery's tests and their helpers sit beside its pages; they are not part of the site.
  await cp(path.join(root, "demos"), siteDir, { recursive: true, filter: (source) => !/\.test\.ts$|-e2e\.ts$/.test(source) });
  if (dev) await cp(path.join(root, "dist/cdn/npm"), path.join(outDir, "npm"), { recursive: true });
  await cp(outDir, siteDir, { recursive: true });
  await cp(outDir, path.join(siteDir, "v", version), { recursive: true });
  if (dev && process.env.SPIKE_LIVE_RELOAD_URL) await addLiveReloadTag(siteDir, new URL("live-reload.js", process.env.SPIKE_LIVE_RELOAD_URL).href);
  // Not in a dev build: a worker keeping yesterday's bundle would hide each rebuild (sw-register.js then finds no /sw.js).
  if (!dev) await buildServiceWorkers(siteDir);
  await writeSiteHeaders();
  await checkAssetSizes(siteDir);
}

/**
 * `_headers` for the static site (Workers static assets read it; wrangler dev too): nosniff on everything, CORS on every
 * file an embed on another origin loads (module scripts are CORS requests; so are the workers, started through a
 * same-origin blob that imports them, and everything a local preview frame with an opaque origin fetches), a CSP on each
 * demo page and the preview frame's own. Caching: the pinned copy under /v/ and the hashed chunks never change
 * (immutable); the latest entries, workers and frame are kept briefly. Rules that match one path are combined by joining
 * values, so no header appears in two rules that can overlap.
 */
async function writeSiteHeaders() {
  const scripts = [...Object.keys(ENTRIES).map((name) => `/${name}.js`), "/editor.worker.js", "/ts.worker.js"];
  // Each script's source map goes with it (Workers assets send .map as application/json already).
  const latest = [...scripts, ...scripts.map((url) => `${url}.map`), "/spike.css"];
  const rule = (url, headers) => `${url}\n${Object.entries(headers).map(([k, v]) => `  ${k}: ${v}\n`).join("")}`;
  const cdn = [
    ...latest.map((url) => rule(url, { "Access-Control-Allow-Origin": "*", "Cache-Control": LATEST_CACHE })),
    rule("/chunks/*", { "Access-Control-Allow-Origin": "*", "Cache-Control": IMMUTABLE }),
    rule("/preview/*", { ...PREVIEW_HEADERS, "Access-Control-Allow-Origin": "*", "Cache-Control": LATEST_CACHE }),
    rule("/v/*", { "Access-Control-Allow-Origin": "*", "Cache-Control": IMMUTABLE }),
    rule("/v/:version/preview/*", PREVIEW_HEADERS),
  ].join("");
  const pages = await pageHeaders(path.join(root, "demos"));
  // The framework apps (scripts/build-gallery-apps.mjs) are Vite builds with no inline scripts: the demo pages' policy.
  const apps = rule("/apps/*", { "Content-Security-Policy": PAGE_CSP.replace("HASHES ", ""), "Referrer-Policy": "strict-origin-when-cross-origin" });
  await writeFile(path.join(siteDir, "_headers"), `/*\n  X-Content-Type-Options: nosniff\n${cdn}${pages}${apps}`);
}

/** What the pinned copy and the hashed chunks are served with: they never change. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** The latest entries move with every deploy: browsers keep them five minutes (in a dev build, a reload asks again). */
const LATEST_CACHE = dev ? "no-cache" : "public, max-age=300";

/**
 * The demo pages' CSP. What each source is for:
 * - script-src: the page's own files and its inline scripts by hash (computed below, so editing a demo keeps it valid);
 *   `https:` for Clerk's clerk-js, served from the deployment's Clerk Frontend API (its host comes from the publishable key,
 *   unknown at build time; narrow it to `https://clerk.<your-domain> https://challenges.cloudflare.com` when deploying),
 *   loopback for a self-hosted `clerk-js-url` in development and tests.
 * - style-src 'unsafe-inline': Monaco and Clerk inject styles at run time (Clerk's CSP guide requires it).
 * - worker-src 'self': the offline service worker (/sw.js, README "Offline"); blob: Monaco's workers start from a
 *   same-origin blob (elements/internal/monaco-loader.ts), as Clerk's do.
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
 * frame-ancestors *: any page that embeds <spike-preview> frames it. nosniff comes from the `/*` rule, CORS from the
 * rule of the folder the frame is in (writeSiteHeaders).
 */
const PREVIEW_HEADERS = {
  "Content-Security-Policy":
    "default-src 'self' blob: data:; script-src 'self' blob: 'unsafe-inline' 'unsafe-eval' http://localhost:* http://127.0.0.1:* https:; style-src * 'unsafe-inline' blob: data:; img-src * blob: data:; font-src * data:; media-src * blob: data:; connect-src *; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors *",
  "Referrer-Policy": "no-referrer",
};

/**
 * The preview frame's page (dist/cdn/preview/frame.html) with its runtime inlined: one request instead of two before the
 * frame can say it is ready, and the only one a repeat visit can take from the HTTP cache when the frame is sandboxed
 * without allow-same-origin (Chromium keeps no cache for what an opaque-origin document fetches; its own navigation is
 * cached). frame.js is still written beside it, for pages that load an older frame.html. The frame's CSPs allow inline
 * scripts already ('unsafe-inline', for its import maps).
 */
function inlinePreviewFrameHtml() {
  return {
    name: "spike-inline-preview-frame-html",
    async generateBundle(_options, bundle) {
      const source = await readFile(path.join(root, "elements/internal/preview-frame/frame.html"), "utf8");
      const runtime = bundle["frame.js"];
      const tag = '<script src="frame.js"></script>';
      if (runtime?.type !== "chunk" || !source.includes(tag)) this.error(`frame.html must load the runtime with ${tag}`);
      if (runtime.code.includes("<!--")) this.error("the frame runtime contains <!--, which would change how the inlined script parses");
      // Inside a <script> element only "</script" (any case) ends it early; "<\/script" means the same in JavaScript.
      const code = runtime.code.replace(/<\/(script)/gi, "<\\/$1").trim();
      this.emitFile({ type: "asset", fileName: "frame.html", source: source.replace(tag, () => `<script>\n${code}\n</script>`) });
    },
  };
}

/** Monaco belongs in lazily loaded chunks only: never in an entry a page loads up front. */
function checkMonacoIsLazy() {
  return {
    name: "spike-check-monaco-is-lazy",
    generateBundle(_options, bundle) {
      for (const file of Object.keys(ENTRIES).map((name) => `${name}.js`)) {
        const leaked = Object.keys(bundle[file]?.modules ?? {}).find((id) => id.startsWith(monacoEsm));
        if (leaked) this.error(`Monaco leaked into ${file}: ${leaked}`);
      }
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
  output: { file: path.join(outDir, file), format: "es", inlineDynamicImports: true, ...sourceMapOutput() },
  plugins: [...plugins(), reportSizes([file])],
  onwarn,
});

export default [
  ...(dev ? [devMonacoBuild({ outDir, plugins: plugins(), onwarn })] : []),
  {
    input: ENTRIES,
    // Let the lazy chunks import shared code (lit, yjs, core) from the entries themselves instead of a facade + extra chunk.
    preserveEntrySignatures: "allow-extension",
    output: {
      dir: outDir,
      format: "es",
      entryFileNames: "[name].js",
      chunkFileNames: "chunks/[name]-[hash].js",
      assetFileNames: "chunks/[name]-[hash][extname]",
      ...sourceMapOutput(),
    },
    plugins: [...(dev ? [devMonacoExternal({ outDir })] : []), cleanChunks(), ...plugins(), rootImportMeta(), checkMonacoIsLazy(), liteStylesheet(), reportSizes()],
    onwarn,
  },
  {
    // The preview frame's runtime: a classic script (iife) with nothing to import, so it runs before any import map exists.
    input: "elements/internal/preview-frame/runtime.ts",
    output: { file: path.join(outDir, "preview/frame.js"), format: "iife", ...sourceMapOutput() },
    plugins: [...plugins(), inlinePreviewFrameHtml()],
    onwarn,
  },
  worker("monaco-editor/editor/editor.worker", "editor.worker.js"),
  {
    ...worker("monaco-editor/language/typescript/ts.worker", "ts.worker.js"),
    // scripts/dev.mjs assembles its site after each rebuild (a watch rebuild runs only the builds whose inputs changed).
    plugins: [...plugins(), reportSizes(["ts.worker.js"]), ...(dev ? [] : [assembleSite(), reportTime()])],
  },
];
