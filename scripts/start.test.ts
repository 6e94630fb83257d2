/** `npm start` as a user runs it: the whole stack in one wrangler dev, a second start, a restart with state kept. */
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createTestSigner } from "../workers/test-tokens.js";
import { freePort } from "./free-port.mjs";

const state = mkdtempSync(join(tmpdir(), "spike-start-"));
const running = new Set<ChildProcess>();
after(async () => {
  // SIGTERM first: start.mjs passes it on to wrangler, which a SIGKILL of start.mjs would leave running (and the run hung).
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
          child.once("exit", () => (clearTimeout(force), resolve()));
          child.kill("SIGTERM");
        }),
    ),
  );
  rmSync(state, { recursive: true, force: true });
});

function start(port: number, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, ...env, PORT: String(port), SPIKE_STATE_DIR: state },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => (running.delete(child), resolve(code))));
  const ready = async () => {
    const deadline = Date.now() + 60_000;
    while (!output.includes("spike: ready")) {
      if (child.exitCode !== null) throw new Error(`start exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`start not ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, exited, ready, output: () => output };
}

test("npm start serves the stack, refuses a second copy politely, and keeps state across restarts", { timeout: 120_000 }, async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const signer = await createTestSigner();
  const first = start(port, {
    PREVIEW_ORIGIN: "http://preview.example:9999",
    // Names the Frontend API the signer's tokens come from: their issuer is checked against it.
    CLERK_PUBLISHABLE_KEY: signer.publishableKey,
    // A multi-line PEM: it travels through the private env file, not the command line.
    CLERK_JWT_KEY: signer.publicKeyPem,
    AI_MODELS: "gpt-4o, claude-haiku-4-5",
  });
  await first.ready();
  assert.deepEqual(await (await fetch(`${base}/api/health`)).json(), { ok: true, version: "0.1.0" });
  const page = await fetch(`${base}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /spike-editor/);
  // Configuration from the environment reaches the Worker.
  assert.deepEqual(await (await fetch(`${base}/api/config`)).json(), {
    previewOrigin: "http://preview.example:9999",
    clerkPublishableKey: signer.publishableKey,
    aiModels: ["gpt-4o", "claude-haiku-4-5"],
  });
  const put = await fetch(`${base}/live/start-test/files/index.tsx`, { method: "PUT", body: "export const survives = 'restarts';\n" });
  assert.equal(put.status, 200);
  const session = (token: string) => fetch(`${base}/live/start-test/session.json`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal((await session(await signer.sign())).status, 200, "CLERK_JWT_KEY reached the Worker");
  assert.equal((await session(await (await createTestSigner()).sign())).status, 401);
  const commandLines = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
  assert.ok(!commandLines.includes("BEGIN PUBLIC KEY"), "the key is on no process's command line");
  // Both Workers run in the one process: the main Worker reaches the transpiler through its service binding.
  const bundle = await fetch(`${base}/live/start-test/index.js`);
  assert.equal(bundle.status, 200, await bundle.clone().text());
  assert.match(bundle.headers.get("content-type") ?? "", /text\/javascript/);
  assert.match(await bundle.text(), /restarts/);

  const second = start(port);
  assert.equal(await second.exited, 0);
  assert.match(second.output(), /already running on http:\/\/localhost:\d+/);

  first.child.kill("SIGTERM");
  await first.exited;

  const third = start(port);
  await third.ready();
  assert.equal(await (await fetch(`${base}/live/start-test/index.tsx`)).text(), "export const survives = 'restarts';\n");
  third.child.kill("SIGTERM");
  await third.exited;
});

test("a port held by another program is a clear error", async () => {
  const blocker = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => blocker.once("listening", r));
  const { port } = blocker.address() as { port: number };
  try {
    const run = start(port);
    assert.equal(await run.exited, 1);
    assert.match(run.output(), /port \d+ is in use by another program/);
  } finally {
    blocker.close();
  }
});
