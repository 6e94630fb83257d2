/**
 * End-to-end encrypted rooms in the browser: the built bundle (dist/site) served by the real Worker under workerd, driven
 * with real keystrokes in Debian's Chromium. Two pages with the key (one as `key=`, one from `#spike-key=`) converge; a
 * page without the key, or with a wrong one, says so and changes nothing; the chat says its assistant is off and writes
 * into the encrypted doc. Screenshots go to test-results/sealed-room-*.png.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import WebSocket from "ws";
import { readChat } from "../core/chat.js";
import { fileText, readFiles } from "../core/project.js";
import { generateRoomKey } from "../core/room-crypto.js";
import { RoomClient, type WebSocketConstructor } from "../core/room-client.js";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, editorReady, screenshots, writeFixturePages } from "../test-support/browser.js";
import { startTestWorker, uniqueRooms, until, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };
const SITE = copySite("sealed-room-e2e");
const shot = screenshots("sealed-room");
const nextRoom = uniqueRooms("sealed-e2e");

/** The element comes from ?el= (editor or chat), its room from ?room=, its key from ?key= (absent: none). */
const FIXTURES: Record<string, string> = {
  "sealed.html": `<script type="module">
    const params = new URLSearchParams(location.search);
    const tag = "spike-" + (params.get("el") ?? "editor");
    await customElements.whenDefined(tag);
    const element = document.createElement(tag);
    if (params.has("key")) element.setAttribute("key", params.get("key"));
    element.setAttribute("room", params.get("room"));
    document.body.append(element);
  </script>`,
};
const HEAD = `<style>body { margin: 24px; font-family: system-ui; } spike-editor { --spike-editor-height: 200px; } spike-chat { height: 300px; }</style>`;

let worker: TestWorker;
let origin: string;
let browser: Browser;
const clients: RoomClient[] = [];

before(async () => {
  writeFixturePages(`${SITE}/__e2e`, FIXTURES, HEAD);
  worker = await startTestWorker({ assets: SITE });
  origin = worker.url.origin;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  for (const c of clients) c.destroy();
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

/** A node client of the room with `key`, synced. */
async function nodeClient(room: string, key: string): Promise<RoomClient> {
  const client = new RoomClient({ server: origin, room, key, WebSocket: WebSocket as unknown as WebSocketConstructor });
  clients.push(client);
  await client.whenSynced();
  return client;
}

/** Wait until the room holds `text` in index.tsx (a second keyed client reads it), so pages open on it, not on an empty room. */
async function stored(room: string, key: string, text: string): Promise<void> {
  const reader = await nodeClient(room, key);
  await until(() => readFiles(reader.doc)["index.tsx"] === text, "the seed to be stored");
}

async function openPage(query: string, hash = ""): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 800, height: 400 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto(`${origin}/__e2e/sealed.html?${query}${hash}`);
  return page;
}

function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

/** The text Monaco renders (spaces normalised). */
function renderedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const root = document.querySelector("spike-editor")!.shadowRoot!;
    const lines = [...root.querySelectorAll<HTMLElement>(".view-line")].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((l) => l.textContent!.replace(/\u00a0/g, " ")).join("\n");
  });
}

async function textOnceIncludes(page: Page, needle: string): Promise<string> {
  await page.waitForFunction(
    (n) => [...document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll(".view-line")].some((l) => l.textContent!.replace(/\u00a0/g, " ").includes(n)),
    needle,
    WAIT,
  );
  return renderedText(page);
}

describe("encrypted rooms in Chromium", () => {
  test("two pages with the key (attribute and #spike-key= fragment) converge with real keystrokes", async () => {
    const room = nextRoom();
    const key = await generateRoomKey();
    const seed = await nodeClient(room, key);
    fileText(seed.doc, "index.tsx").insert(0, "// sealed\n");
    await stored(room, key, "// sealed\n");
    const a = await openPage(`room=${room}&key=${key}`);
    const b = await openPage(`room=${room}&key=fragment`, `#spike-key=${key}`);
    try {
      await Promise.all([editorReady(a), editorReady(b)]);
      await textOnceIncludes(a, "// sealed");
      await textOnceIncludes(b, "// sealed");
      await a.locator("spike-editor .view-lines").click();
      await a.keyboard.press("Control+End");
      await a.keyboard.type("const fromA = 1;");
      assert.match(await textOnceIncludes(b, "const fromA = 1;"), /\/\/ sealed\nconst fromA = 1;/);
      await b.locator("spike-editor .view-lines").click();
      await b.keyboard.press("Control+End");
      await b.keyboard.type(" // b");
      await textOnceIncludes(a, "const fromA = 1; // b");
      await until(() => readFiles(seed.doc)["index.tsx"] === "// sealed\nconst fromA = 1; // b", "the node client to read both");
      await shot(b, "converged");
      assert.deepEqual([...pageErrors(a), ...pageErrors(b)], []);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("a page without the key shows the encrypted state (and opens once #spike-key= is set); a wrong key shows its own, and the room's text is intact", async () => {
    const room = nextRoom();
    const key = await generateRoomKey();
    const seed = await nodeClient(room, key);
    fileText(seed.doc, "index.tsx").insert(0, "secret();\n");
    await stored(room, key, "secret();\n");
    const right = await openPage(`room=${room}&key=${key}`);
    await textOnceIncludes(right, "secret();");
    // key="fragment" on a URL without #spike-key= is no key.
    const none = await openPage(`room=${room}&key=fragment`);
    const wrong = await openPage(`room=${room}&key=${await generateRoomKey()}`);
    try {
      const loading = (page: Page) => page.locator("spike-editor [part=loading]");
      await loading(none).getByText("This room is end-to-end encrypted").waitFor(WAIT);
      await shot(none, "no-key");
      await none.evaluate((k) => (location.hash = `spike-key=${k}`), key);
      await textOnceIncludes(none, "secret();");
      await loading(wrong).getByText("Wrong key for this encrypted room").waitFor(WAIT);
      await shot(wrong, "wrong-key");
      assert.doesNotMatch(await wrong.locator("spike-editor").innerText(), /secret/);
      // The right-key page still reads and writes the room.
      await right.locator("spike-editor .view-lines").click();
      await right.keyboard.press("Control+End");
      await right.keyboard.type("ok();");
      await until(() => readFiles(seed.doc)["index.tsx"] === "secret();\nok();", "the right key's edit to arrive");
    } finally {
      await Promise.all([right.close(), none.close(), wrong.close()]);
    }
  });

  test("a key on a plaintext room shows the not-encrypted state", async () => {
    const room = nextRoom();
    const plain = new RoomClient({ server: origin, room, WebSocket: WebSocket as unknown as WebSocketConstructor });
    clients.push(plain);
    await plain.whenSynced();
    fileText(plain.doc, "index.tsx").insert(0, "plain();\n");
    await until(async () => (await fetch(new URL(`/live/${room}/session.json`, origin))).ok, "the plaintext room to be stored");
    const page = await openPage(`room=${room}&key=${await generateRoomKey()}`);
    try {
      await page.locator("spike-editor [part=loading]").getByText("This room is not end-to-end encrypted").waitFor(WAIT);
      await shot(page, "not-encrypted");
    } finally {
      await page.close();
    }
  });

  test('key="fragment" on a page with no #spike-key= is a plaintext room: the chat keeps its assistant', async () => {
    const room = nextRoom();
    const page = await openPage(`el=chat&room=${room}&key=fragment`);
    try {
      const input = page.locator('spike-chat textarea[placeholder^="Ask "]');
      await input.waitFor(WAIT);
      assert.equal(await page.locator("spike-chat [part=status]").getByText("AI assistant is off").count(), 0);
      assert.equal(await page.locator('spike-chat textarea[placeholder^="Message the room"]').count(), 0);
    } finally {
      await page.close();
    }
  });

  test("the chat in an encrypted room says the assistant is off and writes messages into the encrypted doc", async () => {
    const room = nextRoom();
    const key = await generateRoomKey();
    const seed = await nodeClient(room, key);
    const page = await openPage(`el=chat&room=${room}&key=${key}`);
    try {
      await page.locator("spike-chat [part=status]").getByText("AI assistant is off in end-to-end encrypted rooms").waitFor(WAIT);
      // The live composer (not the lite one drawn before it loads) says where messages go.
      const input = page.locator('spike-chat textarea[placeholder^="Message the room"]');
      await input.waitFor(WAIT);
      await input.click();
      await page.keyboard.type("hello, sealed room");
      await page.keyboard.press("Enter");
      await until(() => readChat(seed.doc).some((m) => m.text === "hello, sealed room" && m.role === "user"), "the message to reach the node client", 30_000);
      await page.locator("spike-chat [part=messages]").getByText("hello, sealed room").waitFor(WAIT);
      await shot(page, "chat");
      await page.locator("spike-chat [part=mic]").click();
      await page.locator("spike-chat [part=status]").getByText("Voice input is off in end-to-end encrypted rooms").waitFor(WAIT);
      const answer = await fetch(new URL(`/live/${room}/chat`, origin));
      assert.equal(answer.status, 409, "the room's own chat API cannot read it");
    } finally {
      await page.close();
    }
  });
});
