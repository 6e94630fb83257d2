/**
 * The local Browser Rendering binding, pointed at the machine's Chromium. Under wrangler dev, `puppeteer.launch(env.BROWSER)`
 * asks miniflare to launch the one Chrome build its @cloudflare/puppeteer fork supports, which it downloads into wrangler's
 * cache (`$XDG_CACHE_HOME/.wrangler/chrome/linux-<version>/chrome-linux64/chrome`) unless a file is already there, and
 * offers no option for another executable. So before wrangler starts, that file is written as a small script running
 * Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) with the same arguments. The version is read from the
 * installed miniflare (`browserVersion: "…"` where it launches the browser), so a wrangler upgrade moves the shim with it.
 * Without Chromium the script exits 1 with what to install, the launch fails, and the renderer answers 503.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { CHROMIUM_PATH } from "./chromium.mjs";

/**
 * The Chrome version miniflare launches for the BROWSER binding, from its source.
 * @example pinnedChromeVersion() // "126.0.6478.182" with wrangler 4.86 / miniflare 4.20260426
 */
export function pinnedChromeVersion() {
  const require = createRequire(import.meta.url);
  const source = readFileSync(require.resolve("miniflare"), "utf8");
  const found = /launchBrowser\(\{[^}]*?browserVersion:\s*"(\d+(?:\.\d+){3})"/s.exec(source);
  if (!found) throw new Error("could not find the Chrome version miniflare launches for Browser Rendering (browserVersion in miniflare's launchBrowser call)");
  return found[1];
}

/**
 * Write the shim under `cacheHome` (what XDG_CACHE_HOME will be for wrangler) and return its path.
 * @example installBrowserShim(resolve(".wrangler/cache")) // ".../.wrangler/chrome/linux-126.0.6478.182/chrome-linux64/chrome"
 * @param {string} cacheHome
 * @param {string} [chromium] the browser to run (a missing one makes every launch fail, as on a machine without it)
 */
export function installBrowserShim(cacheHome, chromium = CHROMIUM_PATH) {
  if (process.platform !== "linux") return undefined;
  const shim = join(cacheHome, ".wrangler", "chrome", `linux-${pinnedChromeVersion()}`, "chrome-linux64", "chrome");
  mkdirSync(dirname(shim), { recursive: true });
  const quoted = `'${chromium.replaceAll("'", `'\\''`)}'`;
  writeFileSync(
    shim,
    `#!/bin/sh
# Written by scripts/browser-shim.mjs: wrangler's local Browser Rendering runs this instead of downloading Chrome.
if [ ! -x ${quoted} ]; then
  echo "spike renderer: no Chromium at ${chromium.replaceAll('"', "")}: install it (apt-get install chromium) or set CHROMIUM_PATH" >&2
  exit 1
fi
exec ${quoted} --no-sandbox --disable-gpu --disable-dev-shm-usage "$@"
`,
  );
  chmodSync(shim, 0o755);
  return shim;
}

/** Whether a Chromium the shim can run is installed. */
export function chromiumInstalled(chromium = CHROMIUM_PATH) {
  return existsSync(chromium);
}
