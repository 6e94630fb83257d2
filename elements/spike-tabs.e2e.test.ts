/**
 * <spike-tabs> end to end: two people in one room, each in their own Chromium (a background tab paints nothing), with
 * <spike-tabs>, <spike-editor> and <spike-preview> on the page. Files are added, renamed and deleted with real clicks and
 * keystrokes on one page and appear on the other; hidden files build but get no tab; read-only files refuse typing; bad
 * names get an inline error; axe checks each state. The built site is served by the real Worker under workerd.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { assertAccessible } from "../test-support/axe.js";
import { copySite, editorReady, screenshots, writeFixturePages } from "../test-support/browser.js";
import { frameText, previewFrame, WAIT } from "../test-support/preview-e2e.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

const FILES = `
  <script type="text/plain" data-file="index.tsx">
    import { secret } from "./secret";
    export default function App() {
      return <p id="out">{secret}</p>;
    }
  </script>
  <script type="text/plain" data-file="secret.ts" hidden>export const secret = "from a hidden file";</script>
  <script type="text/plain" data-file="locked.ts" readonly>export const locked = 1;</script>`;

const PAGES = {
  // Tabs, editor and preview on room ?room=, created by script once the bundle has defined them.
  "room.html": `<script type="module">
    await customElements.whenDefined("spike-tabs");
    const room = new URLSearchParams(location.search).get("room");
    const tabs = Object.assign(document.createElement("spike-tabs"), { room });
    const editor = Object.assign(document.createElement("spike-editor"), { room, loading: "eager" });
    editor.innerHTML = ${JSON.stringify(FILES).replace(/<\//g, "<\\/")};
    const preview = Object.assign(document.createElement("spike-preview"), { room });
    document.body.append(tabs, editor, preview);
  </script>`,
  // A local project shared by name; the tabs load only when a tab is clicked.
  "local.html": `<spike-tabs project="p" loading="click"></spike-tabs>
    <spike-editor project="p" loading="eager">${FILES}</spike-editor>`,
};

const shot = screenshots("spike-tabs");
const site = copySite("spike-tabs-e2e", "preview/frame.html");
let worker: TestWorker;
let browsers: Browser[] = [];

before(async () => {
  writeFixturePages(join(site, "__tabs"), PAGES, `<style>body { margin: 16px; font-family: system-ui; } spike-editor, spike-preview { --spike-editor-height: 180px; --spike-preview-height: 120px; margin-top: 8px; }</style>`);
  worker = await startTestWorker({ assets: site });
  const launch = () => chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  browsers = await Promise.all([launch(), launch()]);
});

after(async () => {
  await Promise.all(browsers.map((browser) => browser.close()));
  await worker?.dispose();
  rmSync(site, { recursive: true, force: true });
});

type ErrorPage = Page & { errors: string[] };

async function open(browser: Browser, path: string): Promise<ErrorPage> {
  const page = (await browser.newPage({ viewport: { width: 900, height: 520 } })) as ErrorPage;
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  await page.goto(`${worker.url.origin}/__tabs/${path}`);
  return page;
}

/** The names on the page's tabs, in order. */
function tabNames(page: Page): Promise<string[]> {
  return page.locator("spike-tabs [role=tab]").evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute("data-file")!));
}

/** Wait until the page's tabs are exactly `names`. */
async function tabsAre(page: Page, names: string[]): Promise<void> {
  await page
    .waitForFunction(
      (names) => {
        const tabs = document.querySelector("spike-tabs")?.shadowRoot?.querySelectorAll("[role=tab]") ?? [];
        return JSON.stringify([...tabs].map((tab) => tab.getAttribute("data-file"))) === JSON.stringify(names);
      },
      names,
      WAIT,
    )
    .catch(async (error) => {
      throw new Error(`tabs never became ${JSON.stringify(names)}: they are ${JSON.stringify(await tabNames(page))}`, { cause: error });
    });
}

/** Wait until the page's editor shows `file`. */
async function editorOn(page: Page, file: string): Promise<void> {
  await page.waitForFunction((file) => document.querySelector("spike-editor")?.file === file, file, WAIT);
}

/** A file's text in the room, as this page's shared doc has it (null: no such file). */
function roomFile(page: Page, room: string, name: string): Promise<string | null> {
  return page.evaluate(
    async ({ room, name }) => {
      const { acquireRoomClient } = await import("/core.js");
      const lease = acquireRoomClient({ server: location.origin, room });
      const text = lease.client.doc.getMap("files").get(name)?.toString() ?? null;
      lease.release();
      return text;
    },
    { room, name },
  );
}

/** Set a file's flags in the room's metadata from this page, through the core client's public API. */
function setRoomFlags(page: Page, room: string, name: string, flags: { hidden?: boolean; readonly?: boolean }): Promise<void> {
  return page.evaluate(
    async ({ room, name, flags }) => {
      const { acquireRoomClient, setFileFlags } = await import("/core.js");
      const lease = acquireRoomClient({ server: location.origin, room });
      setFileFlags(lease.client.doc, name, flags);
      lease.release();
    },
    { room, name, flags },
  );
}

test("two people: add, rename and delete on one page appear on the other; hidden files build without a tab; bad names are refused", async () => {
  const room = `tabs-e2e-${Date.now().toString(36)}`;
  const [a, b] = await Promise.all(browsers.map((browser) => open(browser, `room.html?room=${room}`)));
  try {
    for (const page of [a, b]) {
      await page.waitForSelector("spike-tabs[file]", WAIT);
      await editorReady(page);
    }
    // secret.ts is hidden (inline attribute) but the preview imports it: it builds, it has no tab.
    for (const page of [a, b]) await tabsAre(page, ["index.tsx", "locked.ts"]);
    assert.equal(await frameText(await previewFrame(a), "#out", /hidden file/), "from a hidden file");
    assert.equal(await a.getByRole("tab", { name: "index.tsx entry" }).getAttribute("aria-selected"), "true");
    assert.equal(await a.locator("spike-tabs [role=tab][data-file='locked.ts'] [part=readonly]").count(), 1);
    await assertAccessible(a, "tabs, connected", "spike-tabs");
    await shot(a, "connected");

    // Add on A: bad names first, each with its reason, then a good one.
    await a.getByRole("button", { name: "Add file" }).click();
    const input = a.getByLabel("New file name");
    assert.equal(await input.evaluate((el) => el === el.getRootNode().activeElement), true, "the name field has the focus");
    await a.keyboard.type("../up.ts");
    await a.keyboard.press("Enter");
    const error = a.locator("spike-tabs [part=error][role=alert]");
    await error.filter({ hasText: "is not a file name" }).waitFor(WAIT);
    assert.equal(await input.getAttribute("aria-invalid"), "true");
    await assertAccessible(a, "tabs, bad name", "spike-tabs");
    await shot(a, "bad-name");
    await a.keyboard.press("Control+A");
    await a.keyboard.type("index.tsx");
    await a.keyboard.press("Enter");
    await error.filter({ hasText: 'A file named "index.tsx" already exists' }).waitFor(WAIT);
    await a.keyboard.press("Control+A");
    await a.keyboard.press("Backspace");
    await a.keyboard.press("Enter");
    await error.filter({ hasText: "Type a file name" }).waitFor(WAIT);
    await a.keyboard.press("Control+A");
    await a.keyboard.type("extra.ts");
    await a.keyboard.press("Enter");
    await tabsAre(a, ["extra.ts", "index.tsx", "locked.ts"]);
    await editorOn(a, "extra.ts");
    assert.equal(await a.getByRole("tab", { name: "extra.ts" }).getAttribute("aria-selected"), "true");
    await tabsAre(b, ["extra.ts", "index.tsx", "locked.ts"]);

    // B opens the new file and types in it; A's editor is on it too.
    await b.getByRole("tab", { name: "extra.ts" }).click();
    await editorOn(b, "extra.ts");
    await editorReady(b);
    await b.locator("spike-editor .view-lines").click();
    await b.keyboard.type("export const x = 1;");
    await a.waitForFunction(() => document.querySelector("spike-editor")!.shadowRoot!.querySelector(".view-lines")!.textContent!.includes("export"), null, WAIT);

    // Rename on A from the keyboard (F2 on the selected tab): B's tab and B's editor follow, and the text goes with it.
    await a.getByRole("tab", { name: "extra.ts" }).focus();
    await a.keyboard.press("F2");
    const rename = a.getByLabel("Rename extra.ts to");
    assert.equal(await rename.inputValue(), "extra.ts");
    await a.keyboard.type("renamed"); // replaces the selected "extra", keeps ".ts"
    await a.keyboard.press("Enter");
    for (const page of [a, b]) {
      await tabsAre(page, ["index.tsx", "locked.ts", "renamed.ts"]);
      await editorOn(page, "renamed.ts");
    }
    assert.equal(await b.locator("spike-tabs").getAttribute("file"), "renamed.ts");
    assert.equal(await roomFile(b, room, "renamed.ts"), "export const x = 1;");
    assert.equal(await roomFile(b, room, "extra.ts"), null);

    // A double-click on B opens the rename form; Escape closes it and gives the tab back the focus.
    await b.getByRole("tab", { name: "renamed.ts" }).dblclick();
    await b.getByLabel("Rename renamed.ts to").waitFor(WAIT);
    await b.keyboard.press("Escape");
    await b.getByLabel("Rename renamed.ts to").waitFor({ state: "detached", ...WAIT });
    assert.equal(await b.evaluate(() => document.querySelector("spike-tabs")!.shadowRoot!.activeElement?.getAttribute("data-file")), "renamed.ts");

    // Delete on A with the Delete key, confirmed: gone on both pages, and both editors move to the entry.
    await a.getByRole("tab", { name: "renamed.ts" }).focus();
    await a.keyboard.press("Delete");
    const confirm = a.getByRole("group", { name: "Delete renamed.ts for everyone in the project?" });
    await confirm.waitFor(WAIT);
    await assertAccessible(a, "tabs, confirm delete", "spike-tabs");
    await shot(a, "confirm-delete");
    await confirm.getByRole("button", { name: "Delete", exact: true }).click();
    for (const page of [a, b]) {
      await tabsAre(page, ["index.tsx", "locked.ts"]);
      await editorOn(page, "index.tsx");
    }
    assert.equal(await roomFile(a, room, "renamed.ts"), null);

    // The entry cannot be deleted: the Delete key says why.
    await a.getByRole("tab", { name: "index.tsx entry" }).focus();
    await a.keyboard.press("Delete");
    await error.filter({ hasText: "index.tsx is the entry file and cannot be deleted" }).waitFor(WAIT);

    // Hidden in the room's metadata (set on B): A's tab goes; cleared, it comes back.
    await setRoomFlags(b, room, "locked.ts", { hidden: true });
    await tabsAre(a, ["index.tsx"]);
    await setRoomFlags(b, room, "locked.ts", { hidden: false });
    await tabsAre(a, ["index.tsx", "locked.ts"]);
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test("a read-only file refuses typing (inline attribute or room metadata); arrows move between tabs; readonly tabs and dark pass axe", async () => {
  const room = `tabs-ro-${Date.now().toString(36)}`;
  const [a, b] = await Promise.all(browsers.map((browser) => open(browser, `room.html?room=${room}`)));
  try {
    await a.waitForSelector("spike-tabs[file]", WAIT);
    await editorReady(a);
    // Arrow keys: from the entry to locked.ts, which the editor follows.
    await a.getByRole("tab", { name: "index.tsx entry" }).focus();
    await a.keyboard.press("ArrowRight");
    await editorOn(a, "locked.ts");
    assert.equal(await a.evaluate(() => document.querySelector("spike-tabs")!.shadowRoot!.activeElement?.getAttribute("data-file")), "locked.ts");
    await editorReady(a);
    await a.locator("spike-editor [part=badge]").filter({ hasText: "Read-only file" }).waitFor(WAIT);

    // Typing into locked.ts changes nothing; the same keystrokes in index.tsx do (so they would have reached locked.ts).
    await a.locator("spike-editor .view-lines").click();
    await a.keyboard.type("zzz");
    await a.getByRole("tab", { name: "locked.ts read-only" }).click();
    await a.keyboard.press("ArrowLeft"); // back to index.tsx
    await editorOn(a, "index.tsx");
    await editorReady(a);
    await a.locator("spike-editor .view-lines").click();
    await a.keyboard.press("Control+Home");
    await a.keyboard.type("// ok\n");
    await b.waitForFunction(
      async (room) => {
        const { acquireRoomClient } = await import("/core.js");
        const lease = acquireRoomClient({ server: location.origin, room });
        const text = lease.client.doc.getMap("files").get("index.tsx")?.toString() ?? "";
        lease.release();
        return text.startsWith("// ok\n");
      },
      room,
      WAIT,
    );
    assert.equal(await roomFile(b, room, "locked.ts"), "export const locked = 1;\n");
    assert.equal(await roomFile(a, room, "locked.ts"), "export const locked = 1;\n");

    // Read-only in the room's metadata (set on B): A's open file gets the lock and the badge.
    await setRoomFlags(b, room, "index.tsx", { readonly: true });
    await a.getByRole("tab", { name: "index.tsx entry read-only" }).waitFor(WAIT);
    await a.locator("spike-editor [part=badge]").filter({ hasText: "Read-only file" }).waitFor(WAIT);
    await a.getByRole("button", { name: "Rename index.tsx" }).click();
    await a.locator("spike-tabs [part=error]").filter({ hasText: "index.tsx is read-only" }).waitFor(WAIT);

    // The readonly attribute takes the buttons (and F2) away; dark theme.
    await a.locator("spike-tabs").evaluate((tabs) => ((tabs as any).readonly = true));
    await a.getByRole("button", { name: "Add file" }).waitFor({ state: "detached", ...WAIT });
    await a.getByRole("tab", { name: "locked.ts read-only" }).focus();
    await a.keyboard.press("F2");
    assert.equal(await a.locator("spike-tabs input").count(), 0);
    await assertAccessible(a, "tabs, readonly", "spike-tabs");
    await a.locator("spike-tabs").evaluate((tabs) => tabs.setAttribute("theme", "dark"));
    await assertAccessible(a, "tabs, readonly, dark", "spike-tabs");
    await shot(a, "readonly-dark");
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test("lite tabs (loading=click) list the inline files without hidden ones; a click picks the file, loads them and they edit a local project", async () => {
  const page = await open(browsers[0]!, "local.html");
  try {
    await tabsAre(page, ["index.tsx", "locked.ts"]);
    assert.equal(await page.locator("spike-tabs [part=actions]").count(), 0, "lite: no operations yet");
    await assertAccessible(page, "tabs, lite", "spike-tabs");
    await page.getByRole("tab", { name: /^locked\.ts/ }).click();
    await editorOn(page, "locked.ts");
    await page.getByRole("button", { name: "Add file" }).click();
    await page.keyboard.type("lib/util.ts");
    await page.keyboard.press("Enter");
    await tabsAre(page, ["index.tsx", "lib/util.ts", "locked.ts"]);
    await editorOn(page, "lib/util.ts");
    await assertAccessible(page, "tabs, local project", "spike-tabs");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
