import assert from "node:assert/strict";
import { test } from "node:test";
import { frameUrl, readFrameParams } from "./messages.js";

test("a server's frame: the frame on the preview origin, npm modules from the server's origin", () => {
  const url = frameUrl("http://127.0.0.1:8787", { parent: "http://localhost:8787", server: "http://localhost:8787" });
  assert.equal(url.split("#")[0], "http://127.0.0.1:8787/preview/frame.html");
  assert.deepEqual(readFrameParams(new URL(url).hash), { parent: "http://localhost:8787", server: "http://localhost:8787" });
});

test("a local frame from a copy of the CDN build in a folder keeps that folder for npm modules", () => {
  const base = "https://cdn.example/npm/spike@0.1.0/dist/cdn/";
  const url = frameUrl(base, { parent: "https://blog.example", server: base.slice(0, -1) });
  assert.equal(url.split("#")[0], `${base}preview/frame.html`);
  assert.deepEqual(readFrameParams(new URL(url).hash), { parent: "https://blog.example", server: base.slice(0, -1) });
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
  assert.deepEqual(readFrameParams(hash({ parent: "http://a.test", server: "https://cdn.test/x/?q=1#f" })), { parent: "http://a.test", server: "https://cdn.test/x" });
});
