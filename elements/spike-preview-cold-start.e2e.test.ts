/**
 * <spike-preview>'s first render, end to end in Chromium against the real Worker (built dist/site under workerd): the
 * first build reaches the frame as one message with every module, the frame asks for no runtime script of its own, a
 * local project's frame (opaque origin, no HTTP cache) runs React passed by the host page instead of fetching it, a
 * broken module in that message is an error the page shows, and a repeat visit to a room's preview takes /api/config
 * from the HTTP cache. Correctness only: the timings are in bench/preview-latency.mjs (--timeline).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { COUNTER, FIXTURE_PATH, FIXTURES, WAIT, frameOverlay, frameText, previewFrame, previewStack } from "../test-support/preview-e2e.js";

/** A local project whose component counts clicks with React state and reads a zustand store (zustand imports React itself). */
const LOCAL_COUNTER = `<spike-preview project="counter" loading="eager">
  <script type="text/plain" data-file="index.tsx">${COUNTER.replace("export default function Counter() {", `import { create } from "zustand";
  const useLabel = create(() => ({ label: "from zustand" }));

  export default function Counter() {
    const label = useLabel((s) => s.label);`).replace("</main>", "<p id=\"store\">{label}</p></main>")}</script>
</spike-preview>`;

const stack = previewStack("spike-preview-cold-start-e2e", { needs: "preview/frame.html", pages: { ...FIXTURES, "local-counter.html": LOCAL_COUNTER } });

/** In every frame: each `spike:update` the frame is sent, as the files it versions and the files it carries code for. */
function recordUpdates() {
  if (window === window.top) return;
  const updates: { versions: string[]; modules: string[] }[] = ((window as any).__updates = []);
  addEventListener(
    "message",
    (event) => {
      if (event.data?.type !== "spike:update") return;
      const packages = event.data.packages ? Object.keys(event.data.packages.modules).sort() : null;
      updates.push({ versions: Object.keys(event.data.versions).sort(), modules: Object.keys(event.data.modules).sort(), packages });
    },
    true,
  );
}

test("a local project's first build reaches the frame as one message carrying every module and React; the frame fetches no frame.js and no React", async () => {
  const context = await stack.browser.newContext({ viewport: { width: 1000, height: 340 } });
  try {
    await context.addInitScript(recordUpdates);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const requested: string[] = [];
    const frameRequests: boolean[] = [];
    page.on("request", (request) => {
      requested.push(new URL(request.url()).pathname);
      frameRequests.push(request.frame() !== page.mainFrame());
    });
    await page.goto(`${stack.worker.url.origin}/${FIXTURE_PATH}/local.html`);
    const frame = await previewFrame(page);
    assert.equal(await frameText(frame, "#badge", /styled/), "styled");

    type Update = { versions: string[]; modules: string[]; packages: string[] | null };
    const updates = (await frame.evaluate(() => (window as any).__updates)) as Update[];
    assert.ok(updates.length >= 1);
    assert.deepEqual(updates[0]!.versions, ["components/Badge.tsx", "index.tsx", "other.tsx", "styles.css"]);
    assert.deepEqual(updates[0]!.modules, updates[0]!.versions, "the first update carries the code of every file it names");
    assert.deepEqual(
      updates[0]!.packages?.map((path) => path.replace(/@[\d.]+\//, "@/")),
      ["/npm/react-dom@/client.js", "/npm/react-dom@/index.js", "/npm/react@/index.js", "/npm/react@/jsx-runtime.js"],
      "the host passes React to a frame with an opaque origin",
    );
    assert.ok(updates.slice(1).every((u) => u.packages === null), "only the first update carries them");

    assert.ok(requested.includes("/preview/frame.html"));
    assert.ok(!requested.includes("/preview/frame.js"), "the runtime is inline in frame.html");
    const fromFrame = requested.filter((path, i) => frameRequests[i]);
    assert.deepEqual(fromFrame.filter((path) => /\/npm\/react/.test(path)), [], "the frame fetched no React");
    assert.ok(fromFrame.some((path) => /\/npm\/clsx@/.test(path)), "a set module the host did not pass comes from the server");
    const maps = await frame.evaluate(() => [...document.querySelectorAll('script[type="importmap"]')].map((s) => JSON.parse(s.textContent!)));
    assert.match(maps[0].imports.react, /^blob:/);
    assert.equal(await frame.locator('link[rel="modulepreload"]').count(), 0, "nothing preloaded: the host passes it");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a frame running the React its host passed keeps state across clicks, and zustand (fetched by the frame) shares that React", async () => {
  const context = await stack.browser.newContext({ viewport: { width: 1000, height: 340 } });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${stack.worker.url.origin}/${FIXTURE_PATH}/local-counter.html`);
    const frame = await previewFrame(page);
    assert.equal(await frameText(frame, "#store", /zustand/), "from zustand");
    for (let i = 0; i < 3; i++) await frame.locator("#count").click();
    assert.equal(await frameText(frame, "#count", /3 times/), "Clicked 3 times");
    await page.screenshot({ path: "test-results/spike-preview-host-packages.png" });
    assert.deepEqual(await page.evaluate(() => (window as any).events.filter((e: any) => e.type === "spike-error")), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a broken React module passed by the host is an error the preview shows, not a blank frame", async () => {
  const context = await stack.browser.newContext({ viewport: { width: 1000, height: 340 } });
  try {
    // The host page fetches React and passes it on; what it gets here does not parse.
    await context.route(/\/npm\/react-dom@[^/]+\/client\.js$/, (route) =>
      route.fulfill({ status: 200, contentType: "text/javascript", headers: { "access-control-allow-origin": "*" }, body: "export const = ;" }),
    );
    const page = await context.newPage();
    await page.goto(`${stack.worker.url.origin}/${FIXTURE_PATH}/local-counter.html`);
    const frame = await previewFrame(page);
    await page.waitForFunction(() => (window as any).events.some((e: any) => e.type === "spike-error"), null, WAIT);
    const error = await page.evaluate(() => (window as any).events.find((e: any) => e.type === "spike-error"));
    assert.equal(error.kind, "runtime");
    assert.match(error.message, /SyntaxError|Unexpected/);
    assert.match(await page.locator("spike-preview [part=status]").innerText(), /error/i);
    await frame.waitForFunction(() => !!document.querySelector("spike-error-overlay"), null, WAIT);
    assert.match(await frameOverlay(frame), /SyntaxError|Unexpected/);
  } finally {
    await context.close();
  }
});

test("a repeat visit to a room's preview in the same browser takes /api/config from the HTTP cache and renders again", async () => {
  const context = await stack.browser.newContext({ viewport: { width: 1000, height: 340 } });
  try {
    const page = await context.newPage();
    const room = `cold-start-${Date.now().toString(36)}`;
    const url = `${stack.worker.url.origin}/${FIXTURE_PATH}/room.html?room=${room}`;
    const configEntry = () =>
      page.evaluate(() => {
        const entry = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/api/config")) as PerformanceResourceTiming | undefined;
        return entry ? { transferSize: entry.transferSize, decodedBodySize: entry.decodedBodySize } : null;
      });

    await page.goto(url);
    let frame = await previewFrame(page);
    assert.equal(await frameText(frame, "#title", /Hello1/), "Hello1");
    const first = await configEntry();
    assert.ok(first && first.transferSize > 0, "the first visit fetched /api/config");

    await page.goto(url);
    frame = await previewFrame(page);
    assert.equal(new URL(frame.url()).origin, `http://localhost:${stack.worker.url.port}`, "the frame on the origin /api/config names");
    assert.equal(await frameText(frame, "#title", /Hello1/), "Hello1");
    const again = await configEntry();
    assert.ok(again, "the page read /api/config");
    assert.equal(again.transferSize, 0, "from the HTTP cache: no bytes on the wire");
    assert.ok(again.decodedBodySize > 0);
  } finally {
    await context.close();
  }
});
