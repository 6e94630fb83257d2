/**
 * Guards every loop against running forever, so a `while (true) {}` typed into the editor throws a clear error in the
 * preview instead of freezing the tab. Each loop gets a start time taken when the loop is entered and a counter;
 * every 256 iterations the body compares Date.now() with the start (256 keeps the clock read to nothing per iteration
 * while a slow body is still caught soon after the budget). All inserted text stays on the loop's own lines.
 */
import type { Node } from "acorn";
import { walk } from "./ast.js";

/** The default time a single loop may run before its guard throws. */
export const DEFAULT_LOOP_BUDGET_MS = 1000;

/** Text to insert at offset `pos` of the code the AST was parsed from. */
export interface Insertion {
  pos: number;
  text: string;
}

const LOOPS = new Set(["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"]);
const FUNCTIONS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

interface OpenLoop {
  node: Node;
  /** True when the loop's own function awaits or yields inside it: it hands control back, so it cannot freeze the page. */
  yields: boolean;
}

/**
 * The insertions that guard every loop of `program`. A loop's error names `file` and the loop's line (transpiling keeps
 * lines, so that is its line in the original source).
 * @example loopGuardInsertions(program, "App.tsx", 1000) // [{ pos: 10, text: "{let __spike$t0=Date.now(),__spike$n0=0;" }, …]
 */
export function loopGuardInsertions(program: Node, file: string, budgetMs = DEFAULT_LOOP_BUDGET_MS): Insertion[] {
  // One stack of open loops per function: an await inside an inner function does not make the outer loop yield.
  const scopes: OpenLoop[][] = [[]];
  const guarded: OpenLoop[] = [];
  const labelStarts = new Map<Node, number>();
  walk(
    program,
    (node, ancestors) => {
      if (FUNCTIONS.has(node.type)) {
        scopes.push([]);
      } else if (LOOPS.has(node.type)) {
        const open = { node, yields: node.type === "ForOfStatement" && (node as { await?: boolean }).await === true };
        scopes[scopes.length - 1]!.push(open);
        guarded.push(open);
        // `outer: for (…)`: the guard's block must go around the label, or `continue outer` would lose its loop.
        let i = ancestors.length - 1;
        while (i >= 0 && ancestors[i]!.type === "LabeledStatement") i--;
        if (i < ancestors.length - 1) labelStarts.set(node, ancestors[i + 1]!.start);
      } else if (node.type === "AwaitExpression" || node.type === "YieldExpression") {
        for (const open of scopes[scopes.length - 1]!) open.yields = true;
      }
    },
    (node) => {
      if (FUNCTIONS.has(node.type)) scopes.pop();
      else if (LOOPS.has(node.type)) scopes[scopes.length - 1]!.pop();
    },
  );

  const insertions: Insertion[] = [];
  let id = 0;
  for (const { node, yields } of guarded) {
    if (yields) continue;
    const n = id++;
    const start = `__spike$t${n}`;
    const count = `__spike$n${n}`;
    const where = `${file}:${node.loc!.start.line}`;
    const message = JSON.stringify(`Infinite loop? ${where} ran over ${budgetMs} ms`);
    const check = `if((++${count}&255)===0&&Date.now()-${start}>${budgetMs})throw new Error(${message});`;
    // The block around the loop scopes the start time to this entry of the loop; labels stay attached to their loop.
    insertions.push({ pos: labelStarts.get(node) ?? node.start, text: `{let ${start}=Date.now(),${count}=0;` });
    const body = (node as unknown as { body: Node }).body;
    if (body.type === "BlockStatement") {
      insertions.push({ pos: body.start + 1, text: check });
    } else {
      insertions.push({ pos: body.start, text: `{${check}` }, { pos: body.end, text: "}" });
    }
    insertions.push({ pos: node.end, text: "}" });
  }
  return insertions;
}

/**
 * Applies insertions to `code`. Insertions at the same offset keep their order, which puts an outer loop's text before
 * an inner one's.
 * @example applyInsertions("ab", [{ pos: 1, text: "-" }]) // "a-b"
 */
export function applyInsertions(code: string, insertions: readonly Insertion[]): string {
  const ordered = insertions.map((insertion, order) => ({ ...insertion, order }));
  ordered.sort((a, b) => a.pos - b.pos || a.order - b.order);
  let out = "";
  let cursor = 0;
  for (const { pos, text } of ordered) {
    out += code.slice(cursor, pos) + text;
    cursor = pos;
  }
  return out + code.slice(cursor);
}
