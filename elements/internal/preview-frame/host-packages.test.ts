import assert from "node:assert/strict";
import { test } from "node:test";
import { absoluteImports, hostPackageImports } from "./host-packages.js";

const SERVER = "https://cdn.test/spike";
const resolve = (path: string) => `${SERVER}${path}`;

test("relative imports of a set module become absolute against its real URL; bare and absolute ones stay", () => {
  const code = 'import{a}from"../react@19.3.1/index.js";import"./side.js";export*from "./index.js";const l=()=>import("./lazy.js");import b from"react";import c from"https://x.test/c.js";const s="./not-an-import.js";';
  assert.equal(
    absoluteImports(code, `${SERVER}/npm/react-dom@19.3.1/client.js`),
    `import{a}from"${SERVER}/npm/react@19.3.1/index.js";import"${SERVER}/npm/react-dom@19.3.1/side.js";export*from "${SERVER}/npm/react-dom@19.3.1/index.js";const l=()=>import("${SERVER}/npm/react-dom@19.3.1/lazy.js");import b from"react";import c from"https://x.test/c.js";const s="./not-an-import.js";`,
  );
});

test("the import map sends each passed module's specifier and real URL to its own URL, and the rest of the set to the server", () => {
  const made: string[] = [];
  const toUrl = (code: string) => {
    made.push(code);
    return `blob:${made.length}`;
  };
  const imports = hostPackageImports(
    {
      imports: { react: "/npm/react@19.3.1/index.js", "react-dom/client": "/npm/react-dom@19.3.1/client.js", zustand: "/npm/zustand@5.1.0/index.js" },
      modules: { "/npm/react@19.3.1/index.js": "export const r=1;", "/npm/react-dom@19.3.1/client.js": 'import r from"../react@19.3.1/index.js";' },
    },
    resolve,
    toUrl,
  );
  assert.deepEqual(made, ["export const r=1;", `import r from"${SERVER}/npm/react@19.3.1/index.js";`]);
  assert.deepEqual(imports, {
    [`${SERVER}/npm/react@19.3.1/index.js`]: "blob:1",
    [`${SERVER}/npm/react-dom@19.3.1/client.js`]: "blob:2",
    react: "blob:1",
    "react-dom/client": "blob:2",
    zustand: `${SERVER}/npm/zustand@5.1.0/index.js`,
  });
});
