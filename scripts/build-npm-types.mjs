/**
 * The typings half of the offline npm set (scripts/build-npm.mjs): the `.d.ts` files TypeScript reaches from each specifier
 * of the set, copied to dist/cdn/npm/<typings package>@<version>/<file>, plus dist/cdn/npm/typings.json, the index the
 * editor reads (elements/internal/type-acquisition.ts). TypeScript itself resolves them (Bundler resolution, as the editor's
 * worker does), so the set holds exactly what a program importing the set loads: @types/react's index.d.ts, global.d.ts and
 * jsx-runtime.d.ts, and csstype, which it imports, but not canary.d.ts or experimental.d.ts (they augment React with APIs the
 * offline set does not ship).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** The index's file name under dist/cdn/npm (served as /npm/typings.json). */
export const TYPINGS_INDEX = "typings.json";

/** What the editor's resolver reads from a package.json; the rest (scripts, dependencies, …) is left out. */
const PACKAGE_JSON_FIELDS = ["name", "version", "types", "typings", "exports"];

const COMPILER_OPTIONS = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ESNext,
  jsx: ts.JsxEmit.ReactJSX,
  noEmit: true,
  noLib: true,
  types: [],
};

/** `@types/react` for `/x/node_modules/@types/react/index.d.ts`, with the file's path inside that package. */
function packageOf(file) {
  const at = file.lastIndexOf("/node_modules/");
  if (at < 0) return null;
  const rest = file.slice(at + "/node_modules/".length).split("/");
  const nameLength = rest[0].startsWith("@") ? 2 : 1;
  return { name: rest.slice(0, nameLength).join("/"), dir: file.slice(0, at) + "/node_modules/" + rest.slice(0, nameLength).join("/"), file: rest.slice(nameLength).join("/") };
}

/**
 * Resolve every specifier of the set with TypeScript and write their typings and the index. `packages` maps each package of
 * the set to its specifiers (`{ react: ["react", "react/jsx-runtime"] }`). Returns the index.
 * @example buildTypings({ root, outDir: "dist/cdn/npm", packages: { clsx: ["clsx", "clsx/lite"] } });
 */
export function buildTypings({ root, outDir, packages }) {
  const entryFile = path.join(root, "__spike_typings_entry__.ts").split(path.sep).join("/");
  const specifiers = Object.values(packages).flat();
  const entrySource = specifiers.map((s) => `import ${JSON.stringify(s)};`).join("\n");
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => file === entryFile || fileExists.call(host, file);
  host.readFile = (file) => (file === entryFile ? entrySource : readFile.call(host, file));
  host.getSourceFile = (file, ...rest) =>
    file === entryFile ? ts.createSourceFile(file, entrySource, ts.ScriptTarget.ESNext) : getSourceFile.call(host, file, ...rest);
  const program = ts.createProgram([entryFile], COMPILER_OPTIONS, host);
  const resolve = (specifier, from) => ts.resolveModuleName(specifier, from, COMPILER_OPTIONS, host).resolvedModule?.resolvedFileName;

  /** typings id (`@types/react@19.3.3`) -> { name, version, dir, files: Set, dependencies: Set } */
  const typings = new Map();
  const typingsOf = (file) => {
    const pkg = packageOf(file);
    if (!pkg || !/\.d\.[cm]?ts$/.test(pkg.file)) return null;
    const { version } = JSON.parse(readFileSync(path.join(pkg.dir, "package.json"), "utf8"));
    const id = `${pkg.name}@${version}`;
    if (!typings.has(id)) typings.set(id, { name: pkg.name, version, dir: pkg.dir, files: new Set(), dependencies: new Set() });
    return { id, entry: typings.get(id), file: pkg.file };
  };
  for (const source of program.getSourceFiles()) {
    const own = typingsOf(source.fileName);
    if (!own) continue;
    own.entry.files.add(own.file);
    const { importedFiles, typeReferenceDirectives } = ts.preProcessFile(source.text, true, true);
    for (const { fileName } of [...importedFiles, ...typeReferenceDirectives]) {
      const resolved = resolve(fileName, source.fileName);
      const target = resolved && typingsOf(resolved);
      if (target && target.id !== own.id) own.entry.dependencies.add(target.id);
    }
  }

  const index = { packages: {}, typings: {} };
  for (const [name, [specifier]] of Object.entries(packages)) {
    const resolved = resolve(specifier, entryFile);
    index.packages[name] = (resolved && typingsOf(resolved)?.id) ?? null;
  }
  for (const [id, { dir, files, dependencies }] of [...typings].sort(([a], [b]) => a.localeCompare(b))) {
    const out = path.join(root, outDir, id);
    for (const file of files) {
      mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
      writeFileSync(path.join(out, file), readFileSync(path.join(dir, file)));
    }
    const full = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    const trimmed = Object.fromEntries(PACKAGE_JSON_FIELDS.filter((k) => full[k] !== undefined).map((k) => [k, full[k]]));
    writeFileSync(path.join(out, "package.json"), `${JSON.stringify(trimmed, null, 2)}\n`);
    index.typings[id] = { files: ["package.json", ...[...files].sort()], dependencies: [...dependencies].sort() };
  }
  writeFileSync(path.join(root, outDir, TYPINGS_INDEX), `${JSON.stringify(index, null, 2)}\n`);
  return index;
}

/**
 * True when the index is missing or older than a package.json it was built from (an upgraded @types/react).
 * @example if (typingsAreStale(root, "dist/cdn/npm", newestScript)) buildTypings(...);
 */
export function typingsAreStale(root, outDir, since) {
  const indexFile = path.join(root, outDir, TYPINGS_INDEX);
  if (!existsSync(indexFile)) return true;
  const built = statSync(indexFile).mtimeMs;
  if (built < since) return true;
  const { typings } = JSON.parse(readFileSync(indexFile, "utf8"));
  return Object.keys(typings).some((id) => {
    const source = path.join(root, "node_modules", id.slice(0, id.lastIndexOf("@")), "package.json");
    return !existsSync(source) || statSync(source).mtimeMs > built;
  });
}
