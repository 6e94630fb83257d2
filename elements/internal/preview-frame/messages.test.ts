import assert from "node:assert/strict";
import { test } from "node:test";
import { frameUrl, isConsoleValues, isFrameMessage, isFramePackages, readFrameParams, type ConsoleValue } from "./messages.js";

test("a server's frame: the frame on the preview origin, npm modules from the server's origin", () => {
  const url = frameUrl("http://127.0.0.1:8787", { parent: "http://localhost:8787", server: "http://localhost:8787" });
  assert.equal(url.split("#")[0], "http://127.0.0.1:8787/preview/frame.html");
  assert.deepEqual(readFrameParams(new URL(url).hash), { parent: "http://localhost:8787", server: "http://localhost:8787", hostPackages: false });
});

test("a local frame from a copy of the CDN build in a folder keeps that folder for npm modules", () => {
  const base = "https://cdn.example/npm/spike@0.1.0/dist/cdn/";
  const url = frameUrl(base, { parent: "https://blog.example", server: base.slice(0, -1) });
  assert.equal(url.split("#")[0], `${base}preview/frame.html`);
  assert.deepEqual(readFrameParams(new URL(url).hash), { parent: "https://blog.example", server: base.slice(0, -1), hostPackages: false });
});

test("a frame told to expect the offline set from its host reads packages=host", () => {
  const url = frameUrl("http://127.0.0.1:8787/", { parent: "http://localhost:8787", server: "http://127.0.0.1:8787", hostPackages: true });
  assert.equal(readFrameParams(new URL(url).hash)?.hostPackages, true);
  assert.equal(readFrameParams(`${new URL(url).hash.replace("packages=host", "packages=other")}`)?.hostPackages, false);
});

test("malformed parameters are refused: no parent, an opaque parent, a server that is not http(s)", () => {
  const hash = (params: Record<string, string>) => `#${new URLSearchParams(params)}`;
  assert.equal(readFrameParams(""), null);
  assert.equal(readFrameParams(hash({ server: "http://localhost:8787" })), null);
  assert.equal(readFrameParams(hash({ parent: "null", server: "http://localhost:8787" })), null);
  assert.equal(readFrameParams(hash({ parent: "http://a.test", server: "javascript:alert(1)" })), null);
  assert.equal(readFrameParams(hash({ parent: "http://a.test", server: "data:text/html,x" })), null);
  assert.equal(readFrameParams(hash({ parent: "http://a.test", server: "not a url" })), null);
  // A query or fragment in the server never reaches module URLs.
  assert.deepEqual(readFrameParams(hash({ parent: "http://a.test", server: "https://cdn.test/x/?q=1#f" })), { parent: "http://a.test", server: "https://cdn.test/x", hostPackages: false });
});

test("host-passed packages are two objects of strings; anything else is refused", () => {
  assert.ok(isFramePackages({ imports: { react: "/npm/react@19.3.1/index.js" }, modules: { "/npm/react@19.3.1/index.js": "export {}" } }));
  assert.ok(!isFramePackages(null));
  assert.ok(!isFramePackages({ imports: {} }));
  assert.ok(!isFramePackages({ imports: [], modules: {} }));
  assert.ok(!isFramePackages({ imports: {}, modules: { "/npm/x.js": 42 } }));
});

test("console messages from the frame are checked: levels, values matching args, trees within bounds, places", () => {
  const ok = { type: "spike:console", level: "log", args: ["{a: 1}"], values: [{ type: "object", text: "{a: 1}", entries: [{ key: "a", value: { type: "number", text: "1" } }] }] };
  assert.ok(isFrameMessage(ok));
  assert.ok(isFrameMessage({ ...ok, values: undefined }));
  assert.ok(isFrameMessage({ ...ok, location: { file: "App.tsx", line: 3, column: 0 } }));
  assert.ok(!isFrameMessage({ ...ok, level: "trace" }));
  assert.ok(!isFrameMessage({ ...ok, values: [] }), "one value per argument");
  assert.ok(!isFrameMessage({ ...ok, values: [{ type: "script", text: "x" }] }));
  assert.ok(!isFrameMessage({ ...ok, values: [{ type: "string", text: 1 }] }));
  assert.ok(!isFrameMessage({ ...ok, values: [{ type: "object", text: "{}", entries: [{ key: 1, value: { type: "null", text: "null" } }] }] }));
  assert.ok(!isFrameMessage({ ...ok, location: { file: "", line: 1, column: 0 } }));
  assert.ok(!isFrameMessage({ ...ok, location: { file: "a.ts", line: 0, column: 0 } }));
  // Trees a well-behaved frame never builds: too deep, too many nodes, too long a text.
  let deep: ConsoleValue = { type: "null", text: "null" };
  for (let i = 0; i < 20; i++) deep = { type: "object", text: "{…}", entries: [{ key: "k", value: deep }] };
  assert.ok(!isConsoleValues([deep]));
  const wide = (n: number): ConsoleValue => ({ type: "array", text: "[]", entries: Array.from({ length: n }, (_, i) => ({ key: String(i), value: { type: "number", text: "1" } })) });
  assert.ok(isConsoleValues([wide(100)]));
  assert.ok(!isConsoleValues([wide(5000)]));
  const nested: ConsoleValue = { type: "array", text: "[]", entries: Array.from({ length: 100 }, (_, i) => ({ key: String(i), value: wide(100) })) };
  assert.ok(!isConsoleValues([nested]), "10,000 nodes");
  assert.ok(!isConsoleValues([{ type: "string", text: "x".repeat(20_000) }]));
  assert.ok(!isConsoleValues("x"));
});
