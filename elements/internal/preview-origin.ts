/**
 * Where <spike-preview>'s frame comes from and what it may do: the preview origin the server names, and the sandbox that
 * keeps user code away from the host page and from the spike server's own origin.
 */
import { serverConfig } from "./server-config.js";

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
  return sameSite
    ? { sandbox: "allow-scripts allow-forms", origin: "null" }
    : { sandbox: "allow-scripts allow-forms allow-same-origin", origin: previewOrigin };
}
