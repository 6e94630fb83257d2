/**
 * The room server under bad input (workers/main/bad-input.test.ts, bad-frames.test.ts): one Worker per test file with
 * small limits, a witness room nobody attacks, and the checks that a room kept its stored text and the server still
 * serves others.
 */
import assert from "node:assert/strict";
import { after, afterEach, before } from "node:test";
import * as Y from "yjs";
import { MessageType, SyncStep } from "../core/protocol.js";
import { fileText, writeFile } from "../core/project.js";
import {
  closeOpened,
  connectClient,
  fetchSession,
  joinRoom,
  rawSocket as openRoomSocket,
  startTestWorker,
  waitForConvergence,
  type CloseInfo,
  type RawSocket,
  type Session,
  type TestClient,
  type TestWorker,
} from "../workers/test-support.js";

/**
 * Small limits so each one is cheap to hit: frames up to 64 KiB, documents up to 48 KiB, three sockets per room. The fuzz
 * opens a socket per garbage frame (hundreds from one IP), so the per-IP connect and create buckets are raised.
 */
export const LIMITS = {
  ROOM_MAX_FRAME_BYTES: "65536",
  ROOM_MAX_DOCUMENT_BYTES: "49152",
  ROOM_MAX_CONNECTIONS: "3",
  RATE_LIMIT_CONNECT_PER_MINUTE: "10000",
  RATE_LIMIT_CREATE_PER_MINUTE: "10000",
};
/** A room nobody attacks: it must stay readable after every bad input elsewhere. */
export const WITNESS = { room: "witness", files: { "index.tsx": "export default () => <p>still here</p>;\n" } };

/** The helpers bound to the Worker a bad-input test file runs against. */
export interface BadInputStack {
  join(room: string): TestClient;
  rawSocket(room: string): Promise<RawSocket>;
  /** Store files in a room through the headless API and return its session. */
  seedRoom(room: string, files: Record<string, string>): Promise<Session>;
  /** After a bad input: the attacked room stores exactly what it did before, and the server still serves another room. */
  assertUnharmed(room: string, stored: Session): Promise<void>;
}

/**
 * Start the Worker with {@link LIMITS} and the witness room before the file's tests (then hand it to `started`), close the
 * sockets each test opened, stop it after. Call at the top level of a test file.
 * @example const stack = badInputStack((w) => (worker = w)); it("…", async () => { const stored = await stack.seedRoom("r", files); … });
 */
export function badInputStack(onStarted: (worker: TestWorker) => void = () => {}): BadInputStack {
  let worker: TestWorker | undefined;
  const started = (): TestWorker => {
    assert.ok(worker, "the Worker is started in before()");
    return worker;
  };
  const stack: BadInputStack = {
    join: (room) => joinRoom(started(), room),
    rawSocket: (room) => openRoomSocket(started(), room),
    async seedRoom(room, files) {
      for (const [name, text] of Object.entries(files)) {
        const response = await fetch(new URL(`/live/${room}/files/${name}`, started().url), { method: "PUT", body: text });
        assert.equal(response.status, 200, `seeding ${room}/${name}: ${await response.text()}`);
      }
      return fetchSession(started(), room);
    },
    async assertUnharmed(room, stored) {
      assert.deepEqual(await fetchSession(started(), room), stored, `room ${room} is unchanged`);
      const visitor = connectClient(started(), WITNESS.room);
      try {
        await visitor.synced();
        assert.deepEqual(visitor.files(), WITNESS.files, "another room is still served");
      } finally {
        visitor.destroy();
      }
    },
  };
  before(async () => {
    worker = await startTestWorker({ vars: LIMITS });
    await stack.seedRoom(WITNESS.room, WITNESS.files);
    onStarted(worker);
  });
  afterEach(closeOpened);
  after(() => worker?.dispose());
  return stack;
}

/** Expect the socket to be closed by the room with `code` and a reason. */
export async function assertClosedWith(socket: RawSocket, code: number, what: string): Promise<CloseInfo> {
  const closed = await socket.closed;
  assert.equal(closed.code, code, `${what}: closed with ${closed.code} "${closed.reason}"`);
  assert.ok(closed.reason.length > 0, `${what}: the close has a reason`);
  return closed;
}

/** A Yjs update that sets `files[name]` to `text` on a doc of its own. */
export function updateWriting(name: string, text: string): Uint8Array {
  const doc = new Y.Doc();
  writeFile(doc, name, text);
  return Y.encodeStateAsUpdate(doc);
}

/** One client edits; every other client must see it (the room still relays). */
export async function assertRoomStillRelays(writer: TestClient, others: TestClient[], line: string): Promise<void> {
  const text = fileText(writer.doc, "index.tsx");
  text.insert(text.length, line);
  await waitForConvergence([writer, ...others]);
  for (const other of others) assert.ok(other.files()["index.tsx"]?.endsWith(line));
}

export const isSyncStep2 = (frame: Uint8Array) => frame[0] === MessageType.Sync && frame[1] === SyncStep.Step2;
export const isSyncStep1 = (frame: Uint8Array) => frame[0] === MessageType.Sync && frame[1] === SyncStep.Step1;
