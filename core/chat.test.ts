import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as Y from "yjs";
import {
  CHAT_READ_LIMITS,
  appendAgentMessage,
  appendToken,
  appendUserMessage,
  cancelMessage,
  chatOf,
  failMessage,
  finishMessage,
  messageText,
  newMessageId,
  readChat,
  readMessage,
  setMessageEdits,
  startAssistantMessage,
} from "./chat.js";

/** Two docs kept in sync through their update events, like two clients of one room. */
function pair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on("update", (u: Uint8Array, origin: unknown) => origin !== "remote" && Y.applyUpdate(b, u, "remote"));
  b.on("update", (u: Uint8Array, origin: unknown) => origin !== "remote" && Y.applyUpdate(a, u, "remote"));
  return [a, b];
}

describe("chat", () => {
  test("a user message is stored with all its fields", () => {
    const doc = new Y.Doc();
    const before = Date.now();
    const id = appendUserMessage(doc, { author: "Ada", text: "Make it red", model: "gpt-4o-mini" });
    const [message] = readChat(doc);
    assert.equal(readChat(doc).length, 1);
    assert.deepEqual({ ...message, time: 0 }, {
      id,
      role: "user",
      author: "Ada",
      text: "Make it red",
      model: "gpt-4o-mini",
      status: "done",
      time: 0,
    });
    assert.ok(message!.time >= before && message!.time <= Date.now());
    const entry = chatOf(doc).get(0);
    assert.ok(entry.get("text") instanceof Y.Text, "text is a Y.Text");
  });

  test("an assistant reply streams token by token and finishes", () => {
    const doc = new Y.Doc();
    const id = startAssistantMessage(doc, { model: "claude-haiku-4-5" });
    assert.equal(readMessage(doc, id)!.status, "streaming");
    assert.equal(readMessage(doc, id)!.role, "assistant");
    assert.equal(readMessage(doc, id)!.model, "claude-haiku-4-5");
    assert.equal(messageText(doc, id), "");
    appendToken(doc, id, "Hel");
    appendToken(doc, id, "lo");
    appendToken(doc, id, "");
    assert.equal(messageText(doc, id), "Hello");
    assert.equal(finishMessage(doc, id), true);
    assert.equal(readMessage(doc, id)!.status, "done");
    assert.equal(finishMessage(doc, id), false, "finishing twice is refused");
    appendToken(doc, id, " late");
    assert.equal(messageText(doc, id), "Hello", "tokens after the end are ignored");
  });

  test("failing keeps the partial text and records the reason", () => {
    const doc = new Y.Doc();
    const id = startAssistantMessage(doc, { model: "gpt-4o-mini" });
    appendToken(doc, id, "Partial");
    assert.equal(failMessage(doc, id, "OpenAI rejected the API key (401)"), true);
    const message = readMessage(doc, id)!;
    assert.equal(message.status, "error");
    assert.equal(message.error, "OpenAI rejected the API key (401)");
    assert.equal(message.text, "Partial");
    assert.equal(cancelMessage(doc, id), false, "an ended message cannot be cancelled");
    assert.equal(readMessage(doc, id)!.status, "error");
  });

  test("cancelling stops the stream", () => {
    const doc = new Y.Doc();
    const id = startAssistantMessage(doc, { model: "gpt-4o-mini" });
    appendToken(doc, id, "abc");
    assert.equal(cancelMessage(doc, id), true);
    appendToken(doc, id, "def");
    assert.equal(readMessage(doc, id)!.status, "cancelled");
    assert.equal(readMessage(doc, id)!.error, undefined);
    assert.equal(messageText(doc, id), "abc");
  });

  test("unknown ids change nothing", () => {
    const doc = new Y.Doc();
    appendUserMessage(doc, { author: "a", text: "q", model: "m" });
    appendToken(doc, "nope", "x");
    assert.equal(finishMessage(doc, "nope"), false);
    assert.equal(failMessage(doc, "nope", "e"), false);
    assert.equal(cancelMessage(doc, "nope"), false);
    assert.equal(setMessageEdits(doc, "nope", []), false);
    assert.equal(messageText(doc, "nope"), "");
    assert.equal(readMessage(doc, "nope"), undefined);
    assert.equal(readChat(doc).length, 1);
  });

  test("user messages cannot be streamed into", () => {
    const doc = new Y.Doc();
    const id = appendUserMessage(doc, { author: "a", text: "q", model: "m" });
    appendToken(doc, id, "x");
    assert.equal(messageText(doc, id), "q");
  });

  test("messages keep their order and ids are unique", () => {
    const doc = new Y.Doc();
    const u = appendUserMessage(doc, { author: "a", text: "one", model: "m" });
    const r = startAssistantMessage(doc, { model: "m" });
    const u2 = appendUserMessage(doc, { author: "b", text: "two", model: "m" });
    assert.deepEqual(readChat(doc).map((m) => m.id), [u, r, u2]);
    const ids = new Set(Array.from({ length: 1000 }, () => newMessageId()));
    assert.equal(ids.size, 1000);
  });

  test("streamed tokens reach another client as text inserts", () => {
    const [server, client] = pair();
    const id = startAssistantMessage(server, { model: "gpt-4o-mini" });
    assert.equal(readMessage(client, id)!.status, "streaming");
    const deltas: unknown[] = [];
    chatOf(client).observeDeep((events) => {
      for (const event of events) if (event instanceof Y.YTextEvent) deltas.push(...event.delta);
    });
    appendToken(server, id, "Hi");
    appendToken(server, id, " there");
    assert.deepEqual(deltas, [{ insert: "Hi" }, { retain: 2 }, { insert: " there" }]);
    finishMessage(server, id);
    assert.equal(readMessage(client, id)!.status, "done");
    assert.equal(messageText(client, id), "Hi there");
  });

  test("every change carries the caller's origin", () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on("afterTransaction", (tr: Y.Transaction) => origins.push(tr.origin));
    const origin = { reply: 1 };
    const id = startAssistantMessage(doc, { model: "m" }, origin);
    appendToken(doc, id, "x", origin);
    setMessageEdits(doc, id, [], origin);
    finishMessage(doc, id, origin);
    appendUserMessage(doc, { author: "a", text: "q", model: "m" }, "user");
    assert.deepEqual(origins, [origin, origin, origin, origin, "user"]);
  });

  test("applied edits round-trip through the message", () => {
    const doc = new Y.Doc();
    const id = startAssistantMessage(doc, { model: "m" });
    const edits = [{ file: "a.ts", before: "1", after: "2" }, { file: "b.ts", before: "", after: "x", created: true }];
    assert.equal(setMessageEdits(doc, id, edits), true);
    assert.equal(typeof chatOf(doc).get(0).get("edits"), "string", "stored as JSON text");
    assert.deepEqual(readMessage(doc, id)!.edits, edits);
    assert.equal(readChat(doc)[0]!.edits?.length, 2);
  });

  test("malformed entries written by any client are skipped or cleaned", () => {
    const doc = new Y.Doc();
    const good = appendUserMessage(doc, { author: "a", text: "ok", model: "m" });
    doc.transact(() => {
      const chat = chatOf(doc);
      chat.push([new Y.Map()]);
      const badRole = new Y.Map<unknown>();
      badRole.set("id", "x");
      badRole.set("role", "system");
      badRole.set("status", "done");
      chat.push([badRole]);
      const odd = new Y.Map<unknown>();
      odd.set("id", "odd");
      odd.set("role", "assistant");
      odd.set("status", "done");
      odd.set("text", "plain string");
      odd.set("edits", "{not json");
      chat.push([odd]);
      const badEdits = new Y.Map<unknown>();
      badEdits.set("id", "be");
      badEdits.set("role", "assistant");
      badEdits.set("status", "done");
      badEdits.set("edits", JSON.stringify([{ file: "a" }, { file: "b", before: "", after: "1" }]));
      chat.push([badEdits]);
    });
    const chat = readChat(doc);
    assert.deepEqual(chat.map((m) => m.id), [good, "odd", "be"]);
    assert.deepEqual(chat[1], { id: "odd", role: "assistant", author: "", text: "plain string", model: "", status: "done", time: 0 });
    assert.deepEqual(chat[2]!.edits, [{ file: "b", before: "", after: "1" }]);
  });

  /** A forged message entry: the fields of a good user message, with `fields` written over them. */
  function forge(doc: Y.Doc, id: string, fields: Record<string, unknown>): void {
    const entry = new Y.Map<unknown>();
    const all: Record<string, unknown> = { id, role: "user", author: "Eve", text: "forged", model: "m", status: "done", time: 1_700_000_000_000, ...fields };
    for (const [key, value] of Object.entries(all)) if (value !== undefined) entry.set(key, value);
    chatOf(doc).push([entry]);
  }

  test("a forged time that is no date reads as 0 and hides no other message", () => {
    const doc = new Y.Doc();
    const first = appendUserMessage(doc, { author: "Ada", text: "before", model: "m" });
    doc.transact(() => {
      forge(doc, "huge", { time: 1e20 });
      forge(doc, "nan", { time: NaN });
      forge(doc, "minus-infinity", { time: -Infinity });
      forge(doc, "negative", { time: -1 });
      forge(doc, "string", { time: "2024-01-01" });
      forge(doc, "object", { time: { ms: 1 } });
      forge(doc, "fine", { time: 1_700_000_000_000 });
    });
    const last = appendUserMessage(doc, { author: "Bob", text: "after", model: "m" });
    const chat = readChat(doc);
    assert.deepEqual(chat.map((m) => m.id), [first, "huge", "nan", "minus-infinity", "negative", "string", "object", "fine", last]);
    assert.deepEqual(chat.slice(1, 7).map((m) => m.time), [0, 0, 0, 0, 0, 0]);
    assert.equal(chat[7]!.time, 1_700_000_000_000);
    for (const m of chat) assert.doesNotThrow(() => new Date(m.time).toISOString(), `time of ${m.id}`);
  });

  test("forged field types read as empty, overlong strings are cut, bad ids, roles and statuses are skipped", () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      const nested = new Y.Map<unknown>();
      nested.set("evil", "yes");
      forge(doc, "types", { author: 42, text: nested, model: ["gpt"], error: { message: "x" } });
      forge(doc, "long", { author: "A".repeat(10_000), text: "T".repeat(CHAT_READ_LIMITS.textLength + 5), model: "M".repeat(500), status: "error", error: "E".repeat(50_000) });
      forge(doc, "x".repeat(CHAT_READ_LIMITS.idLength + 1), {});
      forge(doc, "", {});
      forge(doc, "number-id", { id: 7 });
      forge(doc, "role", { role: "system" });
      forge(doc, "status", { status: 1 });
      chatOf(doc).push(["a string", 5, null, new Y.Array()] as unknown as Y.Map<unknown>[]);
      forge(doc, "surrogate", { author: `${"a".repeat(CHAT_READ_LIMITS.authorLength - 1)}😀 tail` });
    });
    const chat = readChat(doc);
    assert.deepEqual(chat.map((m) => m.id), ["types", "long", "surrogate"]);
    const [types, long, surrogate] = chat;
    assert.deepEqual({ ...types }, { id: "types", role: "user", author: "", text: "", model: "", status: "done", time: 1_700_000_000_000 });
    assert.equal(long!.author.length, CHAT_READ_LIMITS.authorLength + 1, "cut, with an ellipsis");
    assert.ok(long!.author.endsWith("…"));
    assert.equal(long!.text.length, CHAT_READ_LIMITS.textLength + 1);
    assert.equal(long!.model.length, CHAT_READ_LIMITS.modelLength + 1);
    assert.equal(long!.error!.length, CHAT_READ_LIMITS.errorLength + 1);
    // Never half an emoji: the high surrogate that would end the cut is left out with its pair.
    assert.equal(surrogate!.author, `${"a".repeat(CHAT_READ_LIMITS.authorLength - 1)}…`);
  });

  test("when two entries claim one id, only the newer is read, as the room's lookups find it", () => {
    const doc = new Y.Doc();
    const id = appendUserMessage(doc, { author: "Ada", text: "first", model: "m" });
    const other = appendUserMessage(doc, { author: "Bob", text: "other", model: "m" });
    forge(doc, id, { text: "second" });
    assert.deepEqual(readChat(doc).map((m) => [m.id, m.text]), [[other, "other"], [id, "second"]]);
    assert.equal(readMessage(doc, id)!.text, "second");
  });

  test("garbage edits keep only well-formed entries with valid file names", () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      forge(doc, "not-array", { role: "assistant", edits: JSON.stringify({ file: "a.ts", before: "", after: "" }) });
      forge(doc, "number", { role: "assistant", edits: 12 });
      forge(doc, "mixed", {
        role: "assistant",
        edits: JSON.stringify([
          null,
          7,
          "a.ts",
          { file: "../../etc/passwd", before: "", after: "x" },
          { file: "a.ts", before: 1, after: "x" },
          { file: "b.ts", before: "1", after: "2", created: "yes", failed: "SEARCH not found" },
          { file: "c.ts", before: "", after: "3", created: true, failed: ["not found", 9, { x: 1 }] },
        ]),
      });
    });
    const [notArray, number, mixed] = readChat(doc);
    assert.equal(notArray!.edits, undefined);
    assert.equal(number!.edits, undefined);
    assert.deepEqual(mixed!.edits, [
      { file: "b.ts", before: "1", after: "2" },
      { file: "c.ts", before: "", after: "3", created: true, failed: ["not found"] },
    ]);
  });

  test("the chat survives a round trip through a persisted update", () => {
    const doc = new Y.Doc();
    appendUserMessage(doc, { author: "Ada", text: "q", model: "m" });
    const id = startAssistantMessage(doc, { model: "m" });
    appendToken(doc, id, "answer");
    finishMessage(doc, id);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    assert.deepEqual(readChat(copy), readChat(doc));
  });
});

describe("agent messages", () => {
  test("an agent's change is a finished message with its undo copy, in one transaction", () => {
    const doc = new Y.Doc();
    let transactions = 0;
    doc.on("afterTransaction", () => transactions++);
    const edits = [{ file: "index.tsx", before: "Hi", after: "Hello", at: 10, length: 40, hash: "abc" }];
    const id = appendAgentMessage(doc, { author: "Claude (MCP)", text: "changed index.tsx", edits });
    assert.equal(transactions, 1);
    const message = readMessage(doc, id)!;
    assert.deepEqual({ ...message, time: 0 }, {
      id,
      role: "agent",
      author: "Claude (MCP)",
      text: "changed index.tsx",
      model: "",
      status: "done",
      time: 0,
      edits,
    });
  });

  test("a deleted file's undo copy keeps its deleted mark", () => {
    const doc = new Y.Doc();
    const id = appendAgentMessage(doc, { author: "agent", text: "deleted a.css", edits: [{ file: "a.css", before: "x", after: "", deleted: true }] });
    assert.deepEqual(readMessage(doc, id)!.edits, [{ file: "a.css", before: "x", after: "", deleted: true }]);
  });
});
