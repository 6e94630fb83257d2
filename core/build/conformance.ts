/**
 * The build rules as one table of cases: files, an entry, and what building and running them must give. The same table
 * runs against the page build (`ProjectBuilder`, core/build/conformance.test.ts) and the transpiler Worker's
 * `POST /api/bundle` in workerd (workers/transpiler/conformance.test.ts), with the same expectations, so `<spike-preview>`
 * and `/live/<room>/index.js` cannot drift apart. Scripts call `trace(value)`: the evaluation order of the module graph
 * and the values that flowed through it are the log. CSS is written minified, as the Worker's bundle applies it.
 */
import type { Expectation } from "./conformance-run.js";
import { hashText } from "./hash.js";

/** One case. */
export interface ConformanceCase {
  name: string;
  entry: string;
  files: Record<string, string>;
  /** Specifiers the output must keep as written (packages, URLs, server paths), each with the module a run loads instead. */
  externals?: Record<string, string>;
  expect: Expectation;
}

/** The class name `name` gets in CSS Modules file `file`: `<name>_<6 characters of the file name's hash>`. */
const scoped = (file: string, name: string) => `${name}_${hashText(file).slice(0, 6)}`;
const missing = (specifier: string) =>
  `Cannot find "${specifier}": no project file matches it ` +
  `(tried ${specifier} with .tsx, .ts, .jsx, .js, .mjs, .css, .json and /index.*)`;
const JSX_RUNTIME = "export const jsx = (type, props) => ({ type, props }); export const jsxs = jsx;";
const title = scoped("Card.module.css", "title");
const icon = scoped("Card.module.css", "icon");

/**
 * The cases, in the order of the rules in the README's "Build rules".
 * @example for (const c of CONFORMANCE_CASES) checkOutcome(c.expect, await outcomeOf(c));
 */
export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  {
    name: "an extensionless import tries .tsx, .ts, .jsx, .js, .mjs, .css, .json in that order",
    entry: "index.ts",
    files: {
      "index.ts": [
        'import a from "./a"; import b from "./b"; import c from "./c"; import d from "./d"; import e from "./e";',
        'import f from "./f";',
        "trace([a, b, c, d, e, typeof f].join(' '));",
      ].join("\n"),
      "a.tsx": 'export default "a.tsx";',
      "a.ts": 'export default "a.ts";',
      "b.ts": 'export default "b.ts";',
      "b.jsx": 'export default "b.jsx";',
      "c.jsx": 'export default "c.jsx";',
      "c.js": 'export default "c.js";',
      "d.js": 'export default "d.js";',
      "d.mjs": 'export default "d.mjs";',
      "e.mjs": 'export default "e.mjs";',
      "e.css": "e{color:red}",
      "f.css": "p{color:red}",
      "f.json": '{"f": "json"}',
    },
    expect: { ran: { log: ["a.tsx b.ts c.jsx d.js e.mjs string"], styles: [{ file: "f.css", css: "p{color:red}" }] } },
  },
  {
    name: "TypeScript's output names: ./x.js names x.ts, .jsx .tsx, .mjs .mts, .cjs .cts; a file of the written name wins",
    entry: "index.ts",
    files: {
      "index.ts": [
        'import { a } from "./a.js"; import { b } from "./b.jsx"; import { c } from "./c.mjs"; import { d } from "./d.cjs";',
        'import { e } from "./e.js";',
        "trace([a, b, c, d, e].join(' '));",
      ].join("\n"),
      "a.ts": 'export const a: string = "a.ts";',
      "b.tsx": 'export const b: string = "b.tsx";',
      "c.mts": 'export const c: string = "c.mts";',
      "d.cts": 'export const d: string = "d.cts";',
      "e.js": 'export const e = "e.js";',
      "e.ts": 'export const e: string = "e.ts";',
    },
    expect: { ran: { log: ["a.ts b.tsx c.mts d.cts e.js"], styles: [] } },
  },
  {
    name: "a folder resolves to its index file, with the same extension order; a trailing slash names only the folder",
    entry: "main.ts",
    files: {
      "main.ts": [
        'import { lib } from "./lib"; import { ui } from "./ui/"; import conf from "./conf"; import { up } from "./lib/deep";',
        "trace([lib, ui, conf.name, up].join(' '));",
      ].join("\n"),
      "index.ts": 'export const root = "index.ts";',
      "lib/index.ts": 'export const lib = "lib/index.ts";',
      "lib/index.js": 'export const lib = "lib/index.js";',
      "lib/deep.ts": 'export { root as up } from "..";',
      "ui.ts": 'export const ui = "ui.ts";',
      "ui/index.jsx": 'export const ui = "ui/index.jsx";',
      "conf/index.json": '{"name": "conf/index.json"}',
    },
    expect: { ran: { log: ["lib/index.ts ui/index.jsx conf/index.json index.ts"], styles: [] } },
  },
  {
    name: "/x names a project file from the project root, and a path on the server when no file matches",
    entry: "main.ts",
    files: {
      "main.ts": 'import { Button } from "./components/Button";\ntrace(Button());',
      "components/Button.ts": [
        'import { format } from "/lib/format";',
        'import "/npm/theme.js";',
        'export const Button = () => format("button");',
      ].join("\n"),
      "lib/format.ts": 'export const format = (s: string) => "[" + s + "]";',
    },
    externals: { "/npm/theme.js": 'trace("/npm/theme.js");' },
    expect: { ran: { log: ["/npm/theme.js", "[button]"], styles: [] } },
  },
  {
    name: "packages and URLs stay imports of their own",
    entry: "index.ts",
    files: { "index.ts": 'import pkg from "some-package/sub";\nimport "https://cdn.example/x.js";\ntrace(pkg);' },
    externals: { "some-package/sub": 'export default "some-package/sub";', "https://cdn.example/x.js": 'trace("cdn");' },
    expect: { ran: { log: ["cdn", "some-package/sub"], styles: [] } },
  },
  {
    name: "a .cjs or .cts file is an ES module",
    entry: "index.ts",
    files: {
      "index.ts": 'import { name } from "./legacy.cjs";\nimport typed from "./typed.cts";\ntrace(name + " " + typed);',
      "legacy.cjs": 'trace("legacy.cjs");\nexport const name = "legacy";',
      "typed.cts": 'const typed: string = "typed";\nexport default typed;',
    },
    expect: { ran: { log: ["legacy.cjs", "legacy typed"], styles: [] } },
  },
  {
    name: "CommonJS does not run: module.exports is undefined, in the preview as in the bundle",
    entry: "index.ts",
    files: { "index.ts": 'import "./legacy.cjs";\ntrace("index");', "legacy.cjs": 'module.exports = { name: "legacy" };' },
    expect: { threw: /module is not defined/ },
  },
  {
    name: "CommonJS does not run: require() is undefined, in the preview as in the bundle",
    entry: "index.ts",
    files: {
      "index.ts": 'import "./legacy.cjs";\ntrace("index");',
      "legacy.cjs": 'const x = require("./x.js");\ntrace(x);',
      "x.js": "export default 1;",
    },
    expect: { threw: /require/ },
  },
  {
    name: "an import cycle a <-> b runs, b first, and each side sees the other's functions",
    entry: "index.ts",
    files: {
      "index.ts": 'import { a } from "./a";\nimport { seesA } from "./b";\ntrace("index " + a() + " " + seesA());',
      "a.ts": 'import { b } from "./b";\ntrace("a.ts");\nexport function a() { return "a" + b(); }',
      "b.ts": [
        'import { a } from "./a";',
        'trace("b.ts");',
        'export function b() { return "b"; }',
        "export const seesA = () => typeof a;",
      ].join("\n"),
    },
    expect: { ran: { log: ["b.ts", "a.ts", "index ab function"], styles: [] } },
  },
  {
    name: "a .json file exports its value as default and its top-level keys by name",
    entry: "index.ts",
    files: {
      "index.ts": [
        'import data, { title, list } from "./data.json";',
        'import { answer } from "./nested/config.json";',
        'trace([data.title, title, list.length, answer].join(" "));',
      ].join("\n"),
      "data.json": '{ "title": "Hello", "list": [1, 2, 3], "b-c": true }',
      "nested/config.json": '{ "answer": 42 }',
    },
    expect: { ran: { log: ["Hello Hello 3 42"], styles: [] } },
  },
  {
    name: "invalid JSON is an error at its line and column",
    entry: "index.ts",
    files: { "index.ts": 'import data from "./data.json";\ntrace(data);', "data.json": '{\n  "a": 1,\n}' },
    expect: { errors: [{ file: "data.json", line: 3, column: 0, message: "Expected double-quoted property name" }] },
  },
  {
    name: "a plain .css file applies itself in import order and exports its text, class names as written",
    entry: "index.ts",
    files: {
      "index.ts": 'import "./base.css";\nimport { Card } from "./Card";\ntrace(Card());',
      "Card.ts": 'import css from "./card.css";\nexport const Card = () => css.trim();',
      "base.css": "body{margin:0}",
      "card.css": ".card{padding:4px}",
    },
    expect: {
      ran: {
        log: [".card{padding:4px}"],
        styles: [
          { file: "base.css", css: "body{margin:0}" },
          { file: "card.css", css: ".card{padding:4px}" },
        ],
      },
    },
  },
  {
    name: "a *.module.css file scopes its class names and exports them as an object, default and `classes`",
    entry: "index.tsx",
    files: {
      "index.tsx": [
        'import styles, { classes } from "./Card.module.css";',
        'import { Title } from "./Title";',
        "trace([styles.title, styles.icon, classes === styles, Title().props.className].join(' '));",
      ].join("\n"),
      "Title.tsx": 'import styles from "./Card.module.css";\nexport const Title = () => <h1 className={styles.title}>Hi</h1>;',
      "Card.module.css": ".title{color:red}.title:hover .icon{color:#00f}",
    },
    externals: { "react/jsx-runtime": JSX_RUNTIME },
    expect: {
      ran: {
        log: [`${title} ${icon} true ${title}`],
        styles: [{ file: "Card.module.css", css: `.${title}{color:red}.${title}:hover .${icon}{color:#00f}` }],
      },
    },
  },
  {
    name: "a missing import is an error at the importing file's line and column",
    entry: "index.ts",
    files: {
      "index.ts": 'import { App } from "./components/App";\ntrace(App);',
      "components/App.tsx": [
        "// the app",
        'import { helper } from "./helper";',
        'import { Nope } from "./Nope";',
        "export const App = helper + Nope;",
      ].join("\n"),
      "components/helper.ts": "export const helper = 1;",
    },
    expect: { errors: [{ file: "components/App.tsx", line: 3, column: 21, message: missing("./Nope") }] },
  },
  {
    name: "an import that climbs above the project root is missing",
    entry: "index.ts",
    files: { "index.ts": 'import x from "../outside";\ntrace(x);' },
    expect: { errors: [{ file: "index.ts", line: 1, column: 14, message: missing("../outside") }] },
  },
  {
    name: "a broken file that the entry does not reach does not stop the build",
    entry: "index.ts",
    files: { "index.ts": 'trace("ok");', "unused.ts": 'import "./nope";', "bad.json": "{" },
    expect: { ran: { log: ["ok"], styles: [] } },
  },
];
