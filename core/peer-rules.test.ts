import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as Y from "yjs";
import { CHANNEL_LABEL, MAX_CHANNEL_FRAME, channelDelivery, offersTo, peerClients } from "./peer-rules.js";
import { presenceState } from "./presence.js";
import {
  decodeAwarenessEntries,
  encodeAuthToken,
  encodeAwareness,
  encodeAwarenessEntries,
  encodePeerSignal,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from "./protocol.js";

/** A real Yjs update that inserts `text`. */
function update(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

function awareness(entries: { clientId: number; state: unknown }[]): Uint8Array {
  return encodeAwareness(encodeAwarenessEntries(entries.map(({ clientId, state }) => ({ clientId, clock: 1, state: JSON.stringify(state) }))));
}

describe("peer-to-peer rules", () => {
  test("of two peers exactly one offers: the larger client id", () => {
    assert.equal(offersTo(7, 3), true);
    assert.equal(offersTo(3, 7), false);
    assert.equal(offersTo(5, 5), false, "nobody offers to itself");
    assert.equal(CHANNEL_LABEL, "spike");
  });

  test("peers are the other clients whose awareness says peer: true, smallest id first", () => {
    const states = new Map<number, unknown>([
      [9, { peer: true }],
      [1, { peer: true, user: { name: "Ada", color: "#fff" } }],
      [5, { peer: true }],
      [4, { peer: "true" }],
      [3, { user: {} }],
      [2, null],
    ]);
    assert.deepEqual(peerClients(states, 5), [1, 9]);
  });

  test("the presence check keeps a boolean peer and drops any other value", () => {
    assert.deepEqual(presenceState({ peer: true }), { peer: true });
    assert.deepEqual(presenceState({ peer: false }), { peer: false });
    assert.deepEqual(presenceState({ peer: "yes" }), {});
    assert.deepEqual(presenceState({ peer: { evil: 1 } }), {});
  });

  test("a channel delivers an editor's Sync/Update as it came", () => {
    const u = update("hello");
    assert.deepEqual(channelDelivery(encodeUpdate(u), { clientId: 7, role: "editor" }), { kind: "update", update: u });
    assert.deepEqual(channelDelivery(encodeUpdate(u), { clientId: 7, role: "owner" }), { kind: "update", update: u });
  });

  test("a viewer's update over a channel is dropped, as the room drops it", () => {
    assert.deepEqual(channelDelivery(encodeUpdate(update("x")), { clientId: 7, role: "viewer" }), { kind: "drop", reason: "viewer" });
  });

  test("sync steps, auth, queries and signals are not for a channel: dropped", () => {
    const sender = { clientId: 7, role: "editor" as const };
    assert.equal(channelDelivery(encodeSyncStep1(new Uint8Array([0])), sender).kind, "drop");
    assert.equal(channelDelivery(encodeSyncStep2(update("x")), sender).kind, "drop");
    assert.equal(channelDelivery(encodeAuthToken("t"), sender).kind, "drop");
    assert.equal(channelDelivery(encodeQueryAwareness(), sender).kind, "drop");
    assert.equal(channelDelivery(encodePeerSignal(7, 3, { type: "bye" }), sender).kind, "drop");
  });

  test("malformed, truncated and oversized frames are dropped", () => {
    const sender = { clientId: 7, role: "editor" as const };
    assert.deepEqual(channelDelivery(new Uint8Array([]), sender), { kind: "drop", reason: "malformed" });
    assert.deepEqual(channelDelivery(new Uint8Array([0, 2, 50, 1]), sender), { kind: "drop", reason: "malformed" });
    assert.deepEqual(channelDelivery(new Uint8Array([99]), sender), { kind: "drop", reason: "malformed" });
    assert.deepEqual(channelDelivery(encodeAwareness(new Uint8Array([1, 7])), sender), { kind: "drop", reason: "malformed" });
    const big = encodeUpdate(new Uint8Array(MAX_CHANNEL_FRAME));
    assert.deepEqual(channelDelivery(big, sender), { kind: "drop", reason: "too large" });
  });

  test("awareness over a channel is kept only for the sender's own client id, and checked", () => {
    const frame = awareness([
      { clientId: 7, state: { user: { name: "Ada", color: "red;x" }, peer: true, cursor: 1 } },
      { clientId: 8, state: { user: { name: "Forged", color: "#fff" } } },
    ]);
    const delivery = channelDelivery(frame, { clientId: 7, role: "viewer" });
    assert.equal(delivery.kind, "awareness");
    const entries = decodeAwarenessEntries((delivery as { update: Uint8Array }).update);
    assert.deepEqual(
      entries.map((e) => [e.clientId, JSON.parse(e.state)]),
      [[7, { peer: true, cursor: 1 }]],
      "only the sender's own entry, its unsafe colour dropped; a viewer may still show its cursor",
    );
    assert.deepEqual(channelDelivery(awareness([{ clientId: 8, state: {} }]), { clientId: 7, role: "editor" }), {
      kind: "drop",
      reason: "not the sender's awareness",
    });
    assert.equal(channelDelivery(awareness([{ clientId: 7, state: null }]), { clientId: 7, role: "editor" }).kind, "awareness", "its departure");
  });
});
