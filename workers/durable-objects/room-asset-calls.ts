/**
 * The room's asset calls for one caller (CodeRoom's `putAsset`, `assets`, `asset`, `deleteAsset` delegate here): the same
 * rules as the file calls (room-calls.ts): a room nobody wrote to is a 404 for reads and deletes, reads need the right to
 * open the room, uploads and deletes the right to edit it, and an upload may create the room under its creation limit.
 * What each call does is room-assets.ts.
 */
import type { AssetDeleted, AssetList, AssetStored } from "../../core/api.js";
import type { Identity } from "../platform/auth.js";
import type { Config } from "../platform/config.js";
import type { Parsed, RoomCaller, RoomRefusal, RoomResult } from "./room-api.js";
import { httpDenial } from "./room-access.js";
import {
  deleteRoomAsset,
  listRoomAssets,
  readRoomAsset,
  storeRoomAsset,
  type AssetSource,
  type AssetUpload,
  type AssetsRoom,
} from "./room-assets.js";
import type { RoomDocument } from "./room-document.js";
import type { RoomPermissions } from "./room-permissions.js";
import type { RoomStorage } from "./room-storage.js";
import { missingRoom, runRoomCall } from "./room-call.js";

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

  read(caller: RoomCaller, name: string, hash: string | null): Promise<RoomResult<AssetSource>> {
    return this.#run(caller, () => this.#readDenial(caller) ?? readRoomAsset(this.#room(caller), name, hash));
  }

  delete(caller: RoomCaller, name: string): Promise<RoomResult<AssetDeleted>> {
    return this.#run(caller, () => this.#missing() ?? this.#denial(caller.identity, "edit") ?? deleteRoomAsset(this.#room(caller), name));
  }

  #run<T>(caller: RoomCaller, work: () => RoomResult<T> | Promise<RoomResult<T>>): Promise<RoomResult<T>> {
    return runRoomCall(this.#host, caller, work);
  }

  #missing(): RoomRefusal | null {
    return missingRoom(this.#host.storage);
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
