/**
 * Peer-to-peer end to end: two Chromium browsers open one room's <spike-editor> from the built bundle (dist/site) served
 * by the real Worker under workerd; the room relays their WebRTC signalling and they connect over a data channel on
 * loopback. With the room's relay of edits held back in one page, keystrokes typed in the other still arrive (over the
 * channel); after the channel closes both fall back to the room and every edit arrives.
 */
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { editorReady, screenshots, writeFixturePages } from "../test-support/browser.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };
const shot = screenshots("peer-to-peer");

/**
 * Chromium on loopback: WebRTC may use 127.0.0.1 (it does not by default), and host candidates carry real addresses
 * rather than mDNS names (nothing resolves .local names here).
 */
const PEER_ARGS = [...CHROMIUM_ARGS, "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns"];

const FIXTURE_DIR = "dist/site/__peers-e2e";
const FIXTURES: Record<string, string> = {
  "room.html": `<script type="module">
    await customElements.whenDefined("spike-editor");
    const editor = document.createElement("spike-editor");
    editor.room = new URLSearchParams(location.search).get("room");
    document.body.append(editor);
  </script>`,
};
const FIXTURE_HEAD = `<style>body { margin: 16px; font-family: system-ui; } spike-editor { --spike-editor-height: 160px; }</style>
<script>
  window.statuses = []; addEventListener("spike-status", (e) => window.statuses.push(e.detail));
  window.changes = []; addEventListener("spike-change", (e) => window.changes.push(e.detail.text));
</script>`;

/**
 * Before any page script: a WebSocket that drops incoming Sync/Update frames (type 0, step 2) while \`__blockSync\` is
 * true, and an RTCPeerConnection that records the data channels it creates, so the test can close one from the page.
 */
const INSTRUMENT = `
  window.__blockSync = false;
  window.__blocked = 0;
  window.__channels = [];
  const NativeSocket = WebSocket;
  window.WebSocket = class HeldBackSocket extends NativeSocket {
    set onmessage(handler) {
      super.onmessage = handler && ((event) => {
        const bytes = event.data instanceof ArrayBuffer ? new Uint8Array(event.data) : null;
        if (window.__blockSync && bytes && bytes[0] === 0 && bytes[1] === 2) return void window.__blocked++;
        handler.call(this, event);
      });
    }
    get onmessage() {
      return super.onmessage;
    }
  };
  const NativePeerConnection = RTCPeerConnection;
  window.RTCPeerConnection = class extends NativePeerConnection {
    createDataChannel(...args) {
      const channel = super.createDataChannel(...args);
      window.__channels.push(channel);
      return channel;
    }
  };
`;

let worker: TestWorker;
const browsers: Browser[] = [];

before(async () => {
  assert.ok(existsSync("dist/site/spike.js"), "dist/site/spike.js is missing: run `npm run build` first");
  writeFixturePages(FIXTURE_DIR, FIXTURES, FIXTURE_HEAD);
  worker = await startTestWorker({ assets: "dist/site" });
});

after(async () => {
  for (const browser of browsers) await browser.close();
  await worker?.dispose();
  rmSync(FIXTURE_DIR, { recursive: true, force: true });
});

/** One browser of its own per person (each has the focus for its keystrokes), on the room's page. */
async function openPerson(room: string): Promise<Page> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: PEER_ARGS });
  browsers.push(browser);
  const page = await browser.newPage({ viewport: { width: 720, height: 240 } });
  await page.addInitScript(INSTRUMENT);
  await page.goto(`${worker.url.origin}/__peers-e2e/room.html?room=${room}`);
  await editorReady(page);
  return page;
}

const lastText = (page: Page) => page.evaluate(() => (window as unknown as { changes: string[] }).changes.at(-1) ?? "");
const statusBar = (page: Page) => page.evaluate(() => document.querySelector("spike-editor")!.shadowRoot!.querySelector("[part=status]")!.textContent!.replace(/\s+/g, " "));
/** Wait until the page's last spike-status reports the other person with `transport`. */
function transport(page: Page, want: "webrtc" | "websocket") {
  return page.waitForFunction(
    (want) => {
      const last = (window as unknown as { statuses: { peers: { transport: string }[] }[] }).statuses.at(-1);
      return last?.peers.length === 1 && last.peers[0]!.transport === want;
    },
    want,
    WAIT,
  );
}

test("two pages connect over a data channel, get keystrokes over it with the room's relay held back, and fall back to the room with no edit lost", async () => {
  const room = `peers-e2e-${Date.now().toString(36)}`;
  const ada = await openPerson(room);
  const bo = await openPerson(room);
  await Promise.all([transport(ada, "webrtc"), transport(bo, "webrtc")]);
  assert.match(await statusBar(ada), /2 people here · 1 direct/);
  const peer = await bo.evaluate(() => (window as unknown as { statuses: { peers: unknown[] }[] }).statuses.at(-1)!.peers[0]);
  assert.deepEqual(Object.keys(peer as object).sort(), ["clientId", "name", "transport"]);
  await shot(ada, "direct");

  // Bo's room socket drops every edit the room relays to it: what arrives came over the channel.
  await bo.evaluate(() => ((window as unknown as { __blockSync: boolean }).__blockSync = true));
  await ada.locator("spike-editor .view-lines").click();
  await ada.keyboard.type("const direct = 1;");
  await bo.waitForFunction(() => (window as unknown as { changes: string[] }).changes.at(-1) === "const direct = 1;", undefined, WAIT);
  await bo.waitForFunction(() => (window as unknown as { __blocked: number }).__blocked > 0, undefined, WAIT);

  // The channel closes (from the page that opened it): both fall back to the room.
  const closed = await Promise.all([ada, bo].map((page) => page.evaluate(() => {
    const channels = (window as unknown as { __channels: RTCDataChannel[] }).__channels;
    channels.forEach((channel) => channel.close());
    return channels.length;
  })));
  assert.equal(closed[0]! + closed[1]!, 1, "one page opened the one channel");
  await Promise.all([transport(ada, "websocket"), transport(bo, "websocket")]);
  assert.doesNotMatch(await statusBar(ada), /direct/);
  await bo.evaluate(() => ((window as unknown as { __blockSync: boolean }).__blockSync = false));

  await ada.keyboard.type(" // ada");
  await bo.waitForFunction(() => (window as unknown as { changes: string[] }).changes.at(-1) === "const direct = 1; // ada", undefined, WAIT);
  await bo.locator("spike-editor .view-lines").click();
  await bo.keyboard.press("Control+End");
  await bo.keyboard.type(" // bo");
  const expected = "const direct = 1; // ada // bo";
  for (const page of [ada, bo]) {
    await page.bringToFront();
    await page.waitForFunction((expected) => (window as unknown as { changes: string[] }).changes.at(-1) === expected, expected, WAIT);
  }
  assert.equal(await lastText(ada), expected);
  await shot(ada, "fallback");
});
