/**
 * One project file to browser JavaScript: TypeScript and JSX through sucrase (automatic JSX runtime, ES modules kept),
 * then parsed by acorn to find the exact spans of its imports and to guard its loops. Sucrase keeps every line where it
 * was, so lines from acorn's parse of its output are lines in the original source.
 */
import { parse, type Program } from "acorn";
import { transform, type Transform } from "sucrase";
import { assetModuleCode, fileKindOf, isScriptKind } from "./file-kinds.js";
import { collectImports } from "./imports.js";
import { refreshInsertions } from "./refresh.js";
import { applyInsertions, DEFAULT_LOOP_BUDGET_MS, loopGuardInsertions } from "./loop-guard.js";
import { lineColumnAt, type BuildError, type ImportSite, type TranspiledFile } from "./types.js";

/** Options of `transpileFile`. */
export interface TranspileOptions {
  /** How long one loop may run before its guard throws (default 1000 ms). */
  loopBudgetMs?: number;
  /** Register top-level components for the preview frame's refresh (refresh.ts), so they keep state across edits. */
  refresh?: boolean;
}

/** Either the transpiled file or the error that stopped it. */
export type TranspileOutcome =
  | { transpiled: TranspiledFile; error?: undefined }
  | { transpiled?: undefined; error: BuildError };

/** Sucrase's transforms for each script kind (file-kinds.ts): `ts` must not parse JSX (its `<T>x` is a cast). */
const SCRIPT_TRANSFORMS: Record<"ts" | "tsx" | "jsx", Transform[]> = {
  ts: ["typescript"],
  tsx: ["typescript", "jsx"],
  jsx: ["jsx"],
};

/**
 * Transpiles one file. Scripts become guarded ES modules; CSS, JSON and any other file become the modules of
 * file-kinds.ts. Import specifiers are left for `linkModule`.
 * @example transpileFile("App.tsx", "export const App = () => <h1>Hi</h1>;").transpiled?.code
 *   // 'import {jsx as _jsx} from "react/jsx-runtime";export const App = () => _jsx(\'h1\', { children: "Hi"});'
 */
export function transpileFile(file: string, source: string, options: TranspileOptions = {}): TranspileOutcome {
  const kind = fileKindOf(file);
  if (isScriptKind(kind)) {
    return transpileScript(file, source, SCRIPT_TRANSFORMS[kind], options.loopBudgetMs ?? DEFAULT_LOOP_BUDGET_MS, options.refresh ?? false);
  }
  const asset = assetModuleCode(file, source);
  return asset.error ? { error: asset.error } : { transpiled: { file, code: asset.code, imports: [] } };
}

function transpileScript(file: string, source: string, transforms: Transform[], budgetMs: number, refresh: boolean): TranspileOutcome {
  let code: string;
  try {
    code = transform(source, {
      transforms,
      jsxRuntime: "automatic",
      // production: the development runtime (react/jsx-dev-runtime) would add a second import the frame must map.
      production: true,
      // Browsers run modern syntax as written; leaving it alone keeps the output closest to the source.
      disableESTransforms: true,
      filePath: file,
    }).code;
  } catch (err) {
    return { error: syntaxError(file, source, err) };
  }
  let program: Program;
  try {
    program = parse(code, { ecmaVersion: "latest", sourceType: "module", locations: true, allowHashBang: true });
  } catch (err) {
    // Sucrase lets some errors through (a redeclared `let`, a misplaced `return`); acorn catches them on its output.
    return { error: syntaxError(file, code, err) };
  }
  const imports = collectImports(program, source);
  const insertions = loopGuardInsertions(program, file, budgetMs);
  if (refresh) insertions.push(...refreshInsertions(program, file));
  if (insertions.length === 0) return { transpiled: { file, code, imports } };
  return { transpiled: { file, code: applyInsertions(code, insertions), imports: shiftImports(imports, insertions) } };
}

/** Moves import spans past the loop-guard text inserted before them. */
function shiftImports(imports: ImportSite[], insertions: readonly { pos: number; text: string }[]): ImportSite[] {
  const sorted = [...insertions].sort((a, b) => a.pos - b.pos);
  let shift = 0;
  let next = 0;
  return imports.map((site) => {
    while (next < sorted.length && sorted[next]!.pos <= site.start) shift += sorted[next++]!.text.length;
    return { ...site, start: site.start + shift, end: site.end + shift };
  });
}

/**
 * A BuildError from a parser's exception. Sucrase reports `pos` in the original source and a 1-based column in its
 * message; acorn reports `pos` in sucrase's output, whose lines match the source (its columns only approximately).
 */
function syntaxError(file: string, text: string, err: unknown): BuildError {
  const raw = err instanceof Error ? err.message : String(err);
  // Sucrase prefixes "Error transforming <file>: " and both parsers append "(line:column)": the BuildError has both already.
  const message = raw.replace(/^Error transforming [^:]*: /, "").replace(/\s*\(\d+:\d+\)$/, "") || "Syntax error";
  const pos = (err as { pos?: unknown }).pos;
  if (typeof pos !== "number") return { file, line: 1, column: 0, message };
  const { line, column } = lineColumnAt(text, Math.min(pos, text.length));
  return { file, line, column, message };
}
