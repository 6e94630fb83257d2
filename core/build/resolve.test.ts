/** Resolving import specifiers to project files: exact names, added extensions, index files, and what is not a file. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { joinPath, resolveSpecifier, specifierKind } from "./resolve.js";

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

test("TypeScript's `.js` for a `.ts` source resolves to the source", () => {
  assert.equal(resolveSpecifier("lib/index.js", "./math.js", files), "lib/math.ts");
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
