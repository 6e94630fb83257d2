/**
 * What the permission tests share (workers/durable-objects/permissions.test.ts, permissions-restart.test.ts): the test
 * users, one signing key, a stock y-websocket client that sends its token first, and permission calls as a given user.
 */
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { readFiles } from "../core/project.js";
import { AuthKind, MessageType, decodeMessage, encodeAuthToken, type RoomGrant } from "../core/protocol.js";
import { waitUntil, type RawSocket, type TestClient, type TestWorker } from "../workers/test-support.js";
import { createTestSigner, type TestSigner } from "../workers/test-tokens.js";

export const OWNER = "user_owner";
export const EDITOR = "user_editor";
export const MEMBER = "user_member";
export const STRANGER = "user_stranger";

let signer: Promise<TestSigner> | undefined;
/** The one signing key of a test file: its Workers trust it, and {@link as} signs with it. */
export function sharedSigner(): Promise<TestSigner> {
  return (signer ??= createTestSigner());
}

const clients: TestClient[] = [];
/** Destroy the clients {@link joinAs} made (in `afterEach`). */
export function destroyClients(): void {
  for (const client of clients.splice(0)) client.destroy();
}

/**
 * A stock y-websocket client that sends `Auth/Token` as its first frame when it has a token: its socket class sends the
 * token from an `open` listener registered before the provider's own (ws runs listeners in order).
 */
export function joinAs(worker: TestWorker, room: string, token: string | null): TestClient & { denied: string[]; grants: RoomGrant[] } {
  const denied: string[] = [];
  const grants: RoomGrant[] = [];
  class TokenSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      if (token) this.addEventListener("open", () => this.send(encodeAuthToken(token)));
      this.addEventListener("message", ({ data }) => {
        const frame = new Uint8Array(data as ArrayBuffer);
        if (frame[0] !== MessageType.Auth) return;
        const message = decodeMessage(frame);
        if (message.type === MessageType.Auth && message.kind === AuthKind.Granted) grants.push(message.grant);
        if (message.type === MessageType.Auth && message.kind === AuthKind.PermissionDenied) denied.push(message.reason);
      });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(new URL("/live", worker.url).href.replace(/^http/, "ws"), `${room}/ws`, doc, {
    WebSocketPolyfill: TokenSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const client = {
    doc,
    provider,
    denied,
    grants,
    files: () => readFiles(doc),
    synced: (timeoutMs?: number) => waitUntil(() => provider.wsconnected && provider.synced, { timeoutMs, what: `${room} to sync` }),
    destroy() {
      provider.destroy();
      provider.awareness.destroy();
      doc.destroy();
    },
  };
  clients.push(client);
  return client;
}

/** `fetch` on the worker as `user` (null = anonymous). */
export async function as(worker: TestWorker, user: string | null, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (user) headers.set("authorization", `Bearer ${await (await sharedSigner()).sign({ sub: user })}`);
  return fetch(new URL(path, worker.url), { ...init, headers, signal: AbortSignal.timeout(15_000) });
}

export function putPermissions(worker: TestWorker, user: string | null, room: string, body: unknown): Promise<Response> {
  return as(worker, user, `/live/${room}/permissions`, { method: "PUT", body: typeof body === "string" ? body : JSON.stringify(body) });
}

export async function getPermissions(worker: TestWorker, user: string | null, room: string): Promise<{ status: number; body: any }> {
  const response = await as(worker, user, `/live/${room}/permissions`);
  return { status: response.status, body: await response.json() };
}


/** The grants among the frames a raw socket received. */
export function grantsOf(socket: RawSocket): RoomGrant[] {
  return socket.frames.flatMap((frame) => {
    const message = decodeMessage(frame);
    return message.type === MessageType.Auth && message.kind === AuthKind.Granted ? [message.grant] : [];
  });
}
