/** The playground separator's keys and pointer maths (elements/internal/playground-split.ts), as pure functions. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_SPLIT, MIN_SPLIT, clampSplit, splitAfterKey, splitAtPointer } from "./playground-split.js";

const key = (name: string, shiftKey = false) => ({ key: name, shiftKey });

test("arrow keys step the separator by 5%, Shift and Page Up/Down by 20%, Home and End go to the ends", () => {
  assert.equal(splitAfterKey(50, key("ArrowLeft")), 45);
  assert.equal(splitAfterKey(50, key("ArrowRight")), 55);
  assert.equal(splitAfterKey(50, key("ArrowUp")), 45);
  assert.equal(splitAfterKey(50, key("ArrowDown")), 55);
  assert.equal(splitAfterKey(50, key("ArrowLeft", true)), 30);
  assert.equal(splitAfterKey(50, key("PageDown")), 70);
  assert.equal(splitAfterKey(50, key("Home")), MIN_SPLIT);
  assert.equal(splitAfterKey(50, key("End")), MAX_SPLIT);
});

test("the separator never leaves 20..80%, and keys it does not handle are left to the page", () => {
  assert.equal(splitAfterKey(MIN_SPLIT, key("ArrowLeft")), MIN_SPLIT);
  assert.equal(splitAfterKey(78, key("ArrowRight", true)), MAX_SPLIT);
  assert.equal(splitAfterKey(50, key("Tab")), null);
  assert.equal(splitAfterKey(50, key("Enter")), null);
  assert.equal(splitAfterKey(50, key("a")), null);
});

test("bad values become the middle or the nearest end", () => {
  assert.equal(clampSplit(Number.NaN), 50);
  assert.equal(clampSplit(Number.POSITIVE_INFINITY), 50);
  assert.equal(clampSplit(-10), MIN_SPLIT);
  assert.equal(clampSplit(1e9), MAX_SPLIT);
});

test("the pointer's x over the container is the split, clamped; an unmeasured container gives the middle", () => {
  assert.equal(splitAtPointer(300, { left: 100, width: 800 }), 25);
  assert.equal(splitAtPointer(433, { left: 0, width: 1000 }), 43.3);
  assert.equal(splitAtPointer(0, { left: 100, width: 800 }), MIN_SPLIT);
  assert.equal(splitAtPointer(5000, { left: 100, width: 800 }), MAX_SPLIT);
  assert.equal(splitAtPointer(300, { left: 100, width: 0 }), 50);
});
