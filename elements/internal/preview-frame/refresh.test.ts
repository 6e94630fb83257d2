/** The frame's refresh registry with modules built by core/build's refresh transform: stable components, and when not. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { transpileFile } from "../../../core/build/index.js";
import { RefreshRegistry } from "./refresh.js";

/** Build and run one version of a file the way the frame does, against `registry` (no JSX: nothing imports React). */
async function load(registry: RefreshRegistry, file: string, source: string): Promise<Record<string, any>> {
  const { transpiled, error } = transpileFile(file, source, { refresh: true });
  assert.equal(error, undefined);
  registry.install();
  return import("data:text/javascript;charset=utf-8," + encodeURIComponent(transpiled!.code));
}

test("a component keeps its identity across versions and runs the newest code", async () => {
  const registry = new RefreshRegistry();
  registry.begin();
  const v1 = await load(registry, "App.ts", 'export default function App() { return "v1"; }\nexport const Row = () => "row1";');
  assert.ok(registry.canKeepState([v1]));
  registry.begin();
  const v2 = await load(registry, "App.ts", 'export default function App() { return "v2"; }\nexport const Row = () => "row2";');
  assert.equal(v2.default, v1.default, "same component type for React");
  assert.equal(v2.Row, v1.Row);
  assert.equal(v1.default(), "v2");
  assert.equal(v1.Row(), "row2");
  assert.equal(v1.default.name, "App");
  assert.ok(registry.canKeepState([v2]));
});

test("a changed hook signature or a non-component export means a fresh mount; a class is not wrapped", async () => {
  const registry = new RefreshRegistry();
  const useState = "function useState(x) { return [x]; }";
  registry.begin();
  await load(registry, "C.ts", `${useState}\nexport default function C() { const [a] = useState(1); return a; }`);
  registry.begin();
  const swapped = await load(registry, "C.ts", `${useState}\nfunction useRef(x) { return x; }\nexport default function C() { useRef(0); const [a] = useState(1); return a; }`);
  assert.equal(registry.canKeepState([swapped]), false, "hook order changed");
  registry.begin();
  const same = await load(registry, "C.ts", `${useState}\nfunction useRef(x) { return x; }\nexport default function C() { useRef(1); const [a] = useState(2); return a; }`);
  assert.ok(registry.canKeepState([same]), "same hooks, other arguments");
  registry.begin();
  const data = await load(registry, "C.ts", `export default function C() { return 1; }\nexport const LIMIT = 3;`);
  assert.equal(registry.canKeepState([data]), false, "exports a value");
  registry.begin();
  const classy = await load(registry, "K.ts", "export class Widget {}\nexport const Thing = class {};");
  assert.equal(typeof classy.Widget, "function");
  assert.equal(registry.isComponent(classy.Widget), false);
});
