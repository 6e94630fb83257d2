/**
 * `fork="auto"` end to end: the built bundle (dist/site) served by the real Worker under workerd, with sign-in configured
 * so a read-only room is read-only, and an anonymous reader in Debian's Chromium typing real keystrokes into a template.
 * The reader's typing forks the template, the editor switches to the fork with the caret and the keystrokes where they
 * were, the template is unchanged, a reload reopens the fork, "Reset to original" brings the template back, and over
 * the room-creation limit the reader is told and the template stays as it was.
 */
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { editorReady, writeFixturePages } from "../test-support/browser.js";
import { as, putPermissions, sharedSigner } from "../test-support/permissions.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };
const FIXTURE_DIR = "dist/site/__e2e-fork";
const TEMPLATE_TEXT = "export default function App() {\n  return <h1>Hello</h1>;\n}\n";
const FIXTURES: Record<string, string> = {
  // The template comes from ?room=.
  "editor.html": `<script type="module">
    await customElements.whenDefined("spike-editor");
    const editor = document.createElement("spike-editor");
    editor.setAttribute("fork", "auto");
    editor.setAttribute("loading", "eager");
    editor.room = new URLSearchParams(location.search).get("room");
    document.body.append(editor);
  </script>`,
  // The template comes from ?room=, on a <spike-room> that hands it (and fork="auto") to the editor inside.
  "room.html": `<spike-room fork="auto"><spike-editor loading="eager"></spike-editor></spike-room>
  <script type="module">
    await customElements.whenDefined("spike-room");
    document.querySelector("spike-room").room = new URLSearchParams(location.search).get("room");
  </script>`,
};
const FIXTURE_HEAD = `<style>body { margin: 24px; font-family: system-ui; } spike-editor { --spike-editor-height: 200px; }</style>
<script>
window.editorText = () => [...document.querySelector("spike-editor").shadowRoot.querySelectorAll(".view-line")]
  .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
  .map((line) => line.textContent.replace(/\\u00a0/g, " ")).join("\\n");
window.forks = []; window.forkErrors = [];
addEventListener("spike-fork", (e) => window.forks.push(e.detail));
addEventListener("spike-fork-error", (e) => window.forkErrors.push(e.detail));</script>`;

/** The lines Monaco renders, in order (set by the fixture's head). */
declare function editorText(): string;

let worker: TestWorker;
let browser: Browser;

before(async () => {
  assert.ok(existsSync("dist/site/spike.js"), "dist/site/spike.js is missing: run `npm run build` first");
  writeFixturePages(FIXTURE_DIR, FIXTURES, FIXTURE_HEAD);
  const signer = await sharedSigner();
  // Two new rooms a minute per user and address (the test's page and its templates all come from 127.0.0.1 / "unknown").
  worker = await startTestWorker({
    assets: "dist/site",
    vars: { CLERK_JWT_KEY: signer.publicKeyPem, RATE_LIMIT_CREATE_PER_MINUTE: "1", RATE_LIMIT_CREATE_BURST: "3" },
  });
  // Load the Worker's and the objects' code before any test's deadline runs (a busy machine can take many seconds).
  await (await fetch(new URL("/live/warm-up/session.json", worker.url))).text();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(FIXTURE_DIR, { recursive: true, force: true });
});

/** A read-only template with one file, owned by a user of its own, created from a documentation address. */
async function template(room: string): Promise<void> {
  const owner = `user_author_${room}`;
  const put = await as(worker, owner, `/live/${room}/files/index.tsx`, { method: "PUT", body: TEMPLATE_TEXT, headers: { "cf-connecting-ip": "192.0.2.1" } });
  assert.equal(put.status, 200, await put.text());
  assert.equal((await putPermissions(worker, owner, room, { visibility: "readonly" })).status, 200);
}

async function fileOf(room: string): Promise<string> {
  const response = await fetch(new URL(`/live/${room}/files/index.tsx`, worker.url));
  assert.equal(response.status, 200, `${room}: ${response.status}`);
  return response.text();
}

function editorRoom(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.querySelector("spike-editor")!.room);
}

function statusBar(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector("spike-editor")!.shadowRoot!.querySelector("[part=status]")!.textContent!.replace(/\s+/g, " "));
}

async function openTemplate(page: Page, room: string): Promise<void> {
  await page.goto(new URL(`/__e2e-fork/editor.html?room=${room}`, worker.url).href);
  await editorReady(page);
  await page.waitForFunction(() => document.querySelector("spike-editor")!.roomRole === "viewer", undefined, WAIT);
}

test("an anonymous reader types into a read-only template: their own fork opens with the caret and the keystrokes, the template is unchanged, a reload keeps the fork, and Reset to original brings the template back", async () => {
  await template("tutorial");
  const page = await browser.newPage({ viewport: { width: 800, height: 300 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await openTemplate(page, "tutorial");
  assert.match(await statusBar(page), /Template: type to edit your copy/);

  // Caret on line 2 after its indent, then real keystrokes (Enter indents the next line, as Monaco does).
  await page.evaluate(() => document.querySelector("spike-editor")!.reveal("index.tsx", 2, 3));
  await page.keyboard.type("// mine\n");
  await page.waitForFunction(() => (window as unknown as { forks: unknown[] }).forks.length === 1, undefined, WAIT);
  const fork = (await editorRoom(page))!;
  assert.match(fork, /^[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { forks: unknown[] }).forks), [{ room: fork, template: "tutorial", forkedFrom: { room: "tutorial", version: null } }]);

  // Every keystroke landed in the fork, where the caret was; the template has none of them.
  const expected = "export default function App() {\n  // mine\n  return <h1>Hello</h1>;\n}\n";
  const deadline = Date.now() + WAIT.timeout;
  while ((await fileOf(fork)) !== expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(await fileOf(fork), expected);
  assert.equal(await fileOf("tutorial"), TEMPLATE_TEXT);
  const session = (await (await fetch(new URL(`/live/${fork}/session.json`, worker.url))).json()) as { forkedFrom: unknown };
  assert.deepEqual(session.forkedFrom, { room: "tutorial", version: null });
  assert.match(await statusBar(page), /Reset to original/);
  assert.doesNotMatch(await statusBar(page), /Template: type/);
  await page.screenshot({ path: "/tmp/fork-e2e-forked.png" });

  // Typing goes on in the fork, as in any room.
  await page.keyboard.type("x");
  await page.waitForFunction(() => editorText().includes("  // mine\n  xreturn"), undefined, WAIT);

  // A reload reopens the reader's fork (localStorage), not the template.
  await page.reload();
  await editorReady(page);
  assert.equal(await editorRoom(page), fork);
  await page.waitForFunction(() => editorText().includes("  // mine\n  xreturn"), undefined, WAIT);
  const stored = await page.evaluate(() => Object.entries(localStorage).filter(([key]) => key.startsWith("spike-fork:")));
  assert.deepEqual(stored, [[`spike-fork:${worker.url.origin}|tutorial`, fork]]);

  // Reset to original: the template again, read-only, and nothing remembered.
  await page.evaluate(() => document.querySelector("spike-editor")!.shadowRoot!.querySelector<HTMLButtonElement>("[part=reset-fork]")!.click());
  await page.waitForFunction(() => document.querySelector("spike-editor")!.room === "tutorial", undefined, WAIT);
  await page
    .waitForFunction(() => document.querySelector("spike-editor")!.roomRole === "viewer", undefined, WAIT)
    .catch(async (error: unknown) => {
      await page.screenshot({ path: "/tmp/fork-e2e-reset-failed.png" });
      throw error;
    });
  await page.waitForFunction(() => editorText().startsWith("export default function App() {\n  return"), undefined, WAIT);
  assert.match(await statusBar(page), /Template: type to edit your copy/);
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("spike-fork:"))), []);
  await page.screenshot({ path: "/tmp/fork-e2e-reset.png" });
  assert.equal(await fileOf("tutorial"), TEMPLATE_TEXT);
  assert.deepEqual(errors, []);
  await page.close();
});

test("fork=\"auto\" on a <spike-room>: typing in the editor inside forks the room, and the room element and the editor both move to the fork, also after a reload", async () => {
  await template("room-tutorial");
  const page = await browser.newPage({ viewport: { width: 800, height: 300 } });
  await page.goto(new URL("/__e2e-fork/room.html?room=room-tutorial", worker.url).href);
  await editorReady(page);
  await page.waitForFunction(() => document.querySelector("spike-editor")!.roomRole === "viewer", undefined, WAIT);
  await page.evaluate(() => document.querySelector("spike-editor")!.reveal("index.tsx", 1, 1));
  await page.keyboard.type("//");
  await page.waitForFunction(() => (window as unknown as { forks: unknown[] }).forks.length === 1, undefined, WAIT);
  const rooms = () => page.evaluate(() => [document.querySelector("spike-room")!.room, document.querySelector("spike-editor")!.room]);
  const [fork] = await rooms();
  assert.match(fork!, /^[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(await rooms(), [fork, fork]);
  const deadline = Date.now() + WAIT.timeout;
  while ((await fileOf(fork!)) !== `//${TEMPLATE_TEXT}` && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(await fileOf(fork!), `//${TEMPLATE_TEXT}`);
  assert.equal(await fileOf("room-tutorial"), TEMPLATE_TEXT);
  await page.reload();
  await editorReady(page);
  assert.deepEqual(await rooms(), [fork, fork]);
  await page.evaluate(() => document.querySelector("spike-room")!.resetFork());
  await page.waitForFunction(() => document.querySelector("spike-editor")!.room === "room-tutorial", undefined, WAIT);
  assert.deepEqual(await rooms(), ["room-tutorial", "room-tutorial"]);
  await page.close();
});

test("over the room-creation limit, typing into a template forks nothing: the reader is told, and the template stays", async () => {
  await template("limited-tutorial");
  const page = await browser.newPage({ viewport: { width: 800, height: 300 } });
  await openTemplate(page, "limited-tutorial");
  // This browser's address made its forks already (the first test, and these): the next one is over the limit.
  for (let i = 0; i < 3; i++) await fetch(new URL("/live/limited-tutorial/fork", worker.url), { method: "POST" });
  await page.evaluate(() => document.querySelector("spike-editor")!.reveal("index.tsx", 1, 1));
  await page.keyboard.type("z");
  await page.waitForFunction(() => (window as unknown as { forkErrors: unknown[] }).forkErrors.length === 1, undefined, WAIT);
  const [error] = await page.evaluate(() => (window as unknown as { forkErrors: { template: string; message: string }[] }).forkErrors);
  assert.equal(error!.template, "limited-tutorial");
  assert.match(error!.message, /too many new rooms/);
  assert.equal(await editorRoom(page), "limited-tutorial");
  assert.equal(await fileOf("limited-tutorial"), TEMPLATE_TEXT);
  await page.close();
});
