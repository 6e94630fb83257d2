/**
 * The chat against the room's size limit, through the real Worker and CodeRoom with the official OpenAI SDK pointed at a
 * loopback fake: questions, replies, applied edits and undo copies never push a room past its limit (the chat keeps a
 * bounded history, and a question that cannot fit is refused before the provider is called); a reply stops at the limit;
 * a full room can always shrink (deleting text, clearing the chat) and is editable again afterwards.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import * as Y from "yjs";
import { fileText, writeFile } from "../../core/project.js";
import { startFakeOpenAI, type FakeProvider } from "../fake-providers.js";
import { closeOpened, fetchSession, joinRoom, startTestWorker, uniqueRooms, waitUntil, type TestClient, type TestWorker } from "../test-support.js";

const LIMIT = 50_000;
let worker: TestWorker;
let openai: FakeProvider;
const nextRoom = uniqueRooms("chat-size");

before(async () => {
  openai = await startFakeOpenAI();
  worker = await startTestWorker({
    vars: {
      OPENAI_API_KEY: openai.apiKey,
      OPENAI_BASE_URL: openai.baseURL,
      RATE_LIMIT_AI_PER_MINUTE: "1000",
      ROOM_MAX_DOCUMENT_BYTES: String(LIMIT),
    },
  });
});
after(async () => {
  await worker?.dispose();
  await openai?.close();
});
afterEach(closeOpened);

const join = (room: string): TestClient => joinRoom(worker, room);

async function ask(room: string, text: string): Promise<{ status: number; json: Record<string, any> }> {
  const response = await fetch(new URL(`/live/${room}/chat`, worker.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text, model: "gpt-4o-mini", author: "Ada" }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

async function chat(room: string): Promise<{ id: string; role: string; status: string; text: string; error?: string }[]> {
  const response = await fetch(new URL(`/live/${room}/chat`, worker.url));
  return ((await response.json()) as { messages: { id: string; role: string; status: string; text: string }[] }).messages;
}

async function ended(room: string, id: string) {
  let message: Awaited<ReturnType<typeof chat>>[number] | undefined;
  await waitUntil(async () => (message = (await chat(room)).find((m) => m.id === id)) !== undefined && message.status !== "streaming", {
    timeoutMs: 15_000,
    what: `message ${id} to end`,
  });
  return message!;
}

async function put(room: string, name: string, text: string): Promise<number> {
  return (await fetch(new URL(`/live/${room}/files/${name}`, worker.url), { method: "PUT", body: text })).status;
}

/** A stock client's edit that grows the document; resolves once a second client sees it (or rejects on a close). */
async function editStillWorks(room: string, marker: string): Promise<void> {
  const [writer, reader] = [join(room), join(room)];
  await Promise.all([writer.synced(), reader.synced()]);
  let closed: number | null = null;
  writer.provider.on("connection-close", (event: { code: number } | null) => (closed = event?.code ?? closed));
  fileText(writer.doc, "index.tsx").insert(0, `${marker}\n`);
  await waitUntil(() => closed !== null || (reader.files()["index.tsx"] ?? "").startsWith(marker), { what: `${marker} to arrive` });
  assert.equal(closed, null, `the edit was refused with close code ${closed}`);
}

describe("the chat and the room's size limit", () => {
  test("many long questions, replies and applied edits never fill the room: its code stays editable", async () => {
    const room = nextRoom();
    assert.equal(await put(room, "index.tsx", "export default function App() { return <p>hi</p>; }\n".repeat(20)), 200);
    let answered = 0;
    for (let i = 0; i < 8; i++) {
      openai.script({ text: `Answer ${i}: ${"words ".repeat(500)}\n\n\`\`\`file:notes-${i}.md\n${"note ".repeat(200)}\n\`\`\`\n`, chunkSize: 400 });
      const asked = await ask(room, `Question ${i}: ${"please ".repeat(400)}`);
      if (asked.status === 413) continue; // refused before the provider: also fine
      assert.equal(asked.status, 202, JSON.stringify(asked.json));
      await ended(room, asked.json.assistantMessageId);
      answered++;
    }
    assert.ok(answered >= 4, `${answered} of 8 questions were answered`);
    // Ordinary editing still works, and the oldest messages made way: the history is bounded.
    await editStillWorks(room, "// edited after the chat");
    assert.ok((await chat(room)).length < 2 * answered, "old messages were trimmed");
  });

  test("a question that cannot fit is refused with 413 before the provider is called", async () => {
    const room = nextRoom();
    assert.equal(await put(room, "big.txt", "x".repeat(LIMIT - 4_000)), 200);
    const before = openai.requests.length;
    const asked = await ask(room, "What does big.txt say?");
    assert.equal(asked.status, 413);
    assert.match(asked.json.error, /room is full/);
    assert.equal(openai.requests.length, before, "the provider was not called");
    assert.deepEqual(await chat(room), [], "nothing was appended");
  });

  test("a reply that reaches the limit stops there with an error; deleting text and clearing the chat make the room editable again", async () => {
    const room = nextRoom();
    assert.equal(await put(room, "big.txt", "y".repeat(LIMIT - 14_000)), 200);
    openai.script({ text: "z".repeat(40_000), chunkSize: 500 });
    const asked = await ask(room, "Write a very long answer");
    assert.equal(asked.status, 202, JSON.stringify(asked.json));
    const reply = await ended(room, asked.json.assistantMessageId);
    assert.equal(reply.status, "error");
    assert.match(reply.error ?? "", /cut off: the room reached its size limit/);
    assert.ok(reply.text.length > 0 && reply.text.length < 40_000);

    // Full: a write that grows the room is refused, one that does not grow it is not.
    assert.equal(await put(room, "more.txt", "w".repeat(8_000)), 413);
    assert.equal(await put(room, "big.txt", "y".repeat(100)), 200, "shrinking a file is always allowed");
    // Deleting text over a socket is always allowed too.
    const deleter = join(room);
    await deleter.synced();
    const big = deleter.doc.getMap<Y.Text>("files").get("big.txt")!;
    deleter.doc.transact(() => big.delete(0, 50));
    await waitUntil(async () => (await fetchSession(worker, room)).files["big.txt"] === "y".repeat(50), { what: "the deletion to be stored" });

    // Anyone who may edit an unowned room clears its chat (a claimed room's owner only).
    const cleared = await fetch(new URL(`/live/${room}/chat`, worker.url), { method: "DELETE" });
    assert.equal(cleared.status, 200);
    assert.deepEqual(await cleared.json(), { cleared: 2 });
    assert.deepEqual(await chat(room), []);
    assert.equal(await put(room, "more.txt", "w".repeat(8_000)), 200, "the room has space again");
    await editStillWorks(room, "// editable again");
  });

  test("a chat written over the socket past the limit is refused like any other write", async () => {
    const room = nextRoom();
    const mallory = join(room);
    await mallory.synced();
    writeFile(mallory.doc, "index.tsx", "// start\n");
    await waitUntil(async () => (await put(room, "probe.txt", "")) === 200, { what: "the room to exist" });
    let closed: { code: number; reason: string } | null = null;
    mallory.provider.on("connection-close", (event: { code: number; reason: string } | null) => (closed ??= event));
    mallory.doc.getArray("chat").push([new Y.Text("q".repeat(LIMIT))]);
    await waitUntil(() => closed !== null, { what: "the oversized chat write to be refused" });
    assert.equal(closed!.code, 4413);
    assert.deepEqual(Object.keys((await fetchSession(worker, room)).files).sort(), ["index.tsx", "probe.txt"]);
  });
});
