/**
 * `npm run deploy -- --env staging|production`: check the environment's configs (and then the account) and name everything
 * missing before anything is uploaded, run the production build, then deploy the transpiler Worker and then the main Worker
 * (which calls it through its TRANSPILER service binding), printing each upload's size. docs/deploy.md walks through it.
 *
 *   npm run deploy -- --env staging                    # check, build, deploy both Workers
 *   npm run deploy -- --env production --dry-run       # offline: config checks + `wrangler deploy --dry-run` of both
 *   [--config <main wrangler.jsonc>] [--transpiler-config <its wrangler.jsonc>]   # other configs (the tests use copies)
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { accountProblems, configProblems, formatProblems } from "./deploy-preflight.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(ROOT); // the build and wrangler resolve the project's paths from here

/** wrangler keeps its config, logs and cache inside the project and sends no metrics (as `npm start` and `npm test`). */
const wranglerEnv = {
  ...process.env,
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? path.join(ROOT, ".wrangler/config"),
  XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? path.join(ROOT, ".wrangler/cache"),
  WRANGLER_SEND_METRICS: "false",
};

/** Reads `--name value` options; unknown flags are an error rather than silently ignored. */
function parseArgs(argv) {
  const options = {
    env: undefined,
    dryRun: false,
    config: "wrangler.jsonc",
    transpilerConfig: "workers/transpiler/wrangler.jsonc",
    rendererConfig: "workers/renderer/wrangler.jsonc",
  };
  const valued = { "--env": "env", "-e": "env", "--config": "config", "--transpiler-config": "transpilerConfig", "--renderer-config": "rendererConfig" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes("=") ? arg.split(/=(.*)/s) : [arg, undefined];
    if (flag === "--dry-run") options.dryRun = true;
    else if (valued[flag]) {
      const value = inline ?? argv[++i];
      if (!value || value.startsWith("-")) throw new Error(`${flag} needs a value`);
      options[valued[flag]] = value;
    } else throw new Error(`unknown argument "${arg}" (usage: npm run deploy -- --env staging|production [--dry-run])`);
  }
  return options;
}

/** wrangler's own reading of a config for one environment (jsonc, inheritance, validation), with its warnings kept quiet. */
async function readConfig(file, env) {
  const { unstable_readConfig } = await import("wrangler");
  return unstable_readConfig({ config: path.resolve(ROOT, file), env }, { hideWarnings: true });
}

/** The environments a config file declares. */
async function environments(file) {
  const { experimental_readRawConfig } = await import("wrangler");
  return Object.keys(experimental_readRawConfig({ config: path.resolve(ROOT, file) }).rawConfig.env ?? {});
}

/** `wrangler deploy` of one config and environment, its output shown as it comes; resolves to the upload size it printed. */
async function deploy({ label, file, env, dryRun, outDir }) {
  console.log(`\nspike deploy: ${label} (${file}, env ${env})${dryRun ? ", dry run" : ""}`);
  const args = [path.join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "deploy", "-c", file, "--env", env];
  if (dryRun) args.push("--dry-run", "--outdir", path.join(outDir, label));
  const child = spawn(process.execPath, args, { cwd: ROOT, env: wranglerEnv, stdio: ["inherit", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  const [status] = await once(child, "close"); // after its output has all arrived
  if (status !== 0) throw new Error(`wrangler deploy of ${label} failed (above)`);
  const size = /Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/.exec(output);
  return { label, raw: size?.[1] ?? "?", gzip: size?.[2] ?? "?" };
}

async function main(argv) {
  const options = parseArgs(argv);
  const files = { main: options.config, transpiler: options.transpilerConfig, renderer: options.rendererConfig };
  const declared = await environments(files.main);
  if (!options.env) throw new Error(`name the environment: npm run deploy -- --env ${declared.join("|")}`);
  const transpilerEnvs = await environments(files.transpiler);
  if (!declared.includes(options.env) || !transpilerEnvs.includes(options.env)) {
    throw new Error(`no environment "${options.env}" in both ${files.main} and ${files.transpiler} (they have ${declared.join(", ")} and ${transpilerEnvs.join(", ")})`);
  }
  const rendererEnvs = await environments(files.renderer);
  if (!rendererEnvs.includes(options.env)) {
    throw new Error(`no environment "${options.env}" in ${files.renderer} (it has ${rendererEnvs.join(", ")})`);
  }
  const { env, dryRun } = options;

  const main = await readConfig(files.main, env);
  const transpiler = await readConfig(files.transpiler, env);
  const renderer = await readConfig(files.renderer, env);
  const mainTop = await readConfig(files.main, undefined);
  const mainOthers = await Promise.all(declared.filter((e) => e !== env).map((e) => readConfig(files.main, e)));
  const problems = configProblems({ env, files, main, transpiler, renderer, mainTop, mainOthers });
  if (problems.length === 0 && !dryRun) problems.push(...accountProblems({ env, files, main, transpiler, root: ROOT, wranglerEnv }));
  if (problems.length > 0) {
    console.error(formatProblems(env, problems));
    process.exit(1);
  }
  const unchecked = [transpiler, renderer, main].flatMap((c) => (c.secrets?.required ?? []).map((name) => `${c.name}:${name}`));
  console.log(`spike deploy: env ${env} configs are ready${dryRun && unchecked.length ? ` (required secrets ${unchecked.join(", ")} are checked against the account on a real deploy)` : ""}`);

  // A real deploy always rebuilds: dist/ may hold a development build, or one the stale check cannot see through.
  const { ensureBuild } = await import("./ensure-build.mjs");
  ensureBuild({ force: !dryRun });

  const outDir = mkdtempSync(path.join(tmpdir(), "spike-deploy-"));
  try {
    // The transpiler and the renderer first: the main Worker's TRANSPILER and RENDERER bindings call them from the moment
    // the main Worker is live.
    const sizes = [
      await deploy({ label: "transpiler", file: files.transpiler, env, dryRun, outDir }),
      await deploy({ label: "renderer", file: files.renderer, env, dryRun, outDir }),
      await deploy({ label: "main", file: files.main, env, dryRun, outDir }),
    ];
    console.log(`\nspike deploy: env ${env}${dryRun ? " (dry run: nothing uploaded)" : ""}`);
    for (const { label, raw, gzip } of sizes) console.log(`  ${label.padEnd(10)} upload ${raw.padStart(12)}   gzip ${gzip.padStart(12)}`);
    if (!dryRun) console.log(`next: node scripts/publish-cdn.mjs --remote --env ${env}   (keeps /v/<this version>/ after later deploys)`);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2)).catch((error) => {
  console.error(`spike deploy: ${error.message}`);
  process.exit(1);
});
