/**
 * Versions for hot reloading: a module's version changes when its code or the code of any project module it reaches
 * through imports changes, so the preview can load each version from its own URL and the browser's module cache never
 * serves stale code. Import cycles are strongly connected components (Tarjan) that share one combined version.
 */
import { hashText } from "./hash.js";
import type { BuiltModule } from "./types.js";

/**
 * A version per module: its hash combined with the versions of everything it imports, transitively.
 * @example moduleVersions(result.modules).get("index.tsx") // "1kq0ezh5u2v"
 */
export function moduleVersions(modules: ReadonlyMap<string, BuiltModule>): Map<string, string> {
  const components = stronglyConnectedComponents(modules);
  const componentOf = new Map<string, number>();
  components.forEach((members, index) => members.forEach((file) => componentOf.set(file, index)));

  // Tarjan emits components dependencies first, so each component's imports already have versions.
  const componentVersion: string[] = [];
  const versions = new Map<string, string>();
  components.forEach((members, index) => {
    const parts: string[] = [];
    for (const file of [...members].sort()) {
      parts.push(file, modules.get(file)!.hash);
      for (const target of modules.get(file)!.projectImports) {
        const dependency = componentOf.get(target);
        // A missing target (a file that failed to build) still counts, so fixing it later changes this version.
        if (dependency === undefined) parts.push("missing:" + target);
        else if (dependency !== index) parts.push(componentVersion[dependency]!);
      }
    }
    componentVersion[index] = hashText(parts.join("\n"));
    for (const file of members) {
      versions.set(file, members.length === 1 ? componentVersion[index]! : hashText(file + "\n" + componentVersion[index]));
    }
  });
  return versions;
}

/** Tarjan's algorithm, iterative (a long import chain must not overflow the stack); components come out in reverse topological order. */
function stronglyConnectedComponents(modules: ReadonlyMap<string, BuiltModule>): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const edges = (file: string) => modules.get(file)!.projectImports.filter((target) => modules.has(target));

  for (const root of [...modules.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { file: string; next: number; targets: string[] }[] = [];
    const open = (file: string) => {
      index.set(file, counter);
      lowLink.set(file, counter++);
      stack.push(file);
      onStack.add(file);
      work.push({ file, next: 0, targets: edges(file) });
    };
    open(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.next < frame.targets.length) {
        const target = frame.targets[frame.next++]!;
        if (!index.has(target)) open(target);
        else if (onStack.has(target)) lowLink.set(frame.file, Math.min(lowLink.get(frame.file)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowLink.set(parent.file, Math.min(lowLink.get(parent.file)!, lowLink.get(frame.file)!));
      if (lowLink.get(frame.file) === index.get(frame.file)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.file);
        components.push(component);
      }
    }
  }
  return components;
}
