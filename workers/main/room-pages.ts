/**
 * Room pages: `GET /live/<room>`, a full-page playground (editor, file tabs, preview, console and chat) for that room, and
 * `GET /live/<room>/embed`, the same without any page chrome, for platforms that only take an iframe (query options: file,
 * layout, theme, readonly). Both are a few lines of HTML around `<spike-playground>` from this server's `/spike.js`: no
 * inline script, so their CSP allows scripts from `'self'` and nothing inline. The room page announces its oEmbed
 * description (oembed-route.ts) with a discovery `<link>`.
 */
import { Hono, type Context } from "hono";
import { isValidFileName } from "../../core/project.js";
import type { Env } from "../platform/env.js";
import { jsonError } from "./errors.js";
import { roomId } from "./room-id.js";

/** How the panes of an embed are laid out (`<spike-playground layout>`). */
export type EmbedLayout = "split" | "tabs" | "stacked";
/** The colour scheme of an embed (`<spike-playground theme>`); `auto` follows `prefers-color-scheme`. */
export type EmbedTheme = "light" | "dark" | "auto";

/** The query options of `/live/<room>/embed`, each left out when the URL does not give it. */
export interface EmbedOptions {
  /** The file the editor opens, e.g. `Badge.tsx`. */
  file?: string;
  layout?: EmbedLayout;
  theme?: EmbedTheme;
  /** Show the files without allowing edits. */
  readonly?: boolean;
}

const LAYOUTS: readonly EmbedLayout[] = ["split", "tabs", "stacked"];
const THEMES: readonly EmbedTheme[] = ["light", "dark", "auto"];
/** `?readonly`, `?readonly=` and `?readonly=true|1` turn it on; `false|0` off; anything else is a mistake worth a 400. */
const READONLY_VALUES: Record<string, boolean> = { "": true, true: true, "1": true, false: false, "0": false };

/**
 * Read the embed options from a query string; a value the playground would not understand is an error message instead
 * (the caller answers 400 with it). Other parameters are ignored, as a platform may add its own.
 * @example parseEmbedOptions(new URLSearchParams("layout=tabs&readonly")) // { layout: "tabs", readonly: true }
 * @example parseEmbedOptions(new URLSearchParams("theme=pink")) // 'theme must be one of light, dark, auto (got "pink")'
 */
export function parseEmbedOptions(query: URLSearchParams): EmbedOptions | string {
  const options: EmbedOptions = {};
  const file = query.get("file");
  if (file !== null) {
    if (!isValidFileName(file)) return `file must be a project file name such as index.tsx or components/Badge.tsx (got "${clip(file)}")`;
    options.file = file;
  }
  const layout = query.get("layout");
  if (layout !== null) {
    if (!LAYOUTS.includes(layout as EmbedLayout)) return `layout must be one of ${LAYOUTS.join(", ")} (got "${clip(layout)}")`;
    options.layout = layout as EmbedLayout;
  }
  const theme = query.get("theme");
  if (theme !== null) {
    if (!THEMES.includes(theme as EmbedTheme)) return `theme must be one of ${THEMES.join(", ")} (got "${clip(theme)}")`;
    options.theme = theme as EmbedTheme;
  }
  const readonly = query.get("readonly");
  if (readonly !== null) {
    if (!(readonly in READONLY_VALUES)) return `readonly must be empty, true, false, 1 or 0 (got "${clip(readonly)}")`;
    options.readonly = READONLY_VALUES[readonly];
  }
  return options;
}

/**
 * The query string of an embed URL with these options, in a fixed order (`""` when there are none).
 * @example embedQuery({ layout: "tabs", readonly: true }) // "?layout=tabs&readonly"
 */
export function embedQuery(options: EmbedOptions): string {
  const parts: string[] = [];
  if (options.file) parts.push(`file=${encodeURIComponent(options.file)}`);
  if (options.layout) parts.push(`layout=${options.layout}`);
  if (options.theme) parts.push(`theme=${options.theme}`);
  if (options.readonly) parts.push("readonly");
  return parts.length ? `?${parts.join("&")}` : "";
}

/** The size of an embed's iframe when nothing asks for smaller (oEmbed's `maxwidth`/`maxheight`), in CSS pixels. */
export const DEFAULT_EMBED_SIZE = { width: 800, height: 480 } as const;

/**
 * The title of a room's pages and embeds.
 * @example roomTitle("demo") // "demo: spike room"
 */
export function roomTitle(room: string): string {
  return `${room}: spike room`;
}

/**
 * The iframe a site pastes to show an embed (the room page's snippet, oEmbed's `html`): a fixed size, no border.
 * @example embedIframe("https://spike.example/live/demo/embed?layout=tabs", "demo: spike room", 800, 480)
 */
export function embedIframe(src: string, title: string, width: number, height: number): string {
  return `<iframe src="${escapeHtml(src)}" title="${escapeHtml(title)}" width="${width}" height="${height}" style="border:0" allow="clipboard-write" loading="lazy"></iframe>`;
}

/**
 * The pages' CSP: rollup.config.mjs PAGE_CSP (the gallery pages') with no inline script at all, since these pages have
 * none. `frame-ancestors *`: the embed exists to be framed by other sites, and the room page may be too.
 */
export const ROOM_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' http://localhost:* http://127.0.0.1:* https:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss: http://localhost:* http://127.0.0.1:* https:",
  "worker-src 'self' blob:",
  "frame-src 'self' http://localhost:* http://127.0.0.1:* https:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors *",
].join("; ");

/**
 * The room pages, mounted under `/live` before the room's API routes (live-routes.ts): a page needs no sign-in and no
 * call to the room (the playground connects from the browser, and asks for sign-in there if the room is private).
 * @example app.route("/live", roomPages()); app.route("/live", liveRoutes());
 */
export function roomPages(): Hono<{ Bindings: Env }> {
  const pages = new Hono<{ Bindings: Env }>();
  pages.use("/:room", roomId());
  pages.use("/:room/embed", roomId());
  pages.get("/:room", (c) => htmlPage(c, roomPage(c.req.param("room"), new URL(c.req.url))));
  pages.get("/:room/embed", (c) => {
    const options = parseEmbedOptions(new URL(c.req.url).searchParams);
    if (typeof options === "string") return jsonError(c, 400, options);
    return htmlPage(c, embedPage(c.req.param("room"), options));
  });
  return pages;
}

function htmlPage(c: Context, html: string): Response {
  return c.html(html, 200, {
    "content-security-policy": ROOM_PAGE_CSP,
    "referrer-policy": "strict-origin-when-cross-origin",
    // The HTML is the same for everyone and changes only with a deploy; the room itself arrives over the socket.
    "cache-control": "public, max-age=300",
  });
}

/** What a new, empty room starts with (an inline file seeds only a room that has none). Script text is raw: no `</script`. */
const STARTER = `import { useState } from "react";

export default function App() {
  const [count, setCount] = useState(0);
  return (
    <main>
      <h1>Hello from spike</h1>
      <button onClick={() => setCount(count + 1)}>Clicked {count} times</button>
    </main>
  );
}
`;

/**
 * The `<spike-playground>` of both pages, on `room`, kept in the browser for offline use (`persist`). `key="fragment"`: a
 * page URL ending in `#spike-key=<key>` opens the room end-to-end encrypted; without it the room is a plaintext one.
 */
function playground(room: string, attributes: string): string {
  return `<spike-playground room="${room}" key="fragment" persist loading="eager"${attributes}>
      <script type="text/plain" data-file="index.tsx">
${STARTER}</script>
    </spike-playground>`;
}

/** `GET /live/<room>`: the whole page, with the embed snippet and the oEmbed discovery link. */
function roomPage(room: string, url: URL): string {
  const pageUrl = `${url.origin}/live/${room}`;
  const oembed = `${url.origin}/oembed?url=${encodeURIComponent(pageUrl)}&format=json`;
  const snippet = embedIframe(`${pageUrl}/embed`, roomTitle(room), DEFAULT_EMBED_SIZE.width, DEFAULT_EMBED_SIZE.height);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${roomTitle(room)}</title>
    <meta name="color-scheme" content="light dark" />
    <link rel="icon" href="data:," />
    <link rel="alternate" type="application/json+oembed" href="${escapeHtml(oembed)}" title="${roomTitle(room)}" />
    <!-- The social card: the running app, 1200x630, made by the renderer Worker (workers/main/render-routes.ts). -->
    <meta property="og:title" content="${roomTitle(room)}" />
    <meta property="og:url" content="${pageUrl}" />
    <meta property="og:image" content="${pageUrl}/og.png" />
    <meta property="og:image:width" content="1200" />
    <meta property="og:image:height" content="630" />
    <meta name="twitter:card" content="summary_large_image" />
    <meta name="twitter:image" content="${pageUrl}/og.png" />
    <script type="module" src="/spike.js"></script>
    <script type="module" src="/sw-register.js"></script>
    <style>
      :root { color-scheme: light dark; --bg: #f6f8fa; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #0969da; }
      @media (prefers-color-scheme: dark) {
        :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --accent: #4493f8; }
      }
      html, body { height: 100%; }
      body { margin: 0; display: flex; flex-direction: column; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
      header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 16px; padding: 10px 16px; border-bottom: 1px solid var(--line); }
      header a { color: var(--accent); text-decoration: none; }
      h1 { margin: 0; font-size: 16px; }
      h1 code, pre { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
      details { margin-left: auto; color: var(--muted); }
      summary { cursor: pointer; }
      pre { max-width: min(90vw, 720px); margin: 6px 0 0; padding: 8px; overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; word-break: break-all; }
      spike-playground { flex: 1; margin: 12px 16px 16px; --spike-playground-height: max(420px, calc(100vh - 90px)); }
    </style>
  </head>
  <body>
    <header>
      <a href="/">spike</a>
      <h1>Room <code>${room}</code></h1>
      <span>Everyone on this page edits the same code. Share the address to invite someone.</span>
      <details>
        <summary>Embed this room</summary>
        <pre>${escapeHtml(snippet)}</pre>
        <a href="${pageUrl}/embed">Open the embed alone</a> · <a href="${escapeHtml(oembed)}">oEmbed</a>
      </details>
    </header>
    ${playground(room, " chat")}
  </body>
</html>
`;
}

/** `GET /live/<room>/embed`: the playground filling the frame, nothing else. */
function embedPage(room: string, options: EmbedOptions): string {
  const attributes = [
    options.file ? ` file="${escapeHtml(options.file)}"` : "",
    options.layout ? ` layout="${options.layout}"` : "",
    options.theme ? ` theme="${options.theme}"` : "",
    options.readonly ? " readonly" : "",
  ].join("");
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${roomTitle(room)}</title>
    <meta name="color-scheme" content="${options.theme === "light" || options.theme === "dark" ? options.theme : "light dark"}" />
    <link rel="icon" href="data:," />
    <script type="module" src="/spike.js"></script>
    <style>
      html, body { height: 100%; margin: 0; }
      spike-playground { display: block; --spike-playground-height: 100vh; --spike-radius: 0; --spike-border: none; }
    </style>
  </head>
  <body>
    ${playground(room, attributes)}
  </body>
</html>
`;
}

/** Text for HTML (element content and double-quoted attributes). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** A value quoted in an error message, cut short. */
function clip(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}
