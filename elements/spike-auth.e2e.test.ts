/**
 * Sign-in and room permissions in the elements, end to end: the built bundle (dist/site, `npm run build`) served by the real
 * Worker with sign-in configured (CLERK_JWT_KEY = a key generated here; tokens signed locally with Clerk's claims, handed to
 * the page through an exposed function), driven in Debian's Chromium with real clicks and keystrokes. The Clerk path uses
 * `clerk-js-url` pointing at a loopback stand-in for Clerk's CDN script (`clerk-stand-in.js` below) that implements the
 * part of Clerk's documented browser API the elements use: `window.Clerk` created from the script tag's
 * `data-clerk-publishable-key`, `load()`, `loaded`, `session.getToken()`, `user`, `openSignIn()`, `addListener()`.
 * Screenshots of each state go to test-results/.
 */
import assert from "node:assert/strict";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import WebSocket from "ws";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { fileText } from "../core/project.js";
import { RoomClient, type WebSocketConstructor } from "../core/room-client.js";
import { editorReady, screenshots, writeFixturePages } from "../test-support/browser.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";
import { createTestSigner, type TestSigner } from "../workers/test-tokens.js";

const WAIT = { timeout: 30_000 };
const FIXTURE_DIR = "dist/site/__e2e-auth";
/** A publishable key in Clerk's format for a Frontend API that does not exist: `clerk-js-url` replaces its script. */
const PUBLISHABLE_KEY = `pk_test_${Buffer.from("clerk.stand-in.test$").toString("base64")}`;

/** The stand-in for Clerk's browser build: signed out until openSignIn(), which signs in as `user_editor` at once. */
const CLERK_STAND_IN = `
(() => {
  const script = document.querySelector("script[data-clerk-publishable-key]");
  const listeners = new Set();
  const clerk = {
    publishableKey: script && script.dataset.clerkPublishableKey,
    loaded: false,
    session: null,
    user: null,
    async load() { await new Promise((r) => setTimeout(r, 20)); this.loaded = true; },
    openSignIn() {
      this.user = { id: "user_editor", fullName: "Ed Itor" };
      this.session = { id: "sess_stand_in", getToken: () => window.signToken("user_editor") };
      for (const listener of listeners) listener({ session: this.session, user: this.user });
    },
    addListener(listener) {
      listeners.add(listener);
      if (this.loaded) listener({ session: this.session, user: this.user });
      return () => listeners.delete(listener);
    },
  };
  window.Clerk = clerk;
})();
`;

const FIXTURES: Record<string, string> = {
  // ?room=…&sub=…&with=chat,preview : an editor (and the others) whose getToken signs a token for sub (none without sub).
  "token.html": `<script type="module">
    await customElements.whenDefined("spike-editor");
    const params = new URLSearchParams(location.search);
    const sub = params.get("sub");
    for (const name of ["editor", ...(params.get("with") ?? "").split(",").filter(Boolean)]) {
      const element = document.createElement("spike-" + name);
      if (sub) element.getToken = () => window.signToken(sub);
      element.room = params.get("room");
      document.body.append(element);
    }
  </script>`,
  "clerk.html": `<script type="module">
    await customElements.whenDefined("spike-editor");
    const editor = document.createElement("spike-editor");
    editor.setAttribute("clerk-publishable-key", ${JSON.stringify(PUBLISHABLE_KEY)});
    editor.setAttribute("clerk-js-url", "/__e2e-auth/clerk-stand-in.js");
    editor.room = new URLSearchParams(location.search).get("room");
    document.body.append(editor);
  </script>`,
};

/** What every fixture page adds to its head: sizes, and records of the elements' events. */
const FIXTURE_HEAD = `<style>body { margin: 16px; font-family: system-ui; display: grid; gap: 8px; }
spike-editor { --spike-editor-height: 160px; } spike-chat { --spike-chat-height: 150px; } spike-preview { --spike-preview-height: 90px; }</style>
<script>window.changes = []; window.refusals = []; window.created = [];
addEventListener("spike-change", (e) => window.changes.push(e.detail));
addEventListener("spike-auth-required", (e) => window.refusals.push(e.detail));
addEventListener("spike-room-created", (e) => window.created.push(e.detail));</script>`;

let worker: TestWorker;
let origin: string;
let browser: Browser;
let signer: TestSigner;
const owners: RoomClient[] = [];

before(async () => {
  assert.ok(existsSync("dist/site/spike.js"), "dist/site/spike.js is missing: run `npm run build` first");
  writeFixturePages(FIXTURE_DIR, FIXTURES, FIXTURE_HEAD);
  writeFileSync(`${FIXTURE_DIR}/clerk-stand-in.js`, CLERK_STAND_IN);
  signer = await createTestSigner();
  worker = await startTestWorker({ assets: "dist/site", vars: { CLERK_JWT_KEY: signer.publicKeyPem } });
  origin = worker.url.origin;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  for (const owner of owners) owner.destroy();
  await browser?.close();
  await worker?.dispose();
  rmSync(FIXTURE_DIR, { recursive: true, force: true });
});

/** A room owned by `user_owner` holding `text` in index.tsx, with the given permissions. */
async function ownedRoom(room: string, text: string, permissions: object): Promise<void> {
  const owner = new RoomClient({
    server: origin,
    room,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    getToken: () => signer.sign({ sub: "user_owner" }),
  });
  owners.push(owner);
  await owner.whenSynced();
  fileText(owner.doc, "index.tsx").insert(0, text);
  const response = await fetch(`${origin}/live/${room}/permissions`, {
    method: "PUT",
    headers: { authorization: `Bearer ${await signer.sign({ sub: "user_owner" })}`, "content-type": "application/json" },
    body: JSON.stringify(permissions),
  });
  assert.equal(response.status, 200, await response.text());
}

/** index.tsx as the room stored it (read as the owner). */
async function storedText(room: string): Promise<string | undefined> {
  const response = await fetch(`${origin}/live/${room}/session.json`, {
    headers: { authorization: `Bearer ${await signer.sign({ sub: "user_owner" })}` },
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { files: Record<string, string> }).files["index.tsx"];
}

async function openPage(path: string): Promise<Page & { errors: string[] }> {
  const page = (await browser.newPage({ viewport: { width: 760, height: 260 } })) as Page & { errors: string[] };
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  await page.exposeFunction("signToken", (sub: string) => signer.sign({ sub }));
  await page.goto(`${origin}/__e2e-auth/${path}`);
  return page;
}

function shadowText(page: Page, selector: string, element = "spike-editor"): Promise<string> {
  return page.evaluate(
    ([s, e]) => (document.querySelector(e!)?.shadowRoot?.querySelector<HTMLElement>(s!)?.innerText ?? "").replace(/\u00a0/g, " "),
    [selector, element],
  );
}

const screenshot = screenshots("spike-auth");

test("getToken with a signed token opens a private room and edits it", async () => {
  const room = `auth-token-${Date.now().toString(36)}`;
  await ownedRoom(room, "export const secret = 1;\n", { visibility: "private", editors: ["user_editor"] });
  const page = await openPage(`token.html?room=${room}&sub=user_editor`);
  try {
    await editorReady(page);
    assert.match(await shadowText(page, ".view-lines"), /export const secret = 1;/);
    await page.waitForFunction(() => (document.querySelector("spike-editor") as any).roomRole === "editor", null, WAIT);
    await page.locator("spike-editor .view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("// typed by the editor");
    await page.waitForFunction(() => (window as any).changes.at(-1)?.text.includes("typed by the editor"), null, WAIT);
    const deadline = Date.now() + 10_000;
    while (!(await storedText(room))?.includes("// typed by the editor") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await storedText(room), "export const secret = 1;\n// typed by the editor");
    await screenshot(page, "private-editor");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("without a token a private room shows the sign-in state and never renders the room's text", async () => {
  const room = `auth-none-${Date.now().toString(36)}`;
  await ownedRoom(room, "export const secret = 2;\n", { visibility: "private" });
  const page = await openPage(`token.html?room=${room}&with=chat,preview`);
  const received: number[] = [];
  page.on("websocket", (ws) => ws.on("framereceived", (frame) => received.push(typeof frame.payload === "string" ? frame.payload.length : frame.payload.byteLength)));
  try {
    await page.waitForFunction(() => (window as any).refusals.length > 0, null, WAIT);
    const refusal = await page.evaluate(() => (window as any).refusals[0]);
    assert.equal(refusal.room, room);
    assert.equal(refusal.code, 4401);
    assert.match(refusal.reason, /authentication required/);
    assert.match(await shadowText(page, "[part=status]"), /Sign in to open this private room/);
    assert.match(await shadowText(page, "[part=loading]"), /Sign in to open this private room/);
    assert.doesNotMatch(await shadowText(page, ".view-lines"), /secret/);
    assert.deepEqual(await page.evaluate(() => (window as any).changes), []);
    assert.deepEqual(received, [], "the room sent this page nothing");
    // The chat and the preview share the refused connection and say so.
    assert.match(await shadowText(page, "[part=status]", "spike-chat"), /Sign in to open this private room/);
    assert.equal(await page.evaluate(() => document.querySelector("spike-chat")!.shadowRoot!.querySelector("textarea")!.disabled), true);
    await page.waitForFunction(() => /Sign in to open/.test(document.querySelector("spike-preview")!.shadowRoot!.querySelector<HTMLElement>("[part=status]")!.innerText), null, WAIT);
    assert.equal(await page.evaluate(() => (window as any).refusals.length), 3, "one spike-auth-required per element");
    await page.setViewportSize({ width: 760, height: 480 });
    await screenshot(page, "sign-in-required");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a viewer in a readonly room sees the badge and real keystrokes change nothing", async () => {
  const room = `auth-readonly-${Date.now().toString(36)}`;
  await ownedRoom(room, "export const watched = 3;\n", { visibility: "readonly" });
  const page = await openPage(`token.html?room=${room}&with=chat`);
  try {
    await editorReady(page);
    await page.waitForFunction(() => (document.querySelector("spike-editor") as any).roomRole === "viewer", null, WAIT);
    await page.waitForFunction(() => !!document.querySelector("spike-editor")!.shadowRoot!.querySelector("[part=badge]"), null, WAIT);
    assert.equal(await shadowText(page, "[part=badge]"), "Read-only");
    await page.locator("spike-editor .view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("// vandalism");
    await page.keyboard.press("Enter");
    await new Promise((r) => setTimeout(r, 1000));
    assert.doesNotMatch(await shadowText(page, ".view-lines"), /vandalism/);
    assert.deepEqual(await page.evaluate(() => (window as any).changes), []);
    assert.equal(await storedText(room), "export const watched = 3;\n");
    // The chat lets a viewer read but not ask.
    assert.equal(await shadowText(page, "[part=badge]", "spike-chat"), "Read-only");
    const input = await page.evaluate(() => {
      const textarea = document.querySelector("spike-chat")!.shadowRoot!.querySelector("textarea")!;
      return { disabled: textarea.disabled, placeholder: textarea.placeholder };
    });
    assert.deepEqual(input, { disabled: true, placeholder: "Read-only: only the room's editors can ask the assistant" });
    await page.setViewportSize({ width: 760, height: 400 });
    await screenshot(page, "read-only");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("clerk-publishable-key loads Clerk (a loopback stand-in via clerk-js-url), offers Sign in, and signing in opens the room", async () => {
  const room = `auth-clerk-${Date.now().toString(36)}`;
  await ownedRoom(room, "export const clerk = 4;\n", { visibility: "private", editors: ["user_editor"] });
  const page = await openPage(`clerk.html?room=${room}`);
  try {
    const signIn = page.locator("spike-editor [part=sign-in]");
    await signIn.waitFor({ state: "visible", ...WAIT });
    assert.equal(await page.evaluate(() => document.querySelectorAll("script[data-clerk-publishable-key]").length), 1);
    assert.equal(await page.evaluate(() => (window as any).Clerk.publishableKey), PUBLISHABLE_KEY);
    await page.waitForFunction(() => (window as any).refusals.length > 0, null, WAIT);
    assert.match(await shadowText(page, "[part=status]"), /Sign in to open this private room/);
    await screenshot(page, "clerk-signed-out");

    await signIn.click();
    await editorReady(page);
    assert.match(await shadowText(page, ".view-lines"), /export const clerk = 4;/);
    assert.equal(await signIn.count(), 0, "no Sign in button once signed in");
    await page.waitForFunction(() => (document.querySelector("spike-editor") as any).roomRole === "editor", null, WAIT);
    await page.locator("spike-editor .view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("// signed in");
    const deadline = Date.now() + 10_000;
    while (!(await storedText(room))?.includes("// signed in") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await storedText(room), "export const clerk = 4;\n// signed in");
    await screenshot(page, "clerk-signed-in");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("the page whose editor creates a room gets its claim token; with it the author claims the room later, a stranger cannot", async () => {
  const room = `auth-created-${Date.now().toString(36)}`;
  const page = await openPage(`token.html?room=${room}`);
  try {
    await editorReady(page);
    await page.locator("spike-editor .view-lines").click();
    await page.keyboard.type("// my work");
    await page.waitForFunction(() => (window as any).created.length > 0, null, WAIT);
    const [created] = (await page.evaluate(() => (window as any).created)) as { room: string; claimToken: string }[];
    assert.equal(created!.room, room);
    assert.match(created!.claimToken, /^[A-Za-z0-9_-]{43}$/);
    // Kept for the tab's session, for a reload of the page that made the room.
    const kept = await page.evaluate((key) => sessionStorage.getItem(key), `spike-claim:ws://${new URL(origin).host}/live/${room}/ws?client=spike`);
    assert.equal(kept, created!.claimToken);

    const claim = async (sub: string, body: object) =>
      fetch(`${origin}/live/${room}/permissions`, {
        method: "PUT",
        headers: { authorization: `Bearer ${await signer.sign({ sub })}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    assert.equal((await claim("user_stranger", { visibility: "private" })).status, 403, "a stranger cannot take the room");
    const claimed = await claim("user_author", { visibility: "readonly", claimToken: created!.claimToken });
    assert.equal(claimed.status, 200, await claimed.clone().text());
    assert.equal(((await claimed.json()) as { owner: string }).owner, "user_author");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
