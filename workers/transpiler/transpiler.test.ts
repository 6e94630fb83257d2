/**
 * The transpiler Worker on real esbuild-wasm in workerd: one-file transpiles, multi-file bundles with CSS and JSON that
 * are then run in node, structured 422s for bad code, and clean 4xx answers (never a 500) for every kind of bad request.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTranspilerWorker, type TestWorker } from "../test-support.js";
import { MAX_BODY_BYTES, MAX_FILES } from "./limits.js";

let transpiler: TestWorker;
/** Every status this file saw, so the last test can check none was a 500. */
const statuses: number[] = [];

before(async () => {
  transpiler = await startTranspilerWorker();
});
after(() => transpiler?.dispose());

async function post(path: string, body: unknown, init: RequestInit = {}): Promise<{ status: number; json: any }> {
  const response = await fetch(new URL(path, transpiler.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" || body instanceof Uint8Array || body instanceof ReadableStream ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
    ...init,
  } as RequestInit);
  statuses.push(response.status);
  const text = await response.text();
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/, `${path} answered ${text.slice(0, 200)}`);
  return { status: response.status, json: JSON.parse(text) };
}

/** Run an ES module's text in node (bare imports must already be URLs). */
function importCode(code: string): Promise<Record<string, any>> {
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

/** A stand-in for React's JSX runtime, as a data: URL module: elements become plain `{ type, props }` objects. */
const JSX_RUNTIME = `data:text/javascript,${encodeURIComponent(
  "export const jsx = (type, props) => ({ type, props }); export const jsxs = jsx; export const Fragment = 'Fragment';",
)}`;

/** Just enough of `document` for the CSS modules: `<style>` elements in a head. */
function fakeDocument() {
  const styles: { attributes: Record<string, string>; textContent: string; isConnected: boolean }[] = [];
  return {
    styles,
    document: {
      head: {
        querySelector: (selector: string) => styles.find((s) => selector.includes(`"${s.attributes["data-spike-file"]}"`)) ?? null,
        appendChild: (style: (typeof styles)[number]) => {
          style.isConnected = true;
          styles.push(style);
        },
      },
      createElement: () => ({
        attributes: {} as Record<string, string>,
        textContent: "",
        isConnected: false,
        setAttribute(name: string, value: string) {
          this.attributes[name] = value;
        },
      }),
    },
  };
}

describe("POST /api/transpile", () => {
  it("turns TSX into an ES module with the automatic JSX runtime", async () => {
    const { status, json } = await post("/api/transpile", {
      file: "components/App.tsx",
      code: "type P = { n: number };\nexport default function App({ n }: P) { return <p className=\"n\">{n}</p>; }\n",
    });
    assert.equal(status, 200);
    assert.match(json.code, /from "react\/jsx-runtime"/);
    assert.doesNotMatch(json.code, /type P|: P\b/);
  });

  it("transpiles TS that runs", async () => {
    const { status, json } = await post("/api/transpile", {
      file: "math.ts",
      code: "enum Op { Add }\nexport const add = (a: number, b: number): number => a + b;\nexport const op: Op = Op.Add;\n",
    });
    assert.equal(status, 200);
    const module = await importCode(json.code);
    assert.equal(module.add(2, 3), 5);
    assert.equal(module.op, 0);
  });

  it("accepts JSX in .js files, CSS and JSON", async () => {
    const jsx = await post("/api/transpile", { file: "App.js", code: "export default () => <b/>;" });
    assert.equal(jsx.status, 200);
    assert.match(jsx.json.code, /jsx\("b"/);
    const css = await post("/api/transpile", { file: "styles/app.css", code: "a { color: red }" });
    assert.equal(css.status, 200);
    assert.match(css.json.code, /color: red/);
    const json = await post("/api/transpile", { file: "data.json", code: '{ "answer": 42 }' });
    assert.equal(json.status, 200);
    assert.equal((await importCode(json.json.code)).default.answer, 42);
  });

  it("answers a syntax error with 422 and where it is (1-based line, 0-based column in characters)", async () => {
    const { status, json } = await post("/api/transpile", {
      file: "components/App.tsx",
      code: "const ok = 1;\nconst café = 'é';\nlet broken = ;\n",
    });
    assert.equal(status, 422);
    assert.equal(json.errors.length, 1);
    const [error] = json.errors;
    assert.deepEqual({ file: error.file, line: error.line, column: error.column }, { file: "components/App.tsx", line: 3, column: 13 });
    assert.equal(typeof error.message, "string");
    assert.ok(error.message.length > 0);
    const unicode = await post("/api/transpile", { file: "a.ts", code: "const é = 'é'; let x = ;" });
    assert.equal(unicode.status, 422);
    assert.equal(unicode.json.errors[0].column, 23, "the column counts characters, not UTF-8 bytes");
  });
});

describe("POST /api/bundle", () => {
  const project = {
    "index.tsx": [
      'import "./styles/base.css";',
      'import App from "./components/App.js";',
      'import data from "./data.json";',
      'import { greet } from "./lib";',
      "export const tree = <App title={greet(data.name)} />;",
      "export { data };",
    ].join("\n"),
    "components/App.tsx": [
      'import Button from "./Button";',
      'import base from "../styles/base.css";',
      "export default function App({ title }: { title: string }) {",
      "  return <main><h1>{title}</h1><Button /></main>;",
      "}",
      "export const baseCss: string = base;",
    ].join("\n"),
    "components/Button.tsx": 'import "./Button.css";\nexport default function Button() { return <button className="btn">+</button>; }\n',
    "components/Button.css": ".btn {\n  color: rebeccapurple;\n}\n",
    "lib/index.ts": "export function greet(name: string): string {\n  return `hello ${name}`;\n}\n",
    "data.json": '{ "name": "spike" }',
    "styles/base.css": "body {\n  margin: 0;\n}\n",
    "unused.tsx": "this is not even valid code <<<",
  };

  it("bundles a multi-file project with CSS and JSON into one minified module that runs", async () => {
    const { status, json } = await post("/api/bundle", { files: project, entry: "index.tsx", imports: { "react/jsx-runtime": JSX_RUNTIME } });
    assert.equal(status, 200, JSON.stringify(json));
    assert.match(json.hash, /^[0-9a-f]{64}$/);
    assert.doesNotMatch(json.code, /from\s*"\.\//, "no project import is left");
    assert.ok(json.code.split("\n").length < 10, "minified");

    const { styles, document } = fakeDocument();
    (globalThis as any).document = document;
    try {
      const module = await importCode(json.code);
      assert.equal(module.data.name, "spike");
      assert.equal(module.tree.props.title, "hello spike");
      const main = module.tree.type(module.tree.props);
      assert.equal(main.type, "main");
      assert.deepEqual(main.props.children[0], { type: "h1", props: { children: "hello spike" } });
      const button = main.props.children[1];
      assert.deepEqual(button.type(button.props), { type: "button", props: { className: "btn", children: "+" } });
    } finally {
      delete (globalThis as any).document;
    }
    // Each CSS file applied once, minified, in dependency order; the same text is its default export.
    assert.deepEqual(
      styles.map((s) => [s.attributes["data-spike-file"], s.textContent.trim()]),
      [
        ["styles/base.css", "body{margin:0}"],
        ["components/Button.css", ".btn{color:#639}"],
      ],
    );
  });

  it("leaves bare imports as written, or maps them (exact, by prefix, by fallback)", async () => {
    const files = {
      "index.ts": 'import a from "lib-a";\nimport b from "scoped/deep/path";\nimport c from "other";\nimport d from "https://cdn.test/d.js";\nconsole.log(a, b, c, d);\n',
    };
    const plain = await post("/api/bundle", { files, entry: "index.ts" });
    assert.equal(plain.status, 200);
    assert.match(plain.json.code, /from"lib-a"/);
    assert.match(plain.json.code, /from"https:\/\/cdn\.test\/d\.js"/);
    const mapped = await post("/api/bundle", {
      files,
      entry: "index.ts",
      imports: { "lib-a": "https://h.test/npm/lib-a@1/index.js", "scoped/": "https://h.test/npm/scoped@2/" },
      importFallback: "https://h.test/npm/",
    });
    assert.equal(mapped.status, 200);
    assert.match(mapped.json.code, /from"https:\/\/h\.test\/npm\/lib-a@1\/index\.js"/);
    assert.match(mapped.json.code, /from"https:\/\/h\.test\/npm\/scoped@2\/deep\/path"/);
    assert.match(mapped.json.code, /from"https:\/\/h\.test\/npm\/other"/);
    assert.match(mapped.json.code, /from"https:\/\/cdn\.test\/d\.js"/);
    assert.notEqual(mapped.json.hash, plain.json.hash);
  });

  it("hashes the normalized input: key order does not matter, a changed file does", async () => {
    const a = await post("/api/bundle", { files: { "index.ts": "export default 1", "b.ts": "" }, entry: "index.ts" });
    const b = await post("/api/bundle", { entry: "index.ts", files: { "b.ts": "", "index.ts": "export default 1" } });
    const c = await post("/api/bundle", { files: { "index.ts": "export default 2", "b.ts": "" }, entry: "index.ts" });
    assert.equal(a.json.hash, b.json.hash);
    assert.notEqual(a.json.hash, c.json.hash);
  });

  it("answers 422 with the file, line and column of a syntax error in any project file", async () => {
    const { status, json } = await post("/api/bundle", {
      files: { ...project, "lib/index.ts": "export function greet(name: string) {\n  return `hello ${name}`\n}}\n" },
      entry: "index.tsx",
    });
    assert.equal(status, 422);
    assert.deepEqual(
      json.errors.map((e: any) => [e.file, e.line, e.column]),
      [["lib/index.ts", 3, 1]],
    );
  });

  it("answers 422 at the import for a project file that does not exist", async () => {
    const { status, json } = await post("/api/bundle", {
      files: { "index.tsx": 'import "./ok";\nimport App from "./components/Nope";\nconsole.log(App);\n', "ok.ts": "" },
      entry: "index.tsx",
    });
    assert.equal(status, 422);
    assert.equal(json.errors.length, 1);
    assert.deepEqual([json.errors[0].file, json.errors[0].line, json.errors[0].column], ["index.tsx", 2, 16]);
    assert.match(json.errors[0].message, /components\/Nope/);
  });

  it("does not let an import climb out of the project", async () => {
    const { status, json } = await post("/api/bundle", {
      files: { "index.ts": 'import x from "../../etc/passwd";\nconsole.log(x);\n' },
      entry: "index.ts",
    });
    assert.equal(status, 422);
    assert.equal(json.errors[0].file, "index.ts");
  });
});

describe("bad requests", () => {
  it("refuses a body over the limit with 413, declared or streamed", async () => {
    const huge = { files: { "index.ts": "x".repeat(MAX_BODY_BYTES + 1) }, entry: "index.ts" };
    assert.equal((await post("/api/bundle", huge)).status, 413);
    assert.equal((await post("/api/transpile", { file: "a.ts", code: "x".repeat(MAX_BODY_BYTES + 1) })).status, 413);
    // No content-length: the body arrives chunked and is cut off once it passes the limit.
    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BODY_BYTES * 2) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    assert.equal((await post("/api/transpile", stream, { duplex: "half" } as RequestInit)).status, 413);
  });

  it("refuses too many files with 413", async () => {
    const files = Object.fromEntries(Array.from({ length: MAX_FILES + 1 }, (_, i) => [`f${i}.ts`, ""]));
    assert.equal((await post("/api/bundle", { files, entry: "f0.ts" })).status, 413);
  });

  it("refuses binary garbage, non-JSON and JSON of the wrong shape with 400", async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 256);
    for (const path of ["/api/transpile", "/api/bundle"]) {
      for (const body of [garbage, "not json", "{", "[]", "null", "42", '"text"', ""]) {
        const { status, json } = await post(path, body);
        assert.equal(status, 400, `${path} ${String(body).slice(0, 20)}`);
        assert.equal(typeof json.error, "string");
      }
    }
    for (const body of [{}, { file: "a.ts" }, { file: "a.ts", code: 1 }, { file: 1, code: "" }]) {
      assert.equal((await post("/api/transpile", body)).status, 400, JSON.stringify(body));
    }
    for (const body of [
      {},
      { files: {}, entry: "index.ts" },
      { files: [], entry: "index.ts" },
      { files: { "index.ts": 1 }, entry: "index.ts" },
      { files: { "index.ts": "" } },
      { files: { "index.ts": "" }, entry: "other.ts" },
      { files: { "index.ts": "" }, entry: "index.ts", imports: [] },
      { files: { "index.ts": "" }, entry: "index.ts", imports: { react: 1 } },
      { files: { "index.ts": "" }, entry: "index.ts", importFallback: 7 },
    ]) {
      assert.equal((await post("/api/bundle", body)).status, 400, JSON.stringify(body));
    }
  });

  it("refuses an unknown loader with 400", async () => {
    for (const file of ["notes.md", "image.png", "Makefile", "a.tsx.bak"]) {
      const { status, json } = await post("/api/transpile", { file, code: "" });
      assert.equal(status, 400, file);
      assert.match(json.error, /loader/);
    }
  });

  it("refuses invalid file names with 400", async () => {
    const names = ["../x", "a/../../x", "/etc/passwd", "a//b", "./a.ts", "", "a\\b.ts", "a b.ts", "x".repeat(200) + ".ts", "con\u0000.ts"];
    for (const name of names) {
      assert.equal((await post("/api/transpile", { file: name, code: "" })).status, 400, `transpile ${name}`);
      assert.equal((await post("/api/bundle", { files: { [name]: "", "index.ts": "" }, entry: "index.ts" })).status, 400, `file ${name}`);
      assert.equal((await post("/api/bundle", { files: { [name]: "" }, entry: name })).status, 400, `entry ${name}`);
    }
  });

  it("answers other methods and paths with JSON 4xx", async () => {
    for (const [method, path, expected] of [["GET", "/api/bundle", 405], ["PUT", "/api/transpile", 405], ["GET", "/nope", 404]] as const) {
      const response = await fetch(new URL(path, transpiler.url), { method, body: method === "PUT" ? "{}" : undefined });
      statuses.push(response.status);
      assert.equal(response.status, expected);
      assert.equal(typeof ((await response.json()) as { error: unknown }).error, "string");
    }
  });

  it("never answered a 500", () => {
    assert.ok(statuses.length > 40);
    assert.deepEqual(statuses.filter((s) => s >= 500), []);
  });
});
