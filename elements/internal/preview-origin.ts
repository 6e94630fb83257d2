/**
 * Where <spike-preview>'s frame comes from and what it may do: the preview origin the server names (or, for a local
 * project with no server of its own, the folder spike.js was loaded from), and the sandbox that keeps user code away from
 * the host page and from the spike server's own origin.
 */
import { serverConfig } from "./server-config.js";

/**
 * The folder this build was loaded from, with a trailing slash (`https://cdn.example/spike@0.1.0/dist/cdn/`): it holds
 * preview/frame.html and npm/, so a local preview works from a copy of dist/cdn on any static host. (The CDN build makes
 * `import.meta.url` here read as a file at the build's root, wherever this module's chunk lands: rollup.config.mjs.)
 * Null in the npm package (scripts/build-package.mjs), which ships no frame: an app bundling it names a `server`.
 */
export const BUNDLE_BASE: string | null = new URL("./", import.meta.url).href;

/** A frame with an opaque origin: its messages come from "null", so only its window identifies it. */
const OPAQUE = { sandbox: "allow-scripts allow-forms", origin: "null" } as const;

/** Where the frame is loaded from, the base its `/npm/` modules come from, and its sandbox (see {@link frameSandbox}). */
export interface PreviewFrameSource {
  /** The origin or folder that serves `preview/frame.html`. */
  frameBase: string;
  /** The URL under which the frame finds `npm/` (a server's origin, or BUNDLE_BASE without its trailing slash). */
  npmBase: string;
  sandbox: string;
  origin: string;
}

/**
 * The frame for a preview: from the bundle's own folder when the project is local and the server is only the default
 * (the origin spike.js came from, which may be a plain static host with no /api/config), else from the preview origin
 * the server names. A frame from the bundle's folder is always sandboxed without allow-same-origin: that folder is the
 * server's or a CDN's, and user code must never run as either.
 * @example const { frameBase, npmBase, sandbox, origin } = await previewFrameSource("http://localhost:8787", { local: true });
 */
export async function previewFrameSource(server: string, { local }: { local: boolean }): Promise<PreviewFrameSource> {
  const serverOrigin = new URL(server).origin;
  if (local && BUNDLE_BASE && serverOrigin === new URL(BUNDLE_BASE).origin) {
    return { frameBase: BUNDLE_BASE, npmBase: BUNDLE_BASE.replace(/\/$/, ""), ...OPAQUE };
  }
  const previewOrigin = await previewOriginOf(serverOrigin);
  return { frameBase: previewOrigin, npmBase: serverOrigin, ...frameSandbox(previewOrigin, serverOrigin) };
}

/**
 * The preview frame's origin, from the server's `/api/config`.
 * @example const origin = await previewOriginOf("http://localhost:8787");
 */
export async function previewOriginOf(server: string): Promise<string> {
  return new URL((await serverConfig(server)).previewOrigin).origin;
}

/**
 * Same site, roughly: same scheme and the same last two host labels (or the same host, for IPs and `localhost`). Erring
 * towards "same" only costs the frame allow-same-origin, never safety.
 */
function isSameSite(a: URL, b: URL): boolean {
  if (a.protocol !== b.protocol) return true;
  const site = (host: string) => (/^[\d.]+$|^\[|^localhost$/.test(host) ? host : host.split(".").slice(-2).join("."));
  return site(a.hostname) === site(b.hostname);
}

/**
 * The frame's sandbox, and the origin its messages come from ("null" when it runs without allow-same-origin).
 *
 * The frame runs untrusted user code. allow-same-origin gives it its real origin (so its messages can be checked against
 * that origin, and blob: URLs and storage work as on any page); that is safe only because that origin is on a different
 * *site*: the browser then treats the frame as a foreign page, which cannot read parent.document or our cookies. If the
 * server hands us an origin on the same site as this page *or as the spike server* (a deployment without PREVIEW_ORIGIN,
 * embedded on a third-party blog), we drop allow-same-origin and the frame gets an opaque origin: user code must never
 * run as the server's own origin. Never allow-top-navigation: user code must not be able to navigate the host page away.
 * allow-forms: without it a React onSubmit never fires (the CSP's form-action 'none' still stops real form navigations).
 * @example const { sandbox, origin } = frameSandbox("http://localhost:8787", "http://127.0.0.1:8787");
 */
export function frameSandbox(previewOrigin: string, serverOrigin: string): { sandbox: string; origin: string } {
  const preview = new URL(previewOrigin);
  const sameSite = isSameSite(preview, new URL(location.href)) || isSameSite(preview, new URL(serverOrigin));
  return sameSite ? OPAQUE : { sandbox: "allow-scripts allow-forms allow-same-origin", origin: previewOrigin };
}
