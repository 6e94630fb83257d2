import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { fileText } from "./project.js";
import { PRESENCE_LIMITS, presenceSelection, presenceState, presenceUser, sanitizeAwarenessUpdate } from "./presence.js";
import { encodeAwarenessEntries } from "./protocol.js";

/** A doc with one file and a selection in it, as y-monaco publishes it (relative positions through JSON). */
function monacoSelection() {
  const doc = new Y.Doc();
  const text = fileText(doc, "index.tsx");
  text.insert(0, "export const answer = 42;\n");
  const selection = {
    anchor: Y.createRelativePositionFromTypeIndex(text, 7),
    head: Y.createRelativePositionFromTypeIndex(text, text.length),
  };
  return { doc, text, json: JSON.parse(JSON.stringify(selection)) as { anchor: unknown; head: unknown } };
}

/** What y-monaco does with a remote selection: resolve both ends against the doc. */
function resolve(selection: { anchor: unknown; head: unknown }, doc: Y.Doc) {
  return [selection.anchor, selection.head].map((p) => Y.createAbsolutePositionFromRelativePosition(p as Y.RelativePosition, doc));
}

/** An awareness update from a client that publishes `state` as it is, bypassing any check. */
function rawUpdate(clientId: number, state: unknown): Uint8Array {
  return encodeAwarenessEntries([{ clientId, clock: 1, state: JSON.stringify(state) }]);
}

describe("presence", () => {
  test("a selection as y-monaco writes it is kept and still resolves to the same places", () => {
    const { doc, text, json } = monacoSelection();
    const checked = presenceSelection(json)!;
    assert.deepEqual(checked, json);
    const [anchor, head] = resolve(checked, doc);
    assert.equal(anchor!.type, text);
    assert.deepEqual([anchor!.index, head!.index], [7, text.length]);
    assert.equal(presenceSelection(null), null, "no selection");
  });

  test("selections Yjs would throw on are dropped", () => {
    const { doc, json } = monacoSelection();
    const nothing = { type: null, tname: null, item: null, assoc: 0 };
    const throwing = [
      { anchor: {}, head: {} },
      { anchor: nothing, head: nothing },
      { anchor: { ...(json.anchor as object), item: { client: "x" } }, head: json.head },
    ];
    for (const selection of throwing) {
      assert.throws(() => resolve(selection, doc), undefined, "the raw selection breaks y-monaco's rendering");
      assert.equal(presenceSelection(selection), undefined);
    }
    const malformed = [
      "a string",
      [json.anchor, json.head],
      { anchor: json.anchor },
      { anchor: json.anchor, head: { ...(json.head as object), item: { client: 1, clock: -1 } } },
      { anchor: json.anchor, head: { ...(json.head as object), item: { client: 1, clock: 1.5 } } },
      { anchor: json.anchor, head: { ...(json.head as object), assoc: "left" } },
      { anchor: json.anchor, head: { type: null, item: null, tname: "t".repeat(PRESENCE_LIMITS.typeNameLength + 1) } },
      { anchor: json.anchor, head: { type: null, item: null, tname: 5 } },
    ];
    for (const selection of malformed) assert.equal(presenceSelection(selection), undefined, JSON.stringify(selection).slice(0, 80));
    // Missing fields read as Yjs reads them in JSON (null, assoc 0), written out in full.
    assert.deepEqual(presenceSelection({ anchor: { tname: "files" }, head: { item: { client: 1, clock: 2 } } }), {
      anchor: { type: null, tname: "files", item: null, assoc: 0 },
      head: { type: null, tname: null, item: { client: 1, clock: 2 }, assoc: 0 },
    });
  });

  test("a user needs a string name and a colour that is safe in CSS; long names are cut", () => {
    assert.deepEqual(presenceUser({ name: "Ada", color: "#e6194b" }), { name: "Ada", color: "#e6194b" });
    assert.deepEqual(presenceUser({ name: "Bo", color: "rgb(1, 2, 3)" }), { name: "Bo", color: "rgb(1, 2, 3)" });
    assert.deepEqual(presenceUser({ name: "Cy", color: "teal" }), { name: "Cy", color: "teal" });
    assert.equal(presenceUser({ name: { first: "Eve" }, color: "#fff" }), undefined);
    assert.equal(presenceUser({ name: "Eve", color: "red; background: url(https://tracker.example/x)" }), undefined);
    assert.equal(presenceUser({ name: "Eve", color: "#fff} .view-lines { display: none" }), undefined);
    assert.equal(presenceUser({ name: "Eve" }), undefined);
    assert.equal(presenceUser("Eve"), undefined);
    assert.equal(presenceUser({ name: "x".repeat(10_000), color: "#fff" })!.name.length, PRESENCE_LIMITS.nameLength);
    const emoji = `${"a".repeat(PRESENCE_LIMITS.nameLength - 1)}😀`;
    assert.equal(presenceUser({ name: emoji, color: "#fff" })!.name, "a".repeat(PRESENCE_LIMITS.nameLength - 1), "never half a pair");
  });

  test("a state keeps its good fields and other tools' fields; bad ones are dropped; non-objects are ignored", () => {
    const { json } = monacoSelection();
    assert.deepEqual(presenceState({ user: { name: "Ada", color: "#fff" }, selection: json, typing: true, cursor: { x: 1 } }), {
      user: { name: "Ada", color: "#fff" },
      selection: json,
      typing: true,
      cursor: { x: 1 },
    });
    assert.deepEqual(presenceState({ user: { name: 7, color: "#fff" }, selection: { anchor: {}, head: {} }, typing: "yes" }), {});
    assert.equal(presenceState(null), null, "the client left");
    for (const state of [5, "x", [], true]) assert.equal(presenceState(state), undefined);
  });

  test("an awareness update is cleaned entry by entry before an Awareness sees it", () => {
    const { doc, json } = monacoSelection();
    const hostile = new Y.Doc();
    const source = new awarenessProtocol.Awareness(hostile);
    source.setLocalState({ user: { name: { toString: "x" }, color: "red;}" }, selection: { anchor: {}, head: {} } });
    const good = { user: { name: "Ada", color: "#3cb44b" }, selection: json };
    const combined = encodeAwarenessEntries([
      { clientId: 11, clock: 1, state: JSON.stringify(good) },
      { clientId: hostile.clientID, clock: 1, state: JSON.stringify(source.getLocalState()) },
      { clientId: 12, clock: 1, state: "42" },
      { clientId: 13, clock: 1, state: "null" },
    ]);
    const target = new awarenessProtocol.Awareness(doc);
    awarenessProtocol.applyAwarenessUpdate(target, sanitizeAwarenessUpdate(combined)!, "remote");
    assert.deepEqual(target.getStates().get(11), good);
    assert.deepEqual(target.getStates().get(hostile.clientID), {}, "present, with nothing to render");
    assert.equal(target.getStates().has(12), false, "a state that is not an object is ignored");
    assert.equal(target.getStates().has(13), false);
    source.destroy();
    target.destroy();
  });

  test("a payload that is not an awareness update, or leaves nothing, is ignored whole", () => {
    assert.equal(sanitizeAwarenessUpdate(new Uint8Array([1, 2])), null);
    assert.equal(sanitizeAwarenessUpdate(new Uint8Array([1, 5, 1, 1, 123])), null, "truncated JSON");
    assert.equal(sanitizeAwarenessUpdate(rawUpdate(3, "a string")), null);
    assert.ok(sanitizeAwarenessUpdate(rawUpdate(3, { user: { name: "Ada", color: "#fff" } })));
  });
});
