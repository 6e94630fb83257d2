/**
 * The content hash of a bundle request. The transpiler returns it and the main Worker keys its KV cache by it, so both
 * compute it here, from one normalized form: file order, key order and absent-vs-empty `imports` do not change it.
 */
import type { BundleInput } from "./request-input.js";

/** Bump when the bundle output changes for the same input (esbuild upgrade, new options), so cached bundles are not reused. */
const OUTPUT_VERSION = "esbuild-wasm@0.28.2/2";

/**
 * SHA-256 hex of the normalized bundle input.
 * @example await bundleHash({ files: { "index.tsx": "export {}" }, entry: "index.tsx" }) // "3f1c…" (64 hex digits)
 */
export async function bundleHash(input: BundleInput): Promise<string> {
  const normalized = JSON.stringify([
    OUTPUT_VERSION,
    input.entry,
    sortedEntries(input.files),
    sortedEntries(input.imports ?? {}),
    input.importFallback ?? "",
  ]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(normalized));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

function sortedEntries(record: Record<string, string>): [string, string][] {
  return Object.keys(record)
    .sort()
    .map((key) => [key, record[key]!]);
}
