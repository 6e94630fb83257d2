/**
 * The Storybook static build (dist/site/storybook, `npm run build-storybook`) served at /storybook/ by the real Worker
 * under workerd, as `npm start` serves it: every story of index.json opens in Debian's Chromium, reaches the state it is
 * named after (read from the elements' shadow roots and the preview frame), and logs no console error. The states that
 * need the server get it for real: rooms on the Worker's CodeRoom, sign-in with a test Clerk key and a private room,
 * chat replies from loopback fakes of OpenAI (a reply that keeps streaming) and Anthropic (an overload error).
 * Screenshots: test-results/storybook-<story id>.png.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type ConsoleMessage, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, screenshots } from "../test-support/browser.js";
import { startFakeAnthropic, startFakeOpenAI, type FakeProvider } from "../workers/fake-providers.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";
import { createTestSigner, type TestSigner } from "../workers/test-tokens.js";
import { APP, PRIVATE_ROOM, READONLY_ROOM, UNREACHABLE_SERVER } from "./support.js";

const WAIT = { timeout: 45_000 };
const SITE = copySite("storybook-e2e", "storybook/index.json");
const shot = screenshots("storybook");

/** The stories of the build, from its own index (what the sidebar lists); `state` is the export's name ("StreamingReply"). */
const STORIES = Object.values(
  (JSON.parse(readFileSync(join(SITE, "storybook/index.json"), "utf8")) as { entries: Record<string, { id: string; type: string; name: string; title: string }> })
    .entries,
)
  .filter((entry) => entry.type === "story")
  .map((entry) => {
    const state = entry.name.replace(/ /g, "");
    return { ...entry, state, key: `${entry.title.split("/").pop()}--${state}` };
  });

/** What a story must show: text of the elements (shadow roots and preview frames included), and an element that must be there. */
interface Expectation {
  text: RegExp;
  selector?: string;
}

/** The live editor (Monaco labels its text area so) and a rendered sample app in the preview frame. */
const EDITOR_LIVE = /Code editor: index\.tsx/;
const APP_RENDERED = /Clicked 0 times/;

/**
 * What each story must show, by element and story name (the export's name). A story missing here fails the test, so a
 * new story needs its state written down.
 */
const EXPECTED: Record<string, Expectation> = {
  "spike-editor--Lite": { text: /Click to edit/ },
  "spike-editor--Loading": { text: /Loading editor/ },
  "spike-editor--Local": { text: EDITOR_LIVE, selector: "spike-editor .monaco-editor .view-lines" },
  "spike-editor--Connected": { text: /Live in room storybook-editor-/ },
  "spike-editor--ReadOnly": { text: /This room is read-only for you/ },
  "spike-editor--ReadOnlyRoom": { text: /Read-only/, selector: "spike-editor [part=badge]" },
  "spike-editor--Offline": { text: /Offline, changes will sync/ },
  "spike-editor--SignInRequired": { text: /Sign in to open this private room/ },
  "spike-editor--NoAccess": { text: /You do not have access to this room/ },
  "spike-editor--Dark": { text: /Live in room storybook-editor-dark-/ },
  "spike-editor--Mobile": { text: EDITOR_LIVE, selector: "spike-editor .monaco-editor .view-lines" },
  "spike-preview--Lite": { text: /Run index\.tsx/ },
  "spike-preview--Loading": { text: /Loading preview/ },
  "spike-preview--Local": { text: APP_RENDERED },
  "spike-preview--Connected": { text: APP_RENDERED },
  "spike-preview--BuildError": { text: /Build error/, selector: "spike-preview [part=error]:visible" },
  "spike-preview--RuntimeError": { text: /Something broke while rendering/ },
  "spike-preview--LoopGuard": { text: /Infinite loop\? index\.tsx:3/ },
  "spike-preview--Offline": { text: /Cannot reach the spike server/ },
  "spike-preview--SignInRequired": { text: /Sign in to open this private room/ },
  "spike-preview--NoAccess": { text: /You do not have access to this room/ },
  "spike-preview--Dark": { text: APP_RENDERED },
  "spike-preview--Mobile": { text: APP_RENDERED },
  "spike-chat--Lite": { text: /Open chat/ },
  "spike-chat--Local": { text: /Chat needs a room/ },
  "spike-chat--Connected": { text: /Ask about the code/ },
  "spike-chat--StreamingReply": { text: /starts at 10/, selector: "spike-chat article.assistant[data-status=streaming]" },
  "spike-chat--ProviderError": { text: /./, selector: "spike-chat article.assistant[data-status=error]" },
  "spike-chat--ReadOnlyRoom": { text: /Read-only/, selector: "spike-chat [part=badge]" },
  "spike-chat--Offline": { text: /Offline/ },
  "spike-chat--SignInRequired": { text: /Sign in to open this private room/ },
  "spike-chat--NoAccess": { text: /You do not have access to this room/ },
  "spike-chat--Dark": { text: /Ask about the code/ },
  "spike-chat--Mobile": { text: /Ask about the code/ },
  "spike-console--Logging": { text: /Rendering the app[\s\S]*A warning from the app[\s\S]*Some detail for debugging[\s\S]*App rendered/ },
  // React may render the failing component twice: one error or two.
  "spike-console--RuntimeError": { text: /Errors [1-9][\s\S]*Console lines[\s\S]*Something broke while rendering/ },
  "spike-console--MaxLines": { text: /App rendered/, selector: "spike-console [part=dropped]" },
  "spike-console--Dark": { text: /Rendering the app/ },
  "spike-console--Mobile": { text: /Rendering the app/ },
  "spike-tabs--Lite": { text: /Click to edit/ },
  "spike-tabs--Local": { text: /theme\.ts[\s\S]*Code editor: index\.tsx/ },
  "spike-tabs--Connected": { text: /Live in room storybook-tabs-/ },
  "spike-tabs--ReadOnly": { text: /This room is read-only for you/ },
  "spike-tabs--Offline": { text: /Offline, changes will sync/ },
  "spike-tabs--Dark": { text: EDITOR_LIVE },
  "spike-tabs--Mobile": { text: EDITOR_LIVE },
  "spike-versions--Lite": { text: /Versions/ },
  "spike-versions--Empty": { text: /No saved versions yet/ },
  "spike-versions--Connected": { text: /v\s*2\s*Published[\s\S]*v\s*1\s*First draft/ },
  "spike-versions--ReadOnlyRoom": { text: /Read-only/, selector: "spike-versions [part=badge]" },
  "spike-versions--Dark": { text: /v\s*2\s*Published/ },
  "spike-versions--Mobile": { text: /v\s*2\s*Published/ },
  "spike-playground--Lite": { text: /Click to edit/ },
  "spike-playground--Local": { text: APP_RENDERED },
  "spike-playground--Tabs": { text: /Playground views[\s\S]*Code editor: index\.tsx/ },
  "spike-playground--Connected": { text: /Live in room storybook-playground-[\s\S]*Ask about the code/ },
  "spike-playground--ReadOnly": { text: /This room is read-only for you/ },
  "spike-playground--BuildError": { text: /Build error/ },
  "spike-playground--Offline": { text: /Offline, changes will sync[\s\S]*Cannot reach the spike server/ },
  "spike-playground--Dark": { text: APP_RENDERED },
  "spike-playground--Mobile": { text: APP_RENDERED },
  "spike-room--Connected": { text: /Live in room storybook-room-/ },
  "spike-room--Local": { text: APP_RENDERED },
  "spike-room--Offline": { text: /Offline, changes will sync[\s\S]*Cannot reach the spike server/ },
  "spike-room--SignInRequired": { text: /Sign in to open this private room/ },
  "spike-room--Dark": { text: APP_RENDERED },
};

let worker: TestWorker;
let browser: Browser;
let signer: TestSigner;
let openai: FakeProvider;
let anthropic: FakeProvider;

before(async () => {
  signer = await createTestSigner();
  // A reply that streams and then stays open: the chat shows it streaming for as long as the story is open.
  openai = await startFakeOpenAI();
  openai.defaultReply = { kind: "hold", text: "Here is a countdown: the button now starts at 10 and counts down", chunkSize: 6 };
  anthropic = await startFakeAnthropic();
  anthropic.defaultReply = { kind: "error", status: 529 };
  worker = await startTestWorker({
    assets: SITE,
    vars: {
      CLERK_JWT_KEY: signer.publicKeyPem,
      AI_REQUIRE_SIGN_IN: "false",
      AI_MODELS: "gpt-4o-mini,claude-haiku-4-5",
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_API_KEY: openai.apiKey,
      ANTHROPIC_BASE_URL: anthropic.baseURL,
      ANTHROPIC_API_KEY: anthropic.apiKey,
    },
  });
  await makeRoom(PRIVATE_ROOM, "private");
  await makeRoom(READONLY_ROOM, "readonly");
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  await openai?.close();
  await anthropic?.close();
  rmSync(SITE, { recursive: true, force: true });
});

/** A room of the sign-in and read-only stories, as its owner makes it: write a file, then claim it with `visibility`. */
async function makeRoom(room: string, visibility: "private" | "readonly"): Promise<void> {
  const owner = `Bearer ${await signer.sign({ sub: "user_owner" })}`;
  const write = await fetch(`${worker.url.origin}/live/${room}/files/index.tsx`, { method: "PUT", body: APP, headers: { authorization: owner } });
  const written = await write.text();
  assert.equal(write.status, 200, written);
  const { claimToken } = JSON.parse(written) as { claimToken?: string };
  const claim = await fetch(`${worker.url.origin}/live/${room}/permissions`, {
    method: "PUT",
    headers: { authorization: owner, "content-type": "application/json" },
    body: JSON.stringify({ visibility, claimToken }),
  });
  assert.equal(claim.status, 200, await claim.text());
}

/** A story's page, recording console errors and uncaught exceptions. */
type StoryPage = Page & { errors: string[] };

async function openStory(id: string, viewport = { width: 1000, height: 760 }): Promise<StoryPage> {
  const page = (await browser.newPage({ viewport })) as StoryPage;
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(`uncaught: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !expectedNetworkError(id, message)) page.errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  return page;
}

/**
 * The one console error a story may log: the offline stories point at a loopback port where nothing listens, and
 * Chromium itself reports each refused connection (fetch, WebSocket) on the console. That refusal is the state shown.
 */
function expectedNetworkError(id: string, message: ConsoleMessage): boolean {
  const host = new URL(UNREACHABLE_SERVER).host;
  const refused = message.text().includes(`//${host}/`) || message.location().url.startsWith(UNREACHABLE_SERVER);
  return id.endsWith("--offline") && refused && /ERR_CONNECTION_REFUSED|failed/.test(message.text());
}

/**
 * The story root's text, shadow roots included, with aria-labels and titles. A string, evaluated as is: the test's
 * transpiler would wrap a nested named function in a helper the page does not have.
 */
const STORY_TEXT = `(() => {
  const parts = [];
  const walk = (node) => {
    if (node instanceof HTMLElement) {
      if (node.shadowRoot) walk(node.shadowRoot);
      const label = node.getAttribute("aria-label") ?? node.getAttribute("title");
      if (label) parts.push(label);
    }
    if (node.nodeType === Node.TEXT_NODE && node.parentElement?.localName !== "script" && node.parentElement?.localName !== "style") parts.push(node.textContent ?? "");
    for (const child of node.childNodes) walk(child);
  };
  walk(document.querySelector("#storybook-root"));
  return parts.join(" ");
})()`;

/** Everything the story shows as text: the light DOM, every open shadow root inside it, and each preview frame's body. */
async function storyText(page: Page): Promise<string> {
  const own = (await page.evaluate(STORY_TEXT)) as string;
  const frames = await Promise.all(
    page
      .frames()
      .filter((frame) => frame.url().includes("/preview/frame"))
      .map((frame) =>
        frame
          .evaluate(() => {
            const overlay = document.querySelector("spike-error-overlay")?.shadowRoot?.textContent ?? "";
            return `${document.body?.innerText ?? ""} ${overlay}`;
          })
          .catch(() => ""),
      ),
  );
  return [own, ...frames].join(" ").replace(/\s+/g, " ");
}

async function waitForText(page: Page, pattern: RegExp, what: string): Promise<string> {
  const deadline = Date.now() + WAIT.timeout;
  let text = "";
  for (;;) {
    text = await storyText(page);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`${what}: never showed ${pattern}; it shows ${JSON.stringify(text.slice(0, 600))}`);
    await page.waitForTimeout(100);
  }
}

test("the static build lists a story for every element, with controls from custom-elements.json", async () => {
  const titles = new Set(STORIES.map((story) => story.title));
  const manifest = JSON.parse(readFileSync("custom-elements.json", "utf8")) as { modules: { declarations?: { tagName?: string }[] }[] };
  const tags = manifest.modules.flatMap((module) => module.declarations ?? []).flatMap((d) => (d.tagName ? [d.tagName] : []));
  assert.deepEqual([...titles].sort(), tags.map((tag) => `Elements/${tag}`).sort());
  for (const story of STORIES) assert.ok(EXPECTED[story.key], `story ${story.id} has no expected state in EXPECTED`);

  const page = await openStory("manager");
  try {
    await page.goto(`${worker.url.origin}/storybook/?path=/story/elements-spike-editor--local`);
    // The controls panel lists the editor's attributes as the manifest documents them.
    const panel = page.locator("#storybook-panel-root");
    await panel.getByText("clerk-publishable-key").first().waitFor(WAIT);
    await panel.getByText("Show the file without allowing edits", { exact: false }).first().waitFor(WAIT);
    await shot(page, "manager");
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

for (const story of STORIES) {
  test(`story ${story.title} / ${story.name} renders its state with no console errors`, async () => {
    const page = await openStory(story.id);
    let release = () => {};
    if (story.state === "Loading") {
      // Hold the editor's Monaco chunk and the preview's frame so the loading view stays until it has been seen.
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route(/monaco-entry-[^/]*\.js$|\/preview\/frame/, async (route) => {
        await held;
        await route.continue();
      });
    }
    try {
      await page.goto(`${worker.url.origin}/storybook/iframe.html?id=${story.id}&viewMode=story`, { waitUntil: "domcontentloaded", ...WAIT });
      await page.locator(`#storybook-root ${story.title.split("/").pop()}`).first().waitFor({ state: "attached", ...WAIT });
      if (story.state === "NoAccess") {
        // The token control, as a user pasting a stranger's session token would set it.
        const token = await signer.sign({ sub: "user_stranger" });
        await page.evaluate(
          ([storyId, value]) => (window as any).__STORYBOOK_PREVIEW__.channel.emit("updateStoryArgs", { storyId, updatedArgs: { token: value } }),
          [story.id, token],
        );
      }
      if (story.state === "ReadOnly") {
        // A real keystroke into the first editor: refused, with the editor's read-only message.
        const lines = page.locator("spike-editor .monaco-editor .view-lines").first();
        await lines.waitFor(WAIT);
        await lines.click();
        await page.keyboard.type("x");
      }
      const expected = EXPECTED[story.key];
      assert.ok(expected, `story ${story.id} has no expected state in EXPECTED`);
      const text = await waitForText(page, expected.text, story.id);
      if (expected.selector) await page.locator(expected.selector).first().waitFor({ state: "attached", ...WAIT });
      await shot(page, story.id);
      release();
      assert.deepEqual(page.errors, [], `${story.id} shows ${JSON.stringify(text.slice(0, 300))}`);
    } finally {
      release();
      await page.close();
    }
  });
}
