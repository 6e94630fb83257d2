import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as Y from "yjs";
import {
  FileOperationError,
  addFile,
  deleteFile,
  entryOf,
  fileFlags,
  fileNameProblem,
  filesOf,
  readFiles,
  renameFile,
  renamedTo,
  seedFiles,
  setFileFlags,
} from "./project.js";

function docWith(files: Record<string, string>): Y.Doc {
  const doc = new Y.Doc();
  seedFiles(doc, files);
  return doc;
}

/** Two docs that exchange every update, as two collaborators in a room do. */
function pair(files: Record<string, string>): [Y.Doc, Y.Doc] {
  const a = docWith(files);
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  a.on("update", (update: Uint8Array, origin: unknown) => origin !== "remote" && Y.applyUpdate(b, update, "remote"));
  b.on("update", (update: Uint8Array, origin: unknown) => origin !== "remote" && Y.applyUpdate(a, update, "remote"));
  return [a, b];
}

describe("file names", () => {
  test("a good new name has no problem; empty, malformed, too long and taken names each say why", () => {
    const doc = docWith({ "index.tsx": "" });
    assert.equal(fileNameProblem(doc, "lib/util.ts"), null);
    assert.match(fileNameProblem(doc, "")!, /Type a file name/);
    assert.match(fileNameProblem(doc, "   ")!, /Type a file name/);
    assert.match(fileNameProblem(doc, "../etc/passwd")!, /is not a file name/);
    assert.match(fileNameProblem(doc, "a b.ts")!, /is not a file name/);
    assert.match(fileNameProblem(doc, "/abs.ts")!, /is not a file name/);
    assert.match(fileNameProblem(doc, `${"x".repeat(126)}.ts`)!, /at most 128/);
    assert.equal(fileNameProblem(doc, "index.tsx"), 'A file named "index.tsx" already exists');
  });
});

describe("addFile", () => {
  test("adds a file with its text in one transaction, seen by a collaborator", () => {
    const [a, b] = pair({ "index.tsx": "x\n" });
    let transactions = 0;
    a.on("afterTransaction", () => transactions++);
    addFile(a, "util.ts", "export const two = 2;\n");
    assert.equal(transactions, 1);
    assert.deepEqual(readFiles(b), { "index.tsx": "x\n", "util.ts": "export const two = 2;\n" });
  });

  test("refuses a bad or taken name and changes nothing", () => {
    const doc = docWith({ "index.tsx": "x\n" });
    assert.throws(() => addFile(doc, "index.tsx"), (e: Error) => e instanceof FileOperationError && /already exists/.test(e.message));
    assert.throws(() => addFile(doc, "../x.ts"), FileOperationError);
    assert.throws(() => addFile(doc, ""), FileOperationError);
    assert.deepEqual(readFiles(doc), { "index.tsx": "x\n" });
  });
});

describe("renameFile", () => {
  test("keeps the text, the flags and the entry; a collaborator sees one change", () => {
    const [a, b] = pair({ "index.tsx": "import './util';\n", "util.ts": "export {};\n" });
    setFileFlags(a, "index.tsx", { readonly: true });
    const seen: (string | undefined)[][] = [];
    filesOf(b).observe((event) => seen.push([renamedTo(event, "index.tsx"), renamedTo(event, "util.ts")]));
    renameFile(a, "index.tsx", "main.tsx");
    assert.deepEqual(readFiles(b), { "main.tsx": "import './util';\n", "util.ts": "export {};\n" });
    assert.equal(entryOf(b), "main.tsx");
    assert.deepEqual(fileFlags(b), { "main.tsx": { hidden: false, readonly: true } });
    assert.deepEqual(seen, [["main.tsx", undefined]]);
  });

  test("the renamed file is a fresh Y.Text that edits like any other", () => {
    const [a, b] = pair({ "index.tsx": "", "a.ts": "one\n" });
    const before = filesOf(a).get("a.ts");
    renameFile(a, "a.ts", "b.ts");
    assert.notEqual(filesOf(a).get("b.ts"), before);
    filesOf(b).get("b.ts")!.insert(0, "zero\n");
    assert.equal(readFiles(a)["b.ts"], "zero\none\n");
  });

  test("refuses a missing file, a bad name or a taken name and changes nothing; the same name is a no-op", () => {
    const doc = docWith({ "index.tsx": "x\n", "a.ts": "a\n" });
    assert.throws(() => renameFile(doc, "nope.ts", "b.ts"), /There is no file named "nope.ts"/);
    assert.throws(() => renameFile(doc, "a.ts", "index.tsx"), /already exists/);
    assert.throws(() => renameFile(doc, "a.ts", "a b.ts"), /is not a file name/);
    renameFile(doc, "a.ts", "a.ts");
    assert.deepEqual(readFiles(doc), { "a.ts": "a\n", "index.tsx": "x\n" });
  });
});

describe("deleteFile", () => {
  test("removes the file and its flags; a collaborator sees it gone, and no rename is reported", () => {
    const [a, b] = pair({ "index.tsx": "x\n", "old.ts": "o\n" });
    setFileFlags(a, "old.ts", { hidden: true });
    const seen: (string | undefined)[] = [];
    filesOf(b).observe((event) => seen.push(renamedTo(event, "old.ts")));
    deleteFile(a, "old.ts");
    assert.deepEqual(readFiles(b), { "index.tsx": "x\n" });
    assert.deepEqual(fileFlags(b), {});
    assert.deepEqual(seen, [undefined]);
  });

  test("refuses the entry file and a missing file", () => {
    const doc = docWith({ "index.tsx": "x\n" });
    assert.throws(() => deleteFile(doc, "index.tsx"), /entry file and cannot be deleted/);
    assert.throws(() => deleteFile(doc, "gone.ts"), /There is no file named/);
    assert.deepEqual(readFiles(doc), { "index.tsx": "x\n" });
  });
});

describe("file flags", () => {
  test("set, cleared and read per file; values that are not `true`, unknown flags and bad names are ignored", () => {
    const doc = docWith({ "index.tsx": "" });
    setFileFlags(doc, "secret.ts", { hidden: true, readonly: true });
    setFileFlags(doc, "index.tsx", { readonly: true });
    setFileFlags(doc, "secret.ts", { readonly: false });
    const meta = doc.getMap<unknown>("meta");
    meta.set("hidden:x.ts", "yes");
    meta.set("bold:index.tsx", true);
    meta.set("hidden:../up.ts", true);
    meta.set("entry", "index.tsx");
    assert.deepEqual(fileFlags(doc), {
      "secret.ts": { hidden: true, readonly: false },
      "index.tsx": { hidden: false, readonly: true },
    });
  });
});
