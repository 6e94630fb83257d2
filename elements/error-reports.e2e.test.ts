/**
 * Error reports from the elements (elements/internal/error-reports.ts) in real Chromium, with the CDN build from a static
 * host and a loopback Sentry ingest endpoint that parses the envelopes the real @sentry/browser sends: an element's own
 * error arrives when the page opts in (meta tag or reportErrors); a user-code error in the preview and the page's own
 * errors do not; with no opt-in the Sentry chunk is never fetched and nothing is sent. Needs `npm run build` first.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { startSentryIngest, type SentryIngest } from "../test-support/sentry-ingest.js";
import { serveStatic, type StaticServer } from "../test-support/static-server.js";
import { until } from "../test-support/wait.js";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
const CDN_PATH = `/npm/spike@${version}/dist/cdn/`;
const SENTRY_CHUNK = /chunks\/error-reporter-[\w-]+\.js$/;

let browser: Browser;
let cdn: StaticServer;
let pages: StaticServer;
let ingest: SentryIngest;
/** A spike server that is down: it answers 503 to everything (its requests are counted). */
let downServer: string;
let downHttp: Server;
let downRequests: string[] = [];
const pageHtml: Record<string, { html: string }> = {};

function page(name: string, head: string, body: string): string {
  pageHtml[`/${name}`] = {
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title><link rel="icon" href="data:,">
${head}<script type="module" src="${cdn.origin}${CDN_PATH}spike.js"></script></head><body>${body}</body></html>`,
  };
  return `${pages.origin}/${name}`;
}

before(async () => {
  cdn = await serveStatic({ [CDN_PATH]: "dist/cdn" }, "127.0.0.1");
  pages = await serveStatic(pageHtml, "localhost");
  ingest = await startSentryIngest();
  downHttp = createServer((request, response) => {
    downRequests.push(request.url ?? "");
    response.writeHead(503, { "access-control-allow-origin": "*" }).end("down");
  });
  await new Promise<void>((resolve) => downHttp.listen(0, "127.0.0.1", resolve));
  downServer = `http://127.0.0.1:${(downHttp.address() as { port: number }).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await cdn?.close();
  await pages?.close();
  await ingest?.close();
  downHttp?.closeAllConnections();
  await new Promise((resolve) => downHttp?.close(resolve));
});

async function open(url: string): Promise<Page & { errors: string[]; warnings: string[] }> {
  const tab = (await browser.newPage()) as Page & { errors: string[]; warnings: string[] };
  tab.errors = [];
  tab.warnings = [];
  tab.on("console", (message) => message.type() === "warning" && tab.warnings.push(message.text()));
  tab.on("pageerror", (error) => tab.errors.push(error.message));
  await tab.goto(url);
  return tab;
}

/** The events received so far for one element step in one room (tags set by the reporter). */
function eventsFor(step: string, room: string): Record<string, any>[] {
  return ingest.events().filter((event) => event.tags?.["spike.step"] === step && event.tags?.["spike.room"] === room);
}

/** Add a `<spike-chat>` with a room id that cannot be one: its room fails to open, an element error. */
function addBrokenChat(tab: Page, room: string): Promise<void> {
  return tab.evaluate((room) => {
    const chat = document.createElement("spike-chat");
    chat.setAttribute("loading", "eager");
    chat.setAttribute("room", room);
    document.body.append(chat);
  }, room);
}

test("opted in by <meta name=spike-sentry-dsn>: a preview whose server is down reports it once, tagged, with its stack in spike's chunks and no page data", async () => {
  const before = ingest.envelopes.length;
  downRequests = [];
  const url = page(
    "meta.html",
    `<meta name="spike-sentry-dsn" content="${ingest.dsn}"><script>document.cookie = "session=cookie-secret-1; path=/";</script>`,
    `<spike-preview room="errors-meta" server="${downServer}" loading="eager"></spike-preview>`,
  );
  const tab = await open(url);
  try {
    await until(() => eventsFor("frame", "errors-meta").length > 0, "the preview's error arrives", 30_000);
    // The preview tries the server again at each update: three failures, then an element error of another kind.
    await until(async () => {
      await tab.evaluate(() => document.querySelector("spike-preview")!.requestUpdate());
      return downRequests.filter((path) => path === "/api/config").length >= 3;
    }, "the preview retried the server");
    await addBrokenChat(tab, "after retries!");
    await until(() => eventsFor("open-room", "after retries!").length > 0, "the chat's error arrives", 30_000);
    assert.equal(eventsFor("frame", "errors-meta").length, 1, "the same failure is reported once per page");

    const envelope = ingest.envelopes.slice(before).find((e) => e.raw.includes('"spike.step":"frame"'))!;
    assert.equal(envelope.project, "42");
    assert.equal(envelope.key, "spikepublickey");
    const event = eventsFor("frame", "errors-meta")[0]!;
    assert.deepEqual(event.tags, { "spike.element": "spike-preview", "spike.step": "frame", "spike.room": "errors-meta" });
    const exception = event.exception.values.at(-1);
    assert.equal(exception.type, "Error");
    assert.equal(exception.value, `503 from ${downServer}/api/config`);
    // The stack points into the CDN build (where a source map can take it to elements/*.ts).
    const files: string[] = exception.stacktrace.frames.map((frame: { filename: string }) => frame.filename);
    assert.ok(files.some((file) => file.startsWith(`${cdn.origin}${CDN_PATH}`)), files.join("\n"));
    // Nothing of the page: no cookie, no request data, no user, no breadcrumbs.
    assert.ok(!envelope.raw.includes("cookie-secret-1"));
    assert.equal(envelope.headers.cookie, undefined);
    assert.equal(event.request, undefined);
    assert.equal(event.user, undefined);
    assert.equal(event.breadcrumbs, undefined);
    // @sentry/browser came in its own chunk, from the script's folder.
    assert.ok(cdn.requests.some((path) => SENTRY_CHUNK.test(path)));
  } finally {
    await tab.close();
  }
});

test("opted in by reportErrors(): a user-code error in the preview and the page's own errors are not reported; an element's error is", async () => {
  const before = ingest.envelopes.length;
  const url = page(
    "call.html",
    `<script type="module">
       import { reportErrors } from "${cdn.origin}${CDN_PATH}spike.js";
       reportErrors({ dsn: "${ingest.dsn}", environment: "test", release: "page-1" });
       window.userErrors = [];
       addEventListener("spike-error", (event) => window.userErrors.push(event.detail.message));
       setTimeout(() => { throw new Error("host-page-bug"); });
       Promise.reject(new Error("host-page-rejection"));
     </script>`,
    `<spike-preview loading="eager"><script type="text/plain" data-file="index.tsx">
export default function App() {
  throw new Error("user-code-bug");
}
</script></spike-preview>`,
  );
  const tab = await open(url);
  try {
    await tab.waitForFunction(() => (window as any).userErrors?.some((m: string) => m.includes("user-code-bug")), null, { timeout: 30_000 });
    await until(() => tab.errors.includes("host-page-bug"), "the page's own error was thrown");
    // An element error after those: once it is in, anything reported before it would be in too.
    await addBrokenChat(tab, "not a room!");
    await until(() => eventsFor("open-room", "not a room!").length > 0, "the chat's error arrives", 30_000);
    const received = ingest.envelopes.slice(before);
    const events = received.flatMap((e) => e.items.filter((i) => i.header.type === "event").map((i) => i.payload as Record<string, any>));
    assert.equal(events.length, 1, JSON.stringify(events.map((e) => e.exception?.values)));
    assert.deepEqual(events[0]!.tags, { "spike.element": "spike-chat", "spike.step": "open-room", "spike.room": "not a room!" });
    assert.match(events[0]!.exception.values.at(-1).value, /invalid room id/);
    assert.equal(events[0]!.environment, "test");
    assert.equal(events[0]!.release, "page-1");
    for (const text of ["user-code-bug", "host-page-bug", "host-page-rejection"]) {
      assert.ok(!received.some((e) => e.raw.includes(text)), `${text} was sent`);
    }
  } finally {
    await tab.close();
  }
});

test("with no opt-in an element's error loads nothing and sends nothing; opting in later reports only what fails after", async () => {
  const beforeEnvelopes = ingest.envelopes.length;
  const beforeRequests = ingest.requests.length;
  const cdnBefore = cdn.requests.length;
  const url = page("none.html", "", `<spike-preview room="errors-none" server="${downServer}" loading="eager"></spike-preview>`);
  const tab = await open(url);
  try {
    await tab.waitForFunction(
      () => document.querySelector("spike-preview")?.shadowRoot?.textContent?.includes("Cannot reach the spike server"),
      null,
      { timeout: 30_000 },
    );
    await addBrokenChat(tab, "no opt-in!");
    await tab.waitForFunction(() => document.querySelector("spike-chat")?.shadowRoot?.textContent?.includes("invalid room id"), null, { timeout: 30_000 });
    const fetchedBefore = cdn.requests.slice(cdnBefore);
    const ingestBefore = ingest.requests.length;
    // Now opt in (the same spike.js module) and fail once more: only that error arrives.
    await tab.evaluate(async (dsn) => {
      const spike = await import(new URL("spike.js", (document.querySelector("script[src]") as HTMLScriptElement).src).href);
      spike.reportErrors({ dsn });
    }, ingest.dsn);
    await addBrokenChat(tab, "after opt-in!");
    await until(() => eventsFor("open-room", "after opt-in!").length > 0, "the later error arrives", 30_000);

    assert.ok(!fetchedBefore.some((path) => SENTRY_CHUNK.test(path)), "the Sentry chunk was fetched without an opt-in");
    assert.equal(ingestBefore, beforeRequests, "a request reached the ingest endpoint without an opt-in");
    // The chat that failed before the opt-in is never reported (the preview, still failing, may be: those failures are new).
    const rooms = ingest.envelopes.slice(beforeEnvelopes).flatMap((e) => e.items).map((i) => (i.payload as any).tags?.["spike.room"]);
    assert.ok(!rooms.includes("no opt-in!"), rooms.join(", "));
  } finally {
    await tab.close();
  }
});

test("an exception in an element's update is reported (step update) and still thrown as lit throws it", async () => {
  const url = page(
    "update.html",
    `<script type="module">
       import { SpikeEditor, reportErrors } from "${cdn.origin}${CDN_PATH}spike.js";
       reportErrors({ dsn: "${ingest.dsn}" });
       customElements.define("broken-editor", class extends SpikeEditor {
         render() { throw new Error("render-broke"); }
       });
       document.body.append(document.createElement("broken-editor"));
     </script>`,
    "",
  );
  const tab = await open(url);
  try {
    await until(() => ingest.events().some((e) => e.tags?.["spike.element"] === "broken-editor"), "the update's error arrives", 30_000);
    const event = ingest.events().find((e) => e.tags?.["spike.element"] === "broken-editor")!;
    assert.equal(event.tags["spike.step"], "update");
    assert.equal(event.exception.values.at(-1).value, "render-broke");
    // lit still reports it to the page (an unhandled rejection of the update), as without the opt-in.
    await until(() => tab.errors.includes("render-broke"), "the page still sees the exception");
  } finally {
    await tab.close();
  }
});

test("a page running its own Sentry (Sentry.init, same SDK version) and spike's reports: neither gets the other's errors or data", async () => {
  // The page's own @sentry/browser, bundled as a page would, served beside it.
  const vendorDir = mkdtempSync(join(tmpdir(), "spike-sentry-page-"));
  await esbuild.build({
    stdin: { contents: `export * from "@sentry/browser";`, resolveDir: process.cwd() },
    bundle: true,
    format: "esm",
    outfile: join(vendorDir, "sentry.js"),
    logLevel: "silent",
  });
  const vendor = await serveStatic({ "/vendor/": vendorDir }, "localhost");
  const pageIngest = await startSentryIngest("7", "pagekey");
  try {
    const url = page(
      "host-sentry.html",
      `<script type="module">
         import * as Sentry from "${vendor.origin}/vendor/sentry.js";
         import { reportErrors } from "${cdn.origin}${CDN_PATH}spike.js";
         Sentry.init({ dsn: "${pageIngest.dsn}" });
         Sentry.setUser({ email: "reader@example.com" });
         Sentry.setTag("page.tag", "page-only");
         Sentry.addBreadcrumb({ message: "page-breadcrumb" });
         reportErrors({ dsn: "${ingest.dsn}" });
         setTimeout(() => { throw new Error("page-own-bug"); });
       </script>`,
      "",
    );
    const tab = await open(url);
    try {
      await until(() => pageIngest.events().some((e) => JSON.stringify(e.exception).includes("page-own-bug")), "the page's Sentry gets its error", 30_000);
      await addBrokenChat(tab, "page has sentry!");
      await until(() => eventsFor("open-room", "page has sentry!").length > 0, "spike's report arrives", 30_000);
      const ours = ingest.envelopes.filter((e) => e.raw.includes("page has sentry!"));
      assert.equal(ours.length, 1);
      for (const text of ["page-own-bug", "reader@example.com", "page-only", "page-breadcrumb", "pagekey"]) {
        assert.ok(!ours[0]!.raw.includes(text), `spike's report carries the page's ${text}`);
      }
      // The page's Sentry sent what it saw itself, never spike's handled report.
      assert.ok(!pageIngest.envelopes.some((e) => e.raw.includes("page has sentry!")));
    } finally {
      await tab.close();
    }
  } finally {
    await pageIngest.close();
    await vendor.close();
    rmSync(vendorDir, { recursive: true, force: true });
  }
});

test("a DSN that is not one: reportErrors throws a TypeError, a bad meta tag is ignored with a warning, and nothing loads", async () => {
  const before = ingest.envelopes.length;
  const cdnBefore = cdn.requests.length;
  const url = page("bad.html", `<meta name="spike-sentry-dsn" content="https://no-key.example/1">`, "");
  const tab = await open(url);
  try {
    await tab.waitForFunction(() => customElements.get("spike-chat"), null, { timeout: 30_000 });
    await addBrokenChat(tab, "bad dsn!");
    await until(() => tab.warnings.some((w) => w.includes("spike-sentry-dsn")), "a warning about the meta tag");
    const thrown = await tab.evaluate(async () => {
      const spike = await import(new URL("spike.js", (document.querySelector("script[src]") as HTMLScriptElement).src).href);
      return ["not a dsn", "ftp://key@host/1", "https://key@host/", ""].map((dsn) => {
        try {
          spike.reportErrors({ dsn });
          return "accepted";
        } catch (error) {
          return (error as Error).name;
        }
      });
    });
    assert.deepEqual(thrown, ["TypeError", "TypeError", "TypeError", "TypeError"]);
    assert.ok(!cdn.requests.slice(cdnBefore).some((path) => SENTRY_CHUNK.test(path)), "the Sentry chunk was fetched");
    assert.equal(ingest.envelopes.length, before);
  } finally {
    await tab.close();
  }
});
