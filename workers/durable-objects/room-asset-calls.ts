/**
 * The room's asset calls for one caller (CodeRoom's `putAsset`, `assets`, `asset`, `deleteAsset` delegate here): the same
 * rules as the file calls (room-calls.ts): a room nobody wrote to is a 404 for reads and deletes, reads need the right to
 * open the room, uploads and deletes the right to edit it, and an upload may create the room under its creation limit.
 * What each call does is room-assets.ts.
 */
import type { AssetDeleted, AssetInfo, AssetList, AssetStored } from "../../core/api.js";
import type { Identity } from "../platform/auth.js";
import type { Config } from "../platform/config.js";
import { refuse, type Parsed, type RoomCaller, type RoomRefusal, type RoomResult } from "./room-api.js";
import { httpDenial } from "./room-access.js";
import { deleteRoomAsset, listRoomAssets, readRoomAsset, storeRoomAsset, type AssetUpload, type AssetsRoom } from "./room-assets.js";
import { StorageError, type RoomDocument } from "./room-document.js";
import type { RoomPermissions } from "./room-permissions.js";
import type { RoomStorage } from "./room-storage.js";

/** What the asset calls need from their room. */
export interface RoomAssetCallsHost {
  storage: RoomStorage;
  document: RoomDocument;
  permissions: RoomPermissions;
  config: Config;
  bucket: R2Bucket;
  /** The room-creation limit, for an upload that may create the room: null when allowed, else the 429. */
  admitCreation(caller: RoomCaller): Promise<RoomRefusal | null>;
}

/**
 * The asset calls, each for one caller.
 * @example const list = await calls.list({ room: "demo", identity: null, ip: "203.0.113.7" });
 */
export class RoomAssetCalls {
  #host: RoomAssetCallsHost;

  constructor(host: RoomAssetCallsHost) {
    this.#host = host;
  }

  store(caller: RoomCaller, name: string, upload: Parsed<AssetUpload>): Promise<RoomResult<AssetStored>> {
    return this.#run(caller, () => storeRoomAsset(this.#room(caller), name, upload));
  }

  list(caller: RoomCaller): Promise<RoomResult<AssetList>> {
    return this.#run(caller, () => this.#readDenial(caller) ?? listRoomAssets(this.#room(caller)));
  }

  read(caller: RoomCaller, name: string): Promise<RoomResult<AssetInfo>> {
    return this.#run(caller, () => this.#readDenial(caller) ?? readRoomAsset(this.#room(caller), name));
  }

  delete(caller: RoomCaller, name: string): Promise<RoomResult<AssetDeleted>> {
    return this.#run(caller, () => this.#missing() ?? this.#denial(caller.identity, "edit") ?? deleteRoomAsset(this.#room(caller), name));
  }

  /** Run one call for `caller`'s room: the room learns its name; a change it could not store is a retryable 503. */
  async #run<T>(caller: RoomCaller, work: () => RoomResult<T> | Promise<RoomResult<T>>): Promise<RoomResult<T>> {
    this.#host.storage.roomName = caller.room;
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      return refuse(503, error.message);
    }
  }

  #missing(): RoomRefusal | null {
    if (this.#host.storage.exists) return null;
    return refuse(404, `no room "${this.#host.storage.roomName ?? ""}": nothing was ever written to it`);
  }

  #readDenial(caller: RoomCaller): RoomRefusal | null {
    return this.#missing() ?? this.#denial(caller.identity, "read");
  }

  #denial(identity: Identity | null, need: "read" | "edit"): RoomRefusal | null {
    return httpDenial(this.#host.permissions.roleOf(identity?.userId ?? null), need, identity);
  }

  #room(caller: RoomCaller): AssetsRoom {
    const { document, storage, config, bucket } = this.#host;
    return {
      doc: () => document.doc(),
      room: () => storage.roomName,
      bucket,
      quotaBytes: config.room.assets.quotaBytes,
      fits: (growth) => document.fits(growth),
      // The creation limit, then the permissions again: they may have changed during that await.
      admit: async () => this.#denial(caller.identity, "edit") ?? (await this.#host.admitCreation(caller)) ?? this.#denial(caller.identity, "edit"),
      editDenial: () => this.#denial(caller.identity, "edit"),
      created: (write) => document.created(caller.identity?.userId ?? null, write),
    };
  }
}
