/**
 * What the <spike-chat> end-to-end test files share: the fixture pages under `__chat-e2e/` in a test file's private site
 * copy, opening the chat page, asking a question and waiting for the reply. Each test file starts its own Worker, fake
 * OpenAI (workers/fake-providers.ts) and Chromium in `before` and passes them in here.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { screenshots } from "./browser.js";
import type { TestWorker } from "../workers/test-support.js";

export const WAIT = { timeout: 30_000 };

/** One <spike-chat>, configured from the query (room, model, author), recording every `spike-message` in `window.events`. */
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>chat</title><link rel="icon" href="data:,">
<script type="module" src="/spike.js"></script>
<style>body { margin: 16px; font-family: system-ui; } spike-chat { --spike-chat-height: 520px; max-width: 640px; }</style>
<script>
  window.events = [];
  addEventListener("spike-message", (e) => window.events.push(e.detail));
</script>
<script type="module">
  await customElements.whenDefined("spike-chat");
  const params = new URLSearchParams(location.search);
  const chat = document.createElement("spike-chat");
  if (params.get("room")) chat.room = params.get("room");
  if (params.get("model")) chat.model = params.get("model");
  if (params.get("author")) chat.author = params.get("author");
  document.body.append(chat);
</script>
</head><body></body></html>`;

/** Write `__chat-e2e/chat.html` (what `openChat` opens) and any further `pages` into `site`, a copy from `copySite`. */
export function writeChatPages(site: string, pages: Record<string, string> = {}): void {
  mkdirSync(join(site, "__chat-e2e"), { recursive: true });
  for (const [name, html] of Object.entries({ "chat.html": PAGE, ...pages })) writeFileSync(join(site, "__chat-e2e", name), html);
}

/** A page that records its uncaught errors and the dialogs it tried to open (dismissed). */
export type ChatPage = Page & { errors: string[]; dialogs: string[] };

/** Open the chat page of `worker` in a new page of `browser`, with `query` (`room=…&author=…&model=…`). */
export async function openChat(browser: Browser, worker: TestWorker, query: string): Promise<ChatPage> {
  const page = (await browser.newPage({ viewport: { width: 700, height: 580 } })) as ChatPage;
  page.errors = [];
  page.dialogs = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  page.on("dialog", (dialog) => {
    page.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`${worker.url.origin}/__chat-e2e/chat.html?${query}`);
  await page.locator("spike-chat").waitFor(WAIT);
  return page;
}

/** A fresh room name for one test. */
export const room = (name: string) => `chat-e2e-${name}-${Date.now().toString(36)}`;

/** Type into the chat's textarea and press Enter. */
export async function ask(page: Page, text: string): Promise<void> {
  await page.locator("spike-chat textarea").fill(text);
  await page.locator("spike-chat textarea").press("Enter");
}

/** The newest assistant message once its status is `status`. */
export async function reply(page: Page, status: string) {
  const message = page.locator(`spike-chat article.assistant[data-status=${status}]`).last();
  await message.waitFor(WAIT);
  return message;
}

/** Saves `test-results/spike-chat-<name>.png`. */
export const shot = screenshots("spike-chat");
