/**
 * <spike-chat> end to end, AI agents: an agent's change to a room (the room's `agentChange`, made through the test Worker
 * of workers/test-agents/ as the MCP endpoint makes it) shows in the chat as "Claude (MCP) changed index.tsx", reaches
 * <spike-editor> on the same room with the agent's named cursor, and the chat's Undo, clicked, brings the old text back
 * in the editor. The real Worker + CodeRoom under workerd and Debian's Chromium. Screenshots go to test-results/.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite } from "../test-support/browser.js";
import { WAIT, room, shot, writeChatPages, type ChatPage } from "../test-support/chat-e2e.js";
import { clientIdOf } from "../workers/durable-objects/room-agent-presence.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

/** A snapshot of dist/site plus the fixture pages, so a concurrent `npm run build` cannot disturb the Worker. */
const SITE = copySite("spike-chat-agent-e2e");

/** Editor and chat on one room. */
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>agent</title><link rel="icon" href="data:,">
<script type="module" src="/spike.js"></script>
<style>body { margin: 12px; font-family: system-ui; display: grid; grid-template-columns: 1fr 360px; gap: 12px; }</style>
<script type="module">
  await customElements.whenDefined("spike-chat");
  const room = new URLSearchParams(location.search).get("room");
  for (const tag of ["spike-editor", "spike-chat"]) {
    const element = document.createElement(tag);
    element.room = room;
    document.body.append(element);
  }
</script>
</head><body></body></html>`;

const AGENT = { key: "token:e2e-agent", name: "Claude (MCP)" };
const APP = 'export default function App() {\n  return <h1 id="title">Hello</h1>;\n}\n';

let worker: TestWorker;
let browser: Browser;

before(async () => {
  writeChatPages(SITE, { "agent.html": PAGE });
  worker = await startTestWorker({ assets: SITE, entrypoint: "workers/test-agents/index.ts" });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

async function agentChange(name: string, change: Record<string, string>): Promise<{ status: number; value?: { message: string } }> {
  const response = await fetch(new URL(`/api/test-agent/${name}`, worker.url), {
    method: "POST",
    body: JSON.stringify({ op: "change", agent: AGENT, change }),
  });
  assert.equal(response.status, 200);
  return (await response.json()) as { status: number; value?: { message: string } };
}

async function getFile(name: string, file: string): Promise<string> {
  const response = await fetch(new URL(`/live/${name}/files/${file}`, worker.url));
  assert.equal(response.status, 200);
  return response.text();
}

test("an agent's change shows in the chat and the editor, with its cursor; Undo brings the old text back", async () => {
  const name = room("agent");
  const put = await fetch(new URL(`/live/${name}/files/index.tsx`, worker.url), { method: "PUT", body: APP });
  assert.equal(put.status, 200, await put.text());
  const page = (await browser.newPage({ viewport: { width: 1100, height: 640 } })) as ChatPage;
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  try {
    await page.goto(`${worker.url.origin}/__chat-e2e/agent.html?room=${name}`);
    await page.locator("spike-editor .view-lines", { hasText: "Hello" }).waitFor(WAIT);

    const changed = await agentChange(name, { kind: "edit", file: "index.tsx", search: "<h1 id=\"title\">Hello</h1>", replace: "<h1 id=\"title\">Hello from Claude</h1>" });
    assert.equal(changed.status, 200);
    const message = page.locator(`spike-chat article.agent[data-id="${changed.value!.message}"]`);
    await message.waitFor(WAIT);
    assert.equal((await message.locator(".body").innerText()).trim(), "Claude (MCP) changed index.tsx");
    await page.locator("spike-editor .view-lines", { hasText: "Hello from Claude" }).waitFor(WAIT);

    // The agent's caret, labelled with its name, at its edit.
    const head = page.locator(`spike-editor .yRemoteSelectionHead-${clientIdOf(AGENT.key)}`);
    await head.waitFor(WAIT);
    const label = await head.evaluate((element) => getComputedStyle(element, "::after").content);
    assert.match(label, /Claude \(MCP\)/);
    await shot(page, "agent-change");

    await message.locator("button.undo").click();
    await message.locator(".undone", { hasText: "Undone: index.tsx" }).waitFor(WAIT);
    await page.locator("spike-editor .view-lines", { hasText: /Hello<\/h1>/ }).waitFor(WAIT);
    assert.equal(await page.locator("spike-editor .view-lines", { hasText: "Hello from Claude" }).count(), 0);
    assert.equal(await getFile(name, "index.tsx"), APP);
    assert.equal(await message.locator("button.undo").count(), 0);
    await shot(page, "agent-undone");
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
