/** transpileFile: TypeScript + JSX to runnable modules, syntax errors with their places, CSS, JSON and loop guards. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { scopeClassNames } from "./css.js";
import { transpileFile } from "./transpile.js";
import type { TranspiledFile } from "./types.js";

/** Imports module code the way a browser would: as an ES module, here through a data: URL. */
async function evaluate(code: string): Promise<Record<string, unknown>> {
  return import("data:text/javascript;charset=utf-8," + encodeURIComponent(code));
}

function ok(file: string, source: string, loopBudgetMs?: number): TranspiledFile {
  const outcome = transpileFile(file, source, loopBudgetMs === undefined ? {} : { loopBudgetMs });
  assert.equal(outcome.error, undefined, JSON.stringify(outcome.error));
  return outcome.transpiled!;
}

describe("TypeScript and JSX", () => {
  test("TSX with types becomes an ES module on the automatic JSX runtime, lines kept", () => {
    const source = [
      'import { useState } from "react";',
      'import type { Item } from "./types";',
      "interface Props {",
      "  items: Item[];",
      "}",
      "export function List({ items }: Props) {",
      "  const [open, setOpen] = useState<boolean>(false);",
      "  return <ul onClick={() => setOpen(!open)}>{items.map((i) => <li key={i.id}>{i.name}</li>)}</ul>;",
      "}",
    ].join("\n");
    const { code, imports } = ok("List.tsx", source);
    assert.match(code, /^import \{jsx as _jsx\} from "react\/jsx-runtime";/);
    assert.doesNotMatch(code, /interface|: Props|<boolean>|\.\/types/);
    assert.equal(code.split("\n").length, source.split("\n").length);
    assert.match(code.split("\n")[7]!, /_jsx\('ul'/);
    assert.deepEqual(
      imports.map((site) => [site.specifier, site.kind, site.line, site.column]),
      [
        ["react/jsx-runtime", "import", 1, 0],
        ["react", "import", 1, 25],
      ],
    );
    // The span points at the literal in the transpiled code.
    const react = imports[1]!;
    assert.equal(code.slice(react.start, react.end), '"react"');
  });

  test("a typed module runs and computes what its source says", async () => {
    const { code } = ok(
      "math.ts",
      [
        "enum Op { Add, Mul }",
        "export class Calc {",
        "  constructor(private readonly base: number) {}",
        "  apply(op: Op, x: number): number { return op === Op.Add ? this.base + x : this.base * x; }",
        "}",
        "export const total = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) as number;",
        "export const result = new Calc(3).apply(Op.Mul, 4) + total([1, 2, 3]);",
      ].join("\n"),
    );
    const mod = await evaluate(code);
    assert.equal(mod.result, 18);
  });

  test("JSX output calls the runtime with the props the source wrote", async () => {
    const { code } = ok("Hello.tsx", 'export const el = <p className="x">Hi {"you"}</p>;');
    const stubbed = code.replace('"react/jsx-runtime"', JSON.stringify("data:text/javascript,export const jsx=(type,props,key)=>({type,props,key}),jsxs=jsx,Fragment='F';"));
    const mod = await evaluate(stubbed);
    assert.deepEqual(mod.el, { type: "p", props: { className: "x", children: ["Hi ", "you"] }, key: undefined });
  });

  test(".ts keeps `<T>` casts as casts; .js may contain JSX", () => {
    assert.match(ok("a.ts", "const n = <number>(1 as unknown);").code, /^const n = \(1\s*\);$/);
    assert.match(ok("a.js", "export default <b />;").code, /_jsx\('b'/);
  });

  test("dynamic imports and export-from are import sites too", () => {
    const { code, imports } = ok("a.ts", 'export * from "./b";\nexport { c } from "./c";\nconst d = () => import("./d");\nimport(`./e`);\nimport(name);');
    assert.deepEqual(imports.map((site) => [site.specifier, site.kind, site.line]), [
      ["./b", "export", 1],
      ["./c", "export", 2],
      ["./d", "dynamic", 3],
      ["./e", "dynamic", 4],
    ]);
    for (const site of imports) assert.match(code.slice(site.start, site.end), /^["'`]\.\/[b-e]["'`]$/);
  });
});

describe("syntax errors", () => {
  test("a JSX error names its 1-based line and 0-based column", () => {
    const { error } = transpileFile("App.tsx", "const a = 1;\nconst b = <div>\n  <span></div>;\n");
    assert.ok(error);
    assert.equal(error.file, "App.tsx");
    assert.equal(error.line, 3);
    assert.doesNotMatch(error.message, /\(\d+:\d+\)|Error transforming/);
  });

  test("a TypeScript error points at the offending token", () => {
    const { error } = transpileFile("a.ts", "let ok = 1;\nconst x: number = ;\n");
    assert.deepEqual(error, { file: "a.ts", line: 2, column: 18, message: "Unexpected token" });
  });

  test("errors sucrase lets through are caught by acorn with the right line", () => {
    const { error } = transpileFile("a.ts", "let a = 1;\n\nlet a = 2;\n");
    assert.deepEqual(error, { file: "a.ts", line: 3, column: 4, message: "Identifier 'a' has already been declared" });
  });
});

describe("CSS and JSON", () => {
  test("a .css file applies itself to document.head and exports its text", async () => {
    const { code, imports } = ok("styles.css", "body { margin: 0 }");
    assert.deepEqual(imports, []);
    assert.match(code, /data-spike-file/);
    assert.match(code, /document\.head\.appendChild\(style\)/);
    // Without a document (node) it only exports the text.
    assert.equal((await evaluate(code)).default, "body { margin: 0 }");
  });

  test("a .css module scopes class selectors and exports the mapping", async () => {
    const source = "/* .comment */ .title, a.link:hover { background: url(x.png); width: 1.5em }\n@media (min-width: 1px) { .title { content: \".no\" } }";
    const mod = await evaluate(ok("Card.module.css", source).code);
    const classes = mod.default as Record<string, string>;
    assert.deepEqual(Object.keys(classes), ["title", "link"]);
    assert.match(classes.title!, /^title_[a-z0-9]+$/);
    assert.equal(mod.css, source.replaceAll(".title", "." + classes.title).replace(".link", "." + classes.link));
  });

  test("scoped names differ between files", () => {
    assert.notEqual(scopeClassNames("a.module.css", ".x{}").classes.x, scopeClassNames("b.module.css", ".x{}").classes.x);
  });

  test("a .json file exports its value; bad JSON is an error at its place", async () => {
    const mod = await evaluate(ok("data.json", '{"__proto__": 1, "list": [1, 2]}').code);
    assert.deepEqual({ ...(mod.default as object) }, JSON.parse('{"__proto__": 1, "list": [1, 2]}'));
    assert.deepEqual(mod.list, [1, 2]);
    const { error } = transpileFile("data.json", '{\n  "a": 1,\n}');
    assert.equal(error?.line, 3);
    assert.equal(error?.column, 0);
  });

  test("a JSON object's top-level keys are named exports too, any key but `default`; an array has only its default", async () => {
    const mod = await evaluate(ok("data.json", '{"title": "Hi", "b-c": 1, "class": 2, "default": 3}').code);
    assert.deepEqual(Object.keys(mod).sort(), ["b-c", "class", "default", "title"]);
    assert.deepEqual([mod.title, mod["b-c"], mod.class, (mod.default as { default: number }).default], ["Hi", 1, 2, 3]);
    assert.deepEqual(Object.keys(await evaluate(ok("list.json", "[1, 2]").code)), ["default"]);
  });

  test("other files export their text", async () => {
    assert.equal((await evaluate(ok("notes.md", "# Hi\n").code)).default, "# Hi\n");
  });
});

describe("loop guards", () => {
  const spinning = [
    "type Never = never;",
    "export function whileTrue(): Never {",
    "  while (true) {}",
    "}",
    "export function forEver() {",
    "  for (;;);",
    "}",
    "export function doForever() {",
    "  let i = 0;",
    "  outer: do { i++; continue outer; } while (true)",
    "}",
  ].join("\n");

  test("while(true), for(;;) and do-while(true) throw, naming file and line of the loop", async () => {
    const mod = await evaluate(ok("spin.ts", spinning, 50).code);
    assert.throws(mod.whileTrue as () => void, { message: "Infinite loop? spin.ts:3 ran over 50 ms" });
    assert.throws(mod.forEver as () => void, { message: "Infinite loop? spin.ts:6 ran over 50 ms" });
    assert.throws(mod.doForever as () => void, { message: "Infinite loop? spin.ts:10 ran over 50 ms" });
  });

  test("the line is the loop's line in the TSX source, after types and JSX", async () => {
    const source = [
      "interface A {",
      "  a: number;",
      "}",
      "const el = <div",
      '  className="x"',
      "/>;",
      "export function spin(a: A) {",
      "  let n: number = a.a;",
      "  while (n >= 0) n = n + 1;",
      "}",
    ].join("\n");
    const code = ok("Spin.tsx", source, 20).code.replace('"react/jsx-runtime"', '"data:text/javascript,export const jsx=()=>null;"');
    const mod = await evaluate(code);
    assert.throws(() => (mod.spin as (a: { a: number }) => void)({ a: 1 }), { message: "Infinite loop? Spin.tsx:9 ran over 20 ms" });
  });

  test("normal loops compute exactly what they computed unguarded", async () => {
    const source = [
      "export function run() {",
      "  const out = [];",
      "  for (let i = 0; i < 2000; i++) out.push(i % 7);",
      "  const fns = [];",
      "  for (let i = 0; i < 3; i++) fns.push(() => i);",
      "  out.push(...fns.map((f) => f()));",
      "  for (const k in { a: 1, b: 2 }) out.push(k);",
      "  for (const [k, v] of new Map([['x', 1]])) out.push(k + v);",
      "  let n = 0;",
      "  while (n < 1000) { n += 3; if (n % 100 === 0) continue; }",
      "  do n--; while (n > 990)",
      "  out.push(n);",
      "  outer: for (let a = 0; a < 5; a++) { for (let b = 0; b < 5; b++) { if (b === 3) continue outer; if (a === 4) break outer; out.push(a * 10 + b); } }",
      "  if (n) for (var v = 0; v < 3; v++) out.push(v); else out.push('never');",
      "  out.push(v);",
      "  a: b: for (;;) { for (;;) break a; }",
      "  let s = 0; for (let i = 0; i < 100000; i++) s += i; out.push(s);",
      "  switch (n) { case 990: while (n < 995) n++; out.push(n); }",
      "  label: { for (const x of [1, 2]) { if (x === 2) break label; out.push(x); } out.push('not reached'); }",
      "  return out;",
      "}",
    ].join("\n");
    const guarded = ok("loops.js", source, 1000).code;
    assert.match(guarded, /Infinite loop\?/);
    const expected = ((await evaluate(source)).run as () => unknown[])();
    const actual = ((await evaluate(guarded)).run as () => unknown[])();
    assert.deepEqual(actual, expected);
  });

  test("a loop that awaits or yields is left alone: it hands control back, it cannot freeze the page", () => {
    const { code } = ok(
      "poll.ts",
      "export async function poll() { while (true) { await tick(); } }\nexport function* gen() { for (;;) yield 1; }\nexport async function inner() { while (true) { const f = async () => { await 1; }; } }",
    );
    assert.equal(code.match(/Infinite loop\?/g)?.length, 1);
    assert.match(code.split("\n")[2]!, /Infinite loop\? poll\.ts:3/);
  });
});
