/** Resolving import specifiers to project files: exact names, added extensions, index files, and what is not a file. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileKindOf } from "./file-kinds.js";
import { joinPath, resolveImport, resolveSpecifier, specifierKind } from "./resolve.js";

const files = new Set([
  "index.tsx",
  "App.tsx",
  "App.css",
  "util.ts",
  "data.json",
  "components/index.ts",
  "components/Button.jsx",
  "components/Button.module.css",
  "lib/index.js",
  "lib/math.ts",
  "widgets.ts",
  "widgets/index.ts",
  "server/config.cts",
]);

test("exact names win, then extensions in order .tsx .ts .jsx .js .mjs .css .json", () => {
  assert.equal(resolveSpecifier("index.tsx", "./App.css", files), "App.css");
  assert.equal(resolveSpecifier("index.tsx", "./App", files), "App.tsx");
  assert.equal(resolveSpecifier("index.tsx", "./util", files), "util.ts");
  assert.equal(resolveSpecifier("index.tsx", "./data", files), "data.json");
  assert.equal(resolveSpecifier("components/index.ts", "./Button", files), "components/Button.jsx");
  assert.equal(resolveSpecifier("components/index.ts", "./Button.module.css", files), "components/Button.module.css");
});

test("folders resolve to their index file", () => {
  assert.equal(resolveSpecifier("index.tsx", "./components", files), "components/index.ts");
  assert.equal(resolveSpecifier("index.tsx", "./lib/", files), "lib/index.js");
  assert.equal(resolveSpecifier("components/Button.jsx", "..", files), "index.tsx");
  assert.equal(resolveSpecifier("components/Button.jsx", "../lib", files), "lib/index.js");
});

test("TypeScript's `.js` for a `.ts` source resolves to the source, and `.cjs` to a `.cts` source", () => {
  assert.equal(resolveSpecifier("lib/index.js", "./math.js", files), "lib/math.ts");
  assert.equal(resolveSpecifier("index.tsx", "./server/config.cjs", files), "server/config.cts");
});

test("a trailing slash names a folder only", () => {
  assert.equal(resolveSpecifier("index.tsx", "./widgets", files), "widgets.ts");
  assert.equal(resolveSpecifier("index.tsx", "./widgets/", files), "widgets/index.ts");
});

test("root-absolute specifiers start at the project root", () => {
  assert.equal(resolveSpecifier("components/index.ts", "/util", files), "util.ts");
});

test("missing files and paths above the root do not resolve", () => {
  assert.equal(resolveSpecifier("index.tsx", "./Nope", files), null);
  assert.equal(resolveSpecifier("index.tsx", "../App", files), null);
  assert.equal(joinPath("a/b.ts", "../../x"), null);
  assert.equal(joinPath("a/b.ts", "./c/../d"), "a/d");
});

test("specifier kinds", () => {
  assert.equal(specifierKind("./x"), "project");
  assert.equal(specifierKind("../x"), "project");
  assert.equal(specifierKind("/x"), "project");
  assert.equal(specifierKind("react"), "package");
  assert.equal(specifierKind("@scope/pkg/sub"), "package");
  assert.equal(specifierKind("https://esm.sh/react"), "url");
  assert.equal(specifierKind("data:text/javascript,1"), "url");
  assert.equal(specifierKind("/@project/App.tsx"), "url");
});

test("resolveImport: project files, packages, URLs and unmatched server paths left as written, and missing files", () => {
  assert.deepEqual(resolveImport("components/index.ts", "./Button", files), { kind: "project", file: "components/Button.jsx" });
  assert.deepEqual(resolveImport("components/index.ts", "/util", files), { kind: "project", file: "util.ts" });
  assert.deepEqual(resolveImport("index.tsx", "/npm/react.js", files), { kind: "external" });
  assert.deepEqual(resolveImport("index.tsx", "https://esm.sh/react", files), { kind: "external" });
  assert.deepEqual(resolveImport("index.tsx", "react-dom/client", files), { kind: "package" });
  const missing = resolveImport("index.tsx", "./Nope", files);
  assert.equal(missing.kind, "missing");
  assert.match((missing as { message: string }).message, /^Cannot find "\.\/Nope": .*\.tsx, \.ts, \.jsx, \.js, \.mjs, \.css, \.json and \/index\.\*/);
  assert.equal(resolveImport("index.tsx", "../App", files).kind, "missing");
});

test("file kinds by extension: every script is an ES module of one syntax; other files are text", () => {
  const kinds = ["a.ts", "a.mts", "a.cts", "a.tsx", "a.js", "a.jsx", "a.mjs", "a.cjs", "a.css", "a.module.css", "a.json", "A.TSX", "notes.md", "Makefile", "dir.ts/readme"];
  assert.deepEqual(
    kinds.map(fileKindOf),
    ["ts", "ts", "ts", "tsx", "jsx", "jsx", "jsx", "jsx", "css", "css", "json", "tsx", "text", "text", "text"],
  );
});
