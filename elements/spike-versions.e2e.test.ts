/**
 * <spike-versions> and `version="<n>"` end to end: the built bundle served by the real Worker (with its Durable Object, R2
 * and the transpiler) under workerd, in Debian's Chromium, driven with real clicks and keystrokes. A version is saved from
 * the playground's versions pane, the room changes, the version is restored after its confirmation, and the embed
 * snippet copied from the pane (read back from the clipboard) becomes a page whose pinned elements never change.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, writeFixturePages } from "../test-support/browser.js";
import { previewFrame, frameText } from "../test-support/preview-e2e.js";
import { fetchSession, startTestWorker, waitUntil, type TestWorker } from "../workers/test-support.js";
import { createTestSigner, type TestSigner } from "../workers/test-tokens.js";

const WAIT = { timeout: 30_000 };
// With the pinned copy of the build (v/<version>/): the copied snippet loads spike.js from there.
const SITE = copySite("spike-versions-e2e", "preview/frame.html", { pinned: true });
const FIXTURE_DIR = join(SITE, "__versions-e2e");

const app = (word: string) => `export default function App() {\n  return <p id="word">${word}</p>;\n}\n`;

const FIXTURES: Record<string, string> = {
  // The playground with its versions pane, on the room the query names.
  "playground.html": `<script type="module">
    await customElements.whenDefined("spike-playground");
    const room = new URLSearchParams(location.search).get("room");
    document.querySelector("main").innerHTML = \`<spike-playground room="\${room}" versions loading="eager"></spike-playground>\`;
  </script><main></main>`,
  "standalone.html": `<script type="module">
    await customElements.whenDefined("spike-versions");
    const room = new URLSearchParams(location.search).get("room");
    document.querySelector("main").innerHTML = \`<spike-versions room="\${room}" loading="eager"></spike-versions>\`;
  </script><main></main>`,
  "missing.html": `<script type="module">
    await customElements.whenDefined("spike-editor");
    const room = new URLSearchParams(location.search).get("room");
    document.querySelector("main").innerHTML = \`<spike-editor room="\${room}" version="99" loading="eager"></spike-editor>\`;
  </script><main></main>`,
};

const HEAD = `<style>
  body { margin: 16px; font-family: system-ui; }
  spike-playground { --spike-playground-height: 420px; --spike-playground-versions-width: 36%; }
</style>
<script>
  window.events = [];
  for (const name of ["spike-save", "spike-restore", "spike-copy", "spike-fork"]) {
    addEventListener(name, (e) => window.events.push({ name, detail: e.detail }));
  }
</script>`;

let worker: TestWorker;
let browser: Browser;
let signer: TestSigner;

before(async () => {
  writeFixturePages(FIXTURE_DIR, FIXTURES, HEAD);
  // Sign-in configured (tokens signed here), so a room can have an owner and viewers; anonymous rooms work as before.
  signer = await createTestSigner();
  worker = await startTestWorker({ assets: SITE, transpiler: true, vars: { CLERK_JWT_KEY: signer.publicKeyPem } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

const unique = (name: string) => `${name}-${Date.now().toString(36)}`;

/** Replace a room file over the HTTP API (what another collaborator's edit looks like to the page). */
async function writeFile(room: string, text: string, file = "index.tsx"): Promise<void> {
  const response = await fetch(new URL(`/live/${room}/files/${file}`, worker.url), { method: "PUT", body: text });
  assert.ok(response.ok, `PUT ${file}: ${response.status} ${await response.text()}`);
}

/** Wait until the server's copy of `room` has `text` in index.tsx. */
async function serverHas(room: string, text: string): Promise<void> {
  await waitUntil(async () => ((await fetchSession(worker, room)).files["index.tsx"] ?? "").includes(text), {
    timeoutMs: WAIT.timeout,
    what: `${text} in ${room}/index.tsx on the server`,
  });
}

/** The text Monaco shows in the editor matching `selector` (its rendered lines). */
function editorText(page: Page, selector = "spike-editor"): Promise<string> {
  return page.locator(`${selector} .view-lines`).innerText();
}

/** Wait until the editor matching `selector` shows Monaco bound to its file, and the text includes `expected`. */
async function editorShows(page: Page, expected: string, selector = "spike-editor"): Promise<void> {
  await page
    .waitForFunction(
      ([s, text]) => {
        const root = document.querySelector(s)?.shadowRoot ?? document.querySelector("spike-playground")?.shadowRoot?.querySelector(s)?.shadowRoot;
        const lines = root?.querySelector<HTMLElement>(".monaco-editor .view-lines");
        return !!lines && root!.querySelector<HTMLElement>("[part=loading]")!.hidden && lines.innerText.replace(/\u00a0/g, " ").includes(text);
      },
      [selector, expected] as const,
      WAIT,
    )
    .catch(async (error) => {
      throw new Error(`${selector} never showed ${JSON.stringify(expected)}; it shows ${JSON.stringify(await editorText(page, selector).catch(() => "?"))}`, { cause: error });
    });
}

async function newPage(context?: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await (context ?? browser).newPage({ viewport: { width: 1200, height: 800 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return { page, errors };
}

let snippet = "";
let savedRoom = "";

test("the playground's versions pane saves a named version, lists it, and restores it after a confirmation: the editor shows the old text", async () => {
  const room = unique("versions-ui");
  await writeFile(room, app("first"));
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: worker.url.origin });
  const { page, errors } = await newPage(context);
  try {
    await page.goto(new URL(`/__versions-e2e/playground.html?room=${room}`, worker.url).href);
    await editorShows(page, "first");
    const versions = page.locator("spike-versions");
    await versions.locator("[part=empty]").getByText("No saved versions yet.").waitFor(WAIT);

    // Save, with a name typed into the pane.
    await versions.locator("input[name=name]").click();
    await page.keyboard.type("The first word");
    await versions.getByRole("button", { name: "Save version" }).click();
    const first = versions.locator('[part=version][data-version="1"]');
    await first.waitFor(WAIT);
    assert.match(await first.innerText(), /v1\s+The first word/);
    await versions.locator("[part=status]").getByText("Saved v1 (The first word)").waitFor(WAIT);
    const listed = (await (await fetch(new URL(`/live/${room}/versions`, worker.url))).json()) as { versions: { n: number; name: string }[] };
    assert.deepEqual(listed.versions.map((v) => [v.n, v.name]), [[1, "The first word"]], "the server lists what the pane saved");
    assert.equal(await versions.locator("input[name=name]").inputValue(), "", "the name field is cleared for the next save");

    // The room moves on: a keystroke in the playground's editor.
    await page.locator("spike-editor .view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("export const later = 2;");
    await serverHas(room, "export const later = 2;");
    await writeFile(room, app("second"));
    await editorShows(page, "second");
    const frame = await previewFrame(page);
    await frameText(frame, "#word", /^second$/);

    // Restore asks first; Cancel leaves the room alone.
    await first.getByRole("button", { name: "Restore v1" }).click();
    const confirm = first.locator("[part=confirm]");
    await confirm.waitFor(WAIT);
    assert.match(await confirm.innerText(), /Restore v1\? Everyone in the room gets its files/);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "detached", ...WAIT });
    assert.match((await fetchSession(worker, room)).files["index.tsx"] ?? "", /second/, "Cancel restored nothing");

    await first.getByRole("button", { name: "Restore v1" }).click();
    await confirm.getByRole("button", { name: "Restore", exact: true }).click();
    await versions.locator("[part=status]").getByText("Restored v1").waitFor(WAIT);
    await editorShows(page, "first");
    assert.doesNotMatch(await editorText(page), /second|later/, "the editor shows v1's text, nothing of what came after");
    await frameText(frame, "#word", /^first$/);
    assert.equal((await fetchSession(worker, room)).files["index.tsx"], app("first"), "the live room has v1's files again");

    // Undo sets the room back to what it was before the restore, for every editor.
    await versions.getByRole("button", { name: "Undo the restore of v1" }).click();
    await versions.locator("[part=status]").getByText("Undid the restore of v1").waitFor(WAIT);
    await editorShows(page, "second");
    await frameText(frame, "#word", /^second$/);
    assert.match((await fetchSession(worker, room)).files["index.tsx"] ?? "", /second/);

    // Copy an embed of v1: the clipboard gets the snippet the element describes.
    await first.getByRole("button", { name: "Copy an embed of v1" }).click();
    await versions.locator("[part=status]").getByText("Copied an embed of v1").waitFor(WAIT);
    snippet = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(snippet, new RegExp(`<spike-playground server="[^"]+" room="${room}" version="1"></spike-playground>`));
    const { version: bundle } = (await (await fetch(new URL("/api/health", worker.url))).json()) as { version: string };
    assert.ok(snippet.includes(`<script type="module" src="${worker.url.origin}/v/${bundle}/spike.js"></script>`), snippet);
    savedRoom = room;

    const events = await page.evaluate(() => (window as any).events.map((e: any) => [e.name, e.detail.version?.n ?? e.detail.version]));
    assert.deepEqual(events, [["spike-save", 1], ["spike-restore", 1], ["spike-copy", 1]]);
    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/spike-versions-playground.png" });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the copied snippet, pasted into a page, shows version 1 read-only and keeps showing it while the room changes", async () => {
  assert.ok(snippet && savedRoom, "the first test copied a snippet");
  const room = savedRoom;
  // The page is the snippet itself (its script loads spike.js from the server), plus a live editor of the same room.
  writeFileSync(
    join(FIXTURE_DIR, "pinned.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pinned</title><link rel="icon" href="data:,">${HEAD}</head><body>
${snippet.replace("></spike-playground>", ' loading="eager"></spike-playground>')}
</body></html>`,
  );
  const { page, errors } = await newPage();
  const sockets: string[] = [];
  page.on("websocket", (ws) => sockets.push(new URL(ws.url()).pathname));
  try {
    await page.goto(new URL("/__versions-e2e/pinned.html", worker.url).href);
    await editorShows(page, "first");
    const frame = await previewFrame(page);
    await frameText(frame, "#word", /^first$/);
    const status = await page.locator("spike-editor [part=status]").innerText();
    assert.match(status, /Version 1/);
    assert.match(status, new RegExp(`Saved version of room ${room}, read-only`));
    assert.match(await page.locator("spike-preview [part=badge]").innerText(), /Version 1/);

    // The room changes twice (another version saved, then a new text): the pinned page stays on v1.
    await writeFile(room, app("third"));
    const saved = await fetch(new URL(`/live/${room}/versions`, worker.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "third" }),
    });
    assert.equal(saved.status, 201);
    await writeFile(room, app("fourth"));
    await serverHas(room, "fourth");

    // Keystrokes in the pinned editor change nothing, here or on the server.
    await page.locator("spike-editor .view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("typed into a version");
    // Poll a while for anything to leak; the text must stay v1's the whole time.
    for (let i = 0; i < 10; i++) {
      assert.doesNotMatch(await editorText(page), /typed|third|fourth/);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.match(await editorText(page), /first/);
    assert.equal(await frame.textContent("#word"), "first");
    const live = (await fetchSession(worker, room)).files["index.tsx"] ?? "";
    assert.ok(live.includes("fourth") && !live.includes("typed"), "nothing typed into the version reached the room");
    // No socket: a pinned page never joins the live room.
    assert.deepEqual(sockets, []);
    await page.screenshot({ path: "test-results/spike-versions-pinned.png" });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("an element pinned to a version the room does not have says so instead of showing an empty file", async () => {
  const room = unique("versions-missing");
  await writeFile(room, app("only"));
  const { page, errors } = await newPage();
  try {
    await page.goto(new URL(`/__versions-e2e/missing.html?room=${room}`, worker.url).href);
    await page
      .locator("spike-editor [part=loading]")
      .getByText(new RegExp(`Cannot show version 99 of room ${room}: version 99 of room ${room} does not exist`))
      .waitFor(WAIT);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("a reader the room lets only watch sees Read-only, cannot save or restore, and a restore asked anyway is refused with the server's reason", async () => {
  const room = unique("versions-viewer");
  const owner = { authorization: `Bearer ${await signer.sign({ sub: "user_owner" })}` };
  const put = await fetch(new URL(`/live/${room}/files/index.tsx`, worker.url), { method: "PUT", headers: owner, body: app("owned") });
  assert.ok(put.ok, await put.text());
  const claimed = await fetch(new URL(`/live/${room}/permissions`, worker.url), {
    method: "PUT",
    headers: { ...owner, "content-type": "application/json" },
    body: JSON.stringify({ visibility: "readonly" }),
  });
  assert.equal(claimed.status, 200, await claimed.text());
  const saved = await fetch(new URL(`/live/${room}/versions`, worker.url), {
    method: "POST",
    headers: { ...owner, "content-type": "application/json" },
    body: JSON.stringify({ name: "owned" }),
  });
  assert.equal(saved.status, 201, await saved.text());
  await fetch(new URL(`/live/${room}/files/index.tsx`, worker.url), { method: "PUT", headers: owner, body: app("changed") });

  const { page, errors } = await newPage();
  try {
    await page.goto(new URL(`/__versions-e2e/standalone.html?room=${room}`, worker.url).href);
    const versions = page.locator("spike-versions");
    await versions.locator("[part=badge]").getByText("Read-only").waitFor(WAIT);
    await versions.locator('[part=version][data-version="1"]').waitFor(WAIT);
    assert.equal(await versions.getByRole("button", { name: "Save version" }).isDisabled(), true);
    assert.equal(await versions.getByRole("button", { name: "Restore v1" }).isDisabled(), true);
    assert.equal(await versions.getByRole("button", { name: "Fork v1" }).isDisabled(), false, "a viewer may still fork");
    assert.equal(await page.evaluate(() => document.querySelector<any>("spike-versions").roomRole), "viewer");

    // The method skips the button: the server refuses, the status bar says why, and the room keeps its text.
    assert.equal(await page.evaluate(() => document.querySelector<any>("spike-versions").restore(1)), false);
    const status = await versions.locator("[part=status]").innerText();
    assert.match(status, /Cannot restore v1: this room is read-only/, "the status bar gives the server's reason");
    assert.match((await fetchSession(worker, room)).files["index.tsx"] ?? "", /changed/, "nothing was restored");

    // Fork v1 with a click: a new room of the viewer's own with v1's files, linked from the status bar.
    await versions.getByRole("button", { name: "Fork v1" }).click();
    const link = versions.locator("[part=fork-link]");
    await link.waitFor(WAIT);
    const fork = await page.evaluate(() => (window as any).events.find((e: any) => e.name === "spike-fork").detail);
    assert.deepEqual(fork.forkedFrom, { room, version: 1 });
    assert.notEqual(fork.room, room);
    assert.equal(await link.getAttribute("href"), new URL(`/live/${fork.room}`, worker.url).href);
    assert.equal((await fetchSession(worker, fork.room)).files["index.tsx"], app("owned"), "the fork has v1's files");
    assert.match((await fetchSession(worker, room)).files["index.tsx"] ?? "", /changed/, "the template is unchanged");
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
