/** Room keys as pages handle them: the `#spike-key=` fragment and the shared-client registry's key (core/room-key.ts). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { generateRoomKey } from "./room-crypto.js";
import { roomKeyFromFragment } from "./room-key.js";
import { roomKey } from "./room-registry.js";

describe("room keys in pages", () => {
  test("the fragment's spike-key is read, alone or among other parameters", async () => {
    const key = await generateRoomKey();
    assert.equal(roomKeyFromFragment(`#spike-key=${key}`), key);
    assert.equal(roomKeyFromFragment(`#line=3&spike-key=${key}&x`), key);
    assert.equal(roomKeyFromFragment(`spike-key=${key}`), key, "without the #");
  });

  test("no key, an empty one or a malformed one in the fragment is none", () => {
    for (const hash of ["", "#", "#spike-key", "#spike-key=", "#spike-key=short", `#spike-key=${"!".repeat(43)}`, `#key=${"A".repeat(43)}`]) {
      assert.equal(roomKeyFromFragment(hash), null, hash);
    }
  });

  test("a keyed client, a plaintext one and one with another key of the same room are different shared clients", async () => {
    const [a, b] = [await generateRoomKey(), await generateRoomKey()];
    const keys = new Set([roomKey("http://x/", "r"), roomKey("http://x", "r", a), roomKey("http://x", "r", b)]);
    assert.equal(keys.size, 3);
    assert.equal(roomKey("http://x/", "r", a), roomKey("http://x", "r", a));
  });
});
