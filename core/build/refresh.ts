/**
 * The build half of keeping component state across edits in the preview: every top-level component of a file (a function
 * whose name starts with a capital: a declaration, or an arrow / function expression bound by `const`, `let` or `var`) is
 * passed through `__spikeRefresh.register(impl, id, signature)`, which the preview frame's refresh registry
 * (elements/internal/preview-frame/refresh.ts) answers with one stable component per id. The signature lists the hooks the
 * component calls, in order, with those of the file's own custom hooks it calls: when it changes, state cannot carry over
 * and the frame mounts afresh. Text is only inserted, never on a new line, so lines stay where they were.
 */
import type { Node } from "acorn";
import { walk } from "./ast.js";
import type { Insertion } from "./loop-guard.js";

/** The global the inserted calls name; the preview frame defines it before it imports a module built with `refresh`. */
export const REFRESH_GLOBAL = "__spikeRefresh";

type AnyNode = Node & Record<string, any>;

const COMPONENT_NAME = /^[A-Z]/;
const HOOK_NAME = /^use[A-Z0-9]/;

/** A top-level function the transform looks at: its name, its function node and how its binding is written. */
interface TopLevelFunction {
  name: string;
  fn: AnyNode;
  /** A declaration is reassigned after its end; a variable's initializer is wrapped. */
  kind: "declaration" | "initializer";
  /** Where the reassignment goes (declaration), or the initializer's span (initializer). */
  start: number;
  end: number;
}

function topLevelFunctions(program: AnyNode): TopLevelFunction[] {
  const out: TopLevelFunction[] = [];
  for (const statement of program.body as AnyNode[]) {
    const declaration: AnyNode =
      statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration" ? (statement.declaration ?? statement) : statement;
    if (declaration.type === "FunctionDeclaration" && declaration.id && !declaration.generator) {
      out.push({ name: declaration.id.name, fn: declaration, kind: "declaration", start: statement.end, end: statement.end });
    } else if (declaration.type === "VariableDeclaration") {
      for (const declarator of declaration.declarations as AnyNode[]) {
        const init = declarator.init as AnyNode | null;
        if (declarator.id.type !== "Identifier" || !init) continue;
        if (init.type !== "ArrowFunctionExpression" && (init.type !== "FunctionExpression" || init.generator)) continue;
        out.push({ name: declarator.id.name, fn: init, kind: "initializer", start: init.start, end: init.end });
      }
    }
  }
  return out;
}

/** The hook calls directly in a function's body (not in functions nested in it), by name, in source order. */
function hookCalls(fn: AnyNode): string[] {
  const calls: string[] = [];
  walk(fn.body, (node) => {
    const n = node as AnyNode;
    if (n !== fn.body && /Function/.test(n.type)) return false;
    if (n.type !== "CallExpression") return;
    const callee = n.callee as AnyNode;
    const name = callee.type === "Identifier" ? callee.name : callee.type === "MemberExpression" && !callee.computed ? callee.property.name : "";
    if (HOOK_NAME.test(name)) calls.push(name);
  });
  return calls;
}

/**
 * The `register` calls to insert into a transpiled module (parsed by acorn) so its components keep their state across
 * edits; `file` names the ids. Empty when the file has no top-level component.
 * @example applyInsertions(code, refreshInsertions(parse(code, …), "App.tsx"))
 *   // 'export default function App() {…};App = __spikeRefresh.register(App, "App.tsx App", "useState");'
 */
export function refreshInsertions(program: Node, file: string): Insertion[] {
  const functions = topLevelFunctions(program as AnyNode);
  const own = new Map(functions.filter((f) => HOOK_NAME.test(f.name)).map((f) => [f.name, hookCalls(f.fn)]));
  // A call to one of the file's own custom hooks stands for the hooks inside it (a cycle stops at the second visit).
  const expand = (calls: string[], seen: Set<string>): string[] =>
    calls.flatMap((call) => {
      const inner = own.get(call);
      if (!inner || seen.has(call)) return [call];
      return [`${call}{${expand(inner, new Set([...seen, call])).join(",")}}`];
    });
  const insertions: Insertion[] = [];
  for (const f of functions) {
    if (!COMPONENT_NAME.test(f.name)) continue;
    const id = JSON.stringify(`${file} ${f.name}`);
    const signature = JSON.stringify(expand(hookCalls(f.fn), new Set()).join(","));
    if (f.kind === "declaration") {
      insertions.push({ pos: f.end, text: `;${f.name} = ${REFRESH_GLOBAL}.register(${f.name}, ${id}, ${signature});` });
    } else {
      insertions.push({ pos: f.start, text: `${REFRESH_GLOBAL}.register(` }, { pos: f.end, text: `, ${id}, ${signature})` });
    }
  }
  return insertions;
}
