/** The pure parts of image generation: the request body, the asset name from a prompt, the name's extension, `/image`. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { imagePrompt } from "../../elements/internal/chat-image.js";
import { modelError } from "../platform/replicate.js";
import { assetName, parseGenerateRequest, withExtensionOf } from "./generate-request.js";

test("parseGenerateRequest: defaults, trimming, and each refusal", () => {
  assert.deepEqual(parseGenerateRequest('{"prompt":"  a red fox "}'), { prompt: "a red fox", model: "black-forest-labs/flux-schnell", name: null });
  assert.deepEqual(parseGenerateRequest('{"prompt":"x","model":"a/b","name":"x.webp"}'), { prompt: "x", model: "a/b", name: "x.webp" });
  assert.match(parseGenerateRequest("nope") as string, /^the body must be JSON/);
  assert.match(parseGenerateRequest("null") as string, /JSON object/);
  assert.match(parseGenerateRequest('{"prompt":1}') as string, /^prompt must be/);
  assert.match(parseGenerateRequest('{"prompt":"x","name":".."}') as string, /^name must be/);
  assert.match(parseGenerateRequest('{"prompt":"x","name":"a/b.png"}') as string, /^name must be/);
});

test("modelError accepts owner/name and owner/name:<64 hex>, nothing else", () => {
  assert.equal(modelError("black-forest-labs/flux-schnell"), null);
  assert.equal(modelError(`stability-ai/sdxl:${"a".repeat(64)}`), null);
  for (const bad of ["flux", "a/b/c", "/b", "a/", `a/b:${"a".repeat(63)}`, "a/b:", "A B/c", "../x"]) assert.ok(modelError(bad), bad);
});

test("assetName takes the prompt's first words, at most 40 characters, and the type's extension", () => {
  assert.equal(assetName("A red fox, in the snow!", "image/webp"), "a-red-fox-in-the-snow.webp");
  assert.equal(assetName("Café au lait", "image/jpeg"), "cafe-au-lait.jpg");
  assert.equal(assetName("!!!", "image/png"), "image.png");
  assert.equal(assetName("word ".repeat(30), "image/gif").length, "word-".repeat(8).length - 1 + ".gif".length);
  assert.equal(assetName("x".repeat(90), "image/png"), `${"x".repeat(40)}.png`);
});

test("withExtensionOf keeps a matching extension and replaces another", () => {
  assert.equal(withExtensionOf("fox.png", "image/png"), "fox.png");
  assert.equal(withExtensionOf("fox.jpeg", "image/jpeg"), "fox.jpeg");
  assert.equal(withExtensionOf("fox.png", "image/webp"), "fox.webp");
  assert.equal(withExtensionOf("fox", "image/png"), "fox.png");
});

test("imagePrompt reads /image commands only", () => {
  assert.equal(imagePrompt("/image a red fox"), "a red fox");
  assert.equal(imagePrompt("  /image   two\nlines "), "two\nlines");
  assert.equal(imagePrompt("/image"), "");
  assert.equal(imagePrompt("/images of foxes"), null);
  assert.equal(imagePrompt("draw /image"), null);
});
