/**
 * The npm package as `npm pack` makes it (test-support/package.ts): its exports map, declarations and dependencies hold,
 * a TypeScript app type-checks against it, and `spike/core` is headless and side-effect-free in node.
 * (The bundler apps that run it in Chromium: scripts/package-apps.test.ts.)
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import * as esbuild from "esbuild";
import ts from "typescript";
import { filesIn, installTarball, packedTarball, tempApp, timings } from "../test-support/package.js";

const started = Date.now();
let app: string;
let pkgDir: string;
let pkg: {
  exports: Record<string, string | { types: string; import: string }>;
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [field: string]: unknown;
};

before(() => {
  const tarball = packedTarball();
  app = tempApp("node-app", { "package.json": JSON.stringify({ name: "node-app", private: true, type: "module" }) });
  pkgDir = installTarball(tarball, app);
  pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
});

after(() => {
  if (app) rmSync(app, { recursive: true, force: true });
  const steps = Object.entries(timings).map(([step, s]) => `${step} ${s.toFixed(1)} s`);
  console.log(`package tests: ${[...steps, `total ${((Date.now() - started) / 1000).toFixed(1)} s`].join(", ")}`);
});

/**
 * The module specifiers each file imports. JavaScript: esbuild's parse (imports, re-exports, literal `import()`), with
 * every import left external, read from its metafile; declarations: TypeScript's pre-processing, which also sees
 * `import("…")` types. Strings and comments never count.
 */
async function importsOf(files: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  for (const file of files.filter((f) => f.endsWith(".d.ts"))) {
    result.set(file, ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((ref) => ref.fileName));
  }
  const scripts = files.filter((f) => f.endsWith(".js"));
  const { metafile } = await esbuild.build({
    entryPoints: scripts,
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    outdir: "/nowhere",
    logLevel: "silent",
    plugins: [{ name: "all-external", setup: (build) => build.onResolve({ filter: /.*/ }, (args) => (args.kind === "entry-point" ? null : { path: args.path, external: true })) }],
  });
  for (const file of scripts) {
    const input = Object.entries(metafile.inputs).find(([path]) => resolve(path) === file)?.[1];
    result.set(file, (input?.imports ?? []).map((i) => i.original ?? i.path));
  }
  return result;
}

let packageImports: Promise<Map<string, string[]>> | undefined;
/** The imports of every JavaScript and declaration file of the extracted package, parsed once for all tests. */
const allImports = () =>
  (packageImports ??= importsOf(filesIn(join(pkgDir, "dist")).filter((f) => /\.(js|d\.ts)$/.test(f)).map((f) => join(pkgDir, "dist", f))));

/** `lit/decorators.js` -> `lit`, `@lit/context` -> `@lit/context`. */
const packageName = (specifier: string) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");

test("the package is publishable: not private, with files, types, customElements and sideEffects", () => {
  assert.equal(pkg.private, undefined);
  assert.ok(existsSync(join(pkgDir, pkg.types as string)), `types: ${pkg.types}`);
  assert.ok(existsSync(join(pkgDir, pkg.customElements as string)), `customElements: ${pkg.customElements}`);
  const files = filesIn(pkgDir);
  assert.deepEqual(
    files.filter((file) => !/^(dist\/|integrations\/types\/|custom-elements\.json$|package\.json$|README\.md$|LICENSE)/.test(file)),
    [],
    "only the build, the manifest, its generated typings and npm's own files are packed",
  );
  assert.deepEqual(files.filter((file) => /^dist\/(site|cdn)\//.test(file) || /\.ts$/.test(file) && !file.endsWith(".d.ts")), []);
  // The registering modules, built and (for bundlers that build this repository's sources) as sources.
  assert.deepEqual(pkg.sideEffects, [
    "./dist/index.js",
    "./dist/spike-*.js",
    "./dist/react.js",
    "./dist/chunks/*",
    "./elements/index.ts",
    "./elements/register/*.ts",
    "./integrations/react.ts",
  ]);
});

test("every exports target is in the tarball, and so is each one's types file", () => {
  const expected = [".", "./spike-room.js", "./spike-editor.js", "./spike-preview.js", "./spike-chat.js", "./spike-tabs.js", "./spike-console.js", "./spike-playground.js", "./spike-versions.js", "./classes", "./core", "./core/build", "./react", "./remark", "./markdown-it"];
  // The generated typings are types only.
  for (const subpath of ["./jsx", "./vue"]) assert.ok(existsSync(join(pkgDir, pkg.exports[subpath].types)), `${subpath} types`);
  assert.ok(existsSync(join(pkgDir, pkg["web-types"])), "web-types");
  for (const subpath of expected) {
    const target = pkg.exports[subpath];
    assert.ok(target && typeof target === "object", `${subpath} has types and import conditions`);
    assert.deepEqual(Object.keys(target), ["types", "import"], `${subpath}: types first, so TypeScript picks it`);
    assert.ok(existsSync(join(pkgDir, target.import)), `${subpath} -> ${target.import}`);
    assert.ok(existsSync(join(pkgDir, target.types)), `${subpath} types -> ${target.types}`);
  }
  for (const subpath of ["./custom-elements.json", "./package.json"]) {
    assert.ok(existsSync(join(pkgDir, pkg.exports[subpath] as string)), subpath);
  }
});

test("every bare import in the package's JavaScript and declarations is a declared dependency, and every dependency is used", async () => {
  const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies ?? {})]);
  const used = new Map<string, string>();
  for (const [file, specifiers] of await allImports()) {
    for (const specifier of specifiers) if (!specifier.startsWith(".")) used.set(packageName(specifier), file.slice(pkgDir.length + 1));
  }
  const undeclared = [...used].filter(([name]) => !declared.has(name)).map(([name, file]) => `${name} (in ${file})`);
  assert.deepEqual(undeclared, []);
  // @lit/react and react are for the `./react` entry, which another build step adds.
  const forReact = existsSync(join(pkgDir, "dist/react.js")) ? [] : ["@lit/react", "react"];
  assert.deepEqual([...declared].filter((name) => !used.has(name) && !forReact.includes(name)), []);
  for (const bundled of ["monaco-editor", "y-monaco", "sucrase", "marked", "dompurify"]) {
    assert.ok(!declared.has(bundled), `${bundled} is bundled into the lazy chunks, not a dependency`);
  }
});

test("Monaco's workers are self-contained modules, and the chunks name only files that are in the package", async () => {
  const imports = await allImports();
  for (const worker of ["editor.worker.js", "ts.worker.js"]) {
    assert.deepEqual(imports.get(join(pkgDir, "dist/chunks", worker)), [], `${worker} imports nothing`);
  }
  const named = new Set<string>();
  for (const file of filesIn(join(pkgDir, "dist")).filter((f) => f.endsWith(".js"))) {
    const code = readFileSync(join(pkgDir, "dist", file), "utf8");
    for (const [, , spec] of code.matchAll(/new URL\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url\s*\)/g)) {
      named.add(join("dist", file, "..", spec!));
    }
  }
  assert.deepEqual([...named].sort(), ["dist/chunks/codicon.ttf", "dist/chunks/editor.worker.js", "dist/chunks/ts.worker.js"]);
  for (const file of named) assert.ok(existsSync(join(pkgDir, file)), file);
});

test("spike/core loads in node (no DOM): it adds no globals beyond its dependencies' and reaches no lit and no element code", async () => {
  // Its dependencies first: Yjs marks itself on globalThis (to warn about two copies), which is Yjs's doing, not ours.
  const script = `
    await Promise.all(["yjs", "y-protocols/awareness", "lib0/observable", "lib0/encoding", "lib0/decoding"].map((m) => import(m)));
    const before = new Set(Object.getOwnPropertyNames(globalThis));
    const core = await import("spike/core");
    const added = Object.getOwnPropertyNames(globalThis).filter((name) => !before.has(name));
    const { WebSocket } = await import("ws");
    const client = new core.RoomClient({ server: "http://127.0.0.1:9", room: "headless", connect: false, WebSocket });
    const doc = client.doc;
    client.destroy();
    console.log(JSON.stringify({ added, resolved: import.meta.resolve("spike/core"), valid: core.isValidRoomId("a-room"), doc: typeof doc }));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: app, encoding: "utf8" }));
  assert.deepEqual(out.added, []);
  assert.equal(out.resolved, `file://${join(pkgDir, "dist/core.js")}`, "the tarball's file, through its exports map");
  assert.equal(out.valid, true);
  assert.equal(out.doc, "object");

  // Statically, core.js and the chunks it imports reach only the Yjs family (y-indexeddb through the dynamic import
  // `persist` makes, core/room-store.ts; the run above never loads it).
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = async (file: string): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of (await allImports()).get(file)!) {
      if (spec.startsWith(".")) await visit(join(file, "..", spec));
      else bare.add(packageName(spec));
    }
  };
  await visit(join(pkgDir, "dist/core.js"));
  assert.deepEqual([...bare].sort(), ["lib0", "y-indexeddb", "y-protocols", "yjs"]);
});

test("spike/core/build transpiles TSX in node", () => {
  const script = `
    const { transpileFile } = await import("spike/core/build");
    console.log(JSON.stringify(transpileFile("App.tsx", "export const App = (): JSX.Element => <h1>Hi</h1>;")));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: app, encoding: "utf8" }));
  assert.match(out.transpiled.code, /react\/jsx-runtime/);
  assert.deepEqual(out.transpiled.imports.map((i: { specifier: string }) => i.specifier), ["react/jsx-runtime"]);
});

test("spike/remark and spike/markdown-it turn a spike fence into a lite embed in node, with the site's own unified and markdown-it", () => {
  const script = `
    const fence = "# Docs\\n\\n\\x60\\x60\\x60tsx spike room=docs\\nconst a = 1;\\n\\x60\\x60\\x60\\n";
    const { unified } = await import("unified");
    const { default: remarkParse } = await import("remark-parse");
    const { default: remarkRehype } = await import("remark-rehype");
    const { default: rehypeStringify } = await import("rehype-stringify");
    const { default: MarkdownIt } = await import("markdown-it");
    const { default: remarkSpike } = await import("spike/remark");
    const { default: markdownItSpike } = await import("spike/markdown-it");
    const remark = String(await unified().use(remarkParse).use(remarkSpike).use(remarkRehype).use(rehypeStringify).process(fence));
    const markdownIt = new MarkdownIt().use(markdownItSpike).render(fence);
    console.log(JSON.stringify({ remark, markdownIt, resolved: [import.meta.resolve("spike/remark"), import.meta.resolve("spike/markdown-it")] }));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: app, encoding: "utf8" }));
  const embed = '<div class="spike-embed"><spike-editor room="docs"><pre data-file="index.tsx"><span class="t-keyword">const</span> a = <span class="t-number">1</span>;\n</pre></spike-editor><spike-preview room="docs"></spike-preview></div>';
  assert.ok(out.remark.includes(embed), out.remark);
  assert.ok(out.markdownIt.includes(embed), out.markdownIt);
  assert.deepEqual(out.resolved, [`file://${join(pkgDir, "dist/remark.js")}`, `file://${join(pkgDir, "dist/markdown-it.js")}`]);
});

test("the docs-site plugins type-check where unified and markdown-it expect a plugin", () => {
  const source = `
    import { unified } from "unified";
    import remarkParse from "remark-parse";
    import remarkRehype from "remark-rehype";
    import MarkdownIt from "markdown-it";
    import remarkSpike, { type SpikeDocsOptions } from "spike/remark";
    import markdownItSpike from "spike/markdown-it";
    const options: SpikeDocsOptions = { server: "https://spike.example", loading: "click" };
    export const processor = unified().use(remarkParse).use(remarkSpike, options).use(remarkRehype);
    export const md = new MarkdownIt().use(markdownItSpike, options);
    // @ts-expect-error: not a loading mode
    md.use(markdownItSpike, { loading: "soon" });
  `;
  const file = join(app, "docs.ts");
  writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: true,
    // unified's and markdown-it's own declarations are theirs to check.
    skipLibCheck: true,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  assert.deepEqual(diagnostics, []);
});

test("a TypeScript app type-checks against the packed declarations (skipLibCheck off, so they are checked too)", () => {
  const source = `
    import { SpikeEditor as Registered } from "spike";
    import { SpikeEditor, SpikePreview, SpikeChat, SpikeRoom } from "spike/classes";
    import "spike/spike-editor.js";
    import { RoomClient, isValidRoomId, type RoomStatus } from "spike/core";
    import { transpileFile } from "spike/core/build";
    const editor: SpikeEditor = document.createElement("spike-editor");
    const same: typeof Registered = SpikeEditor;
    import { createElement } from "react";
    import { SpikeEditor as ReactEditor } from "spike/react";
    import type { CustomElements } from "spike/jsx";
    const client = new RoomClient({ server: "http://localhost:8787", room: "r" });
    const wrapped = createElement(ReactEditor, { file: "a.tsx", onSpikeChange: (e) => e.detail.text.length });
    const jsx: CustomElements["spike-editor"] = { file: "a.tsx", loading: "click" };
    const status: RoomStatus = client.status;
    const ok: boolean = isValidRoomId("r");
    const outcome = transpileFile("a.ts", "export {}");
    editor.addEventListener("spike-change", (event) => event.detail.file.toUpperCase());
    // @ts-expect-error: not a known element property
    editor.notAProperty = 1;
    export { editor, same, status, ok, outcome, wrapped, jsx, SpikePreview, SpikeChat, SpikeRoom };
  `;
  const file = join(app, "app.ts");
  writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    types: [],
    noEmit: true,
    skipLibCheck: false,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.replace(app, "<app>")}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  assert.deepEqual(diagnostics, []);
  const resolved = program.getSourceFiles().map((f) => f.fileName).filter((name) => name.includes("/spike/"));
  assert.ok(resolved.length > 0 && resolved.every((name) => name.startsWith(pkgDir)), "declarations come from the tarball");
});
