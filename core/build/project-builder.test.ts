/** ProjectBuilder and moduleVersions: linking, running a whole project, errors, incremental rebuilds and versions. */
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { ProjectBuilder } from "./project-builder.js";
import { moduleVersions } from "./versions.js";
import type { BuiltModule } from "./types.js";

const root = mkdtempSync(join(tmpdir(), "spike-build-"));
after(() => rmSync(root, { recursive: true, force: true }));
let runs = 0;

/**
 * Runs built modules in node the way the preview frame runs them in a browser: each module at its own URL,
 * `/@project/<file>` mapped to those URLs and bare specifiers to the given stand-ins.
 */
async function runProject(modules: ReadonlyMap<string, BuiltModule>, entry: string, packages: Record<string, string> = {}) {
  const dir = join(root, String(runs++));
  const urlOf = (file: string) => pathToFileURL(join(dir, file + ".mjs")).href;
  for (const [name, source] of Object.entries(packages)) {
    mkdirSync(dirname(join(dir, "@pkg", name)), { recursive: true });
    writeFileSync(join(dir, "@pkg", name + ".mjs"), source);
  }
  for (const module of modules.values()) {
    let code = module.code.replace(/"\/@project\/([^"]+)"/g, (_, file: string) => JSON.stringify(urlOf(file)));
    for (const specifier of module.packageImports) {
      // A stand-in when given, else the real package from this repository's node_modules.
      const url = specifier in packages ? pathToFileURL(join(dir, "@pkg", specifier + ".mjs")).href : import.meta.resolve(specifier);
      code = code.replaceAll(JSON.stringify(specifier), JSON.stringify(url));
    }
    mkdirSync(dirname(join(dir, module.file)), { recursive: true });
    writeFileSync(join(dir, module.file + ".mjs"), code);
  }
  return import(urlOf(entry));
}

const JSX_RUNTIME = "export const jsx = (type, props) => ({ type: typeof type === 'function' ? type(props) : type, props }); export const jsxs = jsx;";

const project = {
  "index.tsx": [
    'import { App } from "./components";',
    'import "./styles.css";',
    'import config from "./config.json";',
    "export const tree = <App title={config.title} />;",
    'export const lazy = () => import("./lazy").then((m) => m.default);',
  ].join("\n"),
  "components/index.ts": 'export { App } from "./App";\nexport * from "../lib/math.js";',
  "components/App.tsx": [
    'import { sum } from "../lib/math";',
    'import styles from "./App.module.css";',
    "export function App({ title }: { title: string }) {",
    "  return <h1 className={styles.heading}>{title} {sum([1, 2, 3])}</h1>;",
    "}",
  ].join("\n"),
  "components/App.module.css": ".heading { color: red }",
  "lib/math.ts": "export const sum = (xs: number[]): number => { let s = 0; for (const x of xs) s += x; return s; };",
  "lazy.ts": "export default 'lazy!';",
  "styles.css": "body { margin: 0 }",
  "config.json": '{ "title": "Hello" }',
};

describe("ProjectBuilder", () => {
  test("rewrites project imports to /@project/<file> and leaves packages bare", () => {
    const { modules, errors } = new ProjectBuilder().update(project);
    assert.deepEqual(errors, []);
    const index = modules.get("index.tsx")!;
    assert.match(index.code, /from "\/@project\/components\/index\.ts"/);
    assert.match(index.code, /import "\/@project\/styles\.css"/);
    assert.match(index.code, /import\("\/@project\/lazy\.ts"\)/);
    assert.deepEqual(index.projectImports, ["components/index.ts", "styles.css", "config.json", "lazy.ts"]);
    assert.deepEqual(index.packageImports, ["react/jsx-runtime"]);
    assert.deepEqual(modules.get("components/index.ts")!.projectImports, ["components/App.tsx", "lib/math.ts"]);
  });

  test("the built project runs: TSX, index files, extensions, CSS modules, JSON and dynamic imports", async () => {
    const { modules } = new ProjectBuilder().update(project);
    const mod = await runProject(modules, "index.tsx", { "react/jsx-runtime": JSX_RUNTIME });
    const tree = mod.tree as { type: { props: { className: string; children: unknown[] } } };
    assert.match(tree.type.props.className, /^heading_/);
    assert.deepEqual(tree.type.props.children, ["Hello", " ", 6]);
    assert.equal(await (mod.lazy as () => Promise<string>)(), "lazy!");
  });

  test("a React app built from TSX renders with the real React", async () => {
    const files = {
      "main.tsx": [
        'import { renderToString } from "react-dom/server";',
        'import { Counter } from "./Counter";',
        "export const html = renderToString(<><Counter start={2} /><Counter start={5} /></>);",
      ].join("\n"),
      "Counter.tsx": [
        'import { useState, type ReactNode } from "react";',
        'import styles from "./Counter.module.css";',
        "export function Counter({ start }: { start: number }): ReactNode {",
        "  const [count] = useState(start);",
        "  const stars: string[] = [];",
        "  for (let i = 0; i < count; i++) stars.push(\"*\");",
        "  return <b className={styles.count}>{stars.join(\"\")}</b>;",
        "}",
      ].join("\n"),
      "Counter.module.css": ".count { font-weight: 700 }",
    };
    const { modules, errors } = new ProjectBuilder().update(files);
    assert.deepEqual(errors, []);
    const { html } = await runProject(modules, "main.tsx");
    const scoped = (await runProject(modules, "Counter.module.css")).default.count;
    assert.equal(html, `<b class="${scoped}">**</b><b class="${scoped}">*****</b>`);
  });

  test("an unresolved relative import is an error at its line, and the file is left out", () => {
    const files = { ...project, "lazy.ts": 'const x = 1;\n\nexport { y } from "./missing";' };
    const { modules, errors } = new ProjectBuilder().update(files);
    assert.equal(errors.length, 1);
    assert.deepEqual({ ...errors[0], message: "" }, { file: "lazy.ts", line: 3, column: 18, message: "" });
    assert.match(errors[0]!.message, /Cannot find "\.\/missing"/);
    assert.equal(modules.has("lazy.ts"), false);
    assert.equal(modules.has("index.tsx"), true);
  });

  test("a syntax error leaves that one file out and reports it; fixing it brings it back", () => {
    const builder = new ProjectBuilder();
    builder.update(project);
    const broken = builder.update({ ...project, "lazy.ts": "export default (;" });
    assert.deepEqual(broken.errors.map((e) => [e.file, e.line]), [["lazy.ts", 1]]);
    assert.deepEqual(broken.removed, ["lazy.ts"]);
    assert.deepEqual(broken.changed, []);
    const fixed = builder.update(project);
    assert.deepEqual(fixed.errors, []);
    assert.deepEqual(fixed.changed, ["lazy.ts"]);
  });

  test("only changed files are transpiled again; unchanged modules keep their identity", () => {
    const builder = new ProjectBuilder();
    const first = builder.update(project);
    assert.equal(builder.transpileCount, Object.keys(project).length);
    assert.equal(first.changed.length, Object.keys(project).length);

    const same = builder.update({ ...project });
    assert.equal(builder.transpileCount, Object.keys(project).length);
    assert.deepEqual(same.changed, []);

    const edited = builder.update({ ...project, "lazy.ts": "export default 'lazy?';" });
    assert.equal(builder.transpileCount, Object.keys(project).length + 1);
    assert.deepEqual(edited.changed, ["lazy.ts"]);
    for (const [name, module] of edited.modules) {
      if (name !== "lazy.ts") assert.equal(module, first.modules.get(name), name);
    }
  });

  test("adding or deleting a file relinks importers without transpiling them again", () => {
    const builder = new ProjectBuilder();
    const files = { "index.ts": 'export { x } from "./x";', "x.js": "export const x = 1;" };
    builder.update(files);
    const count = builder.transpileCount;
    // x.ts now wins over x.js, so index.ts's code changes; index.ts itself is not transpiled again.
    const added = builder.update({ ...files, "x.ts": "export const x = 2;" });
    assert.equal(builder.transpileCount, count + 1);
    assert.deepEqual(added.changed, ["index.ts", "x.ts"]);
    assert.match(added.modules.get("index.ts")!.code, /"\/@project\/x\.ts"/);
    const deleted = builder.update({ "index.ts": files["index.ts"] });
    // index.ts now imports nothing that exists, so it fails and leaves `modules` too.
    assert.deepEqual(deleted.removed, ["index.ts", "x.js", "x.ts"]);
    assert.equal(deleted.errors[0]?.file, "index.ts");
  });

  test("the loop budget option reaches the guards", () => {
    const { modules } = new ProjectBuilder({ loopBudgetMs: 25 }).update({ "a.js": "while (true) {}" });
    assert.match(modules.get("a.js")!.code, /ran over 25 ms/);
  });
});

describe("moduleVersions", () => {
  test("changes for a module and its importers, transitively, and nothing else", () => {
    const builder = new ProjectBuilder();
    const before = moduleVersions(builder.update(project).modules);
    assert.deepEqual(moduleVersions(builder.update({ ...project }).modules), before);
    const after = moduleVersions(builder.update({ ...project, "lib/math.ts": project["lib/math.ts"] + " " }).modules);
    const changed = [...after.keys()].filter((file) => after.get(file) !== before.get(file)).sort();
    assert.deepEqual(changed, ["components/App.tsx", "components/index.ts", "index.tsx", "lib/math.ts"]);
  });

  test("a two-file cycle: both change when either changes, versions stay stable otherwise", () => {
    const builder = new ProjectBuilder();
    const files = {
      "a.ts": 'import { b } from "./b"; export const a = () => b;',
      "b.ts": 'import { a } from "./a"; export const b = () => a;',
      "main.ts": 'import { a } from "./a"; a();',
      "other.ts": "export const o = 1;",
    };
    const v1 = moduleVersions(builder.update(files).modules);
    assert.equal(v1.size, 4);
    assert.notEqual(v1.get("a.ts"), v1.get("b.ts"));
    assert.deepEqual(moduleVersions(builder.update({ ...files }).modules), v1);
    const v2 = moduleVersions(builder.update({ ...files, "b.ts": files["b.ts"] + "\n// edit" }).modules);
    assert.notEqual(v2.get("a.ts"), v1.get("a.ts"));
    assert.notEqual(v2.get("b.ts"), v1.get("b.ts"));
    assert.notEqual(v2.get("main.ts"), v1.get("main.ts"));
    assert.equal(v2.get("other.ts"), v1.get("other.ts"));
  });
});
