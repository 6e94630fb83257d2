/**
 * What the main Worker asks of the renderer Worker (`POST /render`), checked on arrival: the app's bundled ES module and how to
 * show it. The main Worker builds it (workers/main/render-routes.ts); the renderer never reaches a room itself, so a private
 * room's code only travels inside this request, never through a URL the browser could be sent to.
 */

/** The limits of a render, in pixels: the same bounds `GET /live/<room>/screenshot.png` checks. */
export const MIN_SIDE = 64;
export const MAX_SIDE = 2400;
/** The largest bundle the renderer takes (the transpiler's output is well below). */
export const MAX_CODE_BYTES = 8 * 1024 * 1024;

/** The header the main Worker names its client's IP in (the renderer's per-client limit). */
export const CLIENT_IP_HEADER = "x-spike-client-ip";

/** What to install when there is no browser to launch. */
export const NO_BROWSER =
  "no browser to render with: locally, install Chromium (apt-get install chromium, or set CHROMIUM_PATH to its binary) and restart npm start; deployed, the renderer Worker needs its Browser Rendering binding BROWSER (Workers Paid plan)";

export type RenderFormat = "png" | "pdf";
export type RenderTheme = "light" | "dark";

/** The body of `POST /render`. */
export interface RenderRequest {
  format: RenderFormat;
  /** The app: one ES module (`GET /live/<room>/index.js`, or a saved version's). Its imports are absolute URLs. */
  code: string;
  /** Where the bundle's React and react-dom/client are, to mount a default-exported component; null for a plain module. */
  react: { react: string; client: string } | null;
  width: number;
  height: number;
  theme: RenderTheme;
  /** A line shown over the bottom of the picture (the social card's room name); none when absent. */
  caption?: string;
}

/** A request the renderer refuses, with its status. */
export class RenderInputError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
  }
}

/**
 * Check a `POST /render` body.
 * @example const input = renderInput(await request.json()); // throws RenderInputError on a bad body
 */
export function renderInput(body: unknown): RenderRequest {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new RenderInputError("the body must be a JSON object");
  const { format, code, react, width, height, theme, caption } = body as Record<string, unknown>;
  if (format !== "png" && format !== "pdf") throw new RenderInputError(`format must be "png" or "pdf"`);
  if (typeof code !== "string" || code.length === 0) throw new RenderInputError("code must be a non-empty string");
  if (code.length > MAX_CODE_BYTES) throw new RenderInputError(`code is larger than ${MAX_CODE_BYTES} bytes`, 413);
  for (const [name, side] of [["width", width], ["height", height]] as const) {
    if (!Number.isInteger(side) || (side as number) < MIN_SIDE || (side as number) > MAX_SIDE) {
      throw new RenderInputError(`${name} must be an integer from ${MIN_SIDE} to ${MAX_SIDE}`);
    }
  }
  if (theme !== "light" && theme !== "dark") throw new RenderInputError(`theme must be "light" or "dark"`);
  if (react !== null && !(react && typeof react === "object" && isHttpUrl((react as Record<string, unknown>).react) && isHttpUrl((react as Record<string, unknown>).client))) {
    throw new RenderInputError("react must be null or {react, client} with http(s) URLs");
  }
  if (caption !== undefined && (typeof caption !== "string" || caption.length > 200)) throw new RenderInputError("caption must be a string of at most 200 characters");
  return {
    format,
    code,
    react: react as RenderRequest["react"],
    width: width as number,
    height: height as number,
    theme,
    ...(caption !== undefined ? { caption: caption as string } : {}),
  };
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
