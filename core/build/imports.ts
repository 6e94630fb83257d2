/**
 * Finds the imports of a transpiled file (static `import`, `export … from`, dynamic `import("…")`) from acorn's AST, so
 * their exact spans are known, and rewrites them once the project's file names are known (contract C1: project files
 * become `"/@project/<file>"`, packages stay bare).
 */
import type { Node, Program } from "acorn";
import { walk } from "./ast.js";
import { hashText } from "./hash.js";
import { PROJECT_PREFIX, resolveImport } from "./resolve.js";
import type { BuildError, BuiltModule, ImportSite, TranspiledFile } from "./types.js";

/** A string literal or an expression-free template literal: the only dynamic imports that can be resolved ahead of time. */
function staticString(node: Node | null | undefined): { value: string; start: number; end: number } | null {
  if (!node) return null;
  if (node.type === "Literal" && typeof (node as { value?: unknown }).value === "string") {
    return { value: (node as unknown as { value: string }).value, start: node.start, end: node.end };
  }
  if (node.type === "TemplateLiteral") {
    const template = node as unknown as { expressions: unknown[]; quasis: { value: { cooked: string | null } }[] };
    const cooked = template.quasis[0]?.value.cooked;
    if (template.expressions.length === 0 && typeof cooked === "string") {
      return { value: cooked, start: node.start, end: node.end };
    }
  }
  return null;
}

/**
 * The import sites of `program` (parsed from `code` with `locations: true`). Columns are looked up in the original
 * `source`, because transpiling keeps lines but not columns.
 * @example collectImports(program, source) // [{ specifier: "./App", kind: "import", start: 42, end: 49, line: 2, column: 16 }]
 */
export function collectImports(program: Program, source: string): ImportSite[] {
  const sites: ImportSite[] = [];
  let sourceLines: string[] | null = null;
  const add = (literal: ReturnType<typeof staticString>, kind: ImportSite["kind"], line: number): void => {
    if (!literal) return;
    sourceLines ??= source.split("\n");
    const text = sourceLines[line - 1] ?? "";
    const found = text.indexOf(literal.value);
    // The literal's quote sits one character before its value in the source.
    const column = found > 0 ? found - 1 : 0;
    sites.push({ specifier: literal.value, kind, start: literal.start, end: literal.end, line, column });
  };
  for (const statement of program.body) {
    if (statement.type === "ImportDeclaration") {
      add(staticString(statement.source), "import", statement.loc!.start.line);
    } else if (statement.type === "ExportNamedDeclaration" || statement.type === "ExportAllDeclaration") {
      if (statement.source) add(staticString(statement.source), "export", statement.source.loc!.start.line);
    }
  }
  walk(program, (node) => {
    if (node.type === "ImportExpression") {
      const source = (node as unknown as { source: Node }).source;
      add(staticString(source), "dynamic", source.loc!.start.line);
    }
  });
  return sites.sort((a, b) => a.start - b.start);
}

/**
 * Resolves and rewrites the imports of `transpiled` against the project's file names.
 * @example linkModule(transpiled, new Set(["index.tsx", "App.tsx"])) // { module: { code: '…from "/@project/App.tsx"…', … } }
 */
export function linkModule(
  transpiled: TranspiledFile,
  files: ReadonlySet<string>,
): { module: BuiltModule; error?: undefined } | { module?: undefined; error: BuildError } {
  const { file, code, imports } = transpiled;
  const projectImports = new Set<string>();
  const packageImports = new Set<string>();
  let out = "";
  let cursor = 0;
  for (const site of imports) {
    const resolved = resolveImport(file, site.specifier, files);
    if (resolved.kind === "package") packageImports.add(site.specifier);
    if (resolved.kind === "missing") return { error: { file, line: site.line, column: site.column, message: resolved.message } };
    if (resolved.kind !== "project") continue;
    projectImports.add(resolved.file);
    out += code.slice(cursor, site.start) + JSON.stringify(PROJECT_PREFIX + resolved.file);
    cursor = site.end;
  }
  out += code.slice(cursor);
  return {
    module: { file, code: out, projectImports: [...projectImports], packageImports: [...packageImports], hash: hashText(out) },
  };
}
