/**
 * The checks `npm run deploy` makes before anything is uploaded: first the two wrangler configs of one environment
 * (offline), then, for a real deploy, the account (KV namespaces, R2 buckets, secrets). Each problem names the thing that is
 * missing and the command or edit that fixes it, so one run lists everything an operator has to do.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

/** A KV namespace id as Cloudflare issues them. */
const KV_ID = /^[0-9a-f]{32}$/;

/**
 * The binding names a resolved config declares, by the config key that holds them.
 * @example bindingNames(config) // { kv_namespaces: ["BUNDLES"], r2_buckets: [...], "durable_objects.bindings": [...], services: [...] }
 */
function bindingNames(config) {
  return {
    kv_namespaces: (config.kv_namespaces ?? []).map((b) => b.binding),
    r2_buckets: (config.r2_buckets ?? []).map((b) => b.binding),
    "durable_objects.bindings": (config.durable_objects?.bindings ?? []).map((b) => b.name),
    services: (config.services ?? []).map((b) => b.binding),
  };
}

/** The hosts a config's routes and custom domains serve (`spike.example.com/*` -> `spike.example.com`). */
function routeHosts(config) {
  const routes = [...(config.routes ?? []), ...(config.route ? [config.route] : [])];
  return routes.map((route) => (typeof route === "string" ? route : route.pattern).replace(/^\*?\.?/, "").split("/")[0]);
}

/** The last two labels of a host: the site as far as this check can tell without the public suffix list. */
const siteOf = (host) => host.split(".").slice(-2).join(".");

/**
 * Problems with one environment of the main Worker's and the transpiler's configs, read without network or account.
 * Each is `{ what, fix }`, given wrangler's resolved configs: `main` / `transpiler` for the environment, `mainTop` the top
 * level (what `npm start` runs), `mainOthers` the main Worker's other environments.
 * @example configProblems({ env: "staging", files, main, transpiler, mainTop, mainOthers }) // [] when ready
 */
export function configProblems({ env, files, main, transpiler, renderer, mainTop, mainOthers = [] }) {
  const problems = [];
  const where = (file, key) => `env.${env}.${key} in ${file}`;

  // Bindings are not inherited: one the local stack has and this environment lacks is undefined in the deployed Worker.
  const top = bindingNames(mainTop);
  const ours = bindingNames(main);
  for (const [key, names] of Object.entries(top)) {
    for (const name of names.filter((n) => !ours[key].includes(n))) {
      problems.push({ what: `binding ${name} is declared at the top level but not in env.${env}`, fix: `add it to ${where(files.main, key)}` });
    }
  }

  for (const { binding, id } of main.kv_namespaces ?? []) {
    if (!id || !KV_ID.test(id)) {
      problems.push({
        what: `KV namespace ${binding} has ${id ? `no usable id ("${id}")` : "no id"}`,
        fix: `npx wrangler kv namespace create ${main.name}-${binding.toLowerCase()}  (then put the id it prints in ${where(files.main, "kv_namespaces")})`,
      });
    }
  }

  // Each environment keeps its own data: a bucket or namespace shared with another copy mixes their caches and versions,
  // and one name would make two environments one Worker. (The top level is the local stack: its names are local.)
  for (const other of mainOthers) {
    for (const { binding, bucket_name } of main.r2_buckets ?? []) {
      if ((other.r2_buckets ?? []).some((b) => b.bucket_name === bucket_name)) {
        problems.push({ what: `R2 binding ${binding} uses bucket ${bucket_name}, which env.${other.targetEnvironment} also uses`, fix: `give it a bucket of its own in ${where(files.main, "r2_buckets")}` });
      }
    }
    for (const { binding, id } of main.kv_namespaces ?? []) {
      if (id && (other.kv_namespaces ?? []).some((b) => b.id === id)) {
        problems.push({ what: `KV binding ${binding} uses namespace ${id}, which env.${other.targetEnvironment} also uses`, fix: `create one of its own: npx wrangler kv namespace create ${main.name}-${binding.toLowerCase()}` });
      }
    }
    if (other.name === main.name) {
      problems.push({ what: `env.${env} deploys as "${main.name}", the name env.${other.targetEnvironment} uses`, fix: `give it its own name in ${where(files.main, "name")}` });
    }
  }
  if (transpiler.name === mainTop.name || transpiler.name === main.name) {
    problems.push({ what: `the transpiler's env.${env} deploys as "${transpiler.name}", a main Worker's name`, fix: `rename it in ${where(files.transpiler, "name")}` });
  }

  const service = (main.services ?? []).find((s) => s.binding === "TRANSPILER");
  if (service && service.service !== transpiler.name) {
    problems.push({
      what: `TRANSPILER calls "${service.service}" but the transpiler's env.${env} deploys as "${transpiler.name}"`,
      fix: `set "service": "${transpiler.name}" in ${where(files.main, "services")}`,
    });
  }

  // The renderer Worker (workers/renderer), when its config is given: RENDERER must call this environment's copy.
  if (renderer) {
    if (renderer.name === mainTop.name || renderer.name === main.name || renderer.name === transpiler.name) {
      problems.push({ what: `the renderer's env.${env} deploys as "${renderer.name}", another Worker's name`, fix: `rename it in ${where(files.renderer, "name")}` });
    }
    const rendering = (main.services ?? []).find((s) => s.binding === "RENDERER");
    if (rendering && rendering.service !== renderer.name) {
      problems.push({
        what: `RENDERER calls "${rendering.service}" but the renderer's env.${env} deploys as "${renderer.name}"`,
        fix: `set "service": "${renderer.name}" in ${where(files.main, "services")}`,
      });
    }
    if (!renderer.browser?.binding) {
      problems.push({ what: `the renderer's env.${env} has no Browser Rendering binding`, fix: `add "browser": { "binding": "BROWSER" } to ${where(files.renderer, "browser")}` });
    }
  }

  problems.push(...previewOriginProblems({ env, file: files.main, config: main }));
  return problems;
}

/** PREVIEW_ORIGIN must be an https origin on another site than the Worker's routes (preview frames run user code). */
function previewOriginProblems({ env, file, config }) {
  const value = config.vars?.PREVIEW_ORIGIN;
  const fix = `set vars.PREVIEW_ORIGIN in env.${env} of ${file} to the https origin of a second custom domain on another site (docs/deploy.md)`;
  if (!value) return [{ what: "PREVIEW_ORIGIN is not set", fix }];
  let url;
  try {
    url = new URL(value);
  } catch {
    return [{ what: `PREVIEW_ORIGIN "${value}" is not a URL`, fix }];
  }
  if (url.protocol !== "https:" || url.origin !== value.replace(/\/$/, "")) {
    return [{ what: `PREVIEW_ORIGIN "${value}" is not an https origin (scheme and host, no path)`, fix }];
  }
  const clash = routeHosts(config).find((host) => siteOf(host) === siteOf(url.hostname));
  return clash ? [{ what: `PREVIEW_ORIGIN ${url.hostname} is on the same site as the route ${clash}`, fix }] : [];
}

/**
 * Runs wrangler with the project's offline-friendly environment; returns `{ ok, stdout, stderr }`.
 * @example runWrangler(["r2", "bucket", "list"], { env })
 */
export function runWrangler(args, { root, env, stdio = "pipe" }) {
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/wrangler/bin/wrangler.js"), ...args], {
    cwd: root,
    env,
    encoding: "utf8",
    stdio: stdio === "pipe" ? ["ignore", "pipe", "pipe"] : stdio,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { ok: result.status === 0, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/**
 * Problems only the account can show, asked of Cloudflare with the operator's login: KV ids it does not have, R2 buckets
 * not created yet, required secrets (`secrets.required` of an environment) not set. Nothing is created or uploaded.
 * @example accountProblems({ env: "production", files, main, transpiler, root, wranglerEnv })
 */
export function accountProblems({ env, files, main, transpiler, root, wranglerEnv }) {
  const wrangler = (args) => runWrangler(args, { root, env: wranglerEnv });
  const problems = [];

  const kv = wrangler(["kv", "namespace", "list"]);
  if (!kv.ok) return [{ what: "wrangler could not list the account's KV namespaces", fix: `npx wrangler login (wrangler said: ${lastLine(kv.stderr)})` }];
  const namespaces = jsonOf(kv.stdout);
  for (const { binding, id } of main.kv_namespaces ?? []) {
    if (!namespaces.some((ns) => ns.id === id)) {
      problems.push({ what: `KV namespace ${id} (${binding}) is not in this account`, fix: `npx wrangler kv namespace create ${main.name}-${binding.toLowerCase()}  (then its id in env.${env}.kv_namespaces of ${files.main})` });
    }
  }

  const r2 = wrangler(["r2", "bucket", "list"]);
  if (!r2.ok) return [...problems, { what: "wrangler could not list the account's R2 buckets", fix: `check R2 is enabled for the account (wrangler said: ${lastLine(r2.stderr)})` }];
  const buckets = [...r2.stdout.matchAll(/^name:\s+(\S+)/gm)].map((m) => m[1]);
  for (const { binding, bucket_name } of main.r2_buckets ?? []) {
    if (!buckets.includes(bucket_name)) problems.push({ what: `R2 bucket ${bucket_name} (${binding}) does not exist`, fix: `npx wrangler r2 bucket create ${bucket_name}` });
  }

  for (const [config, file] of [[transpiler, files.transpiler], [main, files.main]]) {
    const required = config.secrets?.required ?? [];
    if (required.length === 0) continue;
    // A Worker not deployed yet has no secrets: every required one is missing.
    const list = wrangler(["secret", "list", "-c", file, "--env", env, "--format", "json"]);
    const set = list.ok ? jsonOf(list.stdout).map((secret) => secret.name) : [];
    for (const name of required.filter((n) => !set.includes(n))) {
      const configFlag = file === "wrangler.jsonc" ? "" : ` -c ${file}`;
      problems.push({ what: `secret ${name} of ${config.name} is not set`, fix: `npx wrangler secret put ${name} --env ${env}${configFlag}` });
    }
  }
  return problems;
}

/** The JSON array wrangler printed after its banner. */
const jsonOf = (stdout) => JSON.parse(stdout.slice(stdout.search(/^\[/m)));

const lastLine = (text) => text.trim().split("\n").filter(Boolean).at(-1) ?? "no output";

/** The problems as the lines an operator reads. */
export function formatProblems(env, problems) {
  const lines = problems.map(({ what, fix }) => `  - ${what}\n      fix: ${fix}`);
  return `spike deploy: env ${env} is not ready to deploy (${problems.length} ${problems.length === 1 ? "problem" : "problems"}); nothing was uploaded:\n${lines.join("\n")}`;
}
