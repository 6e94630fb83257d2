/**
 * The shapes core/build hands to its callers (contract C1): a problem with a file, a file built into a browser module,
 * and the result of building a whole project.
 */

/** A problem found while building a file: 1-based `line`, 0-based `column`, both in the file's original text. */
export interface BuildError {
  file: string;
  line: number;
  column: number;
  message: string;
}

/**
 * One project file as a browser ES module. Imports of other project files read `"/@project/<file>"`; bare imports
 * (`react`, `react/jsx-runtime`, …) are left as written.
 */
export interface BuiltModule {
  file: string;
  code: string;
  /** Resolved project file names this module imports (static and dynamic), without duplicates. */
  projectImports: string[];
  /** Bare specifiers this module imports, as written (`react/jsx-runtime`, `clsx`), without duplicates. */
  packageImports: string[];
  /** A short hash of `code`. */
  hash: string;
}

/** What `ProjectBuilder.update` returns. */
export interface BuildResult {
  /** Every file that built, by name. A file with an error is absent and its error is in `errors`. */
  modules: ReadonlyMap<string, BuiltModule>;
  /** Files whose module is new or differs from the previous result's. */
  changed: string[];
  /** Files that had a module in the previous result and have none now (deleted, or now failing). */
  removed: string[];
  errors: BuildError[];
}

/** Where a file imports something: the string literal's span in the transpiled code, and its place in the source. */
export interface ImportSite {
  specifier: string;
  kind: "import" | "export" | "dynamic";
  /** Offsets of the string literal (quotes included) in `TranspiledFile.code`. */
  start: number;
  end: number;
  /** 1-based line and 0-based column of the specifier in the original source. */
  line: number;
  column: number;
}

/** A file transpiled to JavaScript whose import specifiers are not yet resolved. */
export interface TranspiledFile {
  file: string;
  code: string;
  imports: ImportSite[];
}

/**
 * Line (1-based) and column (0-based) of offset `pos` in `text`.
 * @example lineColumnAt("a\nbc", 3) // { line: 2, column: 1 }
 */
export function lineColumnAt(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < pos; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: Math.max(0, pos - lineStart) };
}
