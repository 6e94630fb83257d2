/**
 * What the lite view shows before the live part loads: the element's inline source for its file (or, in a named local
 * project, any member's), or a room file's current text over plain HTTP (`GET /live/<room>/files/<name>`: no socket).
 */
import { projectMembers, readInlineSources } from "./inline-files.js";

/**
 * core's DEFAULT_ENTRY (core/project.ts), repeated because the shell imports nothing from core: a module of core's in
 * spike.js would become a chunk shared with core.js (elements/internal/lite-source.test.ts checks they agree).
 */
export const DEFAULT_ENTRY = "index.tsx";

/** Room ids and file names the server accepts (core/protocol.ts isValidRoomId, core/project.ts isValidFileName, loosely). */
const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;
const FILE_NAME = /^[A-Za-z0-9._/-]{1,128}$/;

/**
 * The inline text of `file` for `host`: its own sources, or its named local project's; null when there is none.
 * @example liteSource(editor, "index.tsx") // "export default …" or null
 */
export function liteSource(host: HTMLElement & { project?: string | undefined; room?: string | undefined }, file: string): string | null {
  const members = host.project && !host.room ? projectMembers(host, host.project) : [host];
  const files: Record<string, string> = Object.assign({}, ...members.map((member) => readInlineSources(member)));
  return files[file] ?? null;
}

/** True when `room` and `file` are names the server would accept (anything else is not worth a request). */
export function isValidRoomFile(room: string, file: string): boolean {
  return ROOM_ID.test(room) && FILE_NAME.test(file) && !file.split("/").includes("..");
}

/**
 * The current text of a room's file, or null if the server does not give it (private room, no such file, unreachable).
 * With `version`, the text of that saved version. Read from the room's session.json, which answers 200 for a room or file that does not exist yet (a 404 would be an
 * error in the page's console).
 * @example await fetchRoomFile("https://spike.example", "demo", "index.tsx")
 */
export async function fetchRoomFile(server: string, room: string, file: string, version?: number): Promise<string | null> {
  // A saved version (`version="<n>"`): its pinned, immutable session.json.
  const path = version === undefined ? `/live/${room}/session.json` : `/live/${room}/v/${version}/session.json`;
  try {
    const response = await fetch(new URL(path, server), { credentials: "omit" });
    const files = response.ok ? ((await response.json()) as { files?: Record<string, unknown> }).files : undefined;
    const text = files?.[file];
    return typeof text === "string" ? text : null;
  } catch {
    return null;
  }
}
