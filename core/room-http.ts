/**
 * RoomHttp: one room's HTTP API (core/api.ts) as typed calls: its files, its permissions, its chat, and transcription.
 * Each call carries the client's current token as `Authorization: Bearer` and either resolves with the answer's type or
 * rejects with an {@link ApiError}. RoomClient composes one (`client.http`); a script without a socket makes its own.
 */
import type { ChatMessage } from "./chat.js";
import {
  ApiError,
  apiUrl,
  objectOf,
  roomRoutes,
  roomUrl,
  type AssetDeleted,
  type AssetList,
  type AssetStored,
  type ChatAccepted,
  type ChatCancelled,
  type ChatCleared,
  type ChatList,
  type ChatQuestion,
  type ChatUndone,
  type ConsoleAppended,
  type ConsoleCleared,
  type ConsoleEntry,
  type ConsoleLog,
  type FileWritten,
  type ForkCreated,
  type HttpResponseLike,
  type PermissionsAnswer,
  type PermissionsRequest,
  type RoomSession,
  type Transcript,
} from "./api.js";
import { GENERATE_IMAGE_ROUTE, type GenerateImageRequest, type ImageGenerated } from "./api.js";
import { assetRoute } from "./assets.js";
import { isValidRoomId } from "./room-limits.js";

/** A recording or any other body with a content type: the browser's Blob, node's Blob. */
export interface BlobLike {
  readonly type: string;
  readonly size: number;
}

/** What a call hands to fetch. */
export interface HttpRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string | BlobLike;
}

/** The subset of fetch RoomHttp needs; the browser's, node's and workerd's all fit. */
export type FetchLike = (url: string, init: HttpRequestInit) => Promise<HttpResponseLike>;

export interface RoomHttpOptions {
  /** Base URL of the spike server (http(s) or ws(s)). */
  server: string;
  /** Room id, 1-64 chars of `[A-Za-z0-9_-]`. */
  room: string;
  /** The current session token, or null when anonymous; asked before every call. None: anonymous. */
  token?: () => Promise<string | null>;
  /** fetch implementation; `globalThis.fetch` by default. */
  fetch?: FetchLike;
}

/**
 * @example
 * const http = new RoomHttp({ server: "http://localhost:8787", room: "demo", token: () => session.getToken() });
 * await http.writeFile("App.tsx", "export default () => <h1>Hi</h1>;\n");
 * const { assistantMessageId } = await http.sendChat({ text: "Make it blue", model: "gpt-4o-mini", author: "Ada" });
 */
export class RoomHttp {
  readonly server: string;
  readonly room: string;
  #token: () => Promise<string | null>;
  #fetch: FetchLike;

  constructor(options: RoomHttpOptions) {
    if (!isValidRoomId(options.room)) throw new TypeError(`invalid room id "${options.room}": use 1-64 of [A-Za-z0-9_-]`);
    this.server = options.server;
    this.room = options.room;
    this.#token = options.token ?? (async () => null);
    // Looked up per call, so a client made where there is no fetch still syncs; and called as a plain function, since a
    // browser's fetch refuses to run as a method of another object.
    const given = options.fetch;
    this.#fetch = (url, init) => {
      const fetch = given ?? (globalThis as unknown as { fetch?: FetchLike }).fetch;
      if (!fetch) return Promise.reject(new TypeError("no fetch implementation: pass options.fetch"));
      return fetch(url, init);
    };
  }

  /** Every file of the project, its entry and its version. */
  session(): Promise<RoomSession> {
    return this.#json("GET", roomRoutes.session);
  }

  /** The text of one file; rejects with a 404 ApiError when the project has no such file. */
  async readFile(name: string): Promise<string> {
    return (await this.#call("GET", roomUrl(this.server, this.room, roomRoutes.file(name)))).text();
  }

  /**
   * Replace a file's text, as an editor would (collaborators see only the changed span move).
   * @example const { version, claimToken } = await http.writeFile("index.tsx", text);
   */
  writeFile(name: string, text: string): Promise<FileWritten> {
    return this.#json("PUT", roomRoutes.file(name), { body: text, type: "text/plain; charset=utf-8" });
  }

  /** Who may open and edit the room: the owner only once it is claimed (401/403 ApiErrors with a `denial` otherwise). */
  permissions(): Promise<PermissionsAnswer> {
    return this.#json("GET", roomRoutes.permissions);
  }

  /**
   * Change who may open and edit the room; claims a room nobody owns when the caller may (docs/PROTOCOL.md "Claiming a room").
   * @example await http.setPermissions({ visibility: "private", members: ["user_b"], claimToken: client.claimToken ?? undefined });
   */
  setPermissions(request: PermissionsRequest): Promise<PermissionsAnswer> {
    return this.#json("PUT", roomRoutes.permissions, { body: JSON.stringify(request), type: "application/json" });
  }

  /** The room's chat, oldest first, as the room reads it. */
  async chat(): Promise<ChatMessage[]> {
    return (await this.#json<ChatList>("GET", roomRoutes.chat)).messages;
  }

  /**
   * Ask the room's assistant. Resolves once the room accepted the question (202); the reply streams into the room's doc.
   * @example await http.sendChat({ text: "Add a button", model: "claude-haiku-4-5", author: "Ada" });
   */
  sendChat(question: ChatQuestion): Promise<ChatAccepted> {
    return this.#json("POST", roomRoutes.chat, { body: JSON.stringify(question), type: "application/json" });
  }

  /** Stop a reply that is streaming. */
  cancelChat(id: string): Promise<ChatCancelled> {
    return this.#json("POST", roomRoutes.chatAction(id, "cancel"));
  }

  /** Set back the files a reply edited, except those changed since. */
  undoChat(id: string): Promise<ChatUndone> {
    return this.#json("POST", roomRoutes.chatAction(id, "undo"));
  }

  /** Delete the whole chat (the room's owner; anyone who may edit a room nobody owns). Resolves with the count deleted. */
  async clearChat(): Promise<number> {
    return (await this.#json<ChatCleared>("DELETE", roomRoutes.chat)).cleared;
  }

  /**
   * A new room of the caller's own made from this one (its files now, or saved version `version`): owned and private when
   * signed in; public, with an unguessable id and a `claimToken`, when anonymous.
   * @example const { room } = await http.fork(); // then open `room`
   */
  fork(version?: number): Promise<ForkCreated> {
    return this.#json("POST", roomRoutes.fork, { body: JSON.stringify(version === undefined ? {} : { version }), type: "application/json" });
  }

  /**
   * The text spoken in a recording, by the server's `POST /api/transcribe`; the recording's type is its content type.
   * @example const text = await http.transcribe(new Blob(chunks, { type: "audio/webm" }));
   */
  async transcribe(audio: BlobLike): Promise<string> {
    const response = await this.#call("POST", apiUrl(this.server, "transcribe"), { body: audio, type: audio.type });
    return (await this.#read<Transcript>(response)).text;
  }

  /**
   * Generate an image from a prompt on the server (Replicate) and store it as a room asset; resolves once it is stored,
   * which takes seconds. The answer's `url` (`assets/<name>?v=<hash>`) is relative to `<server>/live/<room>/`.
   * @example const { name, url } = await http.generateImage({ prompt: "a red fox, flat colours" });
   */
  generateImage(request: GenerateImageRequest): Promise<ImageGenerated> {
    return this.#json("POST", GENERATE_IMAGE_ROUTE, { body: JSON.stringify(request), type: "application/json" });
  }

  // ---- assets (README "Assets") ----

  /** The room's images and fonts, and the bytes they take against its quota. */
  assets(): Promise<AssetList> {
    return this.#json("GET", "assets");
  }

  /**
   * Upload an image or font as the asset `name` (its type is read from the bytes; the name's extension must match).
   * @example const { url } = await http.uploadAsset("logo.png", file); // url: "assets/logo.png?v=<sha256>"
   */
  uploadAsset(name: string, bytes: BlobLike): Promise<AssetStored> {
    return this.#json("PUT", assetRoute(name), { body: bytes, type: bytes.type || "application/octet-stream" });
  }

  /** Remove the asset `name` from the room. */
  deleteAsset(name: string): Promise<AssetDeleted> {
    return this.#json("DELETE", assetRoute(name));
  }

  // ---- the preview console (README "Preview console") ----

  /**
   * Report console entries of the room's preview (1-100 a call); the room stamps their time and keeps the newest 200.
   * @example await http.appendConsole([{ level: "error", text: "TypeError: x is undefined" }]);
   */
  appendConsole(entries: ReadonlyArray<Pick<ConsoleEntry, "level" | "text"> & { time?: number }>): Promise<ConsoleAppended> {
    return this.#json("POST", "console", { body: JSON.stringify({ entries }), type: "application/json" });
  }

  /**
   * The preview console's entries newer than `since` (the room's time of an entry read before), oldest first.
   * @example const { entries } = await http.consoleLog(); const later = await http.consoleLog(entries.at(-1)?.time ?? 0);
   */
  async consoleLog(since = 0): Promise<ConsoleLog> {
    const url = `${roomUrl(this.server, this.room, "console")}?since=${encodeURIComponent(String(since))}`;
    return this.#read<ConsoleLog>(await this.#call("GET", url));
  }

  /** Forget the preview console (editors); resolves with the count forgotten. */
  async clearConsole(): Promise<number> {
    return (await this.#json<ConsoleCleared>("DELETE", "console")).cleared;
  }

  async #json<T>(method: string, route: string, body?: { body: string | BlobLike; type: string }): Promise<T> {
    return this.#read<T>(await this.#call(method, roomUrl(this.server, this.room, route), body));
  }

  /** Send one request with the current token; a refusal rejects with its ApiError. */
  async #call(method: string, url: string, body?: { body: string | BlobLike; type: string }): Promise<HttpResponseLike> {
    const token = await this.#token();
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body) headers["content-type"] = body.type;
    const response = await this.#fetch(url, body ? { method, headers, body: body.body } : { method, headers });
    if (!response.ok) throw await ApiError.from(response);
    return response;
  }

  /** The answer's JSON body as the type core/api.ts declares for it (the server builds it `satisfies` the same type). */
  async #read<T>(response: HttpResponseLike): Promise<T> {
    const text = await response.text();
    const body = objectOf(text);
    if (!body) throw new ApiError(response.status, `the server's answer is not a JSON object: ${text.slice(0, 80)}`);
    return body as T;
  }
}
