/**
 * The room's headless file API (`session.json`, reading and writing one file over HTTP) on the same Y.Doc and write path
 * the editors use, so collaborators see an HTTP write live. See docs/PROTOCOL.md "HTTP routes on a room".
 */
import * as Y from "yjs";
import { entryOf, readFiles, writeFile } from "../../core/project.js";
import { done, refuse } from "./room-api.js";
import type { FileBody, FileText, FileWritten, Parsed, RoomRefusal, RoomResult, RoomSession } from "./room-api.js";
import type { StoredState } from "./room-storage.js";

/** What the file calls need from their room, for one caller. */
export interface FilesRoom {
  /** The room's current document. */
  doc(): Y.Doc;
  /** The room's name, version and last write. */
  state(): StoredState & { room: string | null };
  /** The stored document's limit, in bytes, for the error text. */
  readonly maxDocumentBytes: number;
  /** True when the document may grow by `growth` bytes within its limit. */
  fits(growth: number): boolean;
  /** The checks a write makes before it is applied (creation limit, permissions): a refusal, or null. */
  admit(): Promise<RoomRefusal | null>;
  /** Run a write; returns the claim token when it created the room. */
  created(write: () => void): string | null;
}

/** `GET /live/<room>/session.json`: every file, the entry, the version. */
export function readSession(room: FilesRoom): RoomResult<RoomSession> {
  const doc = room.doc();
  const { room: name, version, updatedAt } = room.state();
  return done({ room: name, files: readFiles(doc), entry: entryOf(doc), version, updatedAt });
}

/** A file's text (`files/<name>`, and the entry as `index.tsx`); 404 when the project has no such file. */
export function readFileText(room: FilesRoom, name: string): RoomResult<FileText> {
  const text = room.doc().getMap<unknown>("files").get(name);
  if (!(text instanceof Y.Text)) return refuse(404, `no file "${name}" in this room`);
  return done({ name, text: text.toString() });
}

/**
 * `PUT /live/<room>/files/<name>`: replace a file's text through the editors' write path (only the changed span is
 * rewritten). A write that does not grow the file always passes, so a room at its size limit can shrink. The body's size
 * limit is the Worker's (hono's bodyLimit, at the frame limit).
 */
export async function writeFileText(room: FilesRoom, name: string, body: Parsed<FileBody>): Promise<RoomResult<FileWritten>> {
  if (!body.ok) return body;
  const { text, bytes } = body.value;
  const refused = await room.admit();
  if (refused) return refused;
  // No await from here to the write: what admit() checked still holds.
  const doc = room.doc();
  const existing = doc.getMap<unknown>("files").get(name);
  const growth = bytes - (existing instanceof Y.Text ? existing.length : 0);
  if (growth > 0 && !room.fits(growth + 64)) return refuse(413, `document would exceed ${room.maxDocumentBytes} bytes`);
  const claimToken = room.created(() => writeFile(doc, name, text, "http"));
  const { room: roomName, version, updatedAt } = room.state();
  return done({ room: roomName, file: name, bytes, version, updatedAt, ...(claimToken ? { claimToken } : {}) });
}

const CONTENT_TYPES: Record<string, string> = {
  ts: "text/typescript",
  tsx: "text/tsx",
  js: "text/javascript",
  jsx: "text/jsx",
  mjs: "text/javascript",
  css: "text/css",
  json: "application/json",
  md: "text/markdown",
};

/**
 * The content type of a project file by extension, as the Worker serves it; plain text otherwise.
 * @example contentTypeOf("styles.css") // "text/css"
 */
export function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "text/plain";
}
