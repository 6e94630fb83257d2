/**
 * A host page that uses Clerk for its own application, end to end: the built bundle served by the real Worker with sign-in
 * configured (CLERK_JWT_KEY, and CLERK_PUBLISHABLE_KEY so elements without a token source fall back to the server's key),
 * and a page whose own `window.Clerk` (a loopback stand-in for Clerk's browser build, `host-clerk.js` below) is signed in
 * and hands out real signed tokens. Its users' tokens must reach the spike server only when the page hands its Clerk over
 * or when its Clerk is the same application as the element's key. Whether a token went out is read twice: from the frames
 * the page sent on the room socket, and from the room itself (a private room admits only a signed-in member).
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import WebSocket from "ws";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { fileText } from "../core/project.js";
import { AuthKind, MessageType } from "../core/protocol.js";
import { RoomClient, type WebSocketConstructor } from "../core/room-client.js";
import { copySite, screenshots } from "../test-support/browser.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";
import { createTestSigner, type TestSigner } from "../workers/test-tokens.js";

const WAIT = { timeout: 30_000 };
const publishableKey = (host: string) => `pk_test_${Buffer.from(`${host}$`).toString("base64")}`;
/** The spike server's Clerk application (CLERK_PUBLISHABLE_KEY). */
const SERVER_KEY = publishableKey("clerk.spike-server.test");
/** The host site's own Clerk application. */
const HOST_KEY = publishableKey("clerk.host-site.test");
/** A third application, named by an element's `clerk-publishable-key`. */
const OTHER_KEY = publishableKey("clerk.other-app.test");

/** A snapshot of dist/site plus the fixture files, so a concurrent `npm run build` cannot disturb the Worker. */
const SITE = copySite("spike-host-clerk-e2e");

/**
 * The host page's own Clerk, already loaded and signed in as `user_host`: the documented browser API the elements use
 * (`publishableKey`, `loaded`, `load()`, `session.getToken()`, `user`, `openSignIn()`, `addListener()`). Its key comes
 * from the page's `?key=`.
 */
const HOST_CLERK = `
(() => {
  const listeners = new Set();
  window.Clerk = {
    publishableKey: new URLSearchParams(location.search).get("key"),
    loaded: true,
    user: { id: "user_host", fullName: "Host User" },
    session: { id: "sess_host", getToken: () => window.signToken("user_host") },
    async load() {},
    openSignIn() {},
    addListener(listener) {
      listeners.add(listener);
      listener({ session: this.session, user: this.user });
      return () => listeners.delete(listener);
    },
  };
})();
`;

/**
 * `?room=…&key=…` and one of: nothing (no token source: the server's key applies), `&handover=1` (`editor.clerk =
 * window.Clerk`), `&explicit=<key>` (a `clerk-publishable-key`; its `clerk-js-url` must never be fetched).
 */
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host clerk</title><link rel="icon" href="data:,">
<script src="/__host-clerk/host-clerk.js"></script>
<script type="module" src="/spike.js"></script>
<style>body { margin: 16px; font-family: system-ui; } spike-editor { --spike-editor-height: 160px; }</style>
<script>window.refusals = []; addEventListener("spike-auth-required", (e) => window.refusals.push(e.detail));</script>
<script type="module">
  await customElements.whenDefined("spike-editor");
  const params = new URLSearchParams(location.search);
  const editor = document.createElement("spike-editor");
  editor.room = params.get("room");
  if (params.get("handover")) editor.clerk = window.Clerk;
  if (params.get("explicit")) {
    editor.setAttribute("clerk-publishable-key", params.get("explicit"));
    editor.setAttribute("clerk-js-url", "/__host-clerk/must-not-load.js");
  }
  document.body.append(editor);
</script>
</head><body></body></html>`;

let worker: TestWorker;
let browser: Browser;
let signer: TestSigner;
const owners: RoomClient[] = [];

before(async () => {
  mkdirSync(join(SITE, "__host-clerk"), { recursive: true });
  writeFileSync(join(SITE, "__host-clerk/host-clerk.js"), HOST_CLERK);
  writeFileSync(join(SITE, "__host-clerk/page.html"), PAGE);
  signer = await createTestSigner();
  worker = await startTestWorker({
    assets: SITE,
    vars: {
      CLERK_JWT_KEY: signer.publicKeyPem,
      CLERK_PUBLISHABLE_KEY: SERVER_KEY,
      // The test tokens' issuer: otherwise the server would expect the one SERVER_KEY names.
      CLERK_ISSUER: signer.issuer,
    },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  for (const owner of owners) owner.destroy();
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

/** A private room owned by `user_owner` in which `user_host` (the host page's signed-in user) is an editor. */
async function privateRoom(name: string): Promise<string> {
  const room = `host-clerk-${name}-${Date.now().toString(36)}`;
  const owner = new RoomClient({
    server: worker.url.origin,
    room,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    getToken: () => signer.sign({ sub: "user_owner" }),
  });
  owners.push(owner);
  await owner.whenSynced();
  fileText(owner.doc, "index.tsx").insert(0, "export const members = 'only';\n");
  const response = await fetch(new URL(`/live/${room}/permissions`, worker.url), {
    method: "PUT",
    headers: { authorization: `Bearer ${await signer.sign({ sub: "user_owner" })}`, "content-type": "application/json" },
    body: JSON.stringify({ visibility: "private", editors: ["user_host"] }),
  });
  assert.equal(response.status, 200, await response.text());
  return room;
}

type HostPage = Page & { errors: string[]; warnings: string[]; tokensSent: () => number; requested: string[] };

async function open(query: string): Promise<HostPage> {
  const page = (await browser.newPage({ viewport: { width: 760, height: 240 } })) as HostPage;
  page.errors = [];
  page.warnings = [];
  page.requested = [];
  let tokens = 0;
  page.tokensSent = () => tokens;
  page.on("pageerror", (error) => page.errors.push(error.message));
  page.on("console", (message) => message.type() === "warning" && page.warnings.push(message.text()));
  page.on("request", (request) => page.requested.push(new URL(request.url()).pathname));
  // An Auth/Token frame starts with the varUints MessageType.Auth, AuthKind.Token.
  page.on("websocket", (ws) =>
    ws.on("framesent", ({ payload }) => {
      if (typeof payload !== "string" && payload[0] === MessageType.Auth && payload[1] === AuthKind.Token) tokens++;
    }),
  );
  await page.exposeFunction("signToken", (sub: string) => signer.sign({ sub }));
  await page.goto(`${worker.url.origin}/__host-clerk/page.html?${query}`);
  return page;
}

/** The editor's role once the room granted one. */
async function grantedRole(page: Page): Promise<string> {
  await page.waitForFunction(() => (document.querySelector("spike-editor") as any)?.roomRole, null, WAIT);
  return page.evaluate(() => (document.querySelector("spike-editor") as any).roomRole);
}

/** The room's refusal of an anonymous connection (4401), once it came. */
async function refusal(page: Page): Promise<{ code: number }> {
  await page.waitForFunction(() => (window as any).refusals.length > 0, null, WAIT).catch(async (error) => {
    const role = await page.evaluate(() => (document.querySelector("spike-editor") as any)?.roomRole);
    throw new Error(`the room never refused the page (its role: ${JSON.stringify(role)}): a token reached it`, { cause: error });
  });
  return page.evaluate(() => (window as any).refusals[0]);
}

const shot = screenshots("spike-host-clerk");

test("an element without a token source never uses the page's own Clerk of another application", async () => {
  const room = await privateRoom("fallback");
  const page = await open(`room=${room}&key=${HOST_KEY}`);
  try {
    assert.equal((await refusal(page)).code, 4401, "the room saw an anonymous connection");
    assert.equal(page.tokensSent(), 0, "no token went out on the room socket");
    assert.equal(await page.evaluate(() => (document.querySelector("spike-editor") as any).roomRole), null);
    assert.match(await page.locator("spike-editor [part=status]").innerText(), /Sign in to open this private room/);
    // The page's Clerk is left alone: nothing replaced it, and no Clerk script was injected over it.
    assert.equal(await page.evaluate(() => (window as any).Clerk.publishableKey), HOST_KEY);
    assert.equal(await page.evaluate(() => document.querySelectorAll("script[data-clerk-publishable-key]").length), 0);
    await shot(page, "not-used");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a page that hands its Clerk over (element.clerk = window.Clerk) signs the room in with it", async () => {
  const room = await privateRoom("handover");
  const page = await open(`room=${room}&key=${HOST_KEY}&handover=1`);
  try {
    assert.equal(await grantedRole(page), "editor");
    assert.ok(page.tokensSent() > 0);
    await page.locator("spike-editor .view-lines", { hasText: "members = 'only'" }).waitFor(WAIT);
    assert.equal(await page.locator("spike-editor [part=sign-in-error]").count(), 0);
    await shot(page, "handed-over");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a page Clerk with the same publishable key as the server's is used without being handed over", async () => {
  const room = await privateRoom("same-key");
  const page = await open(`room=${room}&key=${SERVER_KEY}`);
  try {
    assert.equal(await grantedRole(page), "editor");
    assert.ok(page.tokensSent() > 0);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a clerk-publishable-key other than the page Clerk's says sign-in is unavailable, and sends no token", async () => {
  const room = await privateRoom("explicit");
  const page = await open(`room=${room}&key=${HOST_KEY}&explicit=${OTHER_KEY}`);
  try {
    const note = page.locator("spike-editor [part=sign-in-error]");
    await note.waitFor(WAIT).catch(async (error) => {
      const role = await page.evaluate(() => (document.querySelector("spike-editor") as any)?.roomRole);
      throw new Error(`no "Sign-in unavailable" note (role ${JSON.stringify(role)}, tokens sent ${page.tokensSent()})`, { cause: error });
    });
    assert.equal(await note.innerText(), "Sign-in unavailable");
    assert.match((await note.getAttribute("title")) ?? "", /window\.Clerk.*another publishable key.*element\.clerk = window\.Clerk/);
    assert.ok(
      page.warnings.some((w) => /<spike-editor>: sign-in unavailable: the page's Clerk/.test(w)),
      `a console warning says why; warnings: ${JSON.stringify(page.warnings)}`,
    );
    assert.equal((await refusal(page)).code, 4401);
    assert.equal(page.tokensSent(), 0);
    assert.equal(await page.locator("spike-editor [part=sign-in]").count(), 0, "no Sign in button that would sign in to the wrong app");
    assert.ok(!page.requested.includes("/__host-clerk/must-not-load.js"), "no second Clerk was loaded over the page's");
    assert.equal(await page.evaluate(() => (window as any).Clerk.publishableKey), HOST_KEY);
    await shot(page, "unavailable");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
