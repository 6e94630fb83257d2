import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import {
  AuthKind,
  MessageType,
  ProtocolError,
  SyncStep,
  decodeAwarenessEntries,
  decodeMessage,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeAuthGranted,
  encodeAuthToken,
  encodePermissionDenied,
  encodeQueryAwareness,
  encodeRefused,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  isValidRoomId,
} from "./protocol.js";
import { isValidFileName, readFiles, seedFiles, writeFile } from "./project.js";

describe("protocol", () => {
  test("sync messages round-trip", () => {
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "hello");
    const sv = Y.encodeStateVector(doc);
    assert.deepEqual(decodeMessage(encodeSyncStep1(sv)), { type: MessageType.Sync, step: SyncStep.Step1, stateVector: sv });
    const update = Y.encodeStateAsUpdate(doc);
    assert.deepEqual(decodeMessage(encodeSyncStep2(update)), { type: MessageType.Sync, step: SyncStep.Step2, update });
    assert.deepEqual(decodeMessage(encodeUpdate(update)), { type: MessageType.Sync, step: SyncStep.Update, update });
    assert.deepEqual(decodeMessage(encodeQueryAwareness()), { type: MessageType.QueryAwareness });
    assert.deepEqual(decodeMessage(encodePermissionDenied("read-only", "no")), {
      type: MessageType.Auth,
      kind: AuthKind.PermissionDenied,
      denial: "read-only",
      reason: "no",
    });
    assert.deepEqual(decodeMessage(encodeAuthToken("a.b.c")), { type: MessageType.Auth, kind: AuthKind.Token, token: "a.b.c" });
    const grant = { role: "viewer", userId: "user_1", visibility: "readonly", expiresAt: 1_700_000_000_000 } as const;
    assert.deepEqual(decodeMessage(encodeAuthGranted(grant)), { type: MessageType.Auth, kind: AuthKind.Granted, grant });
    const refusal = { code: 4429, retryAfterSeconds: 12 };
    assert.deepEqual(decodeMessage(encodeRefused(refusal)), { type: MessageType.Auth, kind: AuthKind.Refused, refusal });
  });

  test("a denial's kind travels after y-protocols' reason, which a stock reader still finds first", () => {
    const frame = encodePermissionDenied("read-only", "read-only: the edit was not saved");
    // What y-protocols' readAuthMessage reads: type, kind 0, the reason; it never looks further.
    const decoder = decoding.createDecoder(frame);
    assert.deepEqual([decoding.readVarUint(decoder), decoding.readVarUint(decoder)], [MessageType.Auth, AuthKind.PermissionDenied]);
    assert.equal(decoding.readVarString(decoder), "read-only: the edit was not saved");
    assert.equal(decoding.readVarString(decoder), "read-only");
  });

  test("a denial of an unknown kind, a denial without its kind and a malformed refusal are protocol errors", () => {
    const denial = (...strings: string[]) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MessageType.Auth);
      encoding.writeVarUint(e, AuthKind.PermissionDenied);
      for (const text of strings) encoding.writeVarString(e, text);
      return encoding.toUint8Array(e);
    };
    assert.throws(() => decodeMessage(denial("no", "sideways")), /unknown denial/);
    assert.throws(() => decodeMessage(denial("read-only: no")), ProtocolError);
    const refused = (json: string) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MessageType.Auth);
      encoding.writeVarUint(e, AuthKind.Refused);
      encoding.writeVarString(e, json);
      return encoding.toUint8Array(e);
    };
    for (const bad of ["retry in 3 s", "null", '{"code": 4429}', '{"code": 4429, "retryAfterSeconds": "3"}', '{"code": 4429, "retryAfterSeconds": -1}', '{"code": 99, "retryAfterSeconds": 3}']) {
      assert.throws(() => decodeMessage(refused(bad)), ProtocolError, bad);
    }
  });

  test("awareness entries match y-protocols' encoding both ways", () => {
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalStateField("user", { name: "Ada", color: "#f00" });
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    const entries = decodeAwarenessEntries(update);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.clientId, doc.clientID);
    assert.deepEqual(JSON.parse(entries[0]!.state), { user: { name: "Ada", color: "#f00" } });
    assert.deepEqual(encodeAwarenessEntries(entries), update);
    const msg = decodeMessage(encodeAwareness(update));
    assert.equal(msg.type, MessageType.Awareness);
    awareness.destroy();
  });

  test("malformed frames throw ProtocolError", () => {
    for (const bad of [
      new Uint8Array([]),
      new Uint8Array([9]),
      new Uint8Array([0, 7, 0]),
      new Uint8Array([0, 0, 200]),
      new Uint8Array([0, 0, 1, 1, 42]),
      new Uint8Array([2, 1]),
      new Uint8Array([255, 255, 255, 255, 255, 255]),
    ]) {
      assert.throws(() => decodeMessage(bad), ProtocolError, `frame ${[...bad]}`);
    }
    assert.throws(() => decodeAwarenessEntries(new Uint8Array([1, 1, 1, 3, 123, 125, 125])), ProtocolError);
  });

  test("room ids", () => {
    for (const ok of ["demo", "a", "A-b_9", "x".repeat(64)]) assert.ok(isValidRoomId(ok), ok);
    for (const bad of ["", "x".repeat(65), "a b", "a/b", "..", "ü", "a%20"]) assert.ok(!isValidRoomId(bad), bad);
  });
});

describe("project", () => {
  test("writeFile changes only the differing span", () => {
    const doc = new Y.Doc();
    writeFile(doc, "index.tsx", "const a = 1;\nconst b = 2;\n");
    const text = doc.getMap<Y.Text>("files").get("index.tsx")!;
    const deltas: unknown[] = [];
    text.observe((e) => deltas.push(e.delta));
    writeFile(doc, "index.tsx", "const a = 1;\nconst bee = 2;\n");
    assert.deepEqual(deltas, [[{ retain: 20 }, { insert: "ee" }]]);
    assert.deepEqual(readFiles(doc), { "index.tsx": "const a = 1;\nconst bee = 2;\n" });
  });

  test("seedFiles only seeds an empty project", () => {
    const doc = new Y.Doc();
    assert.equal(seedFiles(doc, { "index.tsx": "a" }), true);
    assert.equal(seedFiles(doc, { "index.tsx": "b" }), false);
    assert.deepEqual(readFiles(doc), { "index.tsx": "a" });
  });

  test("file names", () => {
    for (const ok of ["index.tsx", "components/App.tsx", "a-b_c.css", ".env"]) assert.ok(isValidFileName(ok), ok);
    for (const bad of ["", "../x", "a/../b", "a//b", "/abs", "a\\b", "x".repeat(129), ".", "a/./b"]) {
      assert.ok(!isValidFileName(bad), bad);
    }
  });
});
