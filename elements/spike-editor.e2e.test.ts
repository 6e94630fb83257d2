/**
 * <spike-editor> end to end: the built bundle (dist/site, from `npm run build`) served by the real Worker under workerd,
 * driven with real keystrokes in Debian's Chromium. Fixture pages are written under dist/site/__e2e/ and served by the
 * Worker, so /spike.js and the room WebSockets are the real ones (screenshots go to test-results/).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { editorReady, writeFixturePages } from "../test-support/browser.js";
import { connectClient, startTestWorker, type TestClient, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };

/**
 * Fixture pages, written under dist/site/__e2e/ before the Worker starts (its asset manifest is read at start-up) and
 * removed afterwards. They are served by the Worker itself: a page Playwright answered from memory would count as a
 * public address to Chromium's Local Network Access checks, which then block the WebSocket to 127.0.0.1.
 */
const FIXTURE_DIR = "dist/site/__e2e";
const FIXTURES: Record<string, string> = {
  "empty.html": `<spike-editor></spike-editor>`,
  "local.html": `
    <spike-editor>
      <script type="text/plain" data-file="index.tsx">
        export const greeting: string = "hello";
      </script>
      <script type="text/plain" data-file="util.ts">
        export const two = 1 + 1;
      </script>
    </spike-editor>`,
  "diagnostics.html": `<spike-editor><script type="text/plain" data-file="index.tsx">
    const n: number = 1;
  </script></spike-editor>`,
  // The room comes from ?room=; the element is created by script after the bundle has defined it.
  "room.html": `<script type="module">
    await customElements.whenDefined("spike-editor");
    const editor = document.createElement("spike-editor");
    editor.room = new URLSearchParams(location.search).get("room");
    document.body.append(editor);
  </script>`,
};

/** What every fixture page adds to its head: sizes, and a record of the editor's spike-change events. */
const FIXTURE_HEAD = `<style>body { margin: 24px; font-family: system-ui; } spike-editor { --spike-editor-height: 220px; }</style>
<script>window.changes = []; addEventListener("spike-change", (e) => window.changes.push(e.detail));</script>`;

let worker: TestWorker;
let origin: string;
let browser: Browser;

before(async () => {
  assert.ok(existsSync("dist/site/spike.js"), "dist/site/spike.js is missing: run `npm run build` first");
  writeFixturePages(FIXTURE_DIR, FIXTURES, FIXTURE_HEAD);
  worker = await startTestWorker({ assets: "dist/site" });
  origin = worker.url.origin;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(FIXTURE_DIR, { recursive: true, force: true });
});

/** Open a fixture page. Page errors and console errors are collected for the test to assert on. */
async function openFixture(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 900, height: 320 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto(`${origin}/__e2e/${path}`);
  return page;
}

function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

/** The text Monaco renders in the nth editor (spaces normalised). */
function renderedText(page: Page, index = 0): Promise<string> {
  return page.evaluate((i) => {
    const root = document.querySelectorAll("spike-editor")[i]!.shadowRoot!;
    const lines = [...root.querySelectorAll<HTMLElement>(".view-line")].sort(
      (a, b) => parseFloat(a.style.top) - parseFloat(b.style.top),
    );
    return lines.map((l) => l.textContent!.replace(/\u00a0/g, " ")).join("\n");
  }, index);
}

/** The nth editor's rendered text once it includes `needle`, or whatever it shows after WAIT's timeout. */
async function renderedTextOnceIncludes(page: Page, needle: string, index = 0): Promise<string> {
  const deadline = Date.now() + WAIT.timeout;
  let text = await renderedText(page, index);
  while (!text.includes(needle) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    text = await renderedText(page, index);
  }
  return text;
}

/** The room's shared doc as this page sees it, through the bundle's public exports. */
function roomView(page: Page, room: string) {
  return page.evaluate(async (room) => {
    const { acquireRoomClient } = await import("/core.js");
    const lease = acquireRoomClient({ server: location.origin, room });
    const { client } = lease;
    const view = {
      clientId: client.doc.clientID,
      name: client.awareness.getLocalState()!.user.name as string,
      text: client.doc.getMap("files").get("index.tsx")?.toString() ?? "",
    };
    lease.release();
    return view;
  }, room);
}

test("the element is registered and accessible", async () => {
  const page = await openFixture("empty.html");
  try {
    await editorReady(page);
    assert.equal(await page.evaluate(() => typeof customElements.get("spike-editor")), "function");
    const region = page.getByRole("region", { name: "Code editor: index.tsx" });
    assert.equal(await region.count(), 1);
    const status = page.getByRole("status");
    assert.equal(await status.getAttribute("aria-live"), "polite");
    assert.match(await status.innerText(), /Local project/);
    assert.deepEqual(pageErrors(page), []);
  } finally {
    await page.close();
  }
});

test("local mode: shows inline files, is editable, follows the file attribute, makes no connection", async () => {
  const fixture = await openFixture("local.html");
  const sockets: string[] = [];
  fixture.on("websocket", (ws) => sockets.push(ws.url()));
  try {
    await editorReady(fixture);
    assert.equal(await renderedText(fixture), 'export const greeting: string = "hello";\n');

    await fixture.locator("spike-editor .view-lines").click();
    await fixture.keyboard.press("Control+End");
    await fixture.keyboard.type("export const n = 42;");
    await fixture.waitForFunction(() => (window as any).changes.at(-1)?.text.includes("export const n = 42;"), null, WAIT);
    const last = await fixture.evaluate(() => (window as any).changes.at(-1));
    assert.deepEqual(last, {
      file: "index.tsx",
      text: 'export const greeting: string = "hello";\nexport const n = 42;',
      remote: false,
    });
    // Monaco paints on its next animation frame, which can come after the change event.
    assert.match(await renderedTextOnceIncludes(fixture, "export const n = 42;"), /export const n = 42;/);

    await fixture.evaluate(() => document.querySelector("spike-editor")!.setAttribute("file", "util.ts"));
    await fixture.waitForFunction(
      () => document.querySelector("spike-editor")!.shadowRoot!.querySelector(".view-lines")!.textContent!.includes("two"),
      null,
      WAIT,
    );
    assert.equal(await fixture.getByRole("region", { name: "Code editor: util.ts" }).count(), 1);
    assert.deepEqual(sockets, []);
    assert.deepEqual(pageErrors(fixture), []);
  } finally {
    await fixture.close();
  }
});

test("TypeScript diagnostics underline a type error", async () => {
  const page = await openFixture("diagnostics.html");
  try {
    await editorReady(page);
    assert.equal(
      await page.evaluate(() => document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll(".squiggly-error").length),
      0,
    );
    await page.locator("spike-editor .view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type('const s: string = n;');
    await page.waitForFunction(
      () => document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll(".squiggly-error").length > 0,
      null,
      WAIT,
    );
  } finally {
    await page.close();
  }
});

test("two pages in one room converge on typed keystrokes and show each other's cursors", async () => {
  const room = `e2e-${Date.now().toString(36)}`;
  const [a, b] = [await openFixture(`room.html?room=${room}`), await openFixture(`room.html?room=${room}`)];
  try {
    await Promise.all([editorReady(a), editorReady(b)]);
    for (const page of [a, b]) {
      await page.waitForFunction(() => (document.querySelector("spike-editor") as any).status === "connected", null, WAIT);
      assert.match(await page.getByRole("status").innerText(), new RegExp(`Live in room ${room}`));
    }

    await a.locator("spike-editor .view-lines").click();
    await a.keyboard.type("const fromA = 1;\n");
    await b.waitForFunction(() => (window as any).changes.at(-1)?.text.includes("fromA = 1;"), null, WAIT);
    assert.equal((await b.evaluate(() => (window as any).changes.at(-1))).remote, true);

    await b.locator("spike-editor .view-lines").click();
    await b.keyboard.press("Control+End");
    await b.keyboard.type("const fromB = 2;\n");
    // Both type at once, a at the top and b at the bottom: real concurrent edits.
    await a.keyboard.press("Control+Home");
    await Promise.all([a.keyboard.type("// a was here\n"), b.keyboard.type("// b was here\n")]);

    const expected = ["const fromA = 1;", "const fromB = 2;", "// a was here", "// b was here"];
    for (const page of [a, b]) {
      await page
        .waitForFunction(
          (parts) => {
            const text = (window as any).changes.at(-1)?.text ?? "";
            return parts.every((p: string) => text.includes(p));
          },
          expected,
          WAIT,
        )
        .catch(async (error) => {
          const text = await page.evaluate(() => (window as any).changes.at(-1)?.text);
          throw new Error(`${page === a ? "a" : "b"} never saw all edits; its text: ${JSON.stringify(text)}`, { cause: error });
        });
    }
    const [viewA, viewB] = [await roomView(a, room), await roomView(b, room)];
    assert.equal(viewA.text, viewB.text);
    await a.waitForFunction((text) => (window as any).changes.at(-1).text === text, viewA.text, WAIT);
    await b.waitForFunction((text) => (window as any).changes.at(-1).text === text, viewA.text, WAIT);
    assert.equal((await renderedText(a)).trimEnd(), viewA.text.trimEnd());
    assert.equal((await renderedText(b)).trimEnd(), viewA.text.trimEnd());

    // Each page renders the other's caret with its name label in the other user's colour.
    for (const [page, other] of [[a, viewB], [b, viewA]] as const) {
      const head = page.locator(`spike-editor .yRemoteSelectionHead-${other.clientId}`);
      await head.waitFor({ state: "attached", ...WAIT });
      const label = await head.evaluate((el) => getComputedStyle(el, "::after").content);
      assert.equal(label, JSON.stringify(other.name));
    }
    assert.match(await a.locator("spike-editor [part=status]").innerText(), /2 people here/);

    mkdirSync("test-results", { recursive: true });
    await a.screenshot({ path: "test-results/spike-editor-room-a.png" });
    await b.screenshot({ path: "test-results/spike-editor-room-b.png" });
    assert.deepEqual([...pageErrors(a), ...pageErrors(b)], []);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test("hostile presence in a room (malformed selections, an object or 3 KB name, CSS in a colour) breaks no editor", async () => {
  const room = `e2e-presence-${Date.now().toString(36)}`;
  // A second browser: a background tab paints nothing, and both editors must paint.
  const other = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const hostile: TestClient[] = [];
  const pages: Page[] = [];
  try {
    const a = await openFixture(`room.html?room=${room}`);
    pages.push(a);
    await editorReady(a);
    await a.waitForFunction(() => (document.querySelector("spike-editor") as any).status === "connected", null, WAIT);

    // Stock y-websocket clients that publish, for their own client ids, states no spike client would write.
    const server = { url: new URL(origin), dispose: async () => {} };
    const states = [
      // y-monaco reads selection.anchor.item.client: undefined here.
      { user: { name: { first: "Eve" }, color: 7 }, selection: { anchor: {}, head: {} } },
      // No item, type or tname: Yjs throws "Unexpected case".
      {
        // 3 KB: far past what a page shows, yet under the room's 4 KB limit on a presence state (a larger one is refused).
        user: { name: "M".repeat(3_000), color: "red; } .view-lines { display: none } x {" },
        selection: { anchor: { type: null, tname: null, item: null, assoc: 0 }, head: { type: null, tname: null, item: null, assoc: 0 } },
        typing: { not: "a boolean" },
      },
      { user: "just a string", selection: { anchor: { item: { client: "x", clock: -1 } }, head: [] } },
    ];
    for (const state of states) {
      const client = connectClient(server, room);
      hostile.push(client);
      await client.synced();
      client.provider.awareness.setLocalState(state);
    }
    await a.waitForFunction(() => /4 people here/.test(document.querySelector("spike-editor")!.shadowRoot!.querySelector("[part=status]")!.textContent!), null, WAIT);

    // The second editor joins a room where the hostile states already are.
    const page = await other.newPage({ viewport: { width: 900, height: 320 } });
    const errorsB: string[] = [];
    page.on("pageerror", (error) => errorsB.push(error.message));
    page.on("console", (message) => message.type() === "error" && errorsB.push(message.text()));
    (page as Page & { errors?: string[] }).errors = errorsB;
    await page.goto(`${origin}/__e2e/room.html?room=${room}`);
    const b = page;
    pages.push(b);
    await editorReady(b);
    await b.waitForFunction(() => /5 people here/.test(document.querySelector("spike-editor")!.shadowRoot!.querySelector("[part=status]")!.textContent!), null, WAIT);

    // Typing still syncs both ways and paints on the other side.
    await a.locator("spike-editor .view-lines").click();
    await a.keyboard.type("const fromA = 1;\n");
    await b.waitForFunction(() => (window as any).changes.at(-1)?.text.includes("fromA = 1;"), null, WAIT);
    assert.match(await renderedTextOnceIncludes(b, "fromA = 1;"), /const fromA = 1;/);
    await b.locator("spike-editor .view-lines").click();
    await b.keyboard.press("Control+End");
    await b.keyboard.type("const fromB = 2;");
    await a.waitForFunction(() => (window as any).changes.at(-1)?.text.includes("fromB = 2;"), null, WAIT);
    assert.match(await renderedTextOnceIncludes(a, "fromB = 2;"), /const fromB = 2;/);

    // Each page renders the good peer's caret with its name; the hostile peers get no caret and no CSS of their own.
    const [viewA, viewB] = [await roomView(a, room), await roomView(b, room)];
    for (const [p, peer] of [[a, viewB], [b, viewA]] as const) {
      const head = p.locator(`spike-editor .yRemoteSelectionHead-${peer.clientId}`);
      await head.waitFor({ state: "attached", ...WAIT }).catch((error) => {
        const errors = p === a ? pageErrors(a) : errorsB;
        throw new Error(`page ${p === a ? "a" : "b"} never rendered its peer's caret; page errors: ${JSON.stringify(errors.slice(0, 3))}`, { cause: error });
      });
      assert.equal(await head.evaluate((el) => getComputedStyle(el, "::after").content), JSON.stringify(peer.name));
      for (const client of hostile) {
        assert.equal(await p.locator(`spike-editor .yRemoteSelectionHead-${client.doc.clientID}`).count(), 0);
      }
      assert.notEqual(await p.locator("spike-editor .view-lines").evaluate((el) => getComputedStyle(el).display), "none");
      // The per-client cursor rules: the hostile peers are "Anonymous" in the fallback colour, and nothing else.
      const cursorRules = await p.evaluate(() =>
        document
          .querySelector("spike-editor")!
          .shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((r) => r.cssText))
          .filter((rule) => /yRemoteSelection(Head)?-\d/.test(rule)),
      );
      assert.equal(cursorRules.length, 3 * 4, "three rules for each of the four other clients");
      for (const client of hostile) {
        const rules = cursorRules.filter((rule) => rule.includes(`-${client.doc.clientID} `) || rule.includes(`-${client.doc.clientID}::`));
        assert.equal(rules.length, 3);
        assert.match(rules.join("\n"), /content: "Anonymous"/);
        assert.doesNotMatch(rules.join("\n"), /display|MMMM|red/);
      }
    }

    mkdirSync("test-results", { recursive: true });
    await a.screenshot({ path: "test-results/spike-editor-hostile-presence-a.png" });
    await b.screenshot({ path: "test-results/spike-editor-hostile-presence-b.png" });
    assert.deepEqual(pageErrors(a), []);
    assert.deepEqual(errorsB, []);
  } finally {
    for (const client of hostile) client.destroy();
    await Promise.all(pages.map((p) => p.close()));
    await other.close();
  }
});

test("a page on another origin embeds the element from the spike server: room, workers and diagnostics work", async () => {
  const room = `e2e-embed-${Date.now().toString(36)}`;
  const host = createServer((_req, res) => {
    res.setHeader("content-type", "text/html");
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
      <script type="module" src="${origin}/spike.js"></script></head><body>
      <spike-editor room="${room}"><script type="text/plain" data-file="index.tsx">
        export const n: number = "not a number";
      </script></spike-editor></body></html>`);
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  const page = await browser.newPage({ viewport: { width: 900, height: 320 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  try {
    const hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    assert.notEqual(hostOrigin, origin);
    await page.goto(`${hostOrigin}/`);
    await editorReady(page);
    // No server attribute: the element talks to the origin its script came from.
    await page.waitForFunction(() => (document.querySelector("spike-editor") as any).status === "connected", null, WAIT);
    assert.match(await renderedText(page), /export const n: number = "not a number";/);
    // The TypeScript worker started from the other origin (through a same-origin blob) and reports the error.
    await page.waitForFunction(
      () => document.querySelector("spike-editor")!.shadowRoot!.querySelectorAll(".squiggly-error").length > 0,
      null,
      WAIT,
    );
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    host.closeAllConnections();
    await new Promise((resolve) => host.close(resolve));
  }
});
