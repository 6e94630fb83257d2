#!/usr/bin/env node
/**
 * Transpiler Worker timings: cold (a fresh workerd, so the first request pays for esbuild-wasm's initialization) and warm,
 * for `POST /api/transpile` (one 300-line TSX file) and `POST /api/bundle` (an 8-file project with CSS and JSON), plus
 * `GET /live/<room>/index.js` through the main Worker, KV miss vs hit. Prints figures; asserts nothing.
 *
 *   node --import tsx bench/transpiler.mjs [--cold 3] [--warm 100]
 *
 * Times are measured in node around each HTTP request to 127.0.0.1 (so they include wrangler's dev proxy hop).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { unstable_startWorker } from "wrangler";
import { roomRoutes, roomUrl } from "../core/api.ts";
import { RoomHttp } from "../core/room-http.ts";
import { summarize, useLocalWranglerState } from "./support.mjs";

useLocalWranglerState();
const { values } = parseArgs({ options: { cold: { type: "string", default: "3" }, warm: { type: "string", default: "100" } } });
const COLD = Number(values.cold);
const WARM = Number(values.warm);
const config = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const DEV = { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, persist: false, watch: false, logLevel: "warn" };

/** A 300-line TSX component: types, hooks, JSX, a list. */
function bigTsx(lines = 300) {
  const out = ['import { useState } from "react";', "type Row = { id: number; label: string; done: boolean };"];
  out.push("export default function App() {", "  const [rows, setRows] = useState<Row[]>([]);");
  while (out.length < lines - 8) {
    const i = out.length;
    out.push(`  const handler${i} = (row: Row): Row => ({ ...row, label: \`row ${i}: \${row.label}\`, done: !row.done });`);
    out.push(`  const view${i} = <li key={${i}} className="row-${i}" onClick={() => setRows(rows.map(handler${i}))}>{rows.length + ${i}}</li>;`);
  }
  out.push("  return (", "    <ul>", "      {rows.map((r) => <li key={r.id}>{r.label}</li>)}", "    </ul>", "  );", "}");
  return out.join("\n");
}

const PROJECT = {
  "index.tsx": 'import "./styles.css";\nimport App from "./App";\nimport { createRoot } from "react-dom/client";\ncreateRoot(document.getElementById("root")!).render(<App />);\n',
  "App.tsx": 'import Counter from "./components/Counter";\nimport List from "./components/List";\nimport data from "./data.json";\nexport default function App() { return <main><Counter /><List items={data.items} /></main>; }\n',
  "components/Counter.tsx": 'import { useState } from "react";\nimport "./Counter.css";\nexport default function Counter() { const [n, setN] = useState(0); return <button className="counter" onClick={() => setN(n + 1)}>{n}</button>; }\n',
  "components/List.tsx": 'import { format } from "../lib/format";\nexport default function List({ items }: { items: string[] }) { return <ul>{items.map((item) => <li key={item}>{format(item)}</li>)}</ul>; }\n',
  "components/Counter.css": ".counter { font: inherit; padding: 0.5rem 1rem; border-radius: 8px; }\n",
  "lib/format.ts": "export const format = (s: string): string => s.trim().toUpperCase();\n",
  "styles.css": "body { margin: 0; font-family: system-ui, sans-serif; }\nmain { display: grid; gap: 1rem; }\n",
  "data.json": JSON.stringify({ items: ["one", "two", "three"] }),
};
const IMPORTS = { react: "https://h.test/npm/react.js", "react/jsx-runtime": "https://h.test/npm/jsx.js", "react-dom/client": "https://h.test/npm/client.js" };
const TRANSPILE_BODY = JSON.stringify({ file: "App.tsx", code: bigTsx() });
const BUNDLE_BODY = JSON.stringify({ files: PROJECT, entry: "index.tsx", imports: IMPORTS });

async function timed(url, init) {
  const started = performance.now();
  const response = await fetch(url, init);
  const body = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${body}`);
  return { ms, response };
}
const post = (url, body) => ({ method: "POST", headers: { "content-type": "application/json" }, body });

function summary(samples) {
  const { count, p50, p95, min, max } = summarize(samples);
  return `n=${count} p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  min ${min.toFixed(1)} ms  max ${max.toFixed(1)} ms`;
}

/** A dev registry directory per main+transpiler pair, so a binding can only ever resolve to the Worker started with it. */
const registries = [];
function freshRegistry() {
  registries.push(mkdtempSync(join(tmpdir(), "spike-bench-registry-")));
  return registries.at(-1);
}
process.once("exit", () => registries.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function withWorker(options, run, registry = freshRegistry()) {
  const worker = await unstable_startWorker({ sendMetrics: false, ...options, dev: { ...DEV, registry } });
  try {
    await worker.ready;
    return await run(await worker.url);
  } finally {
    await worker.dispose();
  }
}
const transpilerWorker = (run, registry) => withWorker({ config: config("workers/transpiler/wrangler.jsonc") }, run, registry);

const results = {};
// Cold: every sample is a fresh workerd whose first request is the one timed.
for (const [name, path, body] of [["transpile", "/api/transpile", TRANSPILE_BODY], ["bundle", "/api/bundle", BUNDLE_BODY]]) {
  const cold = [];
  for (let i = 0; i < COLD; i++) cold.push(await transpilerWorker(async (url) => (await timed(new URL(path, url), post(url, body))).ms));
  results[`${name} cold (first request, incl. wasm init)`] = cold;
}
// Warm: one worker, a few unmeasured requests first.
await transpilerWorker(async (url) => {
  for (const [name, path, body] of [["transpile", "/api/transpile", TRANSPILE_BODY], ["bundle", "/api/bundle", BUNDLE_BODY]]) {
    for (let i = 0; i < 10; i++) await timed(new URL(path, url), post(url, body));
    const warm = [];
    for (let i = 0; i < WARM; i++) warm.push((await timed(new URL(path, url), post(url, body))).ms);
    results[`${name} warm`] = warm;
  }
});
// Through the main Worker: /live/<room>/index.js, a KV miss (bundled now) vs a hit.
const assets = mkdtempSync(join(tmpdir(), "spike-bench-assets-"));
try {
  const registry = freshRegistry();
  await transpilerWorker(() =>
    withWorker({ config: config("wrangler.jsonc"), assets }, async (url) => {
      const room = new RoomHttp({ server: url.origin, room: "bench" });
      const bundle = roomUrl(url.origin, room.room, roomRoutes.bundle);
      for (const [name, text] of Object.entries(PROJECT)) await room.writeFile(name, text);
      const miss = [];
      const hit = [];
      for (let i = 0; i < Math.min(WARM, 30); i++) {
        // A comment that changes each round makes a new content hash: a miss, then hits.
        await room.writeFile("lib/format.ts", `${PROJECT["lib/format.ts"]}// ${i}\n`);
        const first = await timed(bundle);
        if (first.response.headers.get("x-spike-cache") !== "miss") throw new Error("expected a miss");
        miss.push(first.ms);
        for (let j = 0; j < 3; j++) hit.push((await timed(bundle)).ms);
      }
      results["index.js KV miss (session + bundle + KV put)"] = miss;
      results["index.js KV hit (session + KV get)"] = hit;
    }, registry),
  registry);
} finally {
  rmSync(assets, { recursive: true, force: true });
}

console.log(`transpiler Worker (esbuild-wasm in workerd), 300-line TSX / 8-file project; node ${process.version}`);
for (const [name, samples] of Object.entries(results)) if (samples.length) console.log(`${name.padEnd(48)} ${summary(samples)}`);
