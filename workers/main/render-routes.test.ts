/**
 * The renderer end to end: the main Worker, the CodeRoom, the transpiler Worker and the renderer Worker in workerd, the
 * renderer's BROWSER binding launching Debian's Chromium (scripts/browser-shim.mjs). A room's app is screenshotted (the PNG
 * decodes, has the asked size and the colours the app paints), printed (the PDF parses and holds the app's text) and made
 * a social card; the second request comes from R2; an endless loop ends in a clean 504; bad options are 400s; a missing
 * browser is a 503 naming what to install.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { installBrowserShim } from "../../scripts/browser-shim.mjs";
import { startTestWorker, type TestWorker } from "../test-support.js";

/** The app paints its whole page this colour, and a band of the second colour at the top. */
const PAGE = [255, 0, 170] as const;
const BAND = [0, 102, 255] as const;
const APP = `export default function App() {
  return (
    <div style={{ position: "fixed", inset: 0, background: "rgb(${PAGE.join(",")})" }}>
      <div style={{ height: 40, background: "rgb(${BAND.join(",")})" }} />
      <h1 style={{ color: "white", margin: 20 }}>Hello from the renderer</h1>
    </div>
  );
}
`;

let worker: TestWorker;
/** Generous: a render takes 1-6 s on a busy two-core machine; only the endless loop should reach it. */
const TIMEOUT_MS = 20_000;

before(async () => {
  worker = await startTestWorker({ transpiler: true, renderer: { vars: { RENDER_TIMEOUT_MS: String(TIMEOUT_MS) } }, assets: "dist/site" });
});
after(() => worker?.dispose());

async function get(path: string, init: RequestInit = {}): Promise<Response> {
  const once = () => fetch(new URL(path, worker.url), { signal: AbortSignal.timeout(60_000), ...init });
  try {
    return await once();
  } catch (error) {
    // A kept-alive socket the server closed while the test decoded a PDF: a new connection, once (a dead server fails again).
    if ((error as { cause?: { code?: string } }).cause?.code !== "UND_ERR_SOCKET") throw error;
    return once();
  }
}

async function putFiles(room: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    const response = await get(`/live/${room}/files/${name}`, { method: "PUT", body: text });
    assert.equal(response.status, 200, `PUT ${name}: ${await response.text()}`);
  }
}

function pixel(png: PNG, x: number, y: number): number[] {
  const at = (png.width * y + x) * 4;
  return [png.data[at]!, png.data[at + 1]!, png.data[at + 2]!];
}

function near(actual: number[], expected: readonly number[], what: string): void {
  assert.ok(actual.every((value, i) => Math.abs(value - expected[i]!) <= 3), `${what}: ${actual} is not ${expected}`);
}

async function expectError(response: Response, status: number, pattern: RegExp): Promise<void> {
  const body = (await response.json()) as { error: string };
  assert.equal(response.status, status, JSON.stringify(body));
  assert.match(body.error, pattern);
}

describe("renderer", () => {
  it("screenshot.png decodes, has the asked size and shows the app's colours; the second one comes from R2", async () => {
    await putFiles("render-app", { "index.tsx": APP });
    const response = await get("/live/render-app/screenshot.png?width=640&height=360");
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get("content-type"), "image/png");
    assert.equal(response.headers.get("x-spike-cache"), "miss");
    const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
    assert.deepEqual([png.width, png.height], [640, 360]);
    near(pixel(png, 320, 300), PAGE, "page colour");
    near(pixel(png, 600, 10), BAND, "band colour");

    const again = await get("/live/render-app/screenshot.png?width=640&height=360");
    assert.equal(again.status, 200);
    assert.equal(again.headers.get("x-spike-cache"), "hit");
    assert.equal(again.headers.get("etag"), response.headers.get("etag"));
    assert.equal(PNG.sync.read(Buffer.from(await again.arrayBuffer())).width, 640);
    const notModified = await get("/live/render-app/screenshot.png?width=640&height=360", { headers: { "if-none-match": response.headers.get("etag")! } });
    assert.equal(notModified.status, 304);
  });

  it("an edit makes a new render; version=<n> renders the saved version; the dark theme is another", async () => {
    const saved = await get("/live/render-app/versions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "pink" }) });
    assert.equal(saved.status, 201, await saved.clone().text());
    const { n } = (await saved.json()) as { n: number };
    await putFiles("render-app", { "index.tsx": APP.replace(`rgb(${PAGE.join(",")})`, "rgb(0,200,0)") });
    const edited = await get("/live/render-app/screenshot.png?width=320&height=200");
    assert.equal(edited.status, 200);
    assert.equal(edited.headers.get("x-spike-cache"), "miss");
    near(pixel(PNG.sync.read(Buffer.from(await edited.arrayBuffer())), 160, 150), [0, 200, 0], "edited page colour");
    const pinned = await get(`/live/render-app/screenshot.png?width=320&height=200&version=${n}`);
    assert.equal(pinned.status, 200, await pinned.clone().text());
    near(pixel(PNG.sync.read(Buffer.from(await pinned.arrayBuffer())), 160, 150), PAGE, "the saved version's page colour");

    // A plain module (no default export) draws itself; with theme=dark the page it draws on is dark.
    await putFiles("render-plain", { "index.tsx": `document.getElementById("root").textContent = "plain module";` });
    const darkResponse = await get("/live/render-plain/screenshot.png?width=200&height=100&theme=dark");
    assert.equal(darkResponse.status, 200, await darkResponse.clone().text());
    const dark = PNG.sync.read(Buffer.from(await darkResponse.arrayBuffer()));
    assert.ok(pixel(dark, 190, 90).every((value) => value < 60), `dark background: ${pixel(dark, 190, 90)}`);
  });

  it("og.png is a 1200x630 card; the room page names it in og:image and twitter:image", async () => {
    const response = await get("/live/render-app/og.png");
    assert.equal(response.status, 200, await response.clone().text());
    const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
    assert.deepEqual([png.width, png.height], [1200, 630]);
    near(pixel(png, 600, 300), [0, 200, 0], "app colour in the card");
    await expectError(await get("/live/render-app/og.png?width=10"), 400, /unknown option "width"/);
    const page = await (await get("/live/render-app")).text();
    const image = `${new URL("/live/render-app/og.png", worker.url)}`;
    assert.ok(page.includes(`<meta property="og:image" content="${image}" />`), page.slice(0, 1500));
    assert.ok(page.includes(`<meta name="twitter:image" content="${image}" />`));
    assert.ok(page.includes(`<meta name="twitter:card" content="summary_large_image" />`));
  });

  it("page.pdf parses and contains the app's text", async () => {
    const response = await get("/live/render-app/page.pdf");
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get("content-type"), "application/pdf");
    const pdf = await getDocument({ data: new Uint8Array(await response.arrayBuffer()), verbosity: 0 }).promise;
    const page = await pdf.getPage(1);
    const text = (await page.getTextContent()).items.map((item) => ("str" in item ? item.str : "")).join("");
    assert.match(text, /Hello from the renderer/);
  });

  it("bad options are 400s; rooms without an app say why", async () => {
    await expectError(await get("/live/render-app/screenshot.png?width=0"), 400, /width must be an integer from 64 to 2400/);
    await expectError(await get("/live/render-app/screenshot.png?height=99999"), 400, /height must be/);
    await expectError(await get("/live/render-app/screenshot.png?width=12.5"), 400, /width must be/);
    await expectError(await get("/live/render-app/screenshot.png?theme=blue"), 400, /theme must be "light" or "dark"/);
    await expectError(await get("/live/render-app/screenshot.png?version=-1"), 400, /version must be a positive integer/);
    await expectError(await get("/live/render-app/screenshot.png?scale=2"), 400, /unknown option "scale"/);
    await expectError(await get("/live/render-app/screenshot.png?width=100&width=200"), 400, /more than once/);
    await expectError(await get("/live/render-app/screenshot.png?version=7"), 404, /room "render-app" has no version 7/);
    await expectError(await get("/live/render-nothing/screenshot.png"), 404, /nothing was ever written/);
    await expectError(await get("/live/render-app/screenshot.png", { method: "POST" }), 405, /not allowed/);
    await putFiles("render-broken", { "index.tsx": "export default function App( {" });
    const broken = await get("/live/render-broken/page.pdf");
    assert.equal(broken.status, 422);
    assert.ok(((await broken.json()) as { errors: unknown[] }).errors.length > 0);
    await putFiles("render-throws", { "index.tsx": `throw new Error("boom at start");` });
    await expectError(await get("/live/render-throws/screenshot.png"), 422, /the app failed while rendering: boom at start/);
  });

  it("an app that loops forever ends in a 504 after the timeout; meanwhile the same client gets a 429; then the renderer works again", async () => {
    await putFiles("render-loop", { "index.tsx": `while (true) {}\nexport default function App() { return null; }` });
    // Bundled first, so the loop's render reaches the renderer without waiting on the transpiler.
    assert.equal((await get("/live/render-loop/index.js")).status, 200);
    let looping = true;
    const loop = get("/live/render-loop/screenshot.png").finally(() => (looping = false));
    // While the loop holds this client's one render slot (RENDER_MAX_PER_IP defaults to 1), another render of ours is
    // refused at once. Each try asks a size never asked before, so none is answered from R2.
    const refusals: string[] = [];
    for (let width = 100; looping && refusals.length === 0; width++) {
      const other = await get(`/live/render-app/screenshot.png?width=${width}&height=100`);
      if (other.status === 429) {
        assert.equal(other.headers.get("retry-after"), "1");
        refusals.push(((await other.json()) as { error: string }).error);
      } else assert.equal(other.status, 200, await other.text());
    }
    let response = await loop;
    if (response.status === 429) {
      // The other render took the slot first: the loop was the one refused. Once more, alone.
      refusals.push(((await response.json()) as { error: string }).error);
      response = await get("/live/render-loop/screenshot.png");
    }
    assert.equal(refusals.length, 1, "no render was refused while another of the same client ran");
    assert.match(refusals[0]!, /at most 1 render\(s\) at a time per client/);
    await expectError(response, 504, new RegExp(`did not finish rendering within ${TIMEOUT_MS} ms .*stopped while running the app`));
    const after = await get("/live/render-app/screenshot.png?width=300&height=300");
    assert.equal(after.status, 200, await after.clone().text());
    assert.equal(after.headers.get("x-spike-cache"), "miss");
  });

  it("without a browser: 503 saying what to install", async () => {
    installBrowserShim(process.env.XDG_CACHE_HOME!, "/nonexistent/chromium");
    try {
      await expectError(await get("/live/render-app/screenshot.png?width=301&height=300"), 503, /install Chromium \(apt-get install chromium/);
    } finally {
      installBrowserShim(process.env.XDG_CACHE_HOME!);
    }
  });
});
