#!/usr/bin/env node
/**
 * An AI agent's edit as a collaborator sees it: the time from an MCP `edit_file` call (the SDK's Client over Streamable
 * HTTP to `POST /mcp`, signed in) to the edit standing in another client's Y.Text (a stock y-websocket WebsocketProvider in
 * the same room). Also printed: the `edit_file` round trip itself.
 *
 *   node --import tsx bench/mcp-edit.mjs [--runs 60] [--json]
 *
 * The real Worker + CodeRoom under workerd (unstable_startWorker, sign-in configured); loopback only; everything stops at
 * the end.
 */
import assert from "node:assert/strict";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createTestSigner } from "../workers/test-tokens.ts";
import { connectClient, startTestWorker } from "../workers/test-support.ts";
import { fileText } from "../core/project.ts";
import { onCleanup, runBench, summarize, table, versionOf } from "./support.mjs";

const args = process.argv.slice(2);
const RUNS = args.includes("--runs") ? Math.max(5, Number(args[args.indexOf("--runs") + 1]) || 60) : 60;
const JSON_OUT = args.includes("--json");
const APP = "export default function App() {\n  return <h1>edit 0</h1>;\n}\n";
const WARMUP = 5;

await runBench("mcp-edit", 300, async () => {
  const signer = await createTestSigner();
  const worker = await startTestWorker({
    vars: { CLERK_JWT_KEY: signer.publicKeyPem, RATE_LIMIT_UPLOAD_PER_MINUTE: "100000", RATE_LIMIT_READ_PER_MINUTE: "100000" },
  });
  onCleanup(() => worker.dispose());
  const room = "bench-mcp-edit";
  assert.equal((await fetch(new URL(`/live/${room}/files/index.tsx`, worker.url), { method: "PUT", body: APP })).status, 200);

  const watcher = connectClient(worker, room);
  onCleanup(() => watcher.destroy());
  await watcher.synced(20_000);
  const text = fileText(watcher.doc, "index.tsx");

  const token = await signer.sign({ sub: "user_bench_agent" });
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", worker.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  const client = new Client({ name: "mcp-edit-bench", version: "1.0.0" });
  await client.connect(transport);
  onCleanup(() => client.close());

  const seen = [];
  const call = [];
  for (let i = 1; i <= RUNS + WARMUP; i++) {
    const target = `edit ${i}<`;
    const arrived = new Promise((resolve) => {
      const check = () => {
        if (text.toString().includes(target)) {
          text.unobserve(check);
          resolve(performance.now());
        }
      };
      text.observe(check);
    });
    const started = performance.now();
    const result = await client.callTool({ name: "edit_file", arguments: { room, name: "index.tsx", search: `edit ${i - 1}<`, replace: target } });
    const answered = performance.now();
    assert.ok(!result.isError, JSON.stringify(result));
    const at = await arrived;
    if (i > WARMUP) {
      seen.push(at - started);
      call.push(answered - started);
    }
  }

  const s = summarize(seen);
  const c = summarize(call);
  if (JSON_OUT) {
    console.log(JSON.stringify({ runs: seen.length, seen: s, call: c }));
    return;
  }
  console.log("mcp-edit: MCP edit_file call -> the edit in another client's Y.Text (stock y-websocket)");
  console.log(`machine: ${os.cpus().length} CPUs, node ${process.version}, wrangler ${versionOf("wrangler")}, @modelcontextprotocol/sdk ${versionOf("@modelcontextprotocol/sdk")}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`runs: ${seen.length} sequential edits (after ${WARMUP} warm-up), one signed-in agent, one watching client, loopback`);
  const ms = (v) => `${v.toFixed(1)} ms`;
  console.log(
    table(
      ["", "p50", "p95", "min", "max"],
      [
        ["edit_file call -> watcher's Y.Text", ms(s.p50), ms(s.p95), ms(s.min), ms(s.max)],
        ["edit_file round trip", ms(c.p50), ms(c.p95), ms(c.min), ms(c.max)],
      ],
      ["l"],
    ),
  );
});
