/**
 * Monaco inside a shadow root: hovers (type signatures, error messages) would close as soon as they open. Monaco watches
 * `mousemove` on the document to notice a pointer that left the editor without a `mouseleave`, and asks whether the
 * event's target is inside the editor's node. Seen from the document, an event inside a shadow root is retargeted to the
 * shadow host, which the editor's node does not contain, so every move over the code counts as leaving it
 * (microsoft/monaco-editor#3409, open since 0.34). Here the editor's node also counts the shadow hosts around it as
 * inside: a move over them is either over the editor or over the rest of the element, and leaving the editor's own node
 * still raises a real `mouseleave`, which Monaco also listens to.
 */
import type { editor as MonacoEditor } from "monaco-editor/editor/editor.api";

/**
 * Keep `editor`'s hovers open inside shadow roots, for every view Monaco creates (it makes a new one per model). The
 * listener goes with the editor.
 * @example keepHoversInShadowRoot(monaco.editor.create(container, {}));
 */
export function keepHoversInShadowRoot(editor: MonacoEditor.IStandaloneCodeEditor): void {
  patch(editor.getDomNode());
  editor.onDidChangeModel(() => patch(editor.getDomNode()));
}

const patched = new WeakSet<Node>();

function patch(node: HTMLElement | null): void {
  if (!node || patched.has(node)) return;
  patched.add(node);
  const contains = Node.prototype.contains;
  node.contains = (other: Node | null) => contains.call(node, other) || (!!other && hostsAround(node).includes(other));
}

/** The shadow hosts `node` sits in, innermost first. */
function hostsAround(node: Node): Node[] {
  const hosts: Node[] = [];
  for (let root = node.getRootNode(); root instanceof ShadowRoot; root = root.host.getRootNode()) hosts.push(root.host);
  return hosts;
}
