/**
 * Room pages and oEmbed through the real Worker under workerd: `/live/<room>` is a page around `<spike-playground>` with
 * a CSP, no inline script and an oEmbed discovery link that leads to a valid description; `/live/<room>/embed` carries its
 * query options onto the playground; `/oembed` describes room URLs and refuses junk, foreign hosts and invalid rooms with
 * the status the oEmbed spec names and a `{error, requestId}` body.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestWorker, type TestWorker } from "../test-support.js";

let worker: TestWorker;
before(async () => {
  worker = await startTestWorker();
});
after(() => worker?.dispose());

function get(path: string): Promise<Response> {
  return fetch(new URL(path, worker.url), { signal: AbortSignal.timeout(60_000) });
}

/** The opening tag of the page's `<spike-playground>`, as written. */
function playgroundTag(html: string): string {
  const tag = /<spike-playground\b[^>]*>/.exec(html)?.[0];
  assert.ok(tag, `no <spike-playground> in ${html.slice(0, 400)}`);
  return tag;
}

/** The scripts a browser would run that are inline (no src), as the CSP would have to allow them. */
function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attributes]) => !/\bsrc=/.test(attributes!) && !/type="text\/plain"/.test(attributes!))
    .map(([, , code]) => code!);
}

async function refusal(path: string): Promise<{ status: number; error: string; keys: string[] }> {
  const response = await get(path);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, error: String(body.error), keys: Object.keys(body).sort() };
}

const oembedFor = (url: string, extra = "") => `/oembed?url=${encodeURIComponent(url)}${extra}`;

describe("GET /live/<room>", () => {
  it("is a full-page playground on the room, with chat and persist, the bundle from /spike.js and a CSP with no inline script", async () => {
    const response = await get("/live/page-demo");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self' /);
    assert.doesNotMatch(csp, /'unsafe-inline'[^;]*;?\s*$|script-src[^;]*'unsafe-inline'/);
    assert.match(csp, /frame-ancestors \*/);
    const html = await response.text();
    const tag = playgroundTag(html);
    assert.match(tag, /room="page-demo"/);
    assert.match(tag, /\bpersist\b/);
    assert.match(tag, /\bchat\b/);
    assert.match(html, /<script type="module" src="\/spike.js"><\/script>/);
    // The full page works offline once visited (README "Offline").
    assert.match(html, /<script type="module" src="\/sw-register.js"><\/script>/);
    assert.deepEqual(inlineScripts(html), []);
    assert.match(html, /data-file="index.tsx">[\s\S]*import \{ useState \} from "react";/);
  });

  it("links its oEmbed description, which describes this room with the iframe the page offers as its embed snippet", async () => {
    const html = await (await get("/live/page-demo")).text();
    const link = /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/.exec(html)?.[1];
    assert.ok(link, "no oEmbed discovery link");
    const href = new URL(link.replace(/&amp;/g, "&"));
    assert.equal(href.origin, worker.url.origin);
    assert.equal(href.pathname, "/oembed");
    assert.equal(href.searchParams.get("url"), `${worker.url.origin}/live/page-demo`);
    assert.equal(href.searchParams.get("format"), "json");
    const response = await fetch(href);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.type, "rich");
    assert.match(String(body.html), new RegExp(`src="${worker.url.origin}/live/page-demo/embed"`));
    // The snippet the page shows is the same iframe.
    const snippet = /<pre>([^<]*)<\/pre>/.exec(html)?.[1] ?? "";
    assert.equal(snippet.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&"), body.html);
  });

  it("refuses an invalid room id with 400 before anything else", async () => {
    for (const path of ["/live/not!a!room", "/live/not!a!room/embed", `/live/${"r".repeat(65)}`]) {
      const { status, error, keys } = await refusal(path);
      assert.equal(status, 400, path);
      assert.match(error, /room ids are 1-64 characters/);
      assert.deepEqual(keys, ["error", "requestId"]);
    }
  });
});

describe("GET /live/<room>/embed", () => {
  it("with no options is the bare playground: no chat, no page chrome, persist, the same CSP", async () => {
    const response = await get("/live/page-demo/embed");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-security-policy") ?? "", /frame-ancestors \*/);
    const html = await response.text();
    const tag = playgroundTag(html);
    assert.equal(tag, '<spike-playground room="page-demo" key="fragment" persist loading="eager">');
    assert.doesNotMatch(html, /<header|<details|application\/json\+oembed/);
    // Framed by other sites: no service worker precaching Monaco into their readers' browsers.
    assert.doesNotMatch(html, /sw-register/);
    assert.deepEqual(inlineScripts(html), []);
  });

  it("puts file, layout, theme and readonly on the playground", async () => {
    const html = await (await get("/live/page-demo/embed?file=components/Badge.tsx&layout=tabs&theme=dark&readonly&utm_source=x")).text();
    assert.equal(playgroundTag(html), '<spike-playground room="page-demo" key="fragment" persist loading="eager" file="components/Badge.tsx" layout="tabs" theme="dark" readonly>');
    assert.match(html, /<meta name="color-scheme" content="dark" \/>/);
    const off = await (await get("/live/page-demo/embed?readonly=false&theme=auto")).text();
    assert.equal(playgroundTag(off), '<spike-playground room="page-demo" key="fragment" persist loading="eager" theme="auto">');
  });

  it("refuses an option the playground would not understand with 400 and says which", async () => {
    const cases: [string, RegExp][] = [
      ["layout=diagonal", /layout must be one of split, tabs, stacked \(got "diagonal"\)/],
      ["theme=pink", /theme must be one of light, dark, auto \(got "pink"\)/],
      ["file=../secret.ts", /file must be a project file name/],
      ["file=", /file must be a project file name/],
      ["file=%22%3E%3Cscript%3E", /file must be a project file name/],
      ["readonly=maybe", /readonly must be empty, true, false, 1 or 0 \(got "maybe"\)/],
    ];
    for (const [query, message] of cases) {
      const { status, error, keys } = await refusal(`/live/page-demo/embed?${query}`);
      assert.equal(status, 400, query);
      assert.match(error, message);
      assert.deepEqual(keys, ["error", "requestId"]);
    }
  });
});

describe("GET /oembed", () => {
  it("describes a room page as rich oEmbed JSON: an iframe of its embed, the default size", async () => {
    const response = await get(oembedFor(`${worker.url.origin}/live/o-demo`, "&format=json"));
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.deepEqual(await response.json(), {
      version: "1.0",
      type: "rich",
      title: "o-demo: spike room",
      provider_name: "spike",
      provider_url: `${worker.url.origin}/`,
      html: `<iframe src="${worker.url.origin}/live/o-demo/embed" title="o-demo: spike room" width="800" height="480" style="border:0" allow="clipboard-write" loading="lazy"></iframe>`,
      width: 800,
      height: 480,
      cache_age: 3600,
    });
  });

  it("keeps an embed URL's options, and fits maxwidth and maxheight", async () => {
    const url = `${worker.url.origin}/live/o-demo/embed?layout=stacked&file=App.tsx&readonly=1&theme=light`;
    const body = (await (await get(oembedFor(url, "&maxwidth=400&maxheight=1000"))).json()) as Record<string, unknown>;
    assert.equal(body.width, 400);
    assert.equal(body.height, 480);
    assert.equal(
      body.html,
      `<iframe src="${worker.url.origin}/live/o-demo/embed?file=App.tsx&amp;layout=stacked&amp;theme=light&amp;readonly" title="o-demo: spike room" width="400" height="480" style="border:0" allow="clipboard-write" loading="lazy"></iframe>`,
    );
  });

  it("answers junk with 400, a foreign host or a page that is no room with 404, another format with 501", async () => {
    const origin = worker.url.origin;
    const cases: [string, number, RegExp][] = [
      ["/oembed", 400, /url is required/],
      [oembedFor("not a url"), 400, /url is not an absolute URL \(got "not a url"\)/],
      [oembedFor("https://evil.example/live/demo"), 404, /no room pages on https:\/\/evil.example/],
      [oembedFor(`http://localhost:${worker.url.port}/live/demo`), 404, /no room pages on http:\/\/localhost/],
      [oembedFor(`${origin}/live/bad!room`), 400, /invalid room "bad!room"/],
      [oembedFor(`${origin}/live/${"r".repeat(65)}`), 400, /invalid room/],
      [oembedFor(`${origin}/live/%zz`), 400, /invalid room "%zz"/],
      [oembedFor(`${origin}/live/demo/files/index.tsx`), 404, /is not a room page/],
      [oembedFor(`${origin}/`), 404, /is not a room page/],
      [oembedFor(`${origin}/live/demo/embed?layout=wide`), 400, /url: layout must be one of/],
      [oembedFor(`${origin}/live/demo`, "&maxwidth=0"), 400, /maxwidth must be a positive whole number/],
      [oembedFor(`${origin}/live/demo`, "&maxheight=tall"), 400, /maxheight must be a positive whole number/],
      [oembedFor(`${origin}/live/demo`, "&format=xml"), 501, /format "xml" is not supported: only json/],
    ];
    for (const [path, expected, message] of cases) {
      const { status, error, keys } = await refusal(path);
      assert.equal(status, expected, path);
      assert.match(error, message, path);
      assert.deepEqual(keys, ["error", "requestId"], path);
    }
    assert.equal((await fetch(new URL(oembedFor(`${origin}/live/demo`), worker.url), { method: "POST" })).status, 405);
  });
});
