/**
 * Room assets in the browser, end to end: the built bundle served by the real Worker (with the transpiler Worker, for
 * `/live/<room>/index.js`) under workerd, in Debian's Chromium. An image uploaded to a room is imported by relative path
 * in the preview (its pixels are read back) and in the server's bundle; image files dropped on `<spike-editor>` are
 * uploaded and their import inserted, and a file whose bytes are not an image is refused with nothing stored.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { PNG } from "pngjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, editorReady, screenshots, writeFixturePages } from "../test-support/browser.js";
import { imagePixelApp, previewFrame } from "../test-support/preview-e2e.js";
import { startTestWorker, waitUntil, type TestWorker } from "../workers/test-support.js";

const WAIT = { timeout: 30_000 };
const FIXTURES = {
  // Editor and preview on room ?room=, whose files the test writes over HTTP first.
  "room.html": `<script type="module">
    await customElements.whenDefined("spike-preview");
    const room = new URLSearchParams(location.search).get("room");
    const editor = Object.assign(document.createElement("spike-editor"), { room });
    const preview = Object.assign(document.createElement("spike-preview"), { room });
    document.querySelector(".row").append(editor, preview);
  </script><div class="row"></div>`,
};
const HEAD = `<style>body { margin: 16px; font-family: system-ui; } .row { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
  spike-editor, spike-preview { --spike-editor-height: 260px; --spike-preview-height: 260px; }</style>`;

/** The app: shows `./logo.png` and writes its size and first pixel into the page. */
const APP = imagePixelApp("logo.png", "logo");

const site = copySite("spike-assets-e2e", "preview/frame.html");
const shot = screenshots("spike-assets");
let worker: TestWorker;
let browser: Browser;

before(async () => {
  writeFixturePages(join(site, "__assets-e2e"), FIXTURES, HEAD);
  worker = await startTestWorker({ assets: site, transpiler: true });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(site, { recursive: true, force: true });
});

function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) image.data.set([r, g, b, 255], i * 4);
  return PNG.sync.write(image);
}

async function put(room: string, path: string, body: string | Uint8Array): Promise<void> {
  const response = await fetch(new URL(`/live/${room}/${path}`, worker.url), { method: "PUT", body });
  assert.ok(response.ok, `PUT ${path}: ${response.status} ${await response.text()}`);
}

async function open(room: string): Promise<Page & { errors: string[] }> {
  const page = (await browser.newPage({ viewport: { width: 1000, height: 340 } })) as Page & { errors: string[] };
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  await page.goto(`${worker.url.origin}/__assets-e2e/room.html?room=${room}`);
  return page;
}

/** The preview's `data-pixel` once the image has loaded: "width,height,r,g,b". */
async function previewPixel(page: Page): Promise<string> {
  const frame = await previewFrame(page);
  await frame.waitForFunction(() => !!document.body.dataset.pixel, undefined, WAIT);
  return frame.evaluate(() => document.body.dataset.pixel!);
}

test("an image uploaded to the room is imported by relative path: the preview shows its pixels, and index.js carries its hashed URL", async () => {
  const room = "assets-preview";
  await put(room, "assets/logo.png", png(4, 3, [220, 20, 60]));
  await put(room, "files/index.tsx", APP);
  const page = await open(room);
  try {
    assert.equal(await previewPixel(page), "4,3,220,20,60");
    await shot(page, "preview");
    // New bytes under the same name: the preview follows (a new hashed URL).
    await put(room, "assets/logo.png", png(2, 5, [10, 120, 250]));
    const frame = await previewFrame(page);
    await frame.waitForFunction(() => document.body.dataset.pixel === "2,5,10,120,250", undefined, WAIT);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
  const bundle = await fetch(new URL(`/live/${room}/index.js`, worker.url));
  assert.equal(bundle.status, 200);
  const code = await bundle.text();
  const url = /"(http:\/\/[^"]+\/live\/assets-preview\/assets\/logo\.png\?v=[0-9a-f]{64})"/.exec(code)?.[1];
  assert.ok(url, `the bundle names the asset's hashed URL: ${code.slice(0, 400)}`);
  const served = await fetch(url);
  assert.equal(served.headers.get("content-type"), "image/png");
  const image = PNG.sync.read(Buffer.from(await served.arrayBuffer()));
  assert.deepEqual([image.width, image.height, ...image.data.subarray(0, 3)], [2, 5, 10, 120, 250]);
});

test("image files dropped on the editor are uploaded and imported; a page named .png is refused and nothing is stored", async () => {
  const room = "assets-drop";
  await put(room, "files/index.tsx", `const img = document.createElement("img");\ndocument.getElementById("root")!.append(img);\n`);
  const page = await open(room);
  try {
    await editorReady(page);
    const drop = async (name: string, bytes: Buffer, type: string) => {
      const transfer = await page.evaluateHandle(
        ({ name, bytes, type }) => {
          const data = new DataTransfer();
          data.items.add(new File([new Uint8Array(bytes)], name, { type }));
          return data;
        },
        { name, bytes: [...bytes], type },
      );
      const target = page.locator("spike-editor [part=editor]");
      await target.dispatchEvent("dragover", { dataTransfer: transfer });
      await target.dispatchEvent("drop", { dataTransfer: transfer });
    };
    const status = page.locator("spike-editor [part=drop-status]");

    await drop("Fake Logo.png", Buffer.from("<!doctype html><script>alert(1)</script>"), "image/png");
    await status.filter({ hasText: "was not uploaded" }).waitFor(WAIT);
    assert.match(await status.innerText(), /must be image\/png/);

    await drop("Red Dot.png", png(3, 3, [200, 0, 0]), "image/png");
    await status.filter({ hasText: "Uploaded red-dot.png" }).waitFor(WAIT);
    await shot(page, "drop");
    const listed = (await (await fetch(new URL(`/live/${room}/assets`, worker.url))).json()) as { assets: { name: string; type: string }[] };
    assert.deepEqual(listed.assets.map(({ name, type }) => [name, type]), [["red-dot.png", "image/png"]]);
    // The import went into the shared file; the app can now use it, and the preview shows the dropped image.
    let text = "";
    await waitUntil(async () => {
      text = await (await fetch(new URL(`/live/${room}/files/index.tsx`, worker.url))).text();
      return text.startsWith(`import redDot from "./red-dot.png";\n`);
    }, { timeoutMs: 30_000, what: `the import in index.tsx (now ${JSON.stringify(text.slice(0, 80))})` });
    await put(room, "files/index.tsx", `${text.split("\n")[0]}\n${imagePixelApp("red-dot.png", "redDot").split("\n").slice(1).join("\n")}`);
    assert.equal(await previewPixel(page), "3,3,200,0,0");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
