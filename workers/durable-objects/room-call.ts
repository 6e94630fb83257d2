/**
 * The frame every typed room call runs in (room-calls.ts, room-asset-calls.ts, room-version-calls.ts, room-console.ts,
 * room-agents.ts, room-agent-tokens.ts): the room learns its name, is restored from its backup when its storage is empty,
 * and a change it could not store is a retryable 503 rather than a thrown error. A room nobody ever wrote to is a 404
 * that stores nothing.
 */
import { refuse, type RoomCaller, type RoomRefusal, type RoomResult } from "./room-api.js";
import { StorageError } from "./room-document.js";
import type { RoomStorage } from "./room-storage.js";

/** What a call's frame needs from its room. */
export interface CallRoom {
  storage: Pick<RoomStorage, "exists" | "roomName">;
  /** Resolves once the room may be used: restored from its R2 backup first when its storage is empty (room-backups.ts). */
  ready?(room: string): Promise<void>;
}

/**
 * Run one call for `caller`'s room.
 * @example return runRoomCall(this.#host, caller, () => this.#readDenial(caller) ?? readSession(files));
 */
export async function runRoomCall<T>(room: CallRoom, caller: RoomCaller, work: () => RoomResult<T> | Promise<RoomResult<T>>): Promise<RoomResult<T>> {
  room.storage.roomName = caller.room;
  try {
    await room.ready?.(caller.room);
    return await work();
  } catch (error) {
    if (!(error instanceof StorageError)) throw error;
    return refuse(503, error.message);
  }
}

/**
 * The 404 of a room nobody ever wrote to (reading it stores nothing), or null when the room exists.
 * @example return missingRoom(this.#host.storage) ?? this.#denial(caller.identity, "read");
 */
export function missingRoom(storage: Pick<RoomStorage, "exists" | "roomName">): RoomRefusal | null {
  if (storage.exists) return null;
  return refuse(404, `no room "${storage.roomName ?? ""}": nothing was ever written to it`);
}
