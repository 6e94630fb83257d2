#!/usr/bin/env node
/**
 * core/build speed: warm median / p95 of `transpileFile` on a ~300-line TSX file, and of `ProjectBuilder.update` after a
 * one-character edit in a 10-file project (one file re-transpiled, the rest reused).
 *
 *   node --import tsx bench/transpile.mjs [--runs 300]
 *
 * Nothing listens or connects; figures go to stdout.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { ProjectBuilder, transpileFile } from "../core/build/index.ts";
import { summarize } from "./support.mjs";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 300;

/** A realistic component file: types, hooks, JSX, loops, helpers; `blocks` × ~30 lines. */
function componentFile(blocks, tag = "") {
  const lines = [
    'import { useEffect, useMemo, useState } from "react";',
    'import clsx from "clsx";',
    'import styles from "./App.module.css";',
    'import type { Item } from "./types";',
    "",
  ];
  for (let i = 0; i < blocks; i++) {
    lines.push(
      `export interface Row${i}Props {`,
      "  items: Item[];",
      "  selected?: string;",
      "  onSelect(id: string): void;",
      "}",
      "",
      `export function Row${i}({ items, selected, onSelect }: Row${i}Props) {`,
      "  const [filter, setFilter] = useState<string>(\"\");",
      "  const visible = useMemo(() => items.filter((item) => item.name.includes(filter)), [items, filter]);",
      "  useEffect(() => {",
      "    let total = 0;",
      "    for (const item of visible) total += item.name.length;",
      `    document.title = \`${tag}row ${i}: \${total}\`;`,
      "  }, [visible]);",
      "  return (",
      "    <section className={clsx(styles.row, selected && styles.selected)}>",
      "      <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder=\"Filter\" />",
      "      <ul>",
      "        {visible.map((item) => (",
      "          <li key={item.id} onClick={() => onSelect(item.id)} className={item.id === selected ? \"on\" : undefined}>",
      "            {item.name} <small>{item.id}</small>",
      "          </li>",
      "        ))}",
      "      </ul>",
      "    </section>",
      "  );",
      "}",
      "",
      `const weight${i} = (xs: number[]): number => { let w = 0; let k = 0; while (k < xs.length) w += xs[k++]!; return w; };`,
      `export { weight${i} };`,
    );
  }
  return lines.join("\n");
}

function stats(samples) {
  const { p50, p95, count } = summarize(samples);
  return `median ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (n=${count})`;
}

function measure(label, fn, warmup = 50) {
  for (let i = 0; i < warmup; i++) fn(i);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn(warmup + i);
    samples.push(performance.now() - started);
  }
  console.log(`${label.padEnd(52)} ${stats(samples)}`);
}

console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, load ${os.loadavg()[0].toFixed(2)}`);

const big = componentFile(10);
console.log(`transpileFile input: ${big.split("\n").length} lines, ${big.length} chars`);
measure("transpileFile (300-line TSX)", (i) => {
  // A different comment each run, so no layer below can serve a cached answer.
  const outcome = transpileFile("App.tsx", big + `\n// ${i}`);
  if (outcome.error) throw new Error(outcome.error.message);
});

const files = { "index.tsx": 'import { Row0 } from "./components/C0";\nexport const app = <Row0 items={[]} onSelect={() => {}} />;\n', "components/App.module.css": ".row{}.selected{}", "components/types.ts": "export interface Item { id: string; name: string }" };
for (let f = 0; f < 7; f++) files[`components/C${f}.tsx`] = componentFile(1, `c${f} `);
console.log(`project: ${Object.keys(files).length} files, ${Object.values(files).reduce((n, t) => n + t.split("\n").length, 0)} lines`);
const builder = new ProjectBuilder();
builder.update(files);
let before = builder.transpileCount;
measure("ProjectBuilder.update after a one-character edit", (i) => {
  const result = builder.update({ ...files, "components/C3.tsx": files["components/C3.tsx"].replace("Filter", `Filter${i % 10}`) });
  if (result.errors.length) throw new Error(result.errors[0].message);
});
const perUpdate = (builder.transpileCount - before) / (runs + 50);
console.log(`files transpiled per update: ${perUpdate.toFixed(2)}`);
before = builder.transpileCount;
measure("ProjectBuilder.update, nothing changed", () => builder.update({ ...files }));
console.log(`files transpiled per no-op update: ${((builder.transpileCount - before) / (runs + 50)).toFixed(2)}`);
