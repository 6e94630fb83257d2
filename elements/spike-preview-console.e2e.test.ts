/**
 * <spike-preview> end to end, reporting to the room's console log (README "Preview console"): a previewed room app's
 * console.log and an error it throws on a real click arrive in `GET /live/<room>/console`, batched (a burst of logs is
 * one POST, POSTs at least a second apart); a preview of a local project reports nothing.
 *
 * The built site is served by the real Worker under workerd, in Debian's Chromium (test-support/preview-e2e.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ConsoleLog } from "../core/api.js";
import { screenshots } from "../test-support/browser.js";
import { WAIT, frameText, previewFrame, previewStack } from "../test-support/preview-e2e.js";
import { waitUntil } from "../test-support/wait.js";

const stack = previewStack("spike-preview-console-e2e", { needs: "preview/frame.js" });
const { open, putFile } = stack;
const shot = screenshots("spike-preview");

const APP = `import { useEffect } from "react";
export default function App() {
  useEffect(() => {
    console.log("x");
    for (let i = 0; i < 20; i++) console.info("burst", i);
    console.warn("careful", { n: 1 });
  }, []);
  return <button id="boom" onClick={() => { throw new Error("kaboom from a click"); }}>Boom</button>;
}
`;

async function consoleLog(room: string): Promise<ConsoleLog> {
  const response = await fetch(new URL(`/live/${room}/console`, stack.worker.url));
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as ConsoleLog;
}

test("a room preview's console.log and a thrown error reach GET /console, in batches a second apart", async () => {
  const room = `preview-console-${Date.now().toString(36)}`;
  await putFile(room, "index.tsx", APP);
  const page = await open(`preview.html?room=${room}`);
  const posts: number[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === `/live/${room}/console`) posts.push(Date.now());
  });
  try {
    const frame = await previewFrame(page);
    await frameText(frame, "#boom", /Boom/);
    await waitUntil(async () => (await consoleLog(room)).entries.some((entry) => entry.text.startsWith("careful")), { timeoutMs: WAIT.timeout, what: "the logs reported" });

    // A real click on the app's button throws in the app.
    await frame.locator("#boom").click();
    await page.waitForFunction(() => (window as any).events.some((e: any) => e.type === "spike-error" && /kaboom/.test(e.message)), null, WAIT);
    await waitUntil(async () => (await consoleLog(room)).entries.some((entry) => entry.text.includes("kaboom from a click")), { timeoutMs: WAIT.timeout, what: "the error reported" });
    await shot(page, "console-reported");

    const { entries, dropped } = await consoleLog(room);
    assert.equal(dropped, 0);
    const texts = entries.map((entry) => `${entry.level} ${entry.text}`);
    assert.ok(texts.includes("log x"), texts.join("\n"));
    assert.deepEqual(
      entries.filter((entry) => entry.text.startsWith("burst")).map((entry) => entry.text),
      Array.from({ length: 20 }, (_, i) => `burst ${i}`),
    );
    assert.match(texts.find((text) => text.startsWith("warn careful"))!, /^warn careful .*n.*1/);
    const error = entries.find((entry) => entry.text.includes("kaboom from a click"))!;
    assert.equal(error.level, "error");
    assert.match(error.text, /index\.tsx/, "the stack names the project file");
    for (let i = 1; i < entries.length; i++) assert.ok(entries[i]!.time > entries[i - 1]!.time);

    // 23 logs in one effect went out together (one POST, two if the burst straddled the gathering time); the error
    // later; every POST at least a second after the one before (a slow machine only makes the gaps longer).
    assert.ok(posts.length >= 2 && posts.length <= 3, `POSTs at ${posts.join(", ")}`);
    for (let i = 1; i < posts.length; i++) assert.ok(posts[i]! - posts[i - 1]! >= 900, `POST ${i} came ${posts[i]! - posts[i - 1]!} ms after the one before`);
  } finally {
    await page.close();
  }
});

test("a preview of a local project reports nothing", async () => {
  const page = await open("local.html");
  const posts: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.endsWith("/console")) posts.push(request.url());
  });
  try {
    const frame = await previewFrame(page);
    await frame.waitForSelector("body *", WAIT);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 1500)));
    await frame.evaluate(() => console.log("local log"));
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 1500)));
    assert.deepEqual(posts, []);
  } finally {
    await page.close();
  }
});
