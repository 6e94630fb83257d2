// The lite view's highlighter: lossless, and it colours what Monaco's TypeScript grammar colours, including the inputs
// a naive tokenizer gets wrong (quotes in comments, `//` in strings, regex literals vs division, multi-line templates).
import assert from "node:assert/strict";
import { test } from "node:test";
import { tokenize } from "./highlight.js";
import { DEFAULT_ENTRY as LITE_DEFAULT_ENTRY } from "./lite-source.js";
import { DEFAULT_ENTRY } from "../../core/project.js";

const colored = (text: string) => tokenize(text).filter(([kind]) => kind).map(([kind, piece]) => `${kind}:${piece}`);

test("the pieces join back to the text, whatever it is", () => {
  for (const text of ["", "x", "const a = `unterminated\n", "/* open comment", "'open string\nnext", "a / b / c", "π = 3.14;\n\t"]) {
    assert.equal(tokenize(text).map(([, piece]) => piece).join(""), text);
  }
});

test("keywords, types, strings, numbers and comments as Monaco colours them", () => {
  assert.deepEqual(colored('import { useState } from "react";'), ["keyword:import", "keyword:from", 'string:"react"']);
  assert.deepEqual(colored("export default function App(): JSX.Element {}"), [
    "keyword:export",
    "keyword:default",
    "keyword:function",
    "type:App",
    "type:JSX",
    "type:Element",
  ]);
  assert.deepEqual(colored("const n = 0x1F + 1_000 + 2.5e3 + 10n; // sum"), [
    "keyword:const",
    "number:0x1F",
    "number:1_000",
    "number:2.5e3",
    "number:10n",
    "comment:// sum",
  ]);
  // Digits inside a name are part of the name.
  assert.deepEqual(colored("let h1 = v2;"), ["keyword:let"]);
});

test("quotes in comments, comment markers in strings, templates over lines", () => {
  assert.deepEqual(colored("// don't stop\nx"), ["comment:// don't stop"]);
  assert.deepEqual(colored('const url = "https://example.com"; /* a "quoted" */'), [
    "keyword:const",
    'string:"https://example.com"',
    'comment:/* a "quoted" */',
  ]);
  assert.deepEqual(colored("const t = `line ${1}\nline 2`;"), ["keyword:const", "string:`line ${1}\nline 2`"]);
  // An unterminated string stops at the end of its line, as in Monaco.
  assert.deepEqual(colored("'open\nreturn"), ["string:'open", "keyword:return"]);
});

test("a regular expression only where Monaco sees one; otherwise `/` divides", () => {
  assert.deepEqual(colored('s.replace(/[^a-z"]+/g, "-");'), ['regexp:/[^a-z"]+/g', 'string:"-"']);
  assert.deepEqual(colored("const half = total / 2 / count;"), ["keyword:const", "number:2"]);
});

test("the lite view's default file is core's default entry", () => {
  assert.equal(LITE_DEFAULT_ENTRY, DEFAULT_ENTRY);
});
