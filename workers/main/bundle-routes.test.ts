/**
 * `GET /live/<room>/index.js` and the `/api/transpile`, `/api/bundle` proxies, through the main Worker, the CodeRoom and
 * the transpiler Worker (esbuild-wasm) together in workerd: bundles that run, the KV cache by content hash, bare imports
 * pointed at the offline npm set on the request's origin, structured 422s, and clean 4xx answers for bad input.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { MAX_BODY_BYTES } from "../transpiler/limits.js";
import { rawRequest, startTestWorker, type TestWorker } from "../test-support.js";

/** The offline import map of dist/site (built by `npm test` / `npm start`; `npm run build` when running this file alone). */
const IMPORT_MAP = JSON.parse(readFileSync(new URL("../../dist/site/npm/importmap.json", import.meta.url), "utf8")) as {
  imports: Record<string, string>;
};

let worker: TestWorker;
/** Every status this file saw, so the last test can check none was a 500. */
const statuses: number[] = [];

before(async () => {
  worker = await startTestWorker({ transpiler: true, assets: "dist/site" });
});
after(() => worker?.dispose());

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(new URL(path, worker.url), { signal: AbortSignal.timeout(30_000), ...init });
  statuses.push(response.status);
  return response;
}

async function putFiles(room: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    const response = await request(`/live/${room}/files/${name}`, { method: "PUT", body: text });
    assert.equal(response.status, 200, `PUT ${name}: ${await response.text()}`);
  }
}

/** Run an ES module's text in node, with just enough of `document` for its CSS modules; returns the module and the styles. */
async function runBundle(code: string) {
  const styles: { file: string; css: string }[] = [];
  (globalThis as any).document = {
    head: {
      querySelector: () => null,
      appendChild: (style: { attributes: Record<string, string>; textContent: string }) =>
        styles.push({ file: style.attributes["data-spike-file"]!, css: style.textContent }),
    },
    createElement: () => ({
      attributes: {} as Record<string, string>,
      textContent: "",
      isConnected: false,
      setAttribute(name: string, value: string) {
        this.attributes[name] = value;
      },
    }),
  };
  try {
    const module = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
    return { module, styles };
  } finally {
    delete (globalThis as any).document;
  }
}

const PROJECT = {
  "index.ts": 'import "./theme.css";\nimport config from "./config.json";\nimport { total } from "./lib/sum";\nexport const answer: number = total(config.values);\n',
  "lib/sum.ts": "export const total = (values: number[]): number => values.reduce((a, b) => a + b, 0);\n",
  "config.json": '{ "values": [20, 22] }',
  "theme.css": ":root {\n  --accent: tomato;\n}\n",
};

describe("GET /live/<room>/index.js", () => {
  it("bundles the room's project into one module that runs, then serves it from KV until a file changes", async () => {
    await putFiles("bundle-cache", { ...PROJECT, "meta.json": "{}" });
    // The room's entry defaults to index.tsx; this project's is index.ts, so name it through an index.tsx re-export.
    await putFiles("bundle-cache", { "index.tsx": 'export * from "./index.ts";\n' });

    const first = await request("/live/bundle-cache/index.js");
    const code = await first.text();
    assert.equal(first.status, 200, code);
    assert.equal(first.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(first.headers.get("access-control-allow-origin"), "*");
    assert.equal(first.headers.get("x-spike-cache"), "miss");
    assert.match(first.headers.get("etag") ?? "", /^"[0-9a-f]{64}"$/);
    const { module, styles } = await runBundle(code);
    assert.equal(module.answer, 42);
    assert.deepEqual(styles, [{ file: "theme.css", css: ":root{--accent: tomato}\n" }]);

    const second = await request("/live/bundle-cache/index.js");
    assert.equal(second.headers.get("x-spike-cache"), "hit");
    assert.equal(await second.text(), code);
    assert.equal(second.headers.get("etag"), first.headers.get("etag"));

    await putFiles("bundle-cache", { "config.json": '{ "values": [1, 2] }' });
    const changed = await request("/live/bundle-cache/index.js");
    assert.equal(changed.headers.get("x-spike-cache"), "miss");
    assert.equal((await runBundle(await changed.text())).module.answer, 3);

    // Back to the first text: same content hash, so KV has it.
    await putFiles("bundle-cache", { "config.json": PROJECT["config.json"] });
    const reverted = await request("/live/bundle-cache/index.js");
    assert.equal(reverted.headers.get("x-spike-cache"), "hit");
    assert.equal(await reverted.text(), code);
  });

  it("answers 304 to a request that already has the current bundle", async () => {
    await putFiles("bundle-etag", { "index.tsx": "export const n = 1;\n" });
    const first = await request("/live/bundle-etag/index.js");
    await first.arrayBuffer();
    const again = await request("/live/bundle-etag/index.js", { headers: { "if-none-match": first.headers.get("etag")! } });
    assert.equal(again.status, 304);
  });

  it("points bare imports at the offline npm set on the request's origin", async () => {
    await putFiles("bundle-react", {
      "index.tsx": [
        'import { useState } from "react";',
        'import { createRoot } from "react-dom/client";',
        'import clsx from "clsx";',
        'import pad from "left-pad-not-offline";',
        "function Counter() { const [n, setN] = useState(0); return <button className={clsx(pad(n))} onClick={() => setN(n + 1)}>{n}</button>; }",
        'createRoot(document.getElementById("root")!).render(<Counter />);',
      ].join("\n"),
    });
    const response = await request("/live/bundle-react/index.js");
    const code = await response.text();
    assert.equal(response.status, 200, code);
    const origin = worker.url.origin;
    for (const specifier of ["react", "react-dom/client", "clsx", "react/jsx-runtime"]) {
      const url = new URL(IMPORT_MAP.imports[specifier]!, origin).href;
      assert.ok(code.includes(`from"${url}"`), `${specifier} -> ${url} in ${code}`);
    }
    assert.ok(code.includes(`from"${origin}/npm/left-pad-not-offline"`), "a package outside the set goes to /npm/<name>");
    assert.doesNotMatch(code, /from"react"/);

    // Another origin gets its own URLs, under its own cache key.
    const other = await rawRequest(worker, "/live/bundle-react/index.js", { headers: { host: `localhost:${worker.url.port}` } });
    statuses.push(other.status);
    assert.equal(other.status, 200);
    assert.equal(other.headers["x-spike-cache"], "miss");
    assert.ok(other.text.includes(`from"http://localhost:${worker.url.port}/npm/react@`), other.text.slice(0, 300));
  });

  it("answers 422 with structured errors for a project with a syntax error, and recovers when it is fixed", async () => {
    await putFiles("bundle-broken", {
      "index.tsx": 'import App from "./App";\nexport default App;\n',
      "App.tsx": "export default function App() {\n  return <div>\n}\n",
    });
    const broken = await request("/live/bundle-broken/index.js");
    assert.equal(broken.status, 422);
    assert.equal(broken.headers.get("access-control-allow-origin"), "*");
    const { errors } = (await broken.json()) as { errors: { file: string; line: number; column: number; message: string }[] };
    assert.ok(errors.length >= 1);
    assert.equal(errors[0]!.file, "App.tsx");
    assert.equal(errors[0]!.line, 3);
    assert.equal(typeof errors[0]!.column, "number");
    assert.ok(errors[0]!.message);

    await putFiles("bundle-broken", { "App.tsx": "export default function App() {\n  return <div />;\n}\n" });
    const fixed = await request("/live/bundle-broken/index.js");
    assert.equal(fixed.status, 200, await fixed.text());
  });

  it("answers 404 JSON for a room nobody wrote to or a missing entry file", async () => {
    const empty = await request("/live/bundle-nothing-here/index.js");
    assert.equal(empty.status, 404);
    assert.match(((await empty.json()) as { error: string }).error, /no room "bundle-nothing-here"/);
    await putFiles("bundle-no-entry", { "App.tsx": "export default 1;\n" });
    const noEntry = await request("/live/bundle-no-entry/index.js");
    assert.equal(noEntry.status, 404);
    assert.match(((await noEntry.json()) as { error: string }).error, /index\.tsx/);
  });

  it("refuses an invalid room id with 400", async () => {
    for (const path of ["/live/bad.id/index.js", `/live/${"x".repeat(65)}/index.js`, "/live/a%20b/index.js", "/live//index.js"]) {
      const response = await rawRequest(worker, path);
      statuses.push(response.status);
      assert.equal(response.status, 400, `${path}: ${response.text}`);
      assert.match(response.text, /room ids/);
    }
    // Dot segments are resolved before routing (as a browser would): `/live/%2e%2e/index.js` is `/index.js`, no room.
    const dots = await rawRequest(worker, "/live/%2e%2e/index.js");
    statuses.push(dots.status);
    assert.equal(dots.status, 404);
    assert.equal(typeof (JSON.parse(dots.text) as { error?: unknown }).error, "string");
  });
});

describe("POST /api/transpile and /api/bundle through the main Worker", () => {
  const post = (path: string, body: unknown) =>
    request(path, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body) });

  it("reaches the transpiler", async () => {
    const transpiled = await post("/api/transpile", { file: "App.tsx", code: "export default () => <p>hi</p>;" });
    assert.equal(transpiled.status, 200);
    assert.match(((await transpiled.json()) as { code: string }).code, /react\/jsx-runtime/);
    const bundled = await post("/api/bundle", { files: PROJECT, entry: "index.ts" });
    assert.equal(bundled.status, 200);
    const { code, hash } = (await bundled.json()) as { code: string; hash: string };
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal((await runBundle(code)).module.answer, 42);
  });

  it("passes 422 structured errors through", async () => {
    const response = await post("/api/transpile", { file: "a.ts", code: "let x = ;" });
    assert.equal(response.status, 422);
    const { requestId, ...body } = (await response.json()) as { requestId: string };
    assert.deepEqual(body, { errors: [{ file: "a.ts", line: 1, column: 8, message: 'Unexpected ";"' }] });
    assert.equal(requestId, response.headers.get("x-request-id"));
  });

  it("refuses bad input with 4xx and keeps serving", async () => {
    const huge = await post("/api/bundle", { files: { "index.ts": "x".repeat(MAX_BODY_BYTES + 10) }, entry: "index.ts" });
    assert.equal(huge.status, 413);
    await huge.arrayBuffer();
    assert.equal((await post("/api/bundle", new Uint8Array([0xff, 0xfe, 0xfd, 0x00, 0x80]))).status, 400);
    assert.equal((await post("/api/transpile", "{not json")).status, 400);
    assert.equal((await post("/api/transpile", { file: "readme.md", code: "" })).status, 400);
    assert.equal((await post("/api/transpile", { file: "../x.ts", code: "" })).status, 400);
    assert.equal((await post("/api/bundle", { files: { "../x.ts": "" }, entry: "../x.ts" })).status, 400);
    const fine = await post("/api/transpile", { file: "a.ts", code: "export const a = 1;" });
    assert.equal(fine.status, 200);
  });

  it("never answered a 500", () => {
    assert.ok(statuses.length > 20);
    assert.deepEqual(statuses.filter((s) => s >= 500), []);
  });
});
