/**
 * Bare specifiers (`react`, `clsx`, …) in the frame: resolved through import maps added to the document as specifiers
 * appear. Chromium merges every import map a document adds (rules for already-resolved specifiers are ignored), so the
 * offline set from `<server>/npm/importmap.json` goes in first and a new specifier later gets its own small map. `server`
 * is a spike server's origin, or the folder of a copy of dist/cdn (a local preview on a static host): the map names
 * modules by their path on a spike server (`/npm/…`), which is read under that folder.
 * A specifier outside the offline set maps to `<server>/npm/<specifier>`, but only after a preflight request says the
 * server has it, so a missing package is a clear error instead of a blank frame.
 */

/** A bare specifier the server cannot provide, with the server's explanation. */
export class MissingPackageError extends Error {
  constructor(
    readonly specifier: string,
    message: string,
  ) {
    super(message);
    this.name = "MissingPackageError";
  }
}

/** Adds `<script type="importmap">` elements; a parameter so the logic can run outside a document. */
export type AddImportMap = (map: { imports?: Record<string, string>; scopes?: Record<string, Record<string, string>> }) => void;

/** Add an import map to the frame's document. */
export function addImportMapToDocument(map: Parameters<AddImportMap>[0]): void {
  const script = document.createElement("script");
  script.type = "importmap";
  script.textContent = JSON.stringify(map);
  document.head.append(script);
}

/** The offline set and every specifier mapped so far. */
export class PackageImports {
  #server: string;
  #addImportMap: AddImportMap;
  #fetch: typeof fetch;
  #offline: Promise<Record<string, string>> | undefined;
  /** Specifier -> its mapping, or the preflight in flight / its failure. */
  #mapped = new Map<string, Promise<void>>();

  constructor(server: string, addImportMap: AddImportMap = addImportMapToDocument, fetchImpl: typeof fetch = fetch.bind(globalThis)) {
    this.#server = server;
    this.#addImportMap = addImportMap;
    this.#fetch = fetchImpl;
  }

  /**
   * Load the offline set's import map and add it to the document (once). A server without the /npm route leaves the map
   * empty; specifiers then go through the preflight, which reports what is wrong.
   */
  offline(): Promise<Record<string, string>> {
    this.#offline ??= (async () => {
      let imports: Record<string, string> = {};
      try {
        const response = await this.#fetch(`${this.#server}/npm/importmap.json`);
        if (response.ok) imports = ((await response.json()) as { imports?: Record<string, string> }).imports ?? {};
      } catch {
        // Reported per specifier by the preflight below.
      }
      const absolute = Object.fromEntries(Object.entries(imports).map(([key, path]) => [key, this.resolve(path)]));
      if (Object.keys(absolute).length > 0) this.#addImportMap({ imports: absolute });
      return absolute;
    })();
    return this.#offline;
  }

  /**
   * Take the offline set's import map from elsewhere (the host page: host-packages.ts) instead of fetching it, and add it
   * to the document. Only before anything asked for the offline set; false (and nothing added) after.
   * @example packages.seed(hostPackageImports(update.packages, (path) => packages.resolve(path)));
   */
  seed(imports: Record<string, string>): boolean {
    if (this.#offline) return false;
    if (Object.keys(imports).length > 0) this.#addImportMap({ imports });
    this.#offline = Promise.resolve(imports);
    return true;
  }

  /**
   * Make every specifier resolvable, mapping new ones; rejects with a MissingPackageError for the first that the server
   * does not have (the first failure is remembered, so a retry after an edit does not refetch it).
   * @example await packages.ensure(["react", "react-dom/client", "lodash-es"]);
   */
  async ensure(specifiers: Iterable<string>): Promise<void> {
    const offline = await this.offline();
    await Promise.all(
      [...new Set(specifiers)].map((specifier) => {
        if (isCoveredBy(specifier, offline)) return undefined;
        let mapped = this.#mapped.get(specifier);
        if (!mapped) {
          mapped = this.#preflight(specifier);
          this.#mapped.set(specifier, mapped);
        }
        return mapped;
      }),
    );
  }

  /** A path from importmap.json as a URL: `/npm/…` under the server's base, anything else against the map's own URL. */
  resolve(path: string): string {
    return path.startsWith("/npm/") ? `${this.#server}${path}` : new URL(path, `${this.#server}/npm/importmap.json`).href;
  }

  async #preflight(specifier: string): Promise<void> {
    const url = `${this.#server}/npm/${specifier}`;
    let response: Response;
    try {
      response = await this.#fetch(url);
    } catch (error) {
      this.#mapped.delete(specifier); // a network failure may pass: try again next time
      throw new MissingPackageError(specifier, `cannot load package "${specifier}": ${(error as Error).message}`);
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
      const reason = typeof body?.error === "string" ? body.error : `${url} answered ${response.status}`;
      throw new MissingPackageError(specifier, reason);
    }
    // The response itself is not used: the import below fetches the module again, from the HTTP cache.
    void response.body?.cancel();
    this.#addImportMap({ imports: { [specifier]: response.url || url } });
  }
}

/** True when the import map `imports` resolves `specifier` (an exact key, or a key ending in "/" that prefixes it). */
function isCoveredBy(specifier: string, imports: Record<string, string>): boolean {
  if (specifier in imports) return true;
  return Object.keys(imports).some((key) => key.endsWith("/") && specifier.startsWith(key));
}

/** True for a specifier an import map must resolve: not relative, not absolute, not a URL. */
export function isBareSpecifier(specifier: string): boolean {
  return !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
}
