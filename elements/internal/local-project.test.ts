import assert from "node:assert/strict";
import { test } from "node:test";
import * as Y from "yjs";
import { filesOf, readFiles } from "../../core/project.js";
import { dedent, seedRoom, sharedFileText } from "./local-project.js";

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

test("two editors seeding the same empty room at once keep one copy", () => {
  const a = new Y.Doc();
  const b = new Y.Doc();
  seedRoom(a, { "index.tsx": "hello\n" });
  seedRoom(b, { "index.tsx": "hello\n" });
  sync(a, b);
  assert.deepEqual(readFiles(a), { "index.tsx": "hello\n" });
  assert.deepEqual(readFiles(b), { "index.tsx": "hello\n" });
});

test("different seeds racing resolve to the same winner everywhere", () => {
  const a = new Y.Doc();
  const b = new Y.Doc();
  seedRoom(a, { "index.tsx": "from a\n" });
  seedRoom(b, { "index.tsx": "from b\n" });
  sync(a, b);
  assert.deepEqual(readFiles(a), readFiles(b));
  assert.equal(Object.keys(readFiles(a)).length, 1);
});

test("a room emptied after a seed can be seeded again with the same files", () => {
  const room = new Y.Doc();
  seedRoom(room, { "index.tsx": "hello\n" });
  filesOf(room).delete("index.tsx");
  assert.deepEqual(readFiles(room), {});
  seedRoom(room, { "index.tsx": "hello\n" });
  assert.deepEqual(readFiles(room), { "index.tsx": "hello\n" });
});

test("a room with files is left alone", () => {
  const room = new Y.Doc();
  seedRoom(room, { "a.ts": "1\n" });
  seedRoom(room, { "b.ts": "2\n" });
  assert.deepEqual(readFiles(room), { "a.ts": "1\n" });
});

test("dedent strips shared indentation and surrounding blank lines", () => {
  assert.equal(dedent("\n    a\n      b\n\n    c\n  "), "a\n  b\n\nc\n");
  assert.equal(dedent("   \n  "), "");
});

test("elements naming the same local project share one doc, seeded by the first non-empty seed, freed by the last release", async () => {
  const { acquireLocalProject } = await import("./local-project.js");
  const editor = acquireLocalProject("shared-test", {});
  const preview = acquireLocalProject("shared-test", { "index.tsx": "seeded\n" });
  const late = acquireLocalProject("shared-test", { "index.tsx": "ignored\n" });
  assert.equal(editor.doc, preview.doc);
  assert.deepEqual(readFiles(editor.doc), { "index.tsx": "seeded\n" });
  const other = acquireLocalProject("other-test", {});
  assert.notEqual(other.doc, editor.doc);
  for (const lease of [editor, preview, late]) lease.release();
  assert.equal(editor.doc.isDestroyed, true);
  const fresh = acquireLocalProject("shared-test", {});
  assert.notEqual(fresh.doc, editor.doc);
  fresh.release();
  other.release();
});

test("two editors opening a missing file at once type into the same Y.Text", () => {
  const a = new Y.Doc();
  const b = new Y.Doc();
  sharedFileText(a, "index.tsx").insert(0, "from a\n");
  sharedFileText(b, "index.tsx").insert(0, "from b\n");
  sync(a, b);
  const text = readFiles(a)["index.tsx"]!;
  assert.deepEqual(readFiles(b), readFiles(a));
  assert.ok(text.includes("from a\n") && text.includes("from b\n"), text);
  // An existing file is returned as is.
  assert.equal(sharedFileText(a, "index.tsx"), filesOf(a).get("index.tsx"));
});

test("a file created this way next to other files, after edits elsewhere, still converges", () => {
  const a = new Y.Doc();
  seedRoom(a, { "a.ts": "1\n" });
  const b = new Y.Doc();
  sync(a, b);
  sharedFileText(a, "a.ts").insert(0, "// a\n");
  sharedFileText(a, "new.ts").insert(0, "x");
  sharedFileText(b, "new.ts").insert(0, "y");
  sync(a, b);
  assert.deepEqual(readFiles(a), readFiles(b));
  assert.equal(readFiles(a)["new.ts"]!.length, 2);
});
