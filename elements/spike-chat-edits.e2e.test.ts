/**
 * <spike-chat> end to end, edits: an assistant's edit block changes the room's file, and reaches the editor and preview on
 * the same room; Undo brings it all back. The real Worker + CodeRoom under workerd, the fake OpenAI provider
 * (workers/fake-providers.ts) and Debian's Chromium, as in spike-chat.e2e.test.ts. Screenshots go to test-results/.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { startFakeOpenAI, type FakeProvider } from "../workers/fake-providers.js";
import { copySite } from "../test-support/browser.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";
import { WAIT, ask, openChat, reply, room, shot, writeChatPages, type ChatPage } from "../test-support/chat-e2e.js";

/** A snapshot of dist/site plus the fixture pages, so a concurrent `npm run build` cannot disturb the Worker. */
const SITE = copySite("spike-chat-edits-e2e");

/** Editor, preview and chat on one room: the assistant's edit must reach all three. */
const PLAYGROUND_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>playground</title><link rel="icon" href="data:,">
<script type="module" src="/spike.js"></script>
<script type="module">
  await customElements.whenDefined("spike-chat");
  const room = new URLSearchParams(location.search).get("room");
  for (const tag of ["spike-editor", "spike-preview", "spike-chat"]) {
    const element = document.createElement(tag);
    element.room = room;
    document.body.append(element);
  }
</script>
</head><body></body></html>`;

let worker: TestWorker;
let openai: FakeProvider;
let browser: Browser;

before(async () => {
  writeChatPages(SITE, { "playground.html": PLAYGROUND_PAGE });
  openai = await startFakeOpenAI();
  worker = await startTestWorker({ assets: SITE, vars: { OPENAI_BASE_URL: openai.baseURL, OPENAI_API_KEY: openai.apiKey } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  await openai?.close();
  rmSync(SITE, { recursive: true, force: true });
});

/** Open the chat page on this file's Worker with `query`. */
const open = (query: string) => openChat(browser, worker, query);

async function getFile(room: string, name: string): Promise<string> {
  const response = await fetch(new URL(`/live/${room}/files/${name}`, worker.url));
  assert.equal(response.status, 200);
  return response.text();
}

test("an edit reply changes the file; Undo restores it", async () => {
  const name = room("edit");
  const put = await fetch(new URL(`/live/${name}/files/styles.css`, worker.url), { method: "PUT", body: "button { color: blue; }\n" });
  assert.equal(put.status, 200, await put.text());
  const page = await open(`room=${name}`);
  try {
    openai.script({
      text: "Done:\n\n```edit:styles.css\n<<<<<<< SEARCH\nbutton { color: blue; }\n=======\nbutton { color: red; }\n>>>>>>> REPLACE\n```\n",
    });
    await ask(page, "make it red");
    const done = await reply(page, "done");
    const undo = done.locator("button.undo");
    await undo.waitFor(WAIT);
    assert.match(await done.locator(".actions").innerText(), /Edited styles\.css/);
    assert.equal(await done.locator("figure.edit figcaption").innerText(), "Edit styles.css");
    assert.equal(await getFile(name, "styles.css"), "button { color: red; }\n");
    await shot(page, "edit");
    await undo.click();
    await done
      .locator(".undone", { hasText: "Undone: styles.css" })
      .waitFor(WAIT)
      .catch(async (error) => {
        throw new Error(`no undo note; status bar: ${await page.locator("spike-chat [part=status]").innerText()}`, { cause: error });
      });
    assert.equal(await getFile(name, "styles.css"), "button { color: blue; }\n");
    assert.equal(await done.locator("button.undo").count(), 0);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("an edit reply re-renders the preview and the editor on the same room; Undo brings them back", async () => {
  const name = room("preview");
  const app = 'export default function App() {\n  return <h1 id="title">Hello</h1>;\n}\n';
  const put = await fetch(new URL(`/live/${name}/files/index.tsx`, worker.url), { method: "PUT", body: app });
  assert.equal(put.status, 200, await put.text());
  const page = (await browser.newPage({ viewport: { width: 900, height: 1200 } })) as ChatPage;
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  try {
    await page.goto(`${worker.url.origin}/__chat-e2e/playground.html?room=${name}`);
    const title = page.frameLocator("spike-preview iframe").locator("#title");
    await title.filter({ hasText: /^Hello$/ }).waitFor(WAIT);

    openai.script({
      text: 'Sure:\n\n```edit:index.tsx\n<<<<<<< SEARCH\n  return <h1 id="title">Hello</h1>;\n=======\n  return <h1 id="title">Hello from the assistant</h1>;\n>>>>>>> REPLACE\n```\n',
    });
    await ask(page, "greet from the assistant");
    const done = await reply(page, "done");
    await title.filter({ hasText: "Hello from the assistant" }).waitFor(WAIT);
    await page.locator("spike-editor .view-lines", { hasText: "Hello from the assistant" }).waitFor(WAIT);

    await done.locator("button.undo").click();
    await title.filter({ hasText: /^Hello$/ }).waitFor(WAIT);
    assert.equal(await getFile(name, "index.tsx"), app);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
