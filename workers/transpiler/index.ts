/**
 * The transpiler Worker ("spike-transpiler"): esbuild-wasm behind two JSON endpoints, reached from the main Worker through
 * its TRANSPILER service binding (which also proxies them at the same paths).
 *   POST /api/transpile `{file, code}`                     -> 200 `{code}`       | 422 `{errors}`
 *   POST /api/bundle    `{files, entry, imports?, importFallback?}` -> 200 `{code, hash}` | 422 `{errors}`
 * Bad requests are 400/413 `{error}`; a 500 means a bug here, never bad user input, and is sent to Sentry when SENTRY_DSN
 * is set (tagged with the main Worker's request id; never the code it was given).
 */
import { Hono } from "hono";
import { sendErrorReport, type ErrorReportEnv } from "../platform/error-reports.js";
import { bundleProject, transpileFile } from "./compile.js";
import { loaderOf } from "./loaders.js";
import { InputError, bundleInput, readJsonBody, transpileInput } from "./request-input.js";

const app = new Hono<{ Bindings: ErrorReportEnv }>();

app.onError(function transpilerErrors(error, c) {
  if (error instanceof InputError) return c.json({ error: error.message }, error.status);
  console.error(JSON.stringify({ level: "error", route: c.req.routePath, message: error.message, stack: error.stack }));
  const requestId = c.req.header("x-request-id") ?? null;
  sendErrorReport(c.env, error, { worker: "spike-transpiler", route: `${c.req.method.slice(0, 16)} ${c.req.routePath}`, requestId });
  return c.json({ error: "internal error" }, 500);
});
app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));

app.post("/api/transpile", async (c) => {
  const input = transpileInput(await readJsonBody(c.req.raw));
  if (!loaderOf(input.file)) {
    return c.json({ error: `no loader for "${input.file}": use .tsx, .ts, .jsx, .js, .css or .json` }, 400);
  }
  const result = await transpileFile(input);
  return result.ok ? c.json({ code: result.code }) : c.json({ errors: result.errors }, 422);
});

app.post("/api/bundle", async (c) => {
  const result = await bundleProject(bundleInput(await readJsonBody(c.req.raw)));
  return result.ok ? c.json({ code: result.code, hash: result.hash }) : c.json({ errors: result.errors }, 422);
});

app.all("/api/*", (c) => c.json({ error: `method ${c.req.method} not allowed` }, 405));

export default app satisfies ExportedHandler<ErrorReportEnv>;
