import assert from "node:assert/strict";
import { test } from "node:test";
import type { FrameModule } from "./messages.js";
import { ModuleTable, mapStack } from "./module-table.js";

/** A table whose "blob URLs" are readable: blob:test/<n>, with the code kept for the test to inspect. */
function fakeTable() {
  const code = new Map<string, string>();
  const revoked: string[] = [];
  let n = 0;
  const table = new ModuleTable(
    (text) => {
      const url = `blob:test/${++n}`;
      code.set(url, text);
      return url;
    },
    (url) => revoked.push(url),
  );
  return { table, code, revoked };
}

const mod = (code: string, projectImports: string[] = []): FrameModule => ({ code, projectImports, packageImports: [] });

test("each module gets a URL with its project imports replaced by the dependencies' URLs", () => {
  const { table, code } = fakeTable();
  const scopes = table.apply(
    { "index.tsx": "v1", "App.tsx": "a1" },
    {
      "index.tsx": mod('import { App } from "/@project/App.tsx";\nimport("/@project/App.tsx");', ["App.tsx"]),
      "App.tsx": mod("export const App = 1;"),
    },
  );
  assert.deepEqual(scopes, {});
  const app = table.urlOf("App.tsx")!;
  assert.equal(code.get(table.urlOf("index.tsx")!), `import { App } from "${app}";\nimport("${app}");`);
  assert.equal(table.fileOf(app), "App.tsx");
});

test("only files whose version changed get new URLs; replaced ones are revoked on request", () => {
  const { table, revoked } = fakeTable();
  table.apply(
    { "index.tsx": "v1", "App.tsx": "a1", "util.ts": "u1" },
    {
      "index.tsx": mod('import "/@project/App.tsx";', ["App.tsx"]),
      "App.tsx": mod("export {};"),
      "util.ts": mod("export const u = 1;"),
    },
  );
  const before = { index: table.urlOf("index.tsx"), app: table.urlOf("App.tsx"), util: table.urlOf("util.ts") };
  // App.tsx changed, so its version and its importer's version changed (C1 moduleVersions); util.ts did not.
  table.apply({ "index.tsx": "v2", "App.tsx": "a2", "util.ts": "u1" }, { "App.tsx": mod("export const x = 2;") });
  assert.notEqual(table.urlOf("index.tsx"), before.index);
  assert.notEqual(table.urlOf("App.tsx"), before.app);
  assert.equal(table.urlOf("util.ts"), before.util);
  table.revokeStale();
  assert.deepEqual(revoked.sort(), [before.app, before.index].sort());
  // An old URL still maps to its file, for errors thrown by code that is still running.
  assert.equal(table.fileOf(before.app!), "App.tsx");
});

test("a removed file loses its URL", () => {
  const { table } = fakeTable();
  table.apply({ "a.ts": "1", "b.ts": "1" }, { "a.ts": mod("export {};"), "b.ts": mod("export {};") });
  table.apply({ "a.ts": "1" }, {});
  assert.equal(table.urlOf("b.ts"), undefined);
  assert.deepEqual(table.files(), ["a.ts"]);
});

test("an import cycle resolves its back edge through an import map scope on the importer", () => {
  const { table, code } = fakeTable();
  const scopes = table.apply(
    { "a.ts": "c1", "b.ts": "c1" },
    { "a.ts": mod('import "/@project/b.ts";', ["b.ts"]), "b.ts": mod('import "/@project/a.ts";', ["a.ts"]) },
  );
  const [a, b] = [table.urlOf("a.ts")!, table.urlOf("b.ts")!];
  // a is visited first and needs b; b needs a, which is still being built: b names it by a bare specifier its scope maps.
  assert.equal(code.get(a), `import "${b}";`);
  assert.equal(code.get(b), 'import "@spike-project/a.ts";');
  assert.deepEqual(scopes, { [b]: { "@spike-project/a.ts": a } });
});

test("mapStack turns blob URLs in stacks and messages into file:line", () => {
  const { table } = fakeTable();
  table.apply({ "App.tsx": "1" }, { "App.tsx": mod("export {};") });
  const url = table.urlOf("App.tsx")!;
  const stack = `Error: boom\n    at App (${url}:4:11)\n    at renderWithHooks (http://server/npm/react-dom.js:1:2)`;
  assert.deepEqual(mapStack(stack, table), {
    location: { file: "App.tsx", line: 4, column: 10 },
    text: "Error: boom\n    at App (App.tsx:4:11)\n    at renderWithHooks (http://server/npm/react-dom.js:1:2)",
  });
  assert.deepEqual(mapStack(`The requested module '${url}' does not provide an export named 'x'`, table), {
    text: "The requested module 'App.tsx' does not provide an export named 'x'",
  });
});
