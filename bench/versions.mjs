#!/usr/bin/env node
/**
 * Versions of a 50-file room: the time of `POST /live/<room>/versions` (the files written to R2, the project bundled by the
 * transpiler Worker and the bundle stored beside them), of `POST …/versions/<n>/restore` (the version read from R2 and
 * written back into the live document as one transaction), and of the restore's undo, as a client sees them over HTTP.
 * The real main Worker, CodeRoom, R2 and the transpiler Worker run under workerd (unstable_startWorker, through
 * workers/test-support.ts); everything listens on / connects to 127.0.0.1 only.
 *
 *   node --import tsx bench/versions.mjs [--files 50] [--lines 40] [--rounds 20] [--max-seconds 170] [--json]
 *
 * See bench/README.md.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { startTestWorker } from "../workers/test-support.ts";
import { onCleanup, runBench, summarize, table, useLocalWranglerState } from "./support.mjs";

const HELP = `usage: node --import tsx bench/versions.mjs [options]
  --files 50         files in the room (one entry importing all the others)
  --lines 40         lines per file
  --rounds 20        measured save / restore / undo rounds (each after a change to every file)
  --max-seconds 170  hard stop for the whole run
  --json             also print the raw samples`;

function parseArgs(argv) {
  const opts = { files: 50, lines: 40, rounds: 20, maxSeconds: 170, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const num = () => {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value < 1) throw new Error(`${flag} needs a positive number`);
      return Math.floor(value);
    };
    switch (flag) {
      case "--files": opts.files = num(); break;
      case "--lines": opts.lines = num(); break;
      case "--rounds": opts.rounds = num(); break;
      case "--max-seconds": opts.maxSeconds = num(); break;
      case "--json": opts.json = true; break;
      case "--help": console.log(HELP); process.exit(0);
      default: throw new Error(`unknown option ${flag}\n${HELP}`);
    }
  }
  return opts;
}

/** The project: `index.tsx` importing modules m1 … m49, each `lines` lines long; `round` changes one line of every file. */
function project(files, lines, round) {
  const out = {};
  const names = Array.from({ length: files - 1 }, (_, i) => `m${i + 1}`);
  out["index.tsx"] = names.map((name) => `import { ${name} } from "./${name}";`).join("\n") + `\nexport const total = [${names.join(", ")}].reduce((a, b) => a + b, 0) + ${round};\n`;
  for (const [i, name] of names.entries()) {
    const body = Array.from({ length: lines - 2 }, (_, line) => `// ${name} line ${line}: some commentary to give the file a realistic size`);
    out[`${name}.ts`] = `${body.join("\n")}\nexport const ${name} = ${i + round};\n`;
  }
  return out;
}

async function main(opts) {
  useLocalWranglerState();
  const worker = await startTestWorker({ transpiler: true, vars: { RATE_LIMIT_UPLOAD_PER_MINUTE: "100000", RATE_LIMIT_UPLOAD_BURST: "100000", VERSIONS_AUTOSAVE_SECONDS: "100000" } });
  onCleanup(() => worker.dispose());
  const url = (path) => new URL(path, worker.url);
  const room = `bench-versions-${Date.now().toString(36)}`;
  const write = async (files) => {
    for (const [name, text] of Object.entries(files)) {
      const response = await fetch(url(`/live/${room}/files/${name}`), { method: "PUT", body: text });
      if (response.status !== 200) throw new Error(`PUT ${name}: ${response.status} ${await response.text()}`);
    }
  };
  const timed = async (method, path, body) => {
    const started = performance.now();
    const response = await fetch(url(path), { method, ...(body ? { body } : {}) });
    const text = await response.text();
    const ms = performance.now() - started;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return { ms, body: JSON.parse(text) };
  };

  await write(project(opts.files, opts.lines, 0));
  const bytes = Object.values(project(opts.files, opts.lines, 0)).reduce((n, text) => n + Buffer.byteLength(text), 0);
  // Warm-up: the transpiler's first bundle initializes esbuild-wasm.
  await timed("POST", `/live/${room}/versions`, JSON.stringify({ name: "warm-up" }));

  const samples = { save: [], restore: [], undo: [] };
  for (let round = 1; round <= opts.rounds; round++) {
    const saved = await timed("POST", `/live/${room}/versions`, JSON.stringify({ name: `round ${round}` }));
    samples.save.push(saved.ms);
    await write(project(opts.files, opts.lines, round));
    const restored = await timed("POST", `/live/${room}/versions/${saved.body.n}/restore`);
    if (restored.body.changed.length !== opts.files) throw new Error(`restore changed ${restored.body.changed.length} files, expected ${opts.files}`);
    samples.restore.push(restored.ms);
    const undone = await timed("POST", `/live/${room}/restores/${restored.body.restore}/undo`);
    if (undone.body.undone.length !== opts.files) throw new Error(`undo set back ${undone.body.undone.length} files`);
    samples.undo.push(undone.ms);
  }

  console.log(`versions of a ${opts.files}-file room (${(bytes / 1024).toFixed(1)} KB of text), ${opts.rounds} rounds, ${os.cpus().length} cores, node ${process.version}`);
  const row = (what, values) => {
    const s = summarize(values);
    return [what, s.count, s.p50.toFixed(1), s.p95.toFixed(1), s.min.toFixed(1), s.max.toFixed(1)];
  };
  console.log(
    table(
      ["call", "n", "p50 ms", "p95 ms", "min ms", "max ms"],
      [
        row("save (files to R2 + bundle + bundle to R2)", samples.save),
        row("restore (R2 read + one transaction, every file changed)", samples.restore),
        row("undo of that restore", samples.undo),
      ],
      ["l"],
    ),
  );
  if (opts.json) console.log(JSON.stringify(samples));
}

const opts = parseArgs(process.argv.slice(2));
await runBench("versions", opts.maxSeconds, () => main(opts));
