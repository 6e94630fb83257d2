/**
 * The room's headless file API (`session.json`, reading and writing one file over HTTP) on the same Y.Doc and write path
 * the editors use, so collaborators see an HTTP write live. See docs/PROTOCOL.md "HTTP routes on a room".
 */
import * as Y from "yjs";
import type { FileWritten, RoomSession } from "../../core/api.js";
import { entryOf, readFiles, writeFile } from "../../core/project.js";
import type { StoredState } from "./room-storage.js";

/** What the file routes need from their room. */
export interface FilesRoom {
  /** The room's current document. */
  doc(): Y.Doc;
  /** The room's name, version and last write. */
  state(): StoredState & { room: string | null };
  /** The largest file a write may send, in bytes (the frame limit). */
  readonly maxFileBytes: number;
  /** The stored document's limit, in bytes, for the error text. */
  readonly maxDocumentBytes: number;
  /** True when the document may grow by `growth` bytes within its limit. */
  fits(growth: number): boolean;
  /** The checks a write makes once its body has arrived (creation limit, permissions again): a refusal, or null. */
  admit(): Promise<Response | null>;
  /** Run a write; returns the claim token when it created the room. */
  created(write: () => void): string | null;
}

/** `GET /session.json`: every file, the entry, the version. */
export function sessionResponse(room: FilesRoom): Response {
  const doc = room.doc();
  const { room: name, version, updatedAt } = room.state();
  return Response.json({ room: name, files: readFiles(doc), entry: entryOf(doc), version, updatedAt } satisfies RoomSession);
}

/** `GET /files/<name>` (and the entry file): the text, typed by extension; 404 when the project has no such file. */
export function readFileResponse(room: FilesRoom, name: string): Response {
  const text = room.doc().getMap<unknown>("files").get(name);
  if (!(text instanceof Y.Text)) return jsonError(404, `no file "${name}" in this room`);
  return new Response(text.toString(), {
    headers: { "content-type": `${contentTypeOf(name)}; charset=utf-8`, "x-content-type-options": "nosniff" },
  });
}

/**
 * `PUT /files/<name>`: replace a file's text through the editors' write path (only the changed span is rewritten). A write
 * that does not grow the file always passes, so a room at its size limit can shrink.
 */
export async function writeFileResponse(room: FilesRoom, name: string, request: Request): Promise<Response> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > room.maxFileBytes) return jsonError(413, `file larger than ${room.maxFileBytes} bytes`);
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.byteLength > room.maxFileBytes) return jsonError(413, `file larger than ${room.maxFileBytes} bytes`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    return jsonError(415, "file content must be UTF-8 text");
  }
  const refused = await room.admit();
  if (refused) return refused;
  // No await from here to the write: what admit() checked still holds.
  const doc = room.doc();
  const existing = doc.getMap<unknown>("files").get(name);
  const growth = body.byteLength - (existing instanceof Y.Text ? existing.length : 0);
  if (growth > 0 && !room.fits(growth + 64)) return jsonError(413, `document would exceed ${room.maxDocumentBytes} bytes`);
  const claimToken = room.created(() => writeFile(doc, name, text, "http"));
  const { room: roomName, version, updatedAt } = room.state();
  const written: FileWritten = { room: roomName, file: name, bytes: body.byteLength, version, updatedAt, ...(claimToken ? { claimToken } : {}) };
  return Response.json(written);
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
 * The content type of a project file by extension; plain text otherwise.
 * @example contentTypeOf("styles.css") // "text/css"
 */
export function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "text/plain";
}

function jsonError(status: number, error: string): Response {
  return Response.json({ error }, { status });
}
