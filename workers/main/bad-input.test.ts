/**
 * What the room server does with input no well-behaved client sends: bad room ids and file names, text and garbage frames,
 * frames and documents over the limits, too many sockets, bad PUT bodies. Each must get its documented answer, and after
 * each one the room keeps its stored text and the server keeps serving other rooms.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import * as Y from "yjs";
import {
  MessageType,
  SyncStep,
  decodeMessage,
  encodeAwareness,
  encodeAwarenessEntries,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from "../../core/protocol.js";
import { fileText, writeFile } from "../../core/project.js";
import {
  WEBSOCKET_UPGRADE,
  closeOpened,
  connectClient,
  fetchSession,
  joinRoom,
  pollSession,
  rawRequest,
  rawSocket as openRoomSocket,
  seededRandom,
  startTestWorker,
  waitForConvergence,
  waitUntil,
  type CloseInfo,
  type RawSocket,
  type Session,
  type TestClient,
  type TestWorker,
} from "../test-support.js";

/**
 * Small limits so each one is cheap to hit: frames up to 64 KiB, documents up to 48 KiB, three sockets per room. The fuzz
 * below opens a socket per garbage frame (hundreds from one IP), so the per-IP connect and create buckets are raised.
 */
const LIMITS = {
  ROOM_MAX_FRAME_BYTES: "65536",
  ROOM_MAX_DOCUMENT_BYTES: "49152",
  ROOM_MAX_CONNECTIONS: "3",
  RATE_LIMIT_CONNECT_PER_MINUTE: "10000",
  RATE_LIMIT_CREATE_PER_MINUTE: "10000",
};
/** A room nobody attacks: it must stay readable after every bad input elsewhere. */
const WITNESS = { room: "witness", files: { "index.tsx": "export default () => <p>still here</p>;\n" } };

let worker: TestWorker;

before(async () => {
  worker = await startTestWorker({ vars: LIMITS });
  await seedRoom(WITNESS.room, WITNESS.files);
});
afterEach(closeOpened);
after(() => worker?.dispose());

// ---- helpers --------------------------------------------------------------------------------------------------------

const join = (room: string): TestClient => joinRoom(worker, room);
const rawSocket = (room: string): Promise<RawSocket> => openRoomSocket(worker, room);

/** Store files in a room through the headless API and return its session. */
async function seedRoom(room: string, files: Record<string, string>): Promise<Session> {
  for (const [name, text] of Object.entries(files)) {
    const response = await fetch(new URL(`/live/${room}/files/${name}`, worker.url), { method: "PUT", body: text });
    assert.equal(response.status, 200, `seeding ${room}/${name}: ${await response.text()}`);
  }
  return fetchSession(worker, room);
}

/** After a bad input: the attacked room stores exactly what it did before, and the server still serves another room. */
async function assertUnharmed(room: string, stored: Session): Promise<void> {
  assert.deepEqual(await fetchSession(worker, room), stored, `room ${room} is unchanged`);
  const visitor = connectClient(worker, WITNESS.room);
  try {
    await visitor.synced();
    assert.deepEqual(visitor.files(), WITNESS.files, "another room is still served");
  } finally {
    visitor.destroy();
  }
}

/** Expect the socket to be closed by the room with `code` and a reason. */
async function assertClosedWith(socket: RawSocket, code: number, what: string): Promise<CloseInfo> {
  const closed = await socket.closed;
  assert.equal(closed.code, code, `${what}: closed with ${closed.code} "${closed.reason}"`);
  assert.ok(closed.reason.length > 0, `${what}: the close has a reason`);
  return closed;
}

/** A Yjs update that sets `files[name]` to `text` on a doc of its own. */
function updateWriting(name: string, text: string): Uint8Array {
  const doc = new Y.Doc();
  writeFile(doc, name, text);
  return Y.encodeStateAsUpdate(doc);
}

/** One client edits; every other client must see it (the room still relays). */
async function assertRoomStillRelays(writer: TestClient, others: TestClient[], line: string): Promise<void> {
  const text = fileText(writer.doc, "index.tsx");
  text.insert(text.length, line);
  await waitForConvergence([writer, ...others]);
  for (const other of others) assert.ok(other.files()["index.tsx"]?.endsWith(line));
}

const isSyncStep2 = (frame: Uint8Array) => frame[0] === MessageType.Sync && frame[1] === SyncStep.Step2;
const isSyncStep1 = (frame: Uint8Array) => frame[0] === MessageType.Sync && frame[1] === SyncStep.Step1;

// ---- room ids -------------------------------------------------------------------------------------------------------

describe("invalid room ids", () => {
  const BAD_IDS = [
    "", // empty
    "x".repeat(65), // one too long
    "a.b",
    "a~b",
    "a*b",
    "a:b",
    "a@b",
    "a%20b", // space
    "caf%C3%A9", // é
    "%E2%80%AE", // right-to-left override
    "%3Cscript%3E",
    "%00",
    "a%2Fb", // an encoded slash
    "%2e%2e.", // dots, but not a dot segment
    "%ZZ", // not valid percent-encoding
    "%",
    "%C3%28", // not valid UTF-8
  ];

  it("are a 400 JSON error for ws, session.json, index.tsx and files, and harm nothing", async () => {
    const stored = await fetchSession(worker, WITNESS.room);
    for (const id of BAD_IDS) {
      const requests: [string, Parameters<typeof rawRequest>[2]][] = [
        [`/live/${id}/ws`, { headers: WEBSOCKET_UPGRADE }],
        [`/live/${id}/session.json`, {}],
        [`/live/${id}/index.tsx`, {}],
        [`/live/${id}/files/index.tsx`, {}],
        [`/live/${id}/files/index.tsx`, { method: "PUT", body: "export {};\n" }],
      ];
      for (const [path, options] of requests) {
        const response = await rawRequest(worker, path, options);
        const what = `${options?.method ?? "GET"} ${path}`;
        assert.equal(response.status, 400, `${what}: ${response.status} ${response.text}`);
        assert.match(String(response.headers["content-type"]), /^application\/json/, what);
        assert.equal(typeof (JSON.parse(response.text) as { error?: unknown }).error, "string", what);
      }
      await assertUnharmed(WITNESS.room, stored);
    }
  });

  it("dot segments are resolved before routing, as a browser would, and reach no room", async () => {
    for (const path of ["/live/%2e%2e/ws", "/live/../session.json", "/live/%2E%2E/files/index.tsx"]) {
      const response = await rawRequest(worker, path, { headers: WEBSOCKET_UPGRADE });
      assert.equal(response.status, 404, `${path}: ${response.status} ${response.text}`);
      assert.equal(typeof (JSON.parse(response.text) as { error?: unknown }).error, "string", path);
    }
  });

  it("accept the longest valid id", async () => {
    const room = "r".repeat(64);
    const put = await fetch(new URL(`/live/${room}/files/a.ts`, worker.url), { method: "PUT", body: "// longest\n" });
    assert.equal(put.status, 200);
    assert.equal((await fetchSession(worker, room)).room, room);
  });
});

// ---- frames ---------------------------------------------------------------------------------------------------------

describe("bad frames", () => {
  it("a text frame closes the socket with 1003", async () => {
    const stored = await seedRoom("text-frame", { "index.tsx": "let x = 1;\n" });
    const socket = await rawSocket("text-frame");
    socket.ws.send("hello, is this JSON?");
    await assertClosedWith(socket, 1003, "text frame");
    await assertUnharmed("text-frame", stored);
  });

  it("malformed binary frames close with 1007 and a reason; the other clients keep working and nothing is stored", async () => {
    const room = "malformed";
    await seedRoom(room, { "index.tsx": "// start\n" });
    const [alice, bob] = [join(room), join(room)];
    await Promise.all([alice.synced(), bob.synced()]);
    const real = encodeUpdate(updateWriting("evil.ts", "should never be stored"));
    const bytes = (...values: number[]) => new Uint8Array(values);
    const BAD_FRAMES: [string, Uint8Array, RegExp?][] = [
      ["an empty frame", bytes(), /truncated/],
      ["unknown message type 5", bytes(5), /unknown message type 5/],
      ["unknown message type 127 with a payload", bytes(127, 1, 2, 3), /unknown message type/],
      ["a type number too large to be one", bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)],
      ["sync with no step", bytes(0), /truncated/],
      ["unknown sync step", bytes(0, 9, 0), /unknown sync step/],
      ["sync update with no payload", bytes(0, 2), /truncated/],
      ["a length prefix longer than the frame", bytes(0, 2, 50, 1, 2, 3), /truncated/],
      ["a real update cut short by one byte", real.subarray(0, real.length - 1), /truncated/],
      ["a real update followed by a stray byte", bytes(...real, 0), /trailing/],
      ["a Yjs update that announces three clients and holds none", encodeUpdate(bytes(3))],
      ["a Yjs update of random-looking bytes", encodeUpdate(bytes(1, 1, 200, 3, 0, 9, 9, 9, 9))],
      ["a corrupt sync step 2", encodeSyncStep2(bytes(3, 1))],
      ["a corrupt state vector in sync step 1", encodeSyncStep1(bytes(5, 1))],
      ["an awareness update cut short", bytes(1, 3, 1, 2), /truncated/],
      [
        "an awareness state that is not JSON",
        encodeAwareness(encodeAwarenessEntries([{ clientId: 1, clock: 1, state: "{nope" }])),
        /awareness/,
      ],
      ["an auth message from a client", encodePermissionDenied("read-only", "let me in"), /auth/],
      ["query-awareness with trailing bytes", bytes(3, 0), /trailing/],
    ];
    let stored = await fetchSession(worker, room);
    for (const [what, frame, reason] of BAD_FRAMES) {
      const socket = await rawSocket(room);
      socket.ws.send(frame);
      const closed = await assertClosedWith(socket, 1007, what);
      if (reason) assert.match(closed.reason, reason, what);
      await assertUnharmed(room, stored);
      await assertRoomStillRelays(alice, [bob], `// still relaying after ${what}\n`);
      stored = await fetchSession(worker, room);
      assert.equal(stored.files["evil.ts"], undefined);
    }
  });

  it("an update that parses but cannot be applied closes with 1007; the room keeps its state and keeps working", async () => {
    const room = "unappliable";
    // The room holds a known base from client 1; client 2's real edit on top of it is then corrupted by one byte.
    const base = new Y.Doc();
    base.clientID = 1;
    writeFile(base, "index.tsx", "hello world\n");
    const edit = new Y.Doc();
    edit.clientID = 2;
    Y.applyUpdate(edit, Y.encodeStateAsUpdate(base));
    fileText(edit, "index.tsx").insert(3, "XYZ");
    const update = Y.encodeStateAsUpdate(edit, Y.encodeStateVector(base));
    const corrupt = Uint8Array.from(update);
    assert.equal(corrupt[5], 1, "byte 5 is the origin's client id");
    corrupt[5] = 2; // the insert's origin now points into its own, not yet integrated, range
    assert.doesNotThrow(() => Y.decodeUpdate(corrupt), "the corrupt update still parses");
    const probe = new Y.Doc();
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(base));
    assert.throws(() => Y.applyUpdate(probe, corrupt), "but cannot be applied");

    const seeder = await rawSocket(room);
    seeder.ws.send(encodeUpdate(Y.encodeStateAsUpdate(base)));
    seeder.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    assert.ok(await seeder.nextFrame(isSyncStep2));
    seeder.ws.close();
    await seeder.closed;
    const stored = await fetchSession(worker, room);
    assert.deepEqual(stored.files, { "index.tsx": "hello world\n" });

    const socket = await rawSocket(room);
    socket.ws.send(encodeUpdate(corrupt));
    await assertClosedWith(socket, 1007, "unappliable update");
    await assertUnharmed(room, stored);
    const [alice, bob] = [join(room), join(room)];
    await Promise.all([alice.synced(), bob.synced()]);
    await assertRoomStillRelays(alice, [bob], "// fine\n");
  });

  it("random garbage frames (seeded) close with 1007 or are harmless, and never change the room", async (t) => {
    const room = "fuzzed";
    await seedRoom(room, { "index.tsx": "// fuzz target\n" });
    const alice = join(room);
    await alice.synced();
    const stored = await fetchSession(worker, room);
    const random = seededRandom(0xbad);
    const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
    const header = (...prefix: number[]) => (payload: Uint8Array) => new Uint8Array([...prefix, payload.length, ...payload]);
    // Pure noise, and noise behind each real header so the decoders further in get exercised too.
    const flavours = [(p: Uint8Array) => p, header(0, 0), header(0, 1), header(0, 2), header(1)];
    const outcomes = { closed1007: 0, harmless: 0 };
    for (let i = 0; i < 150; i++) {
      const frame = flavours[i % flavours.length]!(randomBytes(1 + Math.floor(random() * 100)));
      const socket = await rawSocket(room);
      socket.ws.send(frame);
      // A valid sync step 1 right behind the noise: an answer means the noise was taken as a harmless message.
      socket.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
      const answer = await socket.nextFrame(isSyncStep2);
      if (answer) {
        outcomes.harmless++;
        assert.doesNotThrow(() => decodeMessage(frame), `frame ${i} was accepted, so it must be a well-formed message`);
        socket.ws.close();
        await socket.closed;
      } else {
        await assertClosedWith(socket, 1007, `garbage frame ${i} [${frame.slice(0, 12).join(",")}…]`);
        outcomes.closed1007++;
      }
    }
    t.diagnostic(JSON.stringify(outcomes));
    assert.ok(outcomes.closed1007 > 100, "most noise is rejected");
    assert.deepEqual((await fetchSession(worker, room)).files, stored.files);
    const bob = join(room);
    await bob.synced();
    await assertRoomStillRelays(alice, [bob], "// alive after the fuzz\n");
    await assertUnharmed(WITNESS.room, await fetchSession(worker, WITNESS.room));
  });
});

// ---- limits ---------------------------------------------------------------------------------------------------------

describe("room limits", () => {
  it("a frame over ROOM_MAX_FRAME_BYTES closes with 1009 and stores nothing", async () => {
    const room = "big-frame";
    const stored = await seedRoom(room, { "index.tsx": "// small\n" });
    const alice = join(room);
    await alice.synced();
    const socket = await rawSocket(room);
    const frame = encodeUpdate(updateWriting("big.txt", "x".repeat(70_000)));
    assert.ok(frame.byteLength > Number(LIMITS.ROOM_MAX_FRAME_BYTES));
    socket.ws.send(frame);
    await assertClosedWith(socket, 1009, "oversized frame");
    await assertUnharmed(room, stored);
    const bob = join(room);
    await bob.synced();
    await assertRoomStillRelays(alice, [bob], "// after the big frame\n");
  });

  it("an update that would grow the document past ROOM_MAX_DOCUMENT_BYTES closes with 4413 and stores nothing", async () => {
    const room = "huge-doc";
    const stored = await seedRoom(room, { "index.tsx": "// small\n" });
    const alice = join(room);
    await alice.synced();
    const socket = await rawSocket(room);
    const frame = encodeUpdate(updateWriting("huge.txt", "y".repeat(50_000)));
    assert.ok(frame.byteLength < Number(LIMITS.ROOM_MAX_FRAME_BYTES), "under the frame limit");
    assert.ok(frame.byteLength > Number(LIMITS.ROOM_MAX_DOCUMENT_BYTES), "over the document limit");
    socket.ws.send(frame);
    await assertClosedWith(socket, 4413, "document too large");
    await assertUnharmed(room, stored);

    // A stock client that pastes too much is told the same, and y-websocket treats 44xx as final: no reconnect loop.
    const paster = join(room);
    await paster.synced();
    const final = new Promise<{ code: number }>((resolve) => paster.provider.once("closed", resolve));
    fileText(paster.doc, "index.tsx").insert(0, "z".repeat(50_000));
    assert.equal((await final).code, 4413);
    assert.equal(paster.provider.shouldConnect, false);
    await assertUnharmed(room, stored);
    const bob = join(room);
    await bob.synced();
    await assertRoomStillRelays(alice, [bob], "// after the huge paste\n");
  });

  it("a connection over ROOM_MAX_CONNECTIONS closes with 1013, the others keep working, a freed slot is reusable", async () => {
    const room = "crowded";
    const stored = await seedRoom(room, { "index.tsx": "// crowded\n" });
    const members = [join(room), join(room), join(room)];
    await Promise.all(members.map((c) => c.synced()));
    const extra = await rawSocket(room);
    await assertClosedWith(extra, 1013, "fourth connection");
    await assertUnharmed(room, stored);
    await assertRoomStillRelays(members[0]!, members.slice(1), "// three is company\n");

    // One member leaves; a newcomer gets in (once the room has seen the close).
    members[2]!.destroy();
    let newcomer: RawSocket | undefined;
    await waitUntil(
      async () => {
        const socket = await rawSocket(room);
        if (await socket.nextFrame(isSyncStep1)) return Boolean((newcomer = socket));
        assert.equal((await socket.closed).code, 1013);
        return false;
      },
      { what: "a free slot in the room" },
    );
    assert.ok(newcomer);
  });
});

// ---- HTTP -----------------------------------------------------------------------------------------------------------

describe("bad HTTP requests", () => {
  it("PUT rejects invalid file names, non-UTF-8 bodies and oversized bodies, storing nothing", async () => {
    const room = "file-guard";
    const stored = await seedRoom(room, { "index.tsx": "// guarded\n" });
    const put = (name: string, body: Uint8Array | string) =>
      rawRequest(worker, `/live/${room}/files/${name}`, { method: "PUT", body });
    const CASES: [string, string, Uint8Array | string, number][] = [
      ["an encoded ../", "..%2Fx", "x", 400],
      ["an encoded ../ in the middle", "a%2F..%2F..%2Fb.ts", "x", 400],
      ["an encoded dot-dot inside a name", "a%2F%2e%2e", "x", 400],
      ["a name of 129 characters", "n".repeat(126) + ".ts", "x", 400],
      ["a space", "a%20b.ts", "x", 400],
      ["a NUL", "a%00.ts", "x", 400],
      ["a leading slash", "/abs.ts", "x", 400],
      ["a backslash", "a%5Cb.ts", "x", 400],
      ["not UTF-8", "index.tsx", new Uint8Array([0xff, 0xfe, 0x00, 0xc3, 0x28]), 415],
      ["a lone surrogate encoded as UTF-8", "index.tsx", new Uint8Array([0xed, 0xa0, 0x80]), 415],
      ["a body over ROOM_MAX_FRAME_BYTES", "index.tsx", "a".repeat(70_000), 413],
      ["a body that would grow the document past its limit", "other.ts", "b".repeat(50_000), 413],
    ];
    for (const [what, name, body, status] of CASES) {
      const response = await put(name, body);
      assert.equal(response.status, status, `${what}: ${response.status} ${response.text}`);
      assert.equal(typeof (JSON.parse(response.text) as { error?: unknown }).error, "string", what);
      await assertUnharmed(room, stored);
    }

    // A body with no content-length (chunked) is counted as it arrives and refused once it passes the limit.
    const chunks = [new TextEncoder().encode("c".repeat(40_000)), new TextEncoder().encode("c".repeat(40_000))];
    const chunked = await fetch(new URL(`/live/${room}/files/index.tsx`, worker.url), {
      method: "PUT",
      body: new ReadableStream({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()!) : c.close()) }),
      duplex: "half",
    } as RequestInit);
    assert.equal(chunked.status, 413, await chunked.text());
    await assertUnharmed(room, stored);

    // Reading with a bad name and writing with another method are refused as well.
    assert.equal((await rawRequest(worker, `/live/${room}/files/..%2Fx`)).status, 400);
    assert.equal((await rawRequest(worker, `/live/${room}/files/index.tsx`, { method: "DELETE" })).status, 405);
    assert.equal((await rawRequest(worker, `/live/${room}/files/index.tsx`, { method: "POST", body: "x" })).status, 405);
    await assertUnharmed(room, stored);
  });

  it("a collaborator who puts non-text values in the files map breaks neither reads nor writes", async () => {
    const room = "odd-values";
    const stored = await seedRoom(room, { "index.tsx": "// real file\n" });
    const mallory = join(room);
    await mallory.synced();
    mallory.doc.transact(() => {
      const files = mallory.doc.getMap<unknown>("files");
      files.set("null.ts", null);
      files.set("plain.ts", "a string, not a Y.Text");
      files.set("../escape.ts", new Y.Text("bad name"));
    });
    await waitUntil(async () => ((await pollSession(worker, room))?.version ?? 0) > stored.version, { what: "the odd values to be stored" });
    const session = await fetchSession(worker, room);
    assert.deepEqual(session.files, stored.files, "only real files are listed");
    assert.equal((await rawRequest(worker, `/live/${room}/files/null.ts`)).status, 404);
    const put = await fetch(new URL(`/live/${room}/files/plain.ts`, worker.url), { method: "PUT", body: "now a file\n" });
    assert.equal(put.status, 200, await put.text());
    assert.equal((await fetchSession(worker, room)).files["plain.ts"], "now a file\n");
  });

  it("updates whose history never arrives cannot pile up in the room's memory: 1007", async () => {
    const room = "gaps";
    const stored = await seedRoom(room, { "index.tsx": "// gaps\n" });
    const socket = await rawSocket(room);
    // Each update depends on an earlier one from its client that is never sent, so Yjs can only park it.
    for (let client = 100; client < 110; client++) {
      const doc = new Y.Doc();
      doc.clientID = client;
      const text = doc.getText("scratch");
      text.insert(0, "x");
      const before = Y.encodeStateVector(doc);
      text.insert(1, "y".repeat(30_000));
      if (socket.ws.readyState !== socket.ws.OPEN) break;
      socket.ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc, before)));
    }
    const closed = await assertClosedWith(socket, 1007, "gapped updates");
    assert.match(closed.reason, /history this room never received/);
    await assertUnharmed(room, stored);
  });

  it("a plain GET of /ws is a 426 JSON error", async () => {
    const room = "not-upgraded";
    const stored = await seedRoom(room, { "index.tsx": "// plain\n" });
    const response = await rawRequest(worker, `/live/${room}/ws`);
    assert.equal(response.status, 426, response.text);
    assert.equal(typeof (JSON.parse(response.text) as { error?: unknown }).error, "string");
    await assertUnharmed(room, stored);
  });
});
