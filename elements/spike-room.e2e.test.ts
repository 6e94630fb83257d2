/**
 * <spike-room> end to end: the built bundle (dist/site) served by the real Worker under workerd, in Debian's Chromium.
 * Elements with no attributes of their own join the room of the <spike-room> around them, share its one WebSocket, follow
 * it when its room changes, and find it or leave it when they move; edits are real keystrokes, checked on the server.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, writeFixturePages } from "../test-support/browser.js";
import { fetchSession, startTestWorker, waitUntil, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };

/** The Worker serves a snapshot of dist/site plus these fixture pages (a concurrent build cannot disturb it). */
const SITE = copySite("spike-room-e2e");
const FIXTURE_DIR = join(SITE, "__room-e2e");

const APP = `export default function App() { return <p id="hello">{"hello" + 1}</p>; }`;

/** Markup from the query string (rooms differ per test), inserted once the bundle has defined the elements. */
const fromQuery = (markup: string) => `<script type="module">
  await customElements.whenDefined("spike-editor");
  const q = Object.fromEntries(new URLSearchParams(location.search));
  document.querySelector("main").innerHTML = \`${markup}\`;
</script><main></main>`;

const FIXTURES: Record<string, string> = {
  // Three elements with no room of their own; the editor seeds the room from its inline file.
  "shared.html": fromQuery(`<spike-room room="\${q.room}">
      <div class="row">
        <spike-editor><script type="text/plain" data-file="index.tsx">${APP}<\\/script></spike-editor>
        <spike-preview></spike-preview>
      </div>
      <spike-chat></spike-chat>
    </spike-room>`),
  "own.html": fromQuery(`<spike-room room="\${q.a}">
      <div class="row"><spike-editor id="inherits"></spike-editor><spike-editor id="own" room="\${q.b}"></spike-editor></div>
    </spike-room>`),
  "move.html": fromQuery(`<spike-room room="\${q.room}"><spike-editor></spike-editor></spike-room><div id="outside"></div>`),
  // A page that defines <spike-room> only after the other elements (as one importing the modules one by one may).
  "late.html": `<script>
    const define = customElements.define.bind(customElements);
    customElements.define = (name, ...rest) => (name === "spike-room" ? (window.defineRoom = () => define(name, ...rest)) : define(name, ...rest));
  </script><spike-room room="late-provider-room"><spike-editor></spike-editor></spike-room>`,
};

const HEAD = `<style>
  body { margin: 16px; font-family: system-ui; }
  .row { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-bottom: 12px; }
  spike-editor, spike-preview, spike-chat { --spike-editor-height: 200px; --spike-preview-height: 200px; --spike-chat-height: 200px; }
</style>`;

let worker: TestWorker;
let browser: Browser;

before(async () => {
  writeFixturePages(FIXTURE_DIR, FIXTURES, HEAD);
  worker = await startTestWorker({ assets: SITE });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

interface Socket {
  path: string;
  open: boolean;
}

/** Open a fixture page, recording every WebSocket it opens (path, and whether it is still open) and its errors. */
async function open(path: string): Promise<{ page: Page; sockets: Socket[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  const sockets: Socket[] = [];
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("websocket", (ws) => {
    const socket = { path: new URL(ws.url()).pathname, open: true };
    sockets.push(socket);
    ws.on("close", () => (socket.open = false));
  });
  await page.goto(new URL(`/__room-e2e/${path}`, worker.url).href);
  return { page, sockets, errors };
}

const openPaths = (sockets: Socket[]) => sockets.filter((s) => s.open).map((s) => s.path).sort();
const unique = (name: string) => `${name}-${Date.now().toString(36)}`;

/** Wait until the editor matching `selector` shows `status` (`connected`, `local`, …). */
async function editorStatus(page: Page, selector: string, status: string): Promise<void> {
  await page.waitForFunction(([s, expected]) => document.querySelector<any>(s)?.status === expected, [selector, status] as const, WAIT);
}

/** Type `text` on a new last line of the editor matching `selector`, with real keystrokes, once Monaco shows the file. */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(
    (s) => {
      const root = document.querySelector(s)?.shadowRoot;
      return !!root?.querySelector(".monaco-editor .view-lines") && root.querySelector<HTMLElement>("[part=loading]")!.hidden;
    },
    selector,
    WAIT,
  );
  await page.locator(`${selector} .view-lines`).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

/** Wait until the server's copy of `room` has `text` in `file`. */
async function serverHas(room: string, text: string, file = "index.tsx"): Promise<void> {
  await waitUntil(async () => ((await fetchSession(worker, room)).files[file] ?? "").includes(text), {
    timeoutMs: WAIT.timeout,
    what: `${text} in ${room}/${file} on the server`,
  });
}

test("editor, preview and chat inside <spike-room room> with no attributes of their own join that room over one WebSocket", async () => {
  const room = unique("room-shared");
  const { page, sockets, errors } = await open(`shared.html?room=${room}`);
  try {
    // A token source on the <spike-room> only (anonymous, but counted): the elements' shared client must use it.
    await page.evaluate(() => {
      const w = window as any;
      w.tokenCalls = 0;
      document.querySelector<any>("spike-room").getToken = async () => {
        w.tokenCalls++;
        return null;
      };
    });
    await editorStatus(page, "spike-editor", "connected");
    // The preview runs what the editor seeded into the room: it reads the same shared doc.
    const frame = page.frameLocator("spike-preview iframe");
    await frame.locator("#hello").waitFor(WAIT);
    assert.equal(await frame.locator("#hello").innerText(), "hello1");
    await page.locator("spike-chat [part=status]").getByText("Connected").waitFor(WAIT);
    await typeInto(page, "spike-editor", "export const typed = 'in the room';");
    await serverHas(room, "export const typed = 'in the room';");

    const seen = await page.evaluate(() =>
      [...document.querySelectorAll<any>("spike-editor, spike-preview, spike-chat")].map((el) => ({
        room: el.room,
        attribute: el.getAttribute("room"),
        inheritedToken: el.getToken === document.querySelector<any>("spike-room").getToken,
      })),
    );
    assert.deepEqual(seen, Array(3).fill({ room, attribute: null, inheritedToken: true }));
    // The room's token source reached the one shared client.
    await page.waitForFunction(() => (window as any).tokenCalls > 0, null, WAIT);
    assert.deepEqual(sockets.map((s) => s.path), [`/live/${room}/ws`], "one socket for the three elements");
    assert.match(await page.locator("spike-editor [part=status]").innerText(), new RegExp(`Live in room ${room}`));
    assert.doesNotMatch(await page.locator("spike-editor [part=status]").innerText(), /people here/);
    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/spike-room-shared.png" });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("an element's own room wins over the <spike-room>'s; when the <spike-room>'s room changes, the others follow it", async () => {
  const [a, b, c] = [unique("room-a"), unique("room-b"), unique("room-c")];
  const { page, sockets, errors } = await open(`own.html?a=${a}&b=${b}`);
  try {
    await editorStatus(page, "#inherits", "connected");
    await editorStatus(page, "#own", "connected");
    assert.deepEqual(openPaths(sockets), [`/live/${a}/ws`, `/live/${b}/ws`].sort());

    await page.evaluate((room) => (document.querySelector<any>("spike-room").room = room), c);
    await page.waitForFunction((room) => document.querySelector<any>("#inherits").room === room, c, WAIT);
    await editorStatus(page, "#inherits", "connected");
    await waitUntil(() => openPaths(sockets).join() === [`/live/${b}/ws`, `/live/${c}/ws`].sort().join(), {
      timeoutMs: WAIT.timeout,
      what: `sockets to ${b} and ${c} only (the one to ${a} closed)`,
    });
    await typeInto(page, "#inherits", "export const moved = true;");
    await serverHas(c, "export const moved = true;");
    // The old room has nothing of it (404 if nothing at all was ever written there).
    const old = await fetch(new URL(`/live/${a}/session.json`, worker.url));
    const oldText = old.status === 404 ? "" : ((await old.json()) as { files: Record<string, string> }).files["index.tsx"];
    assert.ok(!oldText?.includes("moved"), "nothing went to the old room");
    assert.equal(await page.evaluate(() => document.querySelector<any>("#own").room), b);
    assert.equal(await page.evaluate(() => document.querySelector("#inherits")!.getAttribute("room")), null);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("an editor moved out of its <spike-room> goes local and lets go of the room; moved back in, it joins again", async () => {
  const room = unique("room-move");
  const { page, sockets, errors } = await open(`move.html?room=${room}`);
  try {
    await editorStatus(page, "spike-editor", "connected");
    await page.evaluate(() => document.querySelector("#outside")!.append(document.querySelector("spike-editor")!));
    await editorStatus(page, "spike-editor", "local");
    assert.equal(await page.evaluate(() => document.querySelector<any>("spike-editor").room), undefined);
    await waitUntil(() => openPaths(sockets).length === 0, { timeoutMs: WAIT.timeout, what: "the room's socket to close" });

    await page.evaluate(() => document.querySelector("spike-room")!.append(document.querySelector("spike-editor")!));
    await editorStatus(page, "spike-editor", "connected");
    assert.deepEqual(openPaths(sockets), [`/live/${room}/ws`]);
    await typeInto(page, "spike-editor", "export const back = 1;");
    await serverHas(room, "export const back = 1;");
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("an editor that upgraded before <spike-room> was defined joins its room once it is", async () => {
  const { page, sockets, errors } = await open("late.html");
  try {
    await editorStatus(page, "spike-editor", "local");
    assert.deepEqual(sockets, []);
    await page.evaluate(() => (window as any).defineRoom());
    await editorStatus(page, "spike-editor", "connected");
    assert.deepEqual(openPaths(sockets), ["/live/late-provider-room/ws"]);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
