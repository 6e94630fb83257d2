/**
 * <spike-preview> end to end, isolation and robustness: user code that loops forever, tries to reach the host page
 * from its sandboxed frame, floods the console, or imports a package the server does not have; the host page stays
 * responsive and explains what went wrong. Rendering and editing are in spike-preview-rendering.e2e.test.ts; the
 * fixtures and helpers both use are in test-support/preview-e2e.ts.
 *
 * The built site is served by the real Worker under workerd, in Debian's Chromium; the page is on 127.0.0.1 and the
 * frame on localhost (another site). Screenshots of each state go to test-results/.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { screenshots } from "../test-support/browser.js";
import { WAIT, frameOverlay, frameText, previewFrame, previewStack } from "../test-support/preview-e2e.js";

const stack = previewStack("spike-preview-isolation-e2e", { needs: "preview/frame.js" });

const { open, putFile } = stack;

const shot = screenshots("spike-preview");

test("an endless loop in user code leaves the host page responsive and ends in a clear error", async () => {
  const room = `preview-e2e-loop-${Date.now().toString(36)}`;
  await putFile(room, "index.tsx", 'console.log("spinning");\nwhile (true) {}\nexport default function App() { return <p>never</p>; }\n');
  const page = await stack.browser.newPage({ viewport: { width: 1000, height: 340 } });
  const spinning = new Promise<void>((resolve) => page.on("console", (m) => m.text() === "spinning" && resolve()));
  await page.goto(`${stack.worker.url.origin}/__preview-e2e/preview.html?room=${room}`);
  try {
    // The frame logs just before it starts looping. Its postMessage to the host only leaves once the loop ends (Blink
    // sends cross-process messages from a task), but DevTools hears the console call at once: that is our "it is looping".
    await spinning;
    const whileLooping = await page.evaluate(
      () =>
        new Promise<{ errors: number; title: string }>((resolve) =>
          requestAnimationFrame(() =>
            resolve({ errors: (window as any).events.filter((e: any) => e.type === "spike-error").length, title: document.title }),
          ),
        ),
    );
    assert.deepEqual(whileLooping, { errors: 0, title: "preview.html" });

    await page.waitForFunction(() => (window as any).events.some((e: any) => e.type === "spike-error"), null, WAIT);
    const error = await page.evaluate(() => (window as any).events.find((e: any) => e.type === "spike-error"));
    assert.equal(error.kind, "runtime");
    assert.match(error.message, /Infinite loop\? index\.tsx:2/);
    assert.equal(error.line, 2);
    const frame = await previewFrame(page);
    assert.match(await frameOverlay(frame), /Infinite loop\?/);
    await shot(page, "endless-loop");

    // The frame is alive afterwards: a fixed file renders.
    await putFile(room, "index.tsx", 'export default function App() { return <p id="ok">recovered</p>; }\n');
    await frameText(frame, "#ok", /recovered/);
  } finally {
    await page.close();
  }
});

test("the frame cannot read the host page, its cookies, or navigate it; forged messages are ignored", async () => {
  const room = `preview-e2e-isolation-${Date.now().toString(36)}`;
  await putFile(
    room,
    "index.tsx",
    `export default function App() {
  let doc = "readable";
  let nav = "navigated";
  try { doc = parent.document.title; } catch (error) { doc = "blocked"; }
  try { top!.location.href = "about:blank"; } catch (error) { nav = "blocked"; }
  return <p id="probe">{doc}|{document.cookie || "no cookies"}|{nav}</p>;
}
`,
  );
  const page = await open(`preview.html?room=${room}`);
  try {
    await page.evaluate(() => (document.cookie = "spike-secret=42; path=/"));
    assert.match(await page.evaluate(() => document.cookie), /spike-secret=42/);
    const frame = await previewFrame(page);
    assert.equal(await frameText(frame, "#probe", /\|/), "blocked|no cookies|blocked");
    assert.equal(await page.locator("spike-preview iframe").getAttribute("sandbox"), "allow-scripts allow-forms allow-same-origin");
    // The same from outside the user code, through the frame's own context.
    const fromFrame = await frame.evaluate(() => {
      let doc: string;
      try {
        doc = parent.document.cookie;
      } catch (error) {
        doc = (error as Error).name;
      }
      return { doc, cookie: document.cookie, origin: location.origin };
    });
    assert.deepEqual(fromFrame, { doc: "SecurityError", cookie: "", origin: `http://localhost:${stack.worker.url.port}` });
    assert.equal(new URL(page.url()).pathname, "/__preview-e2e/preview");

    // A message that claims to come from the frame but does not (the host page posting to itself) is ignored.
    const before = await page.evaluate(() => (window as any).events.length);
    await page.evaluate(() => postMessage({ type: "spike:console", level: "log", args: ["forged"] }, "*"));
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
    assert.equal(await page.evaluate((n) => (window as any).events.slice(n).some((e: any) => e.args?.[0] === "forged"), before), false);
  } finally {
    await page.close();
  }
});

test("a preview that floods console.log and spike:ready is throttled by the host page, which stays responsive", async () => {
  const room = `preview-e2e-flood-${Date.now().toString(36)}`;
  const FLOOD = 5000;
  await putFile(
    room,
    "index.tsx",
    `// Counts the updates the host sends after this runs: each spike:ready the host acts on sends every module again.
(window as any).updatesSeen = 0;
addEventListener("message", (event) => {
  if (event.data?.type === "spike:update") (window as any).updatesSeen++;
});
// No loop statements, so the loop guard's time budget cannot cut the flood short on a slow machine.
Array.from({ length: ${FLOOD} }).forEach((_, i) => console.log("flood", i));
Array.from({ length: 500 }).forEach(() => parent.postMessage({ type: "spike:ready" }, "*"));
export default function App() { return <p id="flood">flooded</p>; }
`,
  );
  const page = await open(`preview.html?room=${room}`);
  try {
    const frame = await previewFrame(page);
    await frameText(frame, "#flood", /flooded/);
    // Every flood message is accounted for: passed on as a spike-console event, or counted in a "dropped" entry.
    const tally = () =>
      page.evaluate(() => {
        const consoles = (window as any).events.filter((e: any) => e.type === "spike-console");
        const delivered = consoles.filter((e: any) => e.args[0] === "flood").length;
        const summaries = consoles.map((e: any) => /^(\d+) console messages dropped/.exec(e.args[0] ?? "")).filter(Boolean);
        return { delivered, dropped: summaries.reduce((sum: number, m: any) => sum + Number(m[1]), 0), summaries: summaries.length };
      });
    await page
      .waitForFunction((total) => {
        const consoles = (window as any).events.filter((e: any) => e.type === "spike-console");
        const delivered = consoles.filter((e: any) => e.args[0] === "flood").length;
        const dropped = consoles.reduce((sum: number, e: any) => sum + Number(/^(\d+) console messages dropped/.exec(e.args[0] ?? "")?.[1] ?? 0), 0);
        return delivered + dropped === total;
      }, FLOOD, WAIT)
      .catch(async (error) => {
        throw new Error(`the flood was never fully accounted for: ${JSON.stringify(await tally())}`, { cause: error });
      });
    const { delivered, dropped, summaries } = await tally();
    assert.ok(delivered < FLOOD / 4, `the host passed on ${delivered} of ${FLOOD} console messages`);
    assert.ok(dropped > 0 && summaries >= 1 && summaries <= 10, `${dropped} dropped, summed up in ${summaries} entries`);
    assert.equal(
      (await page.evaluate(() => (window as any).events.find((e: any) => /dropped/.test(e.args?.[0] ?? ""))))?.level,
      "warn",
    );
    // The 500 spike:ready messages cost a handful of re-sends, not 500.
    const updatesSeen = await frame.evaluate(() => (window as any).updatesSeen as number);
    assert.ok(updatesSeen < 50, `the host re-sent the project ${updatesSeen} times`);

    // The host page answers, and the next edit renders.
    assert.equal(await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve("painted")))), "painted");
    await putFile(room, "index.tsx", 'export default function App() { return <p id="flood">after the flood</p>; }\n');
    assert.equal(await frameText(frame, "#flood", /after the flood/), "after the flood");
    await page.locator("spike-preview [part=status]", { hasText: "Live" }).waitFor(WAIT);
    await shot(page, "flood");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test("an import of a package the server does not have shows the server's explanation at the import's line", async () => {
  const room = `preview-e2e-missing-${Date.now().toString(36)}`;
  await putFile(room, "index.tsx", 'import { useState } from "react";\nimport pad from "left-pad-nope";\n\nexport default function App() { return <p>{pad("x", 3)}</p>; }\n');
  const page = await open(`preview.html?room=${room}`);
  try {
    const frame = await previewFrame(page);
    await frame.waitForFunction(() => /left-pad-nope/.test(document.querySelector("spike-error-overlay")?.shadowRoot?.textContent ?? ""), null, WAIT);
    const text = await frameOverlay(frame);
    assert.match(text, /package "left-pad-nope" is not in the offline set/);
    assert.match(text, /index\.tsx:2:/);
    const error = await page.evaluate(() => (window as any).events.find((e: any) => e.type === "spike-error"));
    assert.deepEqual([error.kind, error.file, error.line], ["runtime", "index.tsx", 2]);
    await shot(page, "missing-package");
  } finally {
    await page.close();
  }
});
