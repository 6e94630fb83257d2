import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as encoding from "lib0/encoding";
import {
  CloseCode,
  MessageType,
  ProtocolError,
  SealedKind,
  TERMINAL_CLOSE_CODES,
  decodeMessage,
  encodeSealedAppend,
  encodeSealedAppended,
  encodeSealedAwareness,
  encodeSealedCaughtUp,
  encodeSealedFetch,
  encodeSealedInit,
  encodeSealedLeft,
  encodeSealedMode,
  encodeSealedSnapshot,
  encodeSealedSnapshotWanted,
  encodeSealedStored,
  maxSealedAwarenessBytes,
} from "./protocol.js";
import { SEAL_OVERHEAD } from "./room-crypto.js";

const blob = (n = 40, fill = 7) => new Uint8Array(n).fill(fill);

function raw(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

describe("sealed protocol", () => {
  test("every sealed frame round-trips", () => {
    const b = blob();
    const cases: [Uint8Array, object][] = [
      [encodeSealedInit(b), { type: 5, kind: SealedKind.Init, keyCheck: b }],
      [encodeSealedMode(true, b), { type: 5, kind: SealedKind.Mode, encrypted: true, keyCheck: b }],
      [encodeSealedMode(false), { type: 5, kind: SealedKind.Mode, encrypted: false, keyCheck: new Uint8Array(0) }],
      [encodeSealedAppend(b), { type: 5, kind: SealedKind.Append, sealed: b }],
      [encodeSealedAppended(300, b), { type: 5, kind: SealedKind.Appended, seq: 300, sealed: b }],
      [encodeSealedStored(2 ** 40), { type: 5, kind: SealedKind.Stored, seq: 2 ** 40 }],
      [encodeSealedFetch(0), { type: 5, kind: SealedKind.Fetch, since: 0 }],
      [encodeSealedCaughtUp(9), { type: 5, kind: SealedKind.CaughtUp, seq: 9 }],
      [encodeSealedSnapshot(12, b), { type: 5, kind: SealedKind.Snapshot, upTo: 12, sealed: b }],
      [encodeSealedSnapshotWanted(201), { type: 5, kind: SealedKind.SnapshotWanted, upTo: 201 }],
      [encodeSealedAwareness(123456789, b), { type: 5, kind: SealedKind.Awareness, clientId: 123456789, sealed: b }],
      [encodeSealedLeft([1, 2, 4_000_000_000]), { type: 5, kind: SealedKind.Left, clientIds: [1, 2, 4_000_000_000] }],
      [encodeSealedLeft([]), { type: 5, kind: SealedKind.Left, clientIds: [] }],
    ];
    for (const [frame, expected] of cases) assert.deepEqual(decodeMessage(frame), expected);
    assert.equal(MessageType.Sealed, 5);
  });

  test("malformed sealed frames are ProtocolErrors", () => {
    const full = encodeSealedAppended(5, blob());
    const bad: [string, Uint8Array][] = [
      ["unknown kind", raw((e) => (encoding.writeVarUint(e, 5), encoding.writeVarUint(e, 11)))],
      ["no kind", raw((e) => encoding.writeVarUint(e, 5))],
      ["truncated blob", full.subarray(0, full.byteLength - 1)],
      ["trailing byte", new Uint8Array([...encodeSealedFetch(1), 0])],
      ["blob shorter than a seal", encodeSealedAppend(blob(SEAL_OVERHEAD - 1))],
      ["empty init", encodeSealedInit(new Uint8Array(0))],
      ["empty snapshot", encodeSealedSnapshot(3, new Uint8Array(0))],
      ["empty awareness", encodeSealedAwareness(3, new Uint8Array(0))],
      ["mode key check too short", encodeSealedMode(true, blob(3))],
      [
        "mode not JSON",
        raw((e) => {
          encoding.writeVarUint(e, 5);
          encoding.writeVarUint(e, SealedKind.Mode);
          encoding.writeVarString(e, "{nope");
          encoding.writeVarUint8Array(e, new Uint8Array(0));
        }),
      ],
      [
        "mode without a boolean",
        raw((e) => {
          encoding.writeVarUint(e, 5);
          encoding.writeVarUint(e, SealedKind.Mode);
          encoding.writeVarString(e, '{"encrypted":"yes"}');
          encoding.writeVarUint8Array(e, new Uint8Array(0));
        }),
      ],
      [
        "left with a huge count",
        raw((e) => {
          encoding.writeVarUint(e, 5);
          encoding.writeVarUint(e, SealedKind.Left);
          encoding.writeVarUint(e, 1_000_000);
        }),
      ],
      ["left with fewer ids than its count", encodeSealedLeft([1, 2, 3]).subarray(0, 4)],
    ];
    for (const [name, frame] of bad) assert.throws(() => decodeMessage(frame), ProtocolError, name);
  });

  test("the encrypted-room close codes are terminal", () => {
    assert.equal(CloseCode.Encrypted, 4409);
    assert.equal(CloseCode.NotEncrypted, 4412);
    assert.ok(TERMINAL_CLOSE_CODES.has(4409));
    assert.ok(TERMINAL_CLOSE_CODES.has(4412));
  });

  test("the sealed awareness bound leaves room for a full state", () => {
    assert.ok(maxSealedAwarenessBytes(4096) > 2 * 4096 + SEAL_OVERHEAD);
  });
});
