/** A minimal walker over acorn's ESTree nodes: visits every node once, parents first, with the chain of ancestors. */
import type { Node } from "acorn";

/** Called for each node with its ancestors (outermost first, not including the node). Return false to skip its children. */
export type EnterNode = (node: Node, ancestors: readonly Node[]) => void | boolean;

/** Called after a node's children were visited. */
export type LeaveNode = (node: Node, ancestors: readonly Node[]) => void;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/**
 * Visits `root` and every node below it, depth first, in source order.
 * @example walk(program, (node) => { if (node.type === "ImportExpression") found.push(node); });
 */
export function walk(root: Node, enter: EnterNode, leave?: LeaveNode): void {
  const ancestors: Node[] = [];
  const visit = (node: Node): void => {
    if (enter(node, ancestors) === false) return;
    ancestors.push(node);
    for (const key in node) {
      // `loc` holds positions, not nodes; skipping it saves a property read per node on the hot path.
      if (key === "loc" || key === "type") continue;
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) visit(item);
      } else if (isNode(value)) {
        visit(value);
      }
    }
    ancestors.pop();
    leave?.(node, ancestors);
  };
  visit(root);
}
