/**
 * What a drop writes into the open file (editor-drop.ts): the import line after the file's leading imports, a name that
 * does not clash, nothing twice; and dropped file names made into asset names.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as Y from "yjs";
import { assetTypeOfName } from "../../core/assets.js";
import { assetFileName, insertImport } from "./editor-drop.js";

function textOf(source: string): Y.Text {
  const text = new Y.Doc().getText("file");
  text.insert(0, source);
  return text;
}

test("the import goes after the leading imports, or first in a file without any", () => {
  const text = textOf(`import { useState } from "react";\nimport "./styles.css";\n\nexport default function App() {}\n`);
  insertImport(text, "logo.png");
  assert.equal(text.toString(), `import { useState } from "react";\nimport "./styles.css";\nimport logo from "./logo.png";\n\nexport default function App() {}\n`);
  const bare = textOf(`const a = 1;\nimport late from "./late";\n`);
  insertImport(bare, "img/hero-dark.webp");
  assert.equal(bare.toString(), `import imgHeroDark from "./img/hero-dark.webp";\nconst a = 1;\nimport late from "./late";\n`);
});

test("an identifier already in the file gets a number; an asset already imported is left alone", () => {
  const text = textOf(`import logo from "./old.png";\nconst logo2 = 1;\n`);
  insertImport(text, "logo.png");
  assert.match(text.toString(), /^import logo from "\.\/old\.png";\nimport logo3 from "\.\/logo\.png";\n/);
  const before = text.toString();
  insertImport(text, "logo.png");
  assert.equal(text.toString(), before);
  const digits = textOf("");
  insertImport(digits, "404.svg");
  assert.equal(digits.toString(), `import asset404 from "./404.svg";\n`);
});

test("dropped file names become asset names the server accepts", () => {
  assert.equal(assetFileName("My Logo (1).PNG"), "my-logo-1-.png");
  assert.equal(assetFileName("..hidden.png"), "hidden.png");
  assert.equal(assetFileName("Ünïcode.woff2"), "n-code.woff2");
  for (const name of ["My Logo (1).PNG", "..hidden.png", "a b.svg"]) assert.notEqual(assetTypeOfName(assetFileName(name)), null, name);
});
