// Deploying, offline: `wrangler deploy --dry-run` of both Workers in staging and production (upload sizes printed), and the
// preflight of `npm run deploy` naming what is missing, with the command that creates it, before anything is built or
// uploaded: the configs' own gaps, then what the account lacks (asked of a loopback server speaking Cloudflare's v4 API).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { experimental_readRawConfig, unstable_readConfig } from "wrangler";
import { configProblems } from "./deploy-preflight.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MAIN = "wrangler.jsonc";
const TRANSPILER = "workers/transpiler/wrangler.jsonc";
const RENDERER = "workers/renderer/wrangler.jsonc";
const ENVS = ["staging", "production"];
const wranglerEnv = {
  ...process.env,
  XDG_CONFIG_HOME: path.join(ROOT, ".wrangler/config"),
  XDG_CACHE_HOME: path.join(ROOT, ".wrangler/cache"),
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_API_TOKEN: "",
  CLOUDFLARE_ACCOUNT_ID: "",
};
const scratch = mkdtempSync(path.join(tmpdir(), "spike-deploy-test-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function run(args: string[]) {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env: wranglerEnv, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: result.stdout + result.stderr };
}

type Raw = Record<string, any>;
let copies = 0;

/**
 * Copies of both committed configs, changed by `edit`, as JSON files in a temp folder (paths made absolute, so wrangler
 * bundles the real sources and assets). Returns their paths.
 */
function configCopies(edit: (main: Raw, transpiler: Raw) => void) {
  const read = (file: string) => experimental_readRawConfig({ config: path.join(ROOT, file) }).rawConfig as Raw;
  const main = read(MAIN);
  const transpiler = read(TRANSPILER);
  delete main.$schema;
  delete transpiler.$schema;
  main.main = path.join(ROOT, main.main);
  main.assets.directory = path.join(ROOT, main.assets.directory);
  transpiler.main = path.join(ROOT, "workers/transpiler", transpiler.main);
  edit(main, transpiler);
  copies += 1;
  const files = { main: path.join(scratch, `main-${copies}.json`), transpiler: path.join(scratch, `transpiler-${copies}.json`) };
  writeFileSync(files.main, JSON.stringify(main, null, 2));
  writeFileSync(files.transpiler, JSON.stringify(transpiler, null, 2));
  return files;
}

/** What an operator fills in for an environment: a KV id, routes on custom domains, the preview origin on another site. */
function fillIn(main: Raw, env: string) {
  const section = main.env[env];
  section.kv_namespaces = [
    { binding: "BUNDLES", id: (env === "staging" ? "a" : "b").repeat(32) },
    { binding: "CONFIG", id: (env === "staging" ? "d" : "e").repeat(32) },
  ];
  section.routes = [{ pattern: `${env}.spike.example.com`, custom_domain: true }];
  section.vars.PREVIEW_ORIGIN = `https://${env}.spike-preview.example.net`;
}

/** The preflight's problems for one environment of two config files, read by wrangler as `npm run deploy` reads them. */
function problemsOf(files: { main: string; transpiler: string }, env: string) {
  const read = (config: string, e?: string) => unstable_readConfig({ config, env: e }, { hideWarnings: true });
  const renderer = path.join(ROOT, RENDERER);
  return configProblems({
    env,
    files: { ...files, renderer },
    main: read(files.main, env),
    transpiler: read(files.transpiler, env),
    renderer: read(renderer, env),
    mainTop: read(files.main),
    mainOthers: ENVS.filter((e) => e !== env).map((e) => read(files.main, e)),
  }).map((p: { what: string; fix: string }) => `${p.what} | ${p.fix}`);
}

describe("wrangler deploy --dry-run, offline, with the committed configs", () => {
  for (const env of ENVS) {
    for (const [label, config] of [["transpiler", TRANSPILER], ["renderer", RENDERER], ["main", MAIN]]) {
      test(`the ${label} Worker's ${env} environment bundles with its own bindings and a source map, and says its upload size`, () => {
        const outdir = path.join(scratch, `out-${label}-${env}`);
        const result = run(["node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "-c", config, "--env", env, "--outdir", outdir]);
        assert.equal(result.status, 0, result.output);
        const size = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(result.stdout);
        assert.ok(size, result.output);
        console.log(`# ${label} ${env}: upload ${size[1]} KiB, gzip ${size[2]} KiB`);
        // upload_source_maps: the bundle wrangler would upload carries its map.
        assert.ok(readdirSync(outdir).some((file) => file.endsWith(".js.map")), readdirSync(outdir).join(", "));
        if (label === "main") {
          assert.match(result.stdout, new RegExp(`env\\.TRANSPILER \\(spike-transpiler-${env}\\)`));
          assert.match(result.stdout, new RegExp(`env\\.RENDERER \\(spike-renderer-${env}\\)`));
          assert.match(result.stdout, new RegExp(`env\\.CDN_VERSIONS \\(spike-cdn-${env}\\)`));
          assert.match(result.stdout, /env\.CODE_ROOM \(CodeRoom\)/);
        }
      });
    }
  }
});

describe("npm run deploy: the preflight", () => {
  test("the committed configs name what an operator must create or set, with the commands, and nothing is built or uploaded", () => {
    const result = run(["scripts/deploy.mjs", "--env", "production", "--dry-run"]);
    assert.equal(result.status, 1, result.output);
    assert.match(result.stderr, /env production is not ready to deploy \(3 problems\); nothing was uploaded/);
    assert.match(result.stderr, /KV namespace BUNDLES has no id\n\s+fix: npx wrangler kv namespace create spike-production-bundles/);
    assert.match(result.stderr, /KV namespace CONFIG has no id\n\s+fix: npx wrangler kv namespace create spike-production-config/);
    assert.match(result.stderr, /PREVIEW_ORIGIN is not set\n\s+fix: set vars\.PREVIEW_ORIGIN in env\.production of wrangler\.jsonc/);
    assert.doesNotMatch(result.output, /Total Upload|building/);
  });

  test("a filled-in environment passes, and a dry run deploys the transpiler, the renderer, then the main Worker, printing their sizes", () => {
    const files = configCopies((main) => fillIn(main, "staging"));
    const result = run(["scripts/deploy.mjs", "--env", "staging", "--dry-run", "--config", files.main, "--transpiler-config", files.transpiler]);
    assert.equal(result.status, 0, result.output);
    const transpilerAt = result.stdout.indexOf("spike deploy: transpiler");
    const rendererAt = result.stdout.indexOf("spike deploy: renderer");
    const mainAt = result.stdout.indexOf("spike deploy: main");
    assert.ok(transpilerAt >= 0 && rendererAt > transpilerAt && mainAt > rendererAt, result.stdout);
    assert.match(
      result.stdout,
      /transpiler\s+upload\s+[\d.]+ KiB\s+gzip\s+[\d.]+ KiB\n\s+renderer\s+upload\s+[\d.]+ KiB\s+gzip\s+[\d.]+ KiB\n\s+main\s+upload\s+[\d.]+ KiB\s+gzip\s+[\d.]+ KiB/,
    );
    assert.match(result.stdout, /dry run: nothing uploaded/);
  });

  test("a KV binding whose id was removed fails by name with its create command", () => {
    const files = configCopies((main) => {
      fillIn(main, "production");
      delete main.env.production.kv_namespaces[0].id;
    });
    const result = run(["scripts/deploy.mjs", "--env=production", "--dry-run", "--config", files.main, "--transpiler-config", files.transpiler]);
    assert.equal(result.status, 1, result.output);
    assert.match(result.stderr, /\(1 problem\)/);
    assert.match(result.stderr, /KV namespace BUNDLES has no id\n\s+fix: npx wrangler kv namespace create spike-production-bundles/);
    assert.doesNotMatch(result.output, /Total Upload/);
  });

  test("a binding the local stack has and an environment lacks is named, with where to add it", () => {
    const files = configCopies((main) => {
      fillIn(main, "production");
      main.env.production.durable_objects.bindings = main.env.production.durable_objects.bindings.filter((b: Raw) => b.name !== "METRICS");
      main.env.production.r2_buckets = [];
    });
    assert.deepEqual(problemsOf(files, "production"), [
      `binding NPM_CACHE is declared at the top level but not in env.production | add it to env.production.r2_buckets in ${files.main}`,
      `binding CDN_VERSIONS is declared at the top level but not in env.production | add it to env.production.r2_buckets in ${files.main}`,
      `binding ROOMS is declared at the top level but not in env.production | add it to env.production.r2_buckets in ${files.main}`,
      `binding METRICS is declared at the top level but not in env.production | add it to env.production.durable_objects.bindings in ${files.main}`,
    ]);
  });

  test("production calling staging's transpiler or renderer, or sharing staging's bucket, KV namespace or name, is refused", () => {
    const files = configCopies((main) => {
      fillIn(main, "staging");
      fillIn(main, "production");
      const production = main.env.production;
      production.services = [
        { binding: "TRANSPILER", service: "spike-transpiler-staging" },
        { binding: "RENDERER", service: "spike-renderer-staging" },
      ];
      production.r2_buckets[1].bucket_name = "spike-cdn-staging";
      production.kv_namespaces = main.env.staging.kv_namespaces;
      production.name = "spike-staging";
    });
    const problems = problemsOf(files, "production").map((p) => p.split(" | ")[0]);
    assert.deepEqual(problems, [
      "R2 binding CDN_VERSIONS uses bucket spike-cdn-staging, which env.staging also uses",
      `KV binding BUNDLES uses namespace ${"a".repeat(32)}, which env.staging also uses`,
      `KV binding CONFIG uses namespace ${"d".repeat(32)}, which env.staging also uses`,
      `env.production deploys as "spike-staging", the name env.staging uses`,
      `TRANSPILER calls "spike-transpiler-staging" but the transpiler's env.production deploys as "spike-transpiler-production"`,
      `RENDERER calls "spike-renderer-staging" but the renderer's env.production deploys as "spike-renderer-production"`,
    ]);
  });

  test("a PREVIEW_ORIGIN that is not an https origin, or on the Worker's own site, is refused", () => {
    const cases: [string, string][] = [
      ["spike-preview.example.net", `PREVIEW_ORIGIN "spike-preview.example.net" is not a URL`],
      ["http://spike-preview.example.net", `PREVIEW_ORIGIN "http://spike-preview.example.net" is not an https origin (scheme and host, no path)`],
      ["https://spike-preview.example.net/frame", `PREVIEW_ORIGIN "https://spike-preview.example.net/frame" is not an https origin (scheme and host, no path)`],
      ["https://preview.spike.example.com", "PREVIEW_ORIGIN preview.spike.example.com is on the same site as the route staging.spike.example.com"],
    ];
    for (const [origin, problem] of cases) {
      const files = configCopies((main) => {
        fillIn(main, "staging");
        main.env.staging.vars.PREVIEW_ORIGIN = origin;
      });
      assert.deepEqual(problemsOf(files, "staging").map((p) => p.split(" | ")[0]), [problem]);
    }
    const good = configCopies((main) => fillIn(main, "staging"));
    assert.deepEqual(problemsOf(good, "staging"), []);
  });

  test("no environment, an unknown one, or an unknown flag is an error that says what to pass", () => {
    const none = run(["scripts/deploy.mjs"]);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /name the environment: npm run deploy -- --env staging\|production/);
    const unknown = run(["scripts/deploy.mjs", "--env", "prod"]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no environment "prod" in both wrangler\.jsonc and workers\/transpiler\/wrangler\.jsonc \(they have staging, production/);
    const flag = run(["scripts/deploy.mjs", "--env", "staging", "--force"]);
    assert.equal(flag.status, 1);
    assert.match(flag.stderr, /unknown argument "--force"/);
  });
});

describe("npm run deploy: the account checks, against a loopback Cloudflare API", () => {
  test("a real deploy asks the account for namespaces, buckets and secrets, names each one missing with its command, and stops before building or uploading", async () => {
    const SECRETS: Record<string, string[]> = { "spike-production": ["OPENAI_API_KEY"] };
    const requests: string[] = [];
    // The v4 API's envelope ({ success, errors, messages, result }), as wrangler reads it; a Worker not deployed yet is a 404.
    const api = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      const url = new URL(req.url ?? "/", "http://api");
      const script = /\/workers\/scripts\/([^/]+)\/secrets$/.exec(url.pathname)?.[1];
      let result: unknown;
      if (url.pathname.endsWith("/storage/kv/namespaces")) result = url.searchParams.get("page") ? [] : [{ id: "b".repeat(32), title: "spike-production-bundles" }, { id: "e".repeat(32), title: "spike-production-config" }];
      else if (url.pathname.endsWith("/r2/buckets")) result = { buckets: [{ name: "spike-npm-production", creation_date: "2026-12-01T00:00:00Z" }] };
      else if (script && SECRETS[script]) result = SECRETS[script].map((name) => ({ name, type: "secret_text" }));
      res.setHeader("content-type", "application/json");
      if (result === undefined) {
        res.statusCode = 404;
        res.end(JSON.stringify({ success: false, errors: [{ code: 10007, message: "This Worker does not exist on your account." }], messages: [], result: null }));
      } else res.end(JSON.stringify({ success: true, errors: [], messages: [], result }));
    });
    await new Promise<void>((done) => api.listen(0, "127.0.0.1", done));
    try {
      const files = configCopies((main, transpiler) => {
        fillIn(main, "production");
        main.env.production.kv_namespaces[0].id = "c".repeat(32);
        main.env.production.secrets = { required: ["OPENAI_API_KEY", "SENTRY_DSN"] };
        transpiler.env.production.secrets = { required: ["SENTRY_DSN"] };
      });
      const { port } = api.address() as AddressInfo;
      const env = {
        ...wranglerEnv,
        CLOUDFLARE_API_BASE_URL: `http://127.0.0.1:${port}/client/v4`,
        CLOUDFLARE_API_TOKEN: "test-token",
        CLOUDFLARE_ACCOUNT_ID: "0123456789abcdef0123456789abcdef",
      };
      const child = spawn(process.execPath, ["scripts/deploy.mjs", "--env", "production", "--config", files.main, "--transpiler-config", files.transpiler], { cwd: ROOT, env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const [status] = await once(child, "exit");
      assert.equal(status, 1, stdout + stderr);
      assert.match(stderr, /env production is not ready to deploy \(5 problems\); nothing was uploaded/);
      assert.match(stderr, new RegExp(`KV namespace ${"c".repeat(32)} \\(BUNDLES\\) is not in this account\\n\\s+fix: npx wrangler kv namespace create spike-production-bundles`));
      assert.match(stderr, /R2 bucket spike-cdn-production \(CDN_VERSIONS\) does not exist\n\s+fix: npx wrangler r2 bucket create spike-cdn-production/);
      assert.match(stderr, /R2 bucket spike-rooms-production \(ROOMS\) does not exist\n\s+fix: npx wrangler r2 bucket create spike-rooms-production/);
      assert.doesNotMatch(stderr, /spike-npm-production|OPENAI_API_KEY/);
      assert.ok(stderr.includes(`secret SENTRY_DSN of spike-transpiler-production is not set\n      fix: npx wrangler secret put SENTRY_DSN --env production -c ${files.transpiler}`), stderr);
      assert.ok(stderr.includes(`secret SENTRY_DSN of spike-production is not set\n      fix: npx wrangler secret put SENTRY_DSN --env production -c ${files.main}`), stderr);
      assert.doesNotMatch(stdout, /building|Total Upload/);
      // Asked, never changed: every call to the API was a read.
      assert.ok(requests.length >= 4 && requests.every((r) => r.startsWith("GET ")), requests.join("\n"));
    } finally {
      api.close();
    }
  });
});
