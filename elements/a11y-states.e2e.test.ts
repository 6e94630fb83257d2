/**
 * Accessibility of <spike-editor>, <spike-preview> and <spike-chat> in every state they can be in: axe-core
 * (test-support/axe.ts, WCAG 2.x A/AA, shadow roots included) over the built bundle (a private copy of dist/site) served
 * by the real Worker under workerd, in Debian's Chromium, light and dark. States: lite (before loading), loading, local,
 * connected (with chat messages: done, streaming, failed), offline, read-only, sign-in required, no access, build and
 * runtime errors, the editor failing to load. Screenshots go to test-results/a11y-*.png.
 */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import WebSocket from "ws";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { appendToken, appendUserMessage, failMessage, finishMessage, startAssistantMessage } from "../core/chat.js";
import { fileText } from "../core/project.js";
import { RoomClient, type WebSocketConstructor } from "../core/room-client.js";
import { assertAccessible } from "../test-support/axe.js";
import { copySite, editorReady, screenshots, writeFixturePages } from "../test-support/browser.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";
import { createTestSigner, type TestSigner } from "../workers/test-tokens.js";

const WAIT = { timeout: 30_000 };
const SITE = copySite("a11y-states");
const APP = `export default function App() {\n  return <button onClick={() => alert(1)}>Hello</button>;\n}\n`;

const FIXTURES: Record<string, string> = {
  // Everything lite: click mode keeps each element in its lite view.
  "lite.html": `<main>
    <spike-editor loading="click"><script type="text/plain" data-file="index.tsx">${APP}</script></spike-editor>
    <spike-editor loading="click" room="lite-room" file="missing.tsx"></spike-editor>
    <spike-preview loading="click"><script type="text/plain" data-file="index.tsx">${APP}</script></spike-preview>
    <spike-chat loading="click"></spike-chat>
    <spike-chat loading="lazy" style="margin-top: 2000px"></spike-chat>
  </main>`,
  // A local project, live: no room, so the chat says it needs one.
  "local.html": `<main><spike-room project="p">
    <script type="text/plain" data-file="index.tsx">${APP}</script>
    <spike-editor loading="eager"></spike-editor>
    <spike-preview loading="eager"></spike-preview>
    <spike-chat loading="eager"></spike-chat>
  </spike-room></main>`,
  "broken.html": `<main>
    <spike-preview loading="eager" id="build"><script type="text/plain" data-file="index.tsx">export default function App( {</script></spike-preview>
    <spike-preview loading="eager" id="runtime"><script type="text/plain" data-file="index.tsx">export default function App() { throw new Error("boom"); }</script></spike-preview>
    <spike-editor loading="eager"><script type="text/plain" data-file="index.tsx">${APP}</script></spike-editor>
  </main>`,
  // ?room=…&server=…&sub=…&theme=… : the three elements on a room, with a signed token for sub (none without).
  "room.html": `<main></main><script type="module">
    await customElements.whenDefined("spike-chat");
    const params = new URLSearchParams(location.search);
    for (const name of ["editor", "preview", "chat"]) {
      const element = document.createElement("spike-" + name);
      element.loading = "eager";
      if (params.get("sub")) element.getToken = () => window.signToken(params.get("sub"));
      if (params.get("server")) element.server = params.get("server");
      if (params.get("theme")) element.theme = params.get("theme");
      element.room = params.get("room");
      document.querySelector("main").append(element);
    }
  </script>`,
};
const HEAD = `<style>body { margin: 16px; font-family: system-ui; } main { display: grid; gap: 8px; }
spike-editor { --spike-editor-height: 150px; } spike-preview { --spike-preview-height: 110px; } spike-chat { --spike-chat-height: 260px; }</style>
<script>window.refusals = []; addEventListener("spike-auth-required", (e) => window.refusals.push(e.detail));</script>`;

let worker: TestWorker;
let origin: string;
let browser: Browser;
let signer: TestSigner;
const owners: RoomClient[] = [];
const shot = screenshots("a11y");

before(async () => {
  writeFixturePages(join(SITE, "__a11y"), FIXTURES, HEAD);
  signer = await createTestSigner();
  worker = await startTestWorker({ assets: SITE, vars: { CLERK_JWT_KEY: signer.publicKeyPem } });
  origin = worker.url.origin;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  for (const owner of owners) owner.destroy();
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

/** A room owned by `user_owner` with the demo app, a chat (a question, a reply with code, a failed reply, one streaming) and `permissions`. */
async function seedRoom(room: string, permissions?: object): Promise<void> {
  const owner = new RoomClient({
    server: origin,
    room,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    getToken: () => signer.sign({ sub: "user_owner" }),
  });
  owners.push(owner);
  await owner.whenSynced();
  const doc = owner.doc;
  fileText(doc, "index.tsx").insert(0, APP);
  appendUserMessage(doc, { author: "Ada", text: "Make the button say Hi", model: "gpt-4o-mini" });
  const reply = startAssistantMessage(doc, { model: "gpt-4o-mini" });
  appendToken(doc, reply, "Here you go:\n\n```tsx\n<button>Hi</button>\n```\n\nSee [the docs](https://example.com).");
  finishMessage(doc, reply);
  failMessage(doc, startAssistantMessage(doc, { model: "gpt-4o-mini" }), "The model is not configured on this server");
  startAssistantMessage(doc, { model: "gpt-4o-mini" });
  if (!permissions) return;
  const response = await fetch(`${origin}/live/${room}/permissions`, {
    method: "PUT",
    headers: { authorization: `Bearer ${await signer.sign({ sub: "user_owner" })}`, "content-type": "application/json" },
    body: JSON.stringify(permissions),
  });
  assert.equal(response.status, 200, await response.text());
}

async function openPage(path: string, { dark = false } = {}): Promise<Page & { errors: string[] }> {
  const page = (await browser.newPage({ viewport: { width: 900, height: 700 }, colorScheme: dark ? "dark" : "light" })) as Page & { errors: string[] };
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  await page.exposeFunction("signToken", (sub: string) => signer.sign({ sub }));
  await page.goto(`${origin}/__a11y/${path}`);
  return page;
}

/** Axe over every spike element of the page, in the page's scheme and then with the other one. */
async function checkBothSchemes(page: Page, state: string): Promise<void> {
  const scheme = await page.evaluate(() => (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
  await assertAccessible(page, `${state}, ${scheme}`, "spike-editor, spike-preview, spike-chat");
  const other = scheme === "dark" ? "light" : "dark";
  await page.emulateMedia({ colorScheme: other });
  await assertAccessible(page, `${state}, ${other}`, "spike-editor, spike-preview, spike-chat");
}

/** The text of `selector` in the shadow root of the first `element`. */
function shadowText(page: Page, element: string, selector: string): Promise<string> {
  return page.evaluate(
    ([e, s]) => (document.querySelector(e!)?.shadowRoot?.querySelector<HTMLElement>(s!)?.innerText ?? "").replace(/\u00a0/g, " "),
    [element, selector],
  );
}

function waitForShadowText(page: Page, element: string, selector: string, pattern: RegExp): Promise<unknown> {
  return page.waitForFunction(
    ([e, s, p]) => new RegExp(p!).test(document.querySelector(e!)?.shadowRoot?.querySelector<HTMLElement>(s!)?.innerText ?? ""),
    [element, selector, pattern.source],
    WAIT,
  );
}

test("lite views (click to load, a room file not fetched, a chat far below) pass axe in light and dark", async () => {
  const page = await openPage("lite.html");
  try {
    await page.waitForFunction(() => document.querySelector("spike-chat")?.shadowRoot?.querySelector("[part=activate]"), null, WAIT);
    await checkBothSchemes(page, "lite");
    await shot(page, "lite");
    assert.equal(await page.evaluate(() => document.querySelectorAll("spike-editor")[0]!.isLive), false);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("a local project, live (editor, preview rendered, chat without a room) passes axe in light and dark", async () => {
  const page = await openPage("local.html", { dark: true });
  try {
    await editorReady(page);
    await waitForShadowText(page, "spike-preview", "[part=status]", /Live/);
    await checkBothSchemes(page, "local");
    await shot(page, "local");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("while Monaco loads, and once it failed to load, the editor passes axe", async () => {
  const page = (await browser.newPage({ viewport: { width: 900, height: 700 } })) as Page;
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/monaco-entry-[^/]*\.js$/, async (route) => {
    await held;
    await route.abort();
  });
  try {
    await page.goto(`${origin}/__a11y/broken.html`);
    await waitForShadowText(page, "spike-editor", "[part=loading]", /Loading editor/);
    assert.equal(await page.evaluate(() => document.querySelector("spike-editor")!.shadowRoot!.querySelector("[part=editor]")!.getAttribute("aria-busy")), "true");
    await checkBothSchemes(page, "editor loading");
    release();
    await waitForShadowText(page, "spike-editor", "[part=loading]", /failed to load/);
    await checkBothSchemes(page, "editor failed to load");
    await shot(page, "editor-failed");
  } finally {
    release();
    await page.close();
  }
});

test("build and runtime errors in the preview pass axe", async () => {
  const page = await openPage("broken.html");
  try {
    await page.waitForFunction(() => !document.querySelector("#build")!.shadowRoot!.querySelector<HTMLElement>("[part=error]")?.hidden, null, WAIT);
    await waitForShadowText(page, "#runtime", "[part=status]", /Error|error/);
    await editorReady(page);
    await checkBothSchemes(page, "preview errors");
    await shot(page, "errors");
  } finally {
    await page.close();
  }
});

test("a connected room with chat messages (done, streaming, failed) passes axe in light and dark", async () => {
  const room = `a11y-live-${Date.now().toString(36)}`;
  await seedRoom(room);
  const page = await openPage(`room.html?room=${room}`);
  try {
    await editorReady(page);
    await waitForShadowText(page, "spike-editor", "[part=status]", /Live in room/);
    await waitForShadowText(page, "spike-chat", "[part=messages]", /Here you go/);
    await waitForShadowText(page, "spike-preview", "[part=status]", /Live/);
    await page.waitForFunction(() => document.querySelector("spike-chat")!.shadowRoot!.querySelector(".body pre"), null, WAIT);
    await checkBothSchemes(page, "connected");
    await shot(page, "connected");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("an unreachable server (connecting, then offline) passes axe, and so does theme=dark", async () => {
  const port = await new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const page = await openPage(`room.html?room=a11y-offline&server=http://127.0.0.1:${port}&theme=dark`);
  try {
    await waitForShadowText(page, "spike-preview", "[part=status]", /Cannot reach/);
    await page.waitForFunction(() => (document.querySelector("spike-editor") as { status?: string }).status === "offline", null, WAIT);
    await assertAccessible(page, "offline, theme=dark", "spike-editor, spike-preview, spike-chat");
    await shot(page, "offline");
  } finally {
    await page.close();
  }
});

test("read-only, sign-in required and no access pass axe", async () => {
  const readonly = `a11y-ro-${Date.now().toString(36)}`;
  const secret = `a11y-private-${Date.now().toString(36)}`;
  await seedRoom(readonly, { visibility: "readonly" });
  await seedRoom(secret, { visibility: "private" });
  for (const [state, path] of [
    ["read-only", `room.html?room=${readonly}`],
    ["sign-in required", `room.html?room=${secret}`],
    ["no access", `room.html?room=${secret}&sub=user_stranger`],
  ] as const) {
    const page = await openPage(path);
    try {
      if (state === "read-only") {
        await editorReady(page);
        await page.waitForFunction(() => document.querySelector("spike-editor")!.shadowRoot!.querySelector("[part=badge]"), null, WAIT);
        await waitForShadowText(page, "spike-chat", "[part=messages]", /Here you go/);
      } else {
        await page.waitForFunction(() => (window as unknown as { refusals: unknown[] }).refusals.length === 3, null, WAIT);
        const text = state === "no access" ? /do not have access/ : /Sign in to open/;
        await waitForShadowText(page, "spike-preview", "[part=status]", text);
        assert.match(await shadowText(page, "spike-editor", "[part=loading]"), text);
      }
      await checkBothSchemes(page, state);
      await shot(page, state.replace(/ /g, "-"));
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
    }
  }
});
