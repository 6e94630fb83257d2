/**
 * A room's assets (images and fonts) on its Y.Doc: the `assets` map holds name -> {hash, type, size}, while the bytes live
 * in R2 under `assets/<sha256>` (shared by every room that uploads the same bytes). The map travels with the document, so
 * every client sees an upload at once, and the preview can resolve `import logo from "./logo.png"` to the asset's hashed URL.
 */
import * as Y from "yjs";
import { isValidFileName } from "./project.js";

/** Name of the Y.Map holding the room's assets. */
export const ASSETS_KEY = "assets";

/** One asset as the room records it: the SHA-256 of its bytes (hex), its type as sniffed from the bytes, its size. */
export interface AssetEntry {
  hash: string;
  type: string;
  size: number;
}

/** The asset types a room accepts, by file extension: what the bytes must be for a name with that extension. */
export const ASSET_TYPES = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  svg: "image/svg+xml",
  woff: "font/woff",
  woff2: "font/woff2",
  ttf: "font/ttf",
  otf: "font/otf",
} as const satisfies Record<string, string>;

/** An asset's type. */
export type AssetType = (typeof ASSET_TYPES)[keyof typeof ASSET_TYPES];

/**
 * The type an asset name promises by its extension, or null when the name is not an accepted asset name (a project
 * file name, see core/project.ts isValidFileName, ending in one of {@link ASSET_TYPES}' extensions).
 * @example assetTypeOfName("img/logo.png") // "image/png"; assetTypeOfName("../logo.png") // null
 */
export function assetTypeOfName(name: string): AssetType | null {
  if (!isValidFileName(name)) return null;
  const dot = name.lastIndexOf(".");
  if (dot < 0) return null;
  const extension = name.slice(dot + 1).toLowerCase();
  return Object.hasOwn(ASSET_TYPES, extension) ? ASSET_TYPES[extension as keyof typeof ASSET_TYPES] : null;
}

/** True when `hash` is a lowercase hex SHA-256. */
export function isAssetHash(hash: string): boolean {
  return /^[0-9a-f]{64}$/.test(hash);
}

/** The assets map of a doc. */
export function assetsOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(ASSETS_KEY);
}

/**
 * The room's assets as a plain object sorted by name; entries that are not well-formed are left out.
 * @example readAssets(doc) // { "logo.png": { hash: "9f86…", type: "image/png", size: 2048 } }
 */
export function readAssets(doc: Y.Doc): Record<string, AssetEntry> {
  const out: Record<string, AssetEntry> = {};
  const map = assetsOf(doc);
  for (const name of [...map.keys()].sort()) {
    const entry = assetEntryOf(map.get(name));
    if (entry) out[name] = entry;
  }
  return out;
}

/** One asset of the room, or null. */
export function readAsset(doc: Y.Doc, name: string): AssetEntry | null {
  return assetEntryOf(assetsOf(doc).get(name));
}

/**
 * Record (or replace) an asset in one transaction.
 * @example setAsset(doc, "logo.png", { hash, type: "image/png", size: 2048 }, "http")
 */
export function setAsset(doc: Y.Doc, name: string, entry: AssetEntry, origin: unknown = null): void {
  doc.transact(() => assetsOf(doc).set(name, { hash: entry.hash, type: entry.type, size: entry.size }), origin);
}

/** Remove an asset from the room; true when there was one. */
export function removeAsset(doc: Y.Doc, name: string, origin: unknown = null): boolean {
  const map = assetsOf(doc);
  if (!map.has(name)) return false;
  doc.transact(() => map.delete(name), origin);
  return true;
}

/** Bytes the room's assets take, not counting `except` (the name an upload replaces). */
export function assetBytes(doc: Y.Doc, except?: string): number {
  let total = 0;
  for (const [name, entry] of Object.entries(readAssets(doc))) if (name !== except) total += entry.size;
  return total;
}

/**
 * The path of an asset's hashed URL under `<server>/live/<room>/`: immutable, since a new upload under the name has a new hash.
 * @example assetRoute("img/logo.png", "9f86…") // "assets/img/logo.png?v=9f86…"
 */
export function assetRoute(name: string, hash?: string): string {
  const path = `assets/${name.split("/").map(encodeURIComponent).join("/")}`;
  return hash ? `${path}?v=${hash}` : path;
}

function assetEntryOf(value: unknown): AssetEntry | null {
  if (typeof value !== "object" || value === null) return null;
  const { hash, type, size } = value as Record<string, unknown>;
  if (typeof hash !== "string" || typeof type !== "string" || typeof size !== "number") return null;
  return { hash, type, size };
}

/**
 * The room's assets as project modules for a build: `{name: url}` where `url` is the asset's absolute hashed URL under
 * `roomBase` (`<server>/live/<room>/`). A build gives each the module of a text file, whose default export is its text
 * (core/build/file-kinds.ts), so `import logo from "./logo.png"` is the URL string, in `<spike-preview>` and in
 * `/live/<room>/index.js` alike. Merge project files over it: a file of the same name wins.
 * @example builder.update({ ...assetModules(doc, roomUrl(server, room, "")), ...readFiles(doc) })
 */
export function assetModules(doc: Y.Doc, roomBase: string): Record<string, string> {
  return assetModulesOf(readAssets(doc), roomBase);
}

/** {@link assetModules} from a list of assets (`GET /live/<room>/assets`), for the server's bundle. */
export function assetModulesOf(assets: Record<string, Pick<AssetEntry, "hash">>, roomBase: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, { hash }] of Object.entries(assets)) out[name] = new URL(assetRoute(name, hash), roomBase).toString();
  return out;
}
