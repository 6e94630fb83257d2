/**
 * The typed HTTP client (core/room-http.ts, `client.http`) against the real Worker and CodeRoom under workerd, with the
 * official OpenAI SDK pointed at a loopback fake: files, chat (send, cancel, undo), permissions and transcription; and
 * refusals as fields: a 401/403's denial kind, a 429's retry delay, and the Auth/Refused a 4429 close comes after, whose
 * seconds RoomClient waits before it reconnects.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import { startFakeOpenAI, type FakeProvider } from "../workers/fake-providers.js";
import { createTestSigner, type TestSigner } from "../workers/test-tokens.js";
import { startTestWorker, waitUntil, type TestWorker } from "../workers/test-support.js";
import { ApiError, type HttpResponseLike } from "./api.js";
import { AuthKind, CloseCode, MessageType, decodeMessage, type Denial, type Message, type SocketRefusal } from "./protocol.js";
import { RoomClient, type WebSocketConstructor } from "./room-client.js";
import type { FetchLike } from "./room-http.js";

const WS = WebSocket as unknown as WebSocketConstructor;

let worker: TestWorker;
let limited: TestWorker;
let signer: TestSigner;
let openai: FakeProvider;
const clients: RoomClient[] = [];
let rooms = 0;
const nextRoom = () => `http-${process.pid}-${++rooms}`;

before(async () => {
  signer = await createTestSigner();
  openai = await startFakeOpenAI();
  [worker, limited] = await Promise.all([
    startTestWorker({
      vars: { CLERK_JWT_KEY: signer.publicKeyPem, OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseURL, RATE_LIMIT_AI_PER_MINUTE: "1000" },
    }),
    // One upload and one connect at once, then one every 2 s: the second of each is refused.
    startTestWorker({
      vars: {
        RATE_LIMIT_UPLOAD_PER_MINUTE: "30",
        RATE_LIMIT_UPLOAD_BURST: "1",
        RATE_LIMIT_CONNECT_PER_MINUTE: "30",
        RATE_LIMIT_CONNECT_BURST: "1",
      },
    }),
  ]);
});

after(async () => {
  for (const client of clients) client.destroy();
  await worker?.dispose();
  await limited?.dispose();
  await openai?.close();
});

/** A client of `room` that does not connect (its `http` is what is tested), signed in as `sub` when given. */
function clientOf(room: string, sub?: string, options: Partial<ConstructorParameters<typeof RoomClient>[0]> = {}): RoomClient {
  const getToken = sub ? () => signer.sign({ sub }) : null;
  const client = new RoomClient({ server: worker.url.origin, room, WebSocket: WS, connect: false, getToken, ...options });
  clients.push(client);
  return client;
}

/** The ApiError `call` rejects with. */
async function refusal(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    return error;
  }
  assert.fail("the call was not refused");
}

/** Assert a refusal's status and denial kind: the fields, whatever the message says. */
async function denied(call: Promise<unknown>, status: number, denial: Denial): Promise<void> {
  const error = await refusal(call);
  assert.deepEqual({ status: error.status, denial: error.denial }, { status, denial }, error.message);
}

describe("RoomHttp against the real Worker", () => {
  test("files: a write answers what was stored (with the claim token of a new room); read and session return it; a missing file is a 404", async () => {
    const ada = clientOf(nextRoom(), "user_ada");
    const written = await ada.http.writeFile("components/App.tsx", "export default 1;\n");
    assert.equal(written.room, ada.room);
    assert.equal(written.file, "components/App.tsx");
    assert.equal(written.bytes, 18);
    assert.ok(written.version >= 1);
    assert.match(written.claimToken ?? "", /^[A-Za-z0-9_-]{32,64}$/, "this write created the room");
    assert.equal((await ada.http.writeFile("index.tsx", "import App from './components/App';\n")).claimToken, undefined);
    assert.equal(await ada.http.readFile("components/App.tsx"), "export default 1;\n");
    const session = await ada.http.session();
    assert.deepEqual(session.files, { "components/App.tsx": "export default 1;\n", "index.tsx": "import App from './components/App';\n" });
    assert.equal(session.entry, "index.tsx");
    const missing = await refusal(ada.http.readFile("missing.ts"));
    assert.equal(missing.status, 404);
    assert.match(missing.message, /missing\.ts/);
  });

  test("chat: a question is accepted and its reply's edits undone; a reply still streaming is cancelled", async () => {
    const ada = clientOf(nextRoom(), "user_ada");
    await ada.http.writeFile("index.tsx", "export default 1;\n");
    openai.script({ text: "Here:\n\n```file:styles.css\nbody { color: red; }\n```\n" });
    const accepted = await ada.http.sendChat({ text: "Make it red", model: "gpt-4o-mini", author: "Ada" });
    assert.equal(typeof accepted.userMessageId, "string");
    let reply = (await ada.http.chat()).find((m) => m.id === accepted.assistantMessageId);
    await waitUntil(async () => (reply = (await ada.http.chat()).find((m) => m.id === accepted.assistantMessageId))?.status === "done", {
      what: "the reply",
      timeoutMs: 15_000,
    });
    assert.deepEqual(reply?.edits?.map((edit) => edit.file), ["styles.css"]);
    assert.equal((await ada.http.session()).files["styles.css"], "body { color: red; }\n");
    assert.deepEqual(await ada.http.undoChat(accepted.assistantMessageId), { undone: ["styles.css"], conflicts: [] });
    assert.equal((await ada.http.session()).files["styles.css"], undefined);

    openai.script({ kind: "hold", text: "Thinking about it" });
    const held = await ada.http.sendChat({ text: "Take your time", model: "gpt-4o-mini", author: "Ada" });
    assert.deepEqual(await ada.http.cancelChat(held.assistantMessageId), { id: held.assistantMessageId, status: "cancelled" });
    const cancelled = await refusal(ada.http.cancelChat(held.assistantMessageId));
    assert.equal(cancelled.status, 409, "no longer streaming");
    assert.equal(await ada.http.clearChat(), 4);
  });

  test("transcription: a recording comes back as its text", async () => {
    openai.script({ text: "Make the heading blue" });
    const audio = new Blob([new Uint8Array(2048).fill(7)], { type: "audio/webm" });
    assert.equal(await clientOf(nextRoom(), "user_ada").http.transcribe(audio), "Make the heading blue");
  });

  test("permissions: the owner claims and reads them; everyone else gets a 401/403 whose denial says which rule", async () => {
    const room = nextRoom();
    const owner = clientOf(room, "user_owner");
    const claimed = await owner.http.setPermissions({ visibility: "readonly", editors: ["user_editor"] });
    assert.deepEqual(claimed, { room, owner: "user_owner", visibility: "readonly", editors: ["user_editor"], members: [] });
    assert.deepEqual(await owner.http.permissions(), claimed);
    await denied(clientOf(room, "user_stranger").http.permissions(), 403, "owner-only");
    await denied(clientOf(room).http.permissions(), 401, "owner-only");
    await denied(clientOf(room, "user_editor").http.clearChat(), 403, "owner-only");

    // Read-only: watchers may read, only the owner and editors write.
    assert.equal((await clientOf(room).http.session()).room, room);
    await denied(clientOf(room).http.writeFile("index.tsx", "vandal"), 401, "read-only");
    await denied(clientOf(room, "user_stranger").http.writeFile("index.tsx", "vandal"), 403, "read-only");
    assert.equal((await clientOf(room, "user_editor").http.writeFile("index.tsx", "ok\n")).file, "index.tsx");

    await owner.http.setPermissions({ visibility: "private" });
    await denied(clientOf(room).http.session(), 401, "private");
    await denied(clientOf(room, "user_stranger").http.readFile("index.tsx"), 403, "private");
  });

  test("a room holding others' work cannot be claimed; a bad token and an anonymous question are refused by kind", async () => {
    const room = nextRoom();
    await clientOf(room).http.writeFile("index.tsx", "anonymous work\n");
    await denied(clientOf(room, "user_stranger").http.setPermissions({ visibility: "private" }), 403, "claim-refused");
    await denied(clientOf(room).http.setPermissions({ visibility: "private" }), 401, "sign-in-required");
    await denied(clientOf(room, undefined, { getToken: async () => "not-a-token" }).http.session(), 401, "invalid-token");
    // Sign-in is configured, so AI needs it (AI_REQUIRE_SIGN_IN's default): refused before the room or the provider.
    await denied(clientOf(room).http.sendChat({ text: "hi", model: "gpt-4o-mini", author: "Anon" }), 401, "sign-in-required");
  });
});

describe("limits as data", () => {
  test("past a rate limit: a 429 whose retryAfterSeconds is the body's number, the same as Retry-After", async () => {
    const answers: HttpResponseLike[] = [];
    const recording: FetchLike = async (url, init) => {
      const answer = await fetch(url, init as RequestInit);
      answers.push(answer);
      return answer;
    };
    const client = clientOf(nextRoom(), undefined, { server: limited.url.origin, fetch: recording });
    await client.http.writeFile("index.tsx", "first\n");
    const error = await refusal(client.http.writeFile("index.tsx", "second\n"));
    assert.equal(error.status, 429);
    assert.ok(Number.isInteger(error.retryAfterSeconds) && error.retryAfterSeconds! >= 1, String(error.retryAfterSeconds));
    assert.equal(String(error.retryAfterSeconds), answers.at(-1)!.headers.get("retry-after"));
    assert.equal(error.requestId, answers.at(-1)!.headers.get("x-request-id"));
    assert.match(error.message, /^too many uploads/);
  });

  test("a refused connect: Auth/Refused, then 4429; RoomClient waits the seconds it was sent, then gets in", async () => {
    const room = nextRoom();
    const sockets: { openedAt: number; messages: Message[]; closed?: { code: number; reason: string } }[] = [];
    class Recorded extends WebSocket {
      constructor(url: string) {
        super(url);
        const socket: (typeof sockets)[number] = { openedAt: Date.now(), messages: [] };
        sockets.push(socket);
        this.on("message", (data) => socket.messages.push(decodeMessage(new Uint8Array(data as Buffer))));
        this.on("close", (code, reason) => (socket.closed = { code, reason: reason.toString("utf8") }));
      }
    }
    const first = clientOf(room, undefined, { server: limited.url.origin, connect: true });
    await first.whenSynced(); // the connect bucket is empty now
    const second = clientOf(room, undefined, {
      server: limited.url.origin,
      connect: true,
      WebSocket: Recorded as unknown as WebSocketConstructor,
      minBackoffMs: 1,
      maxBackoffMs: 2,
    });
    await waitUntil(() => second.synced, { what: "the refused client to get in", timeoutMs: 15_000 });
    const [refused, admitted] = sockets;
    assert.ok(refused && admitted, `${sockets.length} sockets`);
    assert.equal(refused.closed?.code, CloseCode.RateLimited);
    const notices = refused.messages.filter((m) => m.type === MessageType.Auth && m.kind === AuthKind.Refused);
    assert.equal(notices.length, 1, "the refused socket got the refusal as data, and nothing of the room");
    assert.equal(refused.messages.length, 1);
    const { code, retryAfterSeconds } = (notices[0] as { refusal: SocketRefusal }).refusal;
    assert.equal(code, CloseCode.RateLimited);
    assert.ok(retryAfterSeconds >= 1, String(retryAfterSeconds));
    const waited = admitted.openedAt - refused.openedAt;
    assert.ok(waited >= retryAfterSeconds * 1000, `reconnected after ${waited} ms, asked to wait ${retryAfterSeconds} s`);
  });
});
