import assert from "node:assert/strict";
import { test } from "node:test";
import { ConsoleLines, type IncomingLine } from "./console-lines.js";

const log = (text: string, level: IncomingLine["level"] = "log"): IncomingLine => ({ level, kind: "console", values: [{ type: "string", text }], text });

test("lines past the cap drop the oldest first, and the count of dropped lines says how many went", () => {
  const lines = new ConsoleLines(3);
  for (let i = 1; i <= 5; i++) lines.add(log(`line ${i}`));
  assert.deepEqual(lines.all.map((l) => l.text), ["line 3", "line 4", "line 5"]);
  assert.equal(lines.dropped, 2);
  // Lowering the cap drops at once; clearing forgets the lines and the count.
  lines.max = 1;
  assert.deepEqual(lines.all.map((l) => l.text), ["line 5"]);
  assert.equal(lines.dropped, 4);
  lines.clear();
  assert.deepEqual([lines.all.length, lines.dropped], [0, 0]);
});

test("a line that repeats the one before is counted on it; the same text at another level or place is a new line", () => {
  const lines = new ConsoleLines(10);
  lines.add(log("tick"));
  lines.add(log("tick"));
  lines.add(log("tick", "warn"));
  lines.add({ ...log("tick", "warn"), location: { file: "a.ts", line: 2, column: 0 } });
  lines.add(log("tick"));
  assert.deepEqual(lines.all.map((l) => [l.level, l.count]), [["log", 2], ["warn", 1], ["warn", 1], ["log", 1]]);
  assert.deepEqual(lines.counts(), { log: 3, info: 0, warn: 2, error: 0, debug: 0 });
  assert.equal(new Set(lines.all.map((l) => l.id)).size, 4);
});

test("a cap that is not a whole positive number becomes one: NaN keeps 1000, 0 and negatives keep 1", () => {
  assert.equal(ConsoleLines.cap(Number.NaN), 1000);
  assert.equal(ConsoleLines.cap(0), 1);
  assert.equal(ConsoleLines.cap(-5), 1);
  assert.equal(ConsoleLines.cap(2.7), 2);
  const lines = new ConsoleLines(Number("lots"));
  for (let i = 0; i < 1001; i++) lines.add(log(String(i)));
  assert.equal(lines.all.length, 1000);
});
