import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as Y from "yjs";
import { applyAssistantEdits, parseEdits, undoAssistantEdits } from "./edits.js";
import { fileText, filesOf, readFiles, seedFiles, writeFile } from "./project.js";

const F = "```";

function docWith(files: Record<string, string>): Y.Doc {
  const doc = new Y.Doc();
  seedFiles(doc, files);
  return doc;
}

function editBlock(file: string, ...hunks: [string, string][]): string {
  const body = hunks.map(([s, r]) => `<<<<<<< SEARCH\n${s}=======\n${r}>>>>>>> REPLACE\n`).join("");
  return `${F}edit:${file}\n${body}${F}\n`;
}

describe("parseEdits", () => {
  test("a reply without edit blocks has no edits", () => {
    assert.deepEqual(parseEdits(""), []);
    assert.deepEqual(parseEdits("Just text.\n\n```tsx\nconst a = 1;\n```\n"), []);
  });

  test("search/replace and whole-file blocks, several per reply, in order", () => {
    const reply = [
      "Here you go:",
      "",
      editBlock("index.tsx", ["<b>Save</b>\n", "<b>Send</b>\n"], ["a()\n", ""]),
      "And the styles:",
      `${F}file:styles.css`,
      "button { color: red; }",
      F,
      "Done.",
    ].join("\n");
    assert.deepEqual(parseEdits(reply), [
      { kind: "replace", file: "index.tsx", search: "<b>Save</b>\n", replace: "<b>Send</b>\n" },
      { kind: "replace", file: "index.tsx", search: "a()\n", replace: "" },
      { kind: "file", file: "styles.css", content: "button { color: red; }\n" },
    ]);
  });

  test("CRLF, trailing spaces and marker variations are tolerated", () => {
    const reply = `${F}edit:app/main.ts  \r\n<<<<<<< SEARCH \r\nold\r\n======= \r\nnew\r\n>>>>>>>  REPLACE\r\n${F} \r\n`;
    assert.deepEqual(parseEdits(reply), [{ kind: "replace", file: "app/main.ts", search: "old\n", replace: "new\n" }]);
  });

  test("info-string variations name the file", () => {
    assert.deepEqual(
      parseEdits(`${F}tsx edit:"App.tsx"\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n${F}\n`).map((e) => e.file),
      ["App.tsx"],
    );
    assert.deepEqual(parseEdits(`${F}FILE: a.css\nx\n${F}\n`), [{ kind: "file", file: "a.css", content: "x\n" }]);
    assert.deepEqual(parseEdits(`~~~file:a.css\nx\n~~~\n`), [{ kind: "file", file: "a.css", content: "x\n" }]);
  });

  test("a missing final fence still yields the edits", () => {
    assert.deepEqual(parseEdits(`${F}file:a.txt\nline 1\nline 2`), [{ kind: "file", file: "a.txt", content: "line 1\nline 2\n" }]);
    assert.deepEqual(parseEdits(`${F}edit:a.txt\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE`), [
      { kind: "replace", file: "a.txt", search: "x\n", replace: "y\n" },
    ]);
  });

  test("a section cut off before its end is dropped", () => {
    assert.deepEqual(parseEdits(`${F}edit:a.txt\n<<<<<<< SEARCH\nx\n`), []);
    assert.deepEqual(parseEdits(`${F}edit:a.txt\n<<<<<<< SEARCH\nx\n=======\ny`), []);
    const first = editBlock("a.txt", ["1\n", "2\n"]);
    assert.equal(parseEdits(first + `${F}edit:b.txt\n<<<<<<< SEARCH\nx\n=======\n`).length, 1);
  });

  test("a forgotten REPLACE marker is closed by the fence", () => {
    assert.deepEqual(parseEdits(`${F}edit:a.txt\n<<<<<<< SEARCH\nx\n=======\ny\n${F}\nafter`), [
      { kind: "replace", file: "a.txt", search: "x\n", replace: "y\n" },
    ]);
  });

  test("fences inside SEARCH/REPLACE are code, and longer fences wrap files with fences", () => {
    const md = "# Title\n```js\nlet a;\n```\n";
    const reply = `${F}edit:README.md\n<<<<<<< SEARCH\n${md}=======\n${md.replace("a", "b")}>>>>>>> REPLACE\n${F}\n`;
    assert.deepEqual(parseEdits(reply), [{ kind: "replace", file: "README.md", search: md, replace: md.replace("a", "b") }]);
    assert.deepEqual(parseEdits(`\`\`\`\`file:README.md\n${md}\`\`\`\`\n`), [{ kind: "file", file: "README.md", content: md }]);
  });

  test("edit blocks quoted inside ordinary code blocks are examples, not edits", () => {
    const reply = `To change a file I would write:\n\n\`\`\`\`md\n${F}file:a.css\nx\n${F}\n\`\`\`\`\n\n${F}ts\nconst file: string = "";\n${F}\n${F}file:b.css\ny\n${F}\n`;
    assert.deepEqual(parseEdits(reply), [{ kind: "file", file: "b.css", content: "y\n" }]);
  });

  test("an empty file block and an empty REPLACE", () => {
    assert.deepEqual(parseEdits(`${F}file:empty.txt\n${F}\n`), [{ kind: "file", file: "empty.txt", content: "" }]);
    assert.deepEqual(parseEdits(editBlock("a", ["gone\n", ""])), [{ kind: "replace", file: "a", search: "gone\n", replace: "" }]);
  });
});

describe("applyAssistantEdits", () => {
  test("applies search/replace hunks and whole files, returning before and after", () => {
    const doc = docWith({ "index.tsx": "const a = 1;\nconst b = 2;\nconst c = 3;\n", "styles.css": "body {}\n" });
    const reply = editBlock("index.tsx", ["const a = 1;\n", "const a = 10;\n"], ["const c = 3;\n", "const c = 30;\n"]) +
      `${F}file:styles.css\nbody { margin: 0; }\n${F}\n${F}file:new/util.ts\nexport const x = 1;\n${F}\n`;
    const applied = applyAssistantEdits(doc, parseEdits(reply), "ai");
    assert.deepEqual(readFiles(doc), {
      "index.tsx": "const a = 10;\nconst b = 2;\nconst c = 30;\n",
      "new/util.ts": "export const x = 1;\n",
      "styles.css": "body { margin: 0; }\n",
    });
    assert.deepEqual(applied, [
      { file: "index.tsx", before: "const a = 1;\nconst b = 2;\nconst c = 3;\n", after: "const a = 10;\nconst b = 2;\nconst c = 30;\n" },
      { file: "styles.css", before: "body {}\n", after: "body { margin: 0; }\n" },
      { file: "new/util.ts", before: "", after: "export const x = 1;\n", created: true },
    ]);
  });

  test("all edits land in one transaction with the given origin", () => {
    const doc = docWith({ "a.ts": "1\n", "b.ts": "2\n" });
    const origins: unknown[] = [];
    doc.on("afterTransaction", (tr: Y.Transaction) => origins.push(tr.origin));
    const origin = { assistantMessage: "m1" };
    applyAssistantEdits(doc, parseEdits(editBlock("a.ts", ["1\n", "one\n"]) + editBlock("b.ts", ["2\n", "two\n"])), origin);
    assert.deepEqual(origins, [origin]);
  });

  test("a reply with no edits changes nothing", () => {
    const doc = docWith({ "a.ts": "1\n" });
    let updates = 0;
    doc.on("update", () => updates++);
    assert.deepEqual(applyAssistantEdits(doc, parseEdits("Nothing to change."), "ai"), []);
    assert.equal(updates, 0);
  });

  test("a SEARCH that is not found fails alone; the others apply", () => {
    const doc = docWith({ "a.ts": "keep\nchange me\n", "b.ts": "b\n" });
    const reply = editBlock("a.ts", ["missing\n", "x\n"], ["change me\n", "changed\n"]) + editBlock("b.ts", ["nope\n", "y\n"]);
    const applied = applyAssistantEdits(doc, parseEdits(reply), "ai");
    assert.deepEqual(readFiles(doc), { "a.ts": "keep\nchanged\n", "b.ts": "b\n" });
    assert.equal(applied[0]!.after, "keep\nchanged\n");
    assert.equal(applied[0]!.failed?.length, 1);
    assert.match(applied[0]!.failed![0]!, /not found in a\.ts: missing/);
    assert.deepEqual({ ...applied[1], failed: undefined }, { file: "b.ts", before: "b\n", after: "b\n", failed: undefined });
    assert.equal(applied[1]!.failed?.length, 1);
  });

  test("bad file names and unknown files are reported, not written", () => {
    const doc = docWith({ "a.ts": "1\n" });
    const applied = applyAssistantEdits(doc, parseEdits(`${F}file:../etc/passwd\nx\n${F}\n` + editBlock("ghost.ts", ["x\n", "y\n"])), "ai");
    assert.deepEqual(readFiles(doc), { "a.ts": "1\n" });
    assert.equal(filesOf(doc).size, 1);
    assert.match(applied[0]!.failed![0]!, /not a valid file name/);
    assert.match(applied[1]!.failed![0]!, /does not exist/);
    assert.equal(applied[0]!.created, undefined);
    assert.deepEqual(undoAssistantEdits(doc, applied, "undo"), { undone: [], conflicts: [] });
  });

  test("an empty SEARCH creates a new file but is refused in a non-empty one", () => {
    const doc = docWith({ "a.ts": "1\n" });
    const applied = applyAssistantEdits(doc, parseEdits(editBlock("new.ts", ["", "hello\n"]) + editBlock("a.ts", ["", "2\n"])), "ai");
    assert.deepEqual(readFiles(doc), { "a.ts": "1\n", "new.ts": "hello\n" });
    assert.equal(applied[0]!.created, true);
    assert.match(applied[1]!.failed![0]!, /empty SEARCH/);
  });

  test("later hunks see earlier ones in the same file", () => {
    const doc = docWith({ "a.ts": "x\n" });
    applyAssistantEdits(doc, parseEdits(editBlock("a.ts", ["x\n", "y\n"], ["y\n", "z\n"])), "ai");
    assert.equal(readFiles(doc)["a.ts"], "z\n");
  });

  test("a match at the start of a line wins over one inside a line; partial-line SEARCH still works", () => {
    const doc = docWith({ "a.ts": "ab();\nb();\nlet color = 1;\n" });
    applyAssistantEdits(doc, parseEdits(editBlock("a.ts", ["b();\n", "c();\n"])), "ai");
    assert.equal(readFiles(doc)["a.ts"], "ab();\nc();\nlet color = 1;\n");
    applyAssistantEdits(doc, [{ kind: "replace", file: "a.ts", search: "color = 1", replace: "color = 2" }], "ai");
    assert.equal(readFiles(doc)["a.ts"], "ab();\nc();\nlet color = 2;\n");
  });

  test("only the first occurrence is replaced", () => {
    const doc = docWith({ "a.ts": "dup\ndup\n" });
    applyAssistantEdits(doc, parseEdits(editBlock("a.ts", ["dup\n", "one\n"])), "ai");
    assert.equal(readFiles(doc)["a.ts"], "one\ndup\n");
  });

  test("fallback: trailing whitespace differs", () => {
    const doc = docWith({ "a.ts": "if (x) {   \n  go();\n}\n" });
    const applied = applyAssistantEdits(doc, parseEdits(editBlock("a.ts", ["if (x) {\n  go();\n}\n", "if (y) {\n  go();\n}\n"])), "ai");
    assert.equal(readFiles(doc)["a.ts"], "if (y) {\n  go();\n}\n");
    assert.equal(applied[0]!.failed, undefined);
  });

  test("fallback: indentation differs, and the replacement is re-indented", () => {
    const doc = docWith({ "a.ts": "function f() {\n    if (a) {\n        b();\n    }\n}\n" });
    applyAssistantEdits(doc, parseEdits(editBlock("a.ts", ["if (a) {\n    b();\n}\n", "if (a) {\n    c();\n    d();\n}\n"])), "ai");
    assert.equal(readFiles(doc)["a.ts"], "function f() {\n    if (a) {\n        c();\n        d();\n    }\n}\n");
    const doc2 = docWith({ "a.ts": "x();\ny();\n" });
    applyAssistantEdits(doc2, parseEdits(editBlock("a.ts", ["  x();\n", "  z();\n"])), "ai");
    assert.equal(readFiles(doc2)["a.ts"], "z();\ny();\n", "extra indentation in SEARCH is removed from REPLACE");
  });

  test("fallback: a file without a final newline and blank lines around SEARCH", () => {
    const doc = docWith({ "a.ts": "a\nlast" });
    applyAssistantEdits(doc, parseEdits(editBlock("a.ts", ["\nlast\n\n", "final\n"])), "ai");
    assert.equal(readFiles(doc)["a.ts"], "a\nfinal");
  });

  test("a CRLF file is matched and keeps its line endings", () => {
    const doc = docWith({ "a.ts": "one\r\ntwo\r\nthree\r\n" });
    applyAssistantEdits(doc, parseEdits(editBlock("a.ts", ["two\n", "2\n"])), "ai");
    assert.equal(readFiles(doc)["a.ts"], "one\r\n2\r\nthree\r\n");
  });

  test("people typing elsewhere in the same file keep their text", () => {
    const ai = docWith({ "a.ts": "top\n" + "middle\n".repeat(5) + "bottom\n" });
    const human = new Y.Doc();
    Y.applyUpdate(human, Y.encodeStateAsUpdate(ai));
    // Concurrently: the human types between the two hunks, the assistant edits the top and the bottom.
    const humanText = fileText(human, "a.ts");
    humanText.insert(humanText.toString().indexOf("middle") + 3, "HUMAN");
    applyAssistantEdits(ai, parseEdits(editBlock("a.ts", ["top\n", "TOP\n"], ["bottom\n", "BOTTOM\n"])), "ai");
    Y.applyUpdate(ai, Y.encodeStateAsUpdate(human));
    Y.applyUpdate(human, Y.encodeStateAsUpdate(ai));
    const expected = "TOP\nmidHUMANdle\n" + "middle\n".repeat(4) + "BOTTOM\n";
    assert.equal(readFiles(ai)["a.ts"], expected);
    assert.equal(readFiles(human)["a.ts"], expected);
  });

  test("hunks touch only the characters that change", () => {
    const doc = docWith({ "a.ts": "const color = 'blue';\n" });
    const deltas: unknown[] = [];
    fileText(doc, "a.ts").observe((event) => deltas.push(...event.delta));
    applyAssistantEdits(doc, parseEdits(editBlock("a.ts", ["const color = 'blue';\n", "const color = 'red';\n"])), "ai");
    assert.deepEqual(deltas, [{ retain: 15 }, { delete: 4 }, { insert: "red" }]);
  });
});

describe("undoAssistantEdits", () => {
  test("restores changed files and deletes created ones, in one transaction", () => {
    const doc = docWith({ "a.ts": "1\n", "b.ts": "2\n" });
    const applied = applyAssistantEdits(doc, parseEdits(editBlock("a.ts", ["1\n", "one\n"]) + `${F}file:c.ts\nnew\n${F}\n`), "ai");
    const origins: unknown[] = [];
    doc.on("afterTransaction", (tr: Y.Transaction) => origins.push(tr.origin));
    assert.deepEqual(undoAssistantEdits(doc, applied, "undo"), { undone: ["a.ts", "c.ts"], conflicts: [] });
    assert.deepEqual(readFiles(doc), { "a.ts": "1\n", "b.ts": "2\n" });
    assert.deepEqual(origins, ["undo"]);
  });

  test("a file changed since is a conflict and left alone", () => {
    const doc = docWith({ "a.ts": "1\n", "b.ts": "2\n" });
    const applied = applyAssistantEdits(doc, parseEdits(editBlock("a.ts", ["1\n", "one\n"]) + editBlock("b.ts", ["2\n", "two\n"])), "ai");
    writeFile(doc, "b.ts", "two!\n", "human");
    assert.deepEqual(undoAssistantEdits(doc, applied, "undo"), { undone: ["a.ts"], conflicts: ["b.ts"] });
    assert.deepEqual(readFiles(doc), { "a.ts": "1\n", "b.ts": "two!\n" });
  });

  test("undoing twice: the second time everything is a conflict", () => {
    const doc = docWith({ "a.ts": "1\n" });
    const applied = applyAssistantEdits(doc, parseEdits(editBlock("a.ts", ["1\n", "one\n"])), "ai");
    undoAssistantEdits(doc, applied, "undo");
    assert.deepEqual(undoAssistantEdits(doc, applied, "undo"), { undone: [], conflicts: ["a.ts"] });
    assert.equal(readFiles(doc)["a.ts"], "1\n");
  });

  test("a created file someone deleted is a conflict", () => {
    const doc = docWith({ "a.ts": "1\n" });
    const applied = applyAssistantEdits(doc, parseEdits(`${F}file:c.ts\nnew\n${F}\n`), "ai");
    filesOf(doc).delete("c.ts");
    assert.deepEqual(undoAssistantEdits(doc, applied, "undo"), { undone: [], conflicts: ["c.ts"] });
  });

  test("the applied list survives JSON (as stored on the message)", () => {
    const doc = docWith({ "a.ts": "1\n" });
    const applied = JSON.parse(JSON.stringify(applyAssistantEdits(doc, parseEdits(`${F}file:a.ts\n2\n${F}\n`), "ai")));
    assert.deepEqual(undoAssistantEdits(doc, applied, "undo"), { undone: ["a.ts"], conflicts: [] });
    assert.equal(readFiles(doc)["a.ts"], "1\n");
  });
});

describe("undo of a deleted file (an agent's delete_file)", () => {
  test("brings the file back with its text while the name is free, and is a conflict once someone recreated it", () => {
    const doc = docWith({ "a.css": "body { color: red; }\n", "index.tsx": "x" });
    const before = readFiles(doc)["a.css"]!;
    filesOf(doc).delete("a.css");
    assert.equal("a.css" in readFiles(doc), false);
    const applied = [{ file: "a.css", before, after: "", deleted: true }];
    assert.deepEqual(undoAssistantEdits(doc, applied), { undone: ["a.css"], conflicts: [] });
    assert.equal(readFiles(doc)["a.css"], before);

    filesOf(doc).delete("a.css");
    writeFile(doc, "a.css", "someone else's\n");
    assert.deepEqual(undoAssistantEdits(doc, applied), { undone: [], conflicts: ["a.css"] });
    assert.equal(readFiles(doc)["a.css"], "someone else's\n");
  });
});
