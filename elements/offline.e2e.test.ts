/**
 * Offline end to end: the built site (dist/site, with its service workers) served by the real Worker under workerd, in
 * Debian's Chromium. A first visit to a page with `/sw-register.js` and a `<spike-room persist>`; then the browser's
 * offline emulation and a reload: the editor opens on the room as last synced ("Offline, changes will sync"), the preview
 * (on the other origin, with its own worker) renders it, and an edit typed offline reaches a second client (a node
 * RoomClient over a real WebSocket) once the network is back.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import WebSocket from "ws";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { readFiles } from "../core/project.js";
import { RoomClient, type WebSocketConstructor } from "../core/room-client.js";
import { copySite, editorReady, screenshots, writeFixturePages } from "../test-support/browser.js";
import { waitUntil } from "../test-support/wait.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };
const shot = screenshots("offline");

const SITE = copySite("spike-offline-e2e", "sw.js");
const APP = `export default function App() { return <p id="hello">{"hello" + 1}</p>; }`;

/**
 * A gallery-like page: the offline registration, and an editor and a preview in a room (from the query: each run its own)
 * kept in IndexedDB.
 */
const FIXTURES: Record<string, string> = {
  "room.html": `<script type="module">
    await customElements.whenDefined("spike-editor");
    const room = new URLSearchParams(location.search).get("room");
    document.querySelector("main").innerHTML = \`<spike-room room="\${room}" persist>
      <spike-editor><script type="text/plain" data-file="index.tsx">${APP}<\\/script></spike-editor>
      <spike-preview></spike-preview>
    </spike-room>\`;
  </script><main></main>`,
};
/** Pages of no spike server's: nothing from their own origin but themselves. */
const THIRD_PARTY: Record<string, string> = {
  // A third-party page: spike.js and sw-register.js from the other loopback origin (another site), every call to
  // register a service worker recorded.
  "third-party.html": `<script type="module">
    window.registered = [];
    const register = ServiceWorkerContainer.prototype.register;
    ServiceWorkerContainer.prototype.register = function (...args) {
      window.registered.push(String(args[0]));
      return register.apply(this, args);
    };
    const spike = \`http://\${location.hostname === "localhost" ? "127.0.0.1" : "localhost"}:\${location.port}\`;
    // Served without CORS to other origins, so a module import from here fails; were it loaded, it would register nothing.
    window.swRegister = await import(\`\${spike}/sw-register.js\`).then(() => "loaded", () => "refused");
    await import(\`\${spike}/spike.js\`);
    document.querySelector("main").innerHTML = \`<spike-editor room="\${new URLSearchParams(location.search).get("room")}" persist></spike-editor>\`;
    window.loaded = true;
  </script><main></main>`,
};
const HEAD = `<script type="module" src="/sw-register.js"></script>
<style>spike-editor, spike-preview { --spike-editor-height: 200px; --spike-preview-height: 200px; }</style>`;

/**
 * A browser profile of its own, as a visitor's with third-party cookies allowed: the preview frame is a third-party frame
 * (another site than the page), and a browser that blocks third-party storage (a private window, this Chromium's default
 * profile) lets it keep nothing, so it could not preview offline (README "Offline").
 */
const PROFILE = mkdtempSync(join(tmpdir(), "spike-offline-profile-"));
mkdirSync(join(PROFILE, "Default"));
writeFileSync(join(PROFILE, "Default/Preferences"), JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));

let worker: TestWorker;
let context: BrowserContext;
let origin: string;

before(async () => {
  writeFixturePages(join(SITE, "__offline"), FIXTURES, HEAD);
  // Written as they are: a fixture page would load the serving origin's own spike.js.
  mkdirSync(join(SITE, "__third-party"));
  for (const [name, body] of Object.entries(THIRD_PARTY)) {
    writeFileSync(join(SITE, "__third-party", name), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title></head><body>${body}</body></html>`);
  }
  worker = await startTestWorker({ assets: SITE });
  origin = worker.url.origin;
  context = await chromium.launchPersistentContext(PROFILE, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1000, height: 700 },
  });
});

after(async () => {
  await context?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
  rmSync(PROFILE, { recursive: true, force: true });
});

/** The text of the editor's status (its live region). */
const statusText = (page: Page) => page.locator("spike-editor .status").innerText();

/** The rendered paragraph in the preview frame. */
const previewText = (page: Page) => page.frameLocator("spike-preview iframe").locator("#hello").innerText(WAIT);

/** Wait until both workers hold what a reload without a network needs: the page's and the preview frame's. */
async function waitForOfflineCopies(page: Page): Promise<void> {
  await waitUntil(
    () =>
      page.evaluate(async () => {
        if (!navigator.serviceWorker.controller) return false;
        const page = await caches.match(location.href, { cacheName: "spike-pages" });
        const config = await caches.match(new URL("/api/config", location.href).href, { cacheName: "spike-config" });
        return !!page && !!config;
      }),
    { timeoutMs: WAIT.timeout, what: "the page's worker to keep the page and /api/config" },
  );
  const frame = page.frames().find((f) => new URL(f.url()).pathname.startsWith("/preview/frame"));
  assert.ok(frame, `the preview frame is on the page: ${page.frames().map((f) => f.url()).join(", ")}`);
  await waitUntil(
    () =>
      frame.evaluate(async () => {
        if (!navigator.serviceWorker.controller) return false;
        const npm = await caches.open("spike-preview-npm");
        return (await npm.keys()).some((request) => request.url.includes("/npm/react-dom@"));
      }),
    { timeoutMs: WAIT.timeout, what: "the preview frame's worker to keep React" },
  );
}

test("after a first visit, a reload without a network opens the editor and the preview; the offline edit syncs when the network returns", async () => {
  const errors: string[] = [];
  const page = await context.newPage();
  page.on("pageerror", (error) => errors.push(error.message));
  const room = `offline-${Date.now().toString(36)}`;
  const url = `${origin}/__offline/room.html?room=${room}`;
  try {
    await page.goto(url, { waitUntil: "domcontentloaded" });
    await editorReady(page);
    assert.equal(await previewText(page), "hello1");
    await waitUntil(async () => (await statusText(page)).includes(`Live in room ${room}`), { timeoutMs: WAIT.timeout, what: "the room to connect" });
    await waitForOfflineCopies(page);

    await context.setOffline(true);
    // The network is really gone for the page and its worker: a URL no cache holds fails.
    const fetched = await page.evaluate(() => fetch("/spike.js?uncached").then(() => "answered", () => "failed"));
    assert.equal(fetched, "failed");
    await page.reload({ waitUntil: "domcontentloaded" });
    await editorReady(page);
    await waitUntil(async () => (await statusText(page)).includes("Offline, changes will sync"), { what: "the offline status" });
    // Monaco draws spaces as no-break spaces.
    assert.match((await page.locator("spike-editor .view-lines").innerText()).replace(/\u00a0/g, " "), /"hello" \+ 1/);
    assert.equal(await previewText(page), "hello1");

    // Typed offline: the preview follows at once.
    await page.locator("spike-editor .view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("\nexport const offline = 2;");
    await page.locator("spike-editor .view-lines").getByText('"hello" + 1').click();
    await page.keyboard.press("End");
    for (let i = 0; i < "1}</p>; }".length; i++) await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("Delete");
    await page.keyboard.type("2");
    await page.frameLocator("spike-preview iframe").locator("#hello", { hasText: /^hello2$/ }).waitFor(WAIT);
    await shot(page, "edited-offline");

    // A second client, in node, sees the edit once this browser is back online.
    const second = new RoomClient({ server: origin, room, WebSocket: WebSocket as unknown as WebSocketConstructor });
    try {
      await second.whenSynced();
      assert.match(readFiles(second.doc)["index.tsx"] ?? "", /"hello" \+ 1/, "the room had the first visit's state");
      assert.doesNotMatch(readFiles(second.doc)["index.tsx"] ?? "", /offline = 2/, "nothing of the offline edit yet");
      await context.setOffline(false);
      await waitUntil(() => /"hello" \+ 2\}/.test(readFiles(second.doc)["index.tsx"] ?? "") && /offline = 2/.test(readFiles(second.doc)["index.tsx"] ?? ""), {
        timeoutMs: WAIT.timeout,
        what: "the offline edit to reach the second client",
      });
      await waitUntil(async () => (await statusText(page)).includes(`Live in room ${room}`), { timeoutMs: WAIT.timeout, what: "the room to connect" });
    } finally {
      second.destroy();
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("an embed on a third-party page registers no service worker on the host's origin, with sw-register.js and persist", async () => {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  try {
    // The page on the other loopback name: another site than the spike server's origin it loads from.
    const host = origin.replace("127.0.0.1", "localhost");
    await page.goto(`${host}/__third-party/third-party.html?room=offline-embed-${Date.now().toString(36)}`, { waitUntil: "domcontentloaded" });
    await page.waitForFunction(() => (window as unknown as { loaded?: boolean }).loaded, undefined, WAIT);
    await editorReady(page);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { registered: string[] }).registered), []);
    assert.match(await page.evaluate(() => (window as unknown as { swRegister: string }).swRegister), /^(loaded|refused)$/);
    // (The other test's preview frame may have registered /preview/sw.js on this origin: that is the frame's own.)
    const scopes = await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((all) => all.map((r) => r.scope)));
    assert.deepEqual(scopes.filter((scope) => !scope.endsWith("/preview/")), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
