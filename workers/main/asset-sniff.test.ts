/**
 * Asset types read from the bytes (asset-sniff.ts): each accepted format by its signature, and the look-alikes that must
 * not pass (markup, text that mentions `<svg` later, truncated signatures).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PNG } from "pngjs";
import { sniffAssetType } from "./asset-sniff.js";

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(parts.flatMap((part) => (typeof part === "string" ? [...Buffer.from(part, "latin1")] : part)));

test("each accepted format is recognised by its signature", () => {
  const png = new PNG({ width: 1, height: 1 });
  assert.equal(sniffAssetType(new Uint8Array(PNG.sync.write(png))), "image/png");
  assert.equal(sniffAssetType(bytes([0xff, 0xd8, 0xff, 0xe0], "JFIF")), "image/jpeg");
  assert.equal(sniffAssetType(bytes("GIF89a", [1, 0, 1, 0])), "image/gif");
  assert.equal(sniffAssetType(bytes("GIF87a", [1, 0, 1, 0])), "image/gif");
  assert.equal(sniffAssetType(bytes("RIFF", [0x24, 0, 0, 0], "WEBPVP8 ")), "image/webp");
  assert.equal(sniffAssetType(bytes([0, 0, 0, 0x1c], "ftypavif", [0, 0, 0, 0], "avifmif1miaf")), "image/avif");
  assert.equal(sniffAssetType(bytes([0, 0, 0, 0x20], "ftypmif1", [0, 0, 0, 0], "mif1avifmiafMA1B")), "image/avif", "avif as a compatible brand");
  assert.equal(sniffAssetType(bytes("wOFF", [0, 1, 0, 0])), "font/woff");
  assert.equal(sniffAssetType(bytes("wOF2", [0, 1, 0, 0])), "font/woff2");
  assert.equal(sniffAssetType(bytes([0, 1, 0, 0, 0, 0x10])), "font/ttf");
  assert.equal(sniffAssetType(bytes("OTTO", [0, 0x10])), "font/otf");
  assert.equal(sniffAssetType(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')), "image/svg+xml");
  assert.equal(
    sniffAssetType(new TextEncoder().encode('\uFEFF<?xml version="1.0"?>\n<!-- logo -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n<svg>')),
    "image/svg+xml",
  );
});

test("markup, text and truncated signatures are not assets", () => {
  assert.equal(sniffAssetType(bytes("<!doctype html><svg></svg>")), null);
  assert.equal(sniffAssetType(bytes("<html><body><svg></svg>")), null);
  assert.equal(sniffAssetType(bytes('{"svg": "<svg>"}')), null);
  assert.equal(sniffAssetType(bytes("<svgx>")), null);
  assert.equal(sniffAssetType(bytes([0x89, 0x50, 0x4e, 0x47])), null, "half a PNG signature");
  assert.equal(sniffAssetType(bytes("RIFF", [0, 0, 0, 0], "WAVEfmt ")), null, "a WAV file");
  assert.equal(sniffAssetType(bytes([0, 0, 0, 0x18], "ftypmp42", [0, 0, 0, 0], "isommp42")), null, "an MP4 file");
  assert.equal(sniffAssetType(bytes([0xff, 0xfe, 0x3c, 0x00])), null, "UTF-16 text");
  assert.equal(sniffAssetType(new Uint8Array()), null);
});
