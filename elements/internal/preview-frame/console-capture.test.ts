import assert from "node:assert/strict";
import { test } from "node:test";
import { captureConsole, previewValues, type CapturedCall } from "./console-capture.js";
import { CONSOLE_VALUE_LIMITS, isConsoleValues } from "./messages.js";

test("an object becomes a tree: a one-line summary and its entries, nested objects the same, every level bounded", () => {
  const [value] = previewValues([{ a: 1, b: { c: "x" }, list: [1, 2] }]);
  assert.equal(value!.type, "object");
  assert.equal(value!.text, '{a: 1, b: {…}, list: Array(2)}');
  assert.deepEqual(value!.entries![0], { key: "a", value: { type: "number", text: "1" } });
  assert.deepEqual(value!.entries![1]!.value.entries, [{ key: "c", value: { type: "string", text: '"x"' } }]);
  assert.equal(value!.entries![2]!.value.text, "(2) [1, 2]");
  assert.ok(isConsoleValues([value]));
});

test("strings, primitives, functions, maps, sets, cycles and errors each get their own type", () => {
  const cyclic: Record<string, unknown> = { name: "loop" };
  cyclic.self = cyclic;
  const values = previewValues(["plain", 2n, undefined, null, function named() {}, new Map([["k", 1]]), new Set([1]), cyclic, new TypeError("bad")]);
  assert.deepEqual(
    values.map((v) => [v.type, v.text]),
    [
      ["string", "plain"],
      ["bigint", "2n"],
      ["undefined", "undefined"],
      ["null", "null"],
      ["function", "ƒ named()"],
      ["map", 'Map(1) {"k" => 1}'],
      ["set", "Set(1) {1}"],
      ["object", "{name: \"loop\", self: {…}}"],
      ["error", "TypeError: bad"],
    ],
  );
  assert.deepEqual(values[7]!.entries![1]!.value, { type: "circular", text: "[Circular]" });
  assert.equal(values[8]!.entries![0]!.key, "stack");
  assert.ok(isConsoleValues(values));
});

test("a huge or deep object stays within the limits, and says how many entries it left out", () => {
  const big = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, { deep: { deeper: [i] } }]));
  let deep: Record<string, unknown> = {};
  const top = deep;
  for (let i = 0; i < 50; i++) deep = (deep.next = {}) as Record<string, unknown>;
  const [wide, tall, long] = previewValues([big, top, "x".repeat(50_000)]);
  const count = (v: typeof wide): number => 1 + (v!.entries ?? []).reduce((n, e) => n + count(e.value), 0);
  assert.ok(count(wide) <= CONSOLE_VALUE_LIMITS.nodes, `${count(wide)} nodes`);
  assert.equal(wide!.more, 5000 - wide!.entries!.length);
  const depth = (v: typeof wide): number => 1 + Math.max(0, ...(v!.entries ?? []).map((e) => depth(e.value)));
  assert.equal(depth(tall), CONSOLE_VALUE_LIMITS.depth + 1);
  assert.equal(long!.text.length, CONSOLE_VALUE_LIMITS.text + 1);
  assert.ok(isConsoleValues([wide, tall, long]));
});

test("captured calls carry text, trees and the project place the stack names; a throwing getter never breaks the caller", () => {
  const calls: CapturedCall[] = [];
  const target = { log() {}, info() {}, warn() {}, error() {}, debug() {} } as unknown as Console;
  const restore = captureConsole((call) => calls.push(call), () => ({ location: { file: "App.tsx", line: 4, column: 2 }, text: "" }), target);
  target.log("n =", { n: 1 });
  target.warn({ get boom() { throw new Error("getter"); } });
  restore();
  target.log("after");
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0]!.args, ["n =", "{ n: 1 }"]);
  assert.equal(calls[0]!.values[1]!.text, "{n: 1}");
  assert.deepEqual(calls[0]!.location, { file: "App.tsx", line: 4, column: 2 });
});
