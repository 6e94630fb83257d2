/**
 * Raw end-to-end encrypted clients for the workerd tests of encrypted rooms (workers/durable-objects/sealed-*.test.ts):
 * a socket that asks for e2e (`e2e=1`), seals with core/room-crypto.ts, and reads the room's Sealed frames as they come.
 */
import { execFileSync } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { MessageType, decodeMessage, type SealedKind, type SealedMessage } from "../core/protocol.js";
import { openRawSocket, type RawSocket } from "./raw.js";
import { waitUntil } from "./wait.js";
import type { TestWorker } from "../workers/test-support.js";

const opened = new Set<RawSocket>();

/** Open a raw e2e socket to `room` (terminated by {@link closeSealed}). */
export async function openSealed(worker: TestWorker, room: string, { e2e = true }: { e2e?: boolean } = {}): Promise<RawSocket> {
  const socket = await openRawSocket(worker, `/live/${room}/ws${e2e ? "?e2e=1" : ""}`);
  opened.add(socket);
  return socket;
}

/** Terminate every socket {@link openSealed} opened (in `afterEach`). */
export function closeSealed(): void {
  for (const socket of opened) socket.ws.terminate();
  opened.clear();
}

/** Every frame `socket` received that decodes, in order. */
export function messagesOf(socket: RawSocket): ReturnType<typeof decodeMessage>[] {
  return socket.frames.flatMap((frame) => {
    try {
      return [decodeMessage(frame)];
    } catch {
      return [];
    }
  });
}

/** The Sealed messages of kind `kind` that `socket` received, in order. */
export function sealedOf<K extends SealedKind>(socket: RawSocket, kind: K): Extract<SealedMessage, { kind: K }>[] {
  return messagesOf(socket).filter(
    (m): m is Extract<SealedMessage, { kind: K }> => m.type === MessageType.Sealed && m.kind === kind,
  );
}

/** Wait until `socket` received at least `count` Sealed messages of kind `kind`; returns them all. */
export async function waitSealed<K extends SealedKind>(socket: RawSocket, kind: K, count = 1): Promise<Extract<SealedMessage, { kind: K }>[]> {
  await waitUntil(() => sealedOf(socket, kind).length >= count, { what: `${count} sealed message(s) of kind ${kind}` });
  return sealedOf(socket, kind);
}

/** The kinds of the Sealed messages `socket` received, in order (for ordering checks). */
export function sealedKinds(socket: RawSocket): number[] {
  return messagesOf(socket).flatMap((m) => (m.type === MessageType.Sealed ? [m.kind] : []));
}

/** The SQLite file of `room`'s Durable Object under a persisted state directory (found by its `meta` room name). */
export async function roomDatabase(dir: string, room: string): Promise<string> {
  execFileSync("sqlite3", ["-version"], { stdio: "ignore" }); // a clear failure when the CLI is missing
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".sqlite") && f.includes("CodeRoom"));
  for (const file of files) {
    const path = join(dir, file);
    const tables = sqlite(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
    if (tables && sqlite(path, "SELECT value FROM meta WHERE key = 'room'") === room) return path;
  }
  throw new Error(`no database of room "${room}" under ${dir}`);
}

/** One query on a room's database, read only, through the sqlite3 CLI. */
export function sqlite(path: string, query: string): string {
  return execFileSync("sqlite3", ["-readonly", path, query], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
}
