/**
 * `npm start`: build what is stale, then run every Worker and Durable Object in one `wrangler dev` on
 * http://localhost:$PORT (default 8787) with state under .wrangler/state (or $SPIKE_STATE_DIR). No account, no internet.
 * A second start on a port where spike already answers says so and exits 0; a foreign process on the port is an error.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { chromiumInstalled, installBrowserShim, pinnedChromeVersion } from "./browser-shim.mjs";
import { CHROMIUM_PATH } from "./chromium.mjs";
import { ensureBuild } from "./ensure-build.mjs";

const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`spike: PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(1);
}
const url = `http://localhost:${port}`;
const stateDir = process.env.SPIKE_STATE_DIR ?? ".wrangler/state";

/** Does anything accept TCP connections on the port (IPv4 or IPv6 loopback)? */
function portInUse(host) {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    socket.once("connect", () => (socket.destroy(), done(true)));
    socket.once("error", () => done(false));
    socket.setTimeout(1000, () => (socket.destroy(), done(false)));
  });
}

async function spikeAlreadyRunning() {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) });
    const body = await res.json();
    return body?.ok === true;
  } catch {
    return false;
  }
}

if ((await portInUse("127.0.0.1")) || (await portInUse("::1"))) {
  if (await spikeAlreadyRunning()) {
    console.log(`spike is already running on ${url} (stop it, or start another with PORT=<port> npm start)`);
    process.exit(0);
  }
  console.error(`spike: port ${port} is in use by another program; choose another with PORT=<port> npm start`);
  process.exit(1);
}

// `npm run dev` (scripts/dev.mjs) builds its own site, in watch mode, and names it here: wrangler serves that instead.
const assetsDir = process.env.SPIKE_ASSETS_DIR;
if (!assetsDir) ensureBuild();

// Keep wrangler's config, logs and cache inside the project, and never phone home.
const state = resolve(".wrangler");
mkdirSync(state, { recursive: true });
const env = {
  ...process.env,
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? resolve(state, "config"),
  XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? resolve(state, "cache"),
  WRANGLER_SEND_METRICS: "false",
  // No internet here: use the placeholder Request.cf instead of fetching it.
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: process.env.CI ?? "",
};

// The renderer's BROWSER binding launches the Chrome build miniflare pins, downloading it unless it is already in wrangler's
// cache: put a shim there that runs this machine's Chromium instead (scripts/browser-shim.mjs; README "Renderer").
installBrowserShim(env.XDG_CACHE_HOME);
if (!chromiumInstalled()) {
  console.warn(`spike: no Chromium at ${CHROMIUM_PATH}: screenshots and PDFs answer 503 until it is installed (apt-get install chromium, or set CHROMIUM_PATH)`);
} else if (process.env.WRANGLER_LOG === "debug") {
  console.log(`spike: renderer uses ${CHROMIUM_PATH} in place of Chrome ${pinnedChromeVersion()}`);
}

const args = [
  "node_modules/wrangler/bin/wrangler.js",
  "dev",
  // The main Worker first (it owns the port), then the transpiler and renderer Workers its TRANSPILER and RENDERER
  // service bindings call.
  "-c", "wrangler.jsonc", "-c", "workers/transpiler/wrangler.jsonc", "-c", "workers/renderer/wrangler.jsonc",
  "--port", String(port),
  "--ip", "127.0.0.1",
  "--persist-to", stateDir,
  "--show-interactive-dev-session=false",
  "--log-level", process.env.WRANGLER_LOG ?? "warn",
  ...(assetsDir ? ["--assets", assetsDir] : []),
];
// Configuration from the environment, under the same names as .dev.vars (wrangler itself only reads that file).
// Not for secrets: --var values are visible in the process list.
const VARS = ["PREVIEW_ORIGIN", "NPM_UPSTREAM", "ALLOWED_ORIGINS", "ADMIN_USER_IDS", "CLERK_PUBLISHABLE_KEY", "CLERK_JWKS_URL", "CLERK_ISSUER", "PEER_TO_PEER"];
const LIMIT_VARS = Object.keys(process.env).filter((name) => /^(ROOM|RATE_LIMIT|AI|AGENT|VERSIONS|BACKUP|FEATURE)_[A-Z0-9_]+$/.test(name));
for (const name of [...VARS, ...LIMIT_VARS, "CHAT_RATE_LIMIT_PER_MINUTE", "REPLICATE_TIMEOUT_SECONDS"]) {
  if (process.env[name]) args.push("--var", `${name}:${process.env[name]}`);
}
// Secrets (the chat's provider keys, Sentry's DSN) go through a private env file, never the command line; so does Clerk's PEM key, which
// is public but spans lines. Given --env-file, wrangler skips .dev.vars, so it is passed first (later files win: the
// environment overrides .dev.vars).
const secretsFile = writeSecretsFile([
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_BASE_URL",
  "REPLICATE_API_TOKEN",
  "REPLICATE_BASE_URL",
  "CLERK_JWT_KEY",
  "SENTRY_DSN",
  "SENTRY_ENVIRONMENT",
  // JSON, with TURN credentials in it
  "ICE_SERVERS",
]);
if (secretsFile) {
  if (existsSync(".dev.vars")) args.push("--env-file", resolve(".dev.vars"));
  args.push("--env-file", secretsFile);
}
console.log(`spike: starting on ${url} (state in ${stateDir}) ...`);
const child = spawn(process.execPath, args, { stdio: "inherit", env });

// Announce readiness once the health route answers.
(async () => {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) return;
    if (await spikeAlreadyRunning()) return console.log(`spike: ready on ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
})();

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => {
  removeSecretsFile();
  process.exit(code ?? (signal ? 0 : 1));
});
process.on("exit", removeSecretsFile);

/** The named variables that are set, written as KEY="value" lines to a mode-0600 file in a private temp dir; null if none. */
function writeSecretsFile(names) {
  // dotenv takes a single-quoted value as it is but keeps the backslashes of \" in a double-quoted one: JSON goes in single quotes.
  const quoted = (value) => (/^[^'\n\r]*$/.test(value) && value.includes('"') ? `'${value}'` : JSON.stringify(value));
  const lines = names.filter((name) => process.env[name]).map((name) => `${name}=${quoted(process.env[name])}`);
  if (lines.length === 0) return null;
  const dir = mkdtempSync(join(tmpdir(), "spike-env-"));
  const file = join(dir, ".env");
  writeFileSync(file, lines.join("\n") + "\n", { mode: 0o600 });
  return file;
}

function removeSecretsFile() {
  if (secretsFile) rmSync(dirname(secretsFile), { recursive: true, force: true });
}
