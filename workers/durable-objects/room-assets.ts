/**
 * A room's assets (README "Assets"): the bytes go to R2 under `assets/<sha256>`, the name -> {hash, type, size} entry goes
 * on the room's Y.Doc through the editors' write path, so every client sees an upload live. The Worker has already checked
 * the name, the size and the type sniffed from the bytes (workers/main/asset-routes.ts storeAsset); the room decides who
 * may, the quota, and stores nothing when it refuses. Bytes stay in R2 when a name is deleted or replaced: other rooms
 * (and saved versions) may hold the same hash.
 */
import * as Y from "yjs";
import { assetBytes, assetRoute, readAsset, readAssets, removeAsset, setAsset, type AssetEntry } from "../../core/assets.js";
import type { AssetDeleted, AssetInfo, AssetList, AssetStored } from "../../core/api.js";
import { done, refuse, type Parsed, type RoomRefusal, type RoomResult } from "./room-api.js";

/** An upload as the Worker checked it: the bytes and the type sniffed from them. */
export interface AssetUpload {
  bytes: Uint8Array;
  type: string;
}

/** What the asset calls need from their room, for one caller. */
export interface AssetsRoom {
  doc(): Y.Doc;
  /** The room's name. */
  room(): string | null;
  /** R2 `ROOMS`, where bytes are stored by hash. */
  bucket: R2Bucket;
  /** ROOM_ASSETS_QUOTA_BYTES. */
  quotaBytes: number;
  /** True when the document may grow by `growth` bytes within its limit. */
  fits(growth: number): boolean;
  /** The checks an upload makes before it stores anything (creation limit, permission to edit): a refusal, or null. */
  admit(): Promise<RoomRefusal | null>;
  /** The permission to edit, checked again with no await before the write. */
  editDenial(): RoomRefusal | null;
  /** Run a write; returns the claim token when it created the room. */
  created(write: () => void): string | null;
}

/** The R2 key of an asset's bytes (contract: `assets/<sha256>`). */
export function assetKey(hash: string): string {
  return `assets/${hash}`;
}

/**
 * Bytes of uploads between their quota check and their write, per room object: two uploads at once cannot both pass a
 * quota that has room for one of them.
 */
const pending = new WeakMap<object, number>();

/**
 * `PUT /live/<room>/assets/<name>`: store the bytes in R2 by hash (once; the same bytes uploaded twice are one object) and
 * record the name on the doc. Refused before anything is stored: no permission, over the quota, a document at its limit.
 * @example const stored = await storeRoomAsset(room, "logo.png", { ok: true, value: { bytes, type: "image/png" } });
 */
export async function storeRoomAsset(room: AssetsRoom, name: string, upload: Parsed<AssetUpload>): Promise<RoomResult<AssetStored>> {
  if (!upload.ok) return upload;
  const { bytes, type } = upload.value;
  const refused = await room.admit();
  if (refused) return refused;
  const doc = room.doc();
  const reserved = pending.get(doc) ?? 0;
  const used = assetBytes(doc, name) + reserved;
  if (used + bytes.byteLength > room.quotaBytes) {
    return refuse(413, `room assets would take ${used + bytes.byteLength} bytes, over this room's quota of ${room.quotaBytes} bytes; delete an asset first`);
  }
  if (!room.fits(name.length + 160)) return refuse(413, "the room's document is at its size limit");
  pending.set(doc, reserved + bytes.byteLength);
  let hash: string;
  try {
    hash = await sha256Hex(bytes);
    const key = assetKey(hash);
    if ((await room.bucket.head(key)) === null) {
      await room.bucket.put(key, bytes, { httpMetadata: { contentType: type }, sha256: hash });
    }
  } finally {
    pending.set(doc, (pending.get(doc) ?? bytes.byteLength) - bytes.byteLength);
  }
  // The permissions may have changed during the awaits above; from here to the write there is none.
  const late = room.editDenial();
  if (late) return late;
  const entry: AssetEntry = { hash, type, size: bytes.byteLength };
  const claimToken = room.created(() => setAsset(room.doc(), name, entry, "http"));
  return done({ room: room.room(), ...infoOf(name, entry), ...(claimToken ? { claimToken } : {}) });
}

/** `GET /live/<room>/assets`: every asset, sorted by name. */
export function listRoomAssets(room: AssetsRoom): RoomResult<AssetList> {
  const assets = Object.entries(readAssets(room.doc())).map(([name, entry]) => infoOf(name, entry));
  return done({ assets, totalBytes: assets.reduce((sum, asset) => sum + asset.size, 0), quotaBytes: room.quotaBytes });
}

/** `GET /live/<room>/assets/<name>`: the entry the Worker serves the bytes of; 404 when the room has no such asset. */
export function readRoomAsset(room: AssetsRoom, name: string): RoomResult<AssetInfo> {
  const entry = readAsset(room.doc(), name);
  return entry ? done(infoOf(name, entry)) : refuse(404, `no asset "${name}" in this room`);
}

/** `DELETE /live/<room>/assets/<name>`: the name leaves the room (every client sees it go); 404 when there is none. */
export function deleteRoomAsset(room: AssetsRoom, name: string): RoomResult<AssetDeleted> {
  if (!removeAsset(room.doc(), name, "http")) return refuse(404, `no asset "${name}" in this room`);
  return done({ deleted: name });
}

function infoOf(name: string, { hash, type, size }: AssetEntry): AssetInfo {
  return { name, hash, type, size, url: assetRoute(name, hash) };
}

/** The SHA-256 of `bytes`, lowercase hex. */
async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
