/**
 * What an uploaded asset really is, read from its first bytes (the file signatures of each format), never from the
 * request's Content-Type or the name: an HTML page named `logo.png` is refused, so the room never serves markup under an
 * image's name. SVG is text: it must parse as far as an `<svg` root element after an optional XML declaration, comments
 * and doctype; it is still served sandboxed (asset-routes.ts), since an SVG may carry script.
 */
import type { AssetType } from "../../core/assets.js";

const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};

const starts = (bytes: Uint8Array, signature: number[]): boolean =>
  bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);

/**
 * The asset type of `bytes` by their signature, or null when they are none of the accepted formats.
 * @example sniffAssetType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...])) // "image/png"
 */
export function sniffAssetType(bytes: Uint8Array): AssetType | null {
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (ascii(bytes, 0, "GIF87a") || ascii(bytes, 0, "GIF89a")) return "image/gif";
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) return "image/webp";
  if (ascii(bytes, 4, "ftyp") && isAvifBrand(bytes)) return "image/avif";
  if (ascii(bytes, 0, "wOFF")) return "font/woff";
  if (ascii(bytes, 0, "wOF2")) return "font/woff2";
  if (starts(bytes, [0x00, 0x01, 0x00, 0x00]) || ascii(bytes, 0, "true")) return "font/ttf";
  if (ascii(bytes, 0, "OTTO")) return "font/otf";
  if (isSvg(bytes)) return "image/svg+xml";
  return null;
}

/** An ISO-BMFF `ftyp` box whose major or compatible brands name AVIF (`avif`, `avis`). */
function isAvifBrand(bytes: Uint8Array): boolean {
  const boxSize = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const end = Math.min(bytes.length, boxSize, 256);
  for (let at = 8; at + 4 <= end; at += 4) {
    if (at === 12) continue; // the minor version, not a brand
    if (ascii(bytes, at, "avif") || ascii(bytes, at, "avis")) return true;
  }
  return false;
}

/** UTF-8 text whose first element is `<svg`, after an optional BOM, XML declaration, comments and doctype. */
function isSvg(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes.subarray(0, 4096));
  } catch {
    // Cut inside a multi-byte character at 4096: decode what is whole.
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes.subarray(0, 4093));
    } catch {
      return false;
    }
  }
  text = text.replace(/^\uFEFF/, "");
  const prolog = /^\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--[\s\S]*?-->|<!DOCTYPE\s+svg\b[^>[]*(?:\[[\s\S]*?\])?\s*>)\s*)*<svg[\s>/]/i;
  return prolog.test(text);
}
