/**
 * The playground re-exports every part of the elements inside it: each `@csspart` in custom-elements.json (generated from
 * the elements' docs) appears in its `exportparts` under the element's prefix, so a part added to an element and not to
 * the playground's list fails here.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { exportParts } from "./playground-sources.js";

const manifest = JSON.parse(readFileSync("custom-elements.json", "utf8"));
const parts = (tag: string): string[] =>
  manifest.modules.flatMap((m: any) => m.declarations ?? []).find((d: any) => d.tagName === tag).cssParts.map((p: any) => p.name);

test("every documented part of the tabs, editor, preview, console, chat and versions is re-exported with its prefix", () => {
  for (const element of ["tabs", "editor", "preview", "console", "chat", "versions"] as const) {
    const exported = exportParts(element).split(", ");
    const documented = parts(`spike-${element}`);
    assert.ok(documented.length > 0, `spike-${element} documents its parts`);
    for (const part of documented) assert.ok(exported.includes(`${part}:${element}-${part}`), `${element}'s part "${part}" is re-exported`);
  }
});
