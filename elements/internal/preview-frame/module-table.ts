/**
 * Project modules as blob: URLs inside the frame, one per (file, version): a new version gets a new URL, so the browser's
 * module map (which never forgets a URL) loads it fresh while unchanged modules keep their instances. Each module's
 * `"/@project/<file>"` specifiers are replaced by the dependency's blob URL, so the dependency is created first; an import
 * cycle has no such order, and its back edges are resolved by a scoped import map entry on the importing blob instead.
 */
import type { FrameModule, SourceLocation } from "./messages.js";

/** A module the table has turned into a URL. */
interface Entry {
  file: string;
  version: string;
  url: string;
}

/** Import map scopes for cycle back edges: `{ [importerBlobUrl]: { "@spike-project/b.ts": blobUrlOfB } }`. */
export type ImportMapScopes = Record<string, Record<string, string>>;

const PROJECT_SPECIFIER = /(["'])\/@project\/([^"'\n]+)\1/g;

/**
 * How a back edge is spelled in the importing blob. Not "/@project/…": relative to a blob: URL (not hierarchical) such a
 * specifier fails to resolve before import maps are consulted. A bare specifier is looked up in the importer's scope.
 */
const BACK_EDGE_PREFIX = "@spike-project/";

/**
 * The frame's project modules by file and version. `createUrl` / `revokeUrl` are blob: URL functions in the frame; tests
 * pass readable fakes.
 * @example const table = new ModuleTable(); table.apply(versions, modules); await import(table.urlOf("index.tsx")!);
 */
export class ModuleTable {
  #sources = new Map<string, FrameModule>();
  #versions = new Map<string, string>();
  #entries = new Map<string, Entry>();
  #byUrl = new Map<string, Entry>();
  #stale: string[] = [];
  #createUrl: (code: string) => string;
  #revokeUrl: (url: string) => void;

  constructor(
    createUrl = (code: string) => URL.createObjectURL(new Blob([code], { type: "text/javascript" })),
    revokeUrl = (url: string) => URL.revokeObjectURL(url),
  ) {
    this.#createUrl = createUrl;
    this.#revokeUrl = revokeUrl;
  }

  /**
   * Take in an update: new code for some files, the version of every current file. Creates URLs for new versions only and
   * returns the import map scopes that cycles among them need (empty without cycles).
   * @example const scopes = table.apply({ "index.tsx": "v2" }, { "index.tsx": { code, projectImports: [], packageImports: [] } });
   */
  apply(versions: Record<string, string>, modules: Record<string, FrameModule>): ImportMapScopes {
    for (const [file, module] of Object.entries(modules)) this.#sources.set(file, module);
    for (const file of [...this.#sources.keys()]) if (!(file in versions)) this.#sources.delete(file);
    this.#versions = new Map(Object.entries(versions));
    const scopes: ImportMapScopes = {};
    const visiting = new Set<string>();
    const visit = (file: string): Entry | undefined => {
      const version = this.#versions.get(file);
      const source = this.#sources.get(file);
      if (version === undefined || !source) return undefined;
      const current = this.#entries.get(file);
      if (current?.version === version) return current;
      if (visiting.has(file)) return undefined;
      visiting.add(file);
      const backEdges: string[] = [];
      const code = source.code.replace(PROJECT_SPECIFIER, (whole, quote: string, dep: string) => {
        const target = visit(dep);
        if (target) return `${quote}${target.url}${quote}`;
        if (!visiting.has(dep)) return whole;
        backEdges.push(dep);
        return `${quote}${BACK_EDGE_PREFIX}${dep}${quote}`;
      });
      visiting.delete(file);
      const entry: Entry = { file, version, url: this.#createUrl(code) };
      if (current) this.#stale.push(current.url);
      this.#entries.set(file, entry);
      this.#byUrl.set(entry.url, entry);
      if (backEdges.length > 0) {
        // Resolved after the whole cycle has URLs (the loop below), so each back edge points at the new version.
        scopes[entry.url] = Object.fromEntries(backEdges.map((dep) => [`${BACK_EDGE_PREFIX}${dep}`, dep]));
      }
      return entry;
    };
    for (const file of this.#versions.keys()) visit(file);
    for (const [file] of this.#entries) if (!this.#versions.has(file)) this.#drop(file);
    for (const mapping of Object.values(scopes)) {
      for (const [specifier, dep] of Object.entries(mapping)) mapping[specifier] = this.#entries.get(dep)?.url ?? specifier;
    }
    return scopes;
  }

  /** The current URL of `file`, if it has one. */
  urlOf(file: string): string | undefined {
    return this.#entries.get(file)?.url;
  }

  /** The project file a blob URL (current or replaced) was made from. */
  fileOf(url: string): string | undefined {
    return this.#byUrl.get(url)?.file;
  }

  /** The current module of `file` as last sent. */
  sourceOf(file: string): FrameModule | undefined {
    return this.#sources.get(file);
  }

  /** Every current file. */
  files(): string[] {
    return [...this.#sources.keys()];
  }

  /** Free the URLs of replaced versions, once the modules that used them are no longer the ones running. */
  revokeStale(): void {
    for (const url of this.#stale.splice(0)) this.#revokeUrl(url);
  }

  #drop(file: string): void {
    const entry = this.#entries.get(file);
    if (!entry) return;
    this.#entries.delete(file);
    this.#stale.push(entry.url);
  }
}

const BLOB_LOCATION = /(blob:[^\s)]+?):(\d+):(\d+)/g;

/**
 * Map a stack trace (or any text) from blob URLs back to project files: the first location that is a project module, and
 * the text with every known blob URL replaced by its file name.
 * @example mapStack(error.stack, table) // { location: { file: "App.tsx", line: 4, column: 10 }, text: "…at App (App.tsx:4:11)" }
 */
export function mapStack(text: string, table: Pick<ModuleTable, "fileOf">): { location?: SourceLocation; text: string } {
  let location: SourceLocation | undefined;
  const mapped = text.replace(BLOB_LOCATION, (whole, url: string, line: string, column: string) => {
    const file = table.fileOf(url);
    if (!file) return whole;
    // V8 columns are 1-based; BuildError columns (C1) are 0-based.
    location ??= { file, line: Number(line), column: Math.max(0, Number(column) - 1) };
    return `${file}:${line}:${column}`;
  });
  // Link errors name a module without a line ("… module 'blob:…' does not provide an export named …").
  const named = mapped.replace(/blob:[^\s'")]+/g, (url) => table.fileOf(url) ?? url);
  return location ? { location, text: named } : { text: named };
}
