/**
 * The preview's console reporter (preview-console-report.ts) against a recording sender: a burst goes out as one batch,
 * POSTs are a second apart and one at a time, batches stay within the route's limits, long text is cut, a flood lets the
 * oldest go and says so, a failed POST does not stop later ones, and nothing is sent after dispose.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_CONSOLE_BATCH, MAX_CONSOLE_BODY_BYTES, MAX_CONSOLE_TEXT, type ConsoleAppended } from "../../core/api.js";
import { waitUntil } from "../../test-support/wait.js";
import { ConsoleReporter, MAX_PENDING, REPORT_INTERVAL_MS, type ReportedEntry } from "./preview-console-report.js";

interface Sent {
  at: number;
  entries: ReportedEntry[];
}

function recorder(fail = (_n: number) => false) {
  const sent: Sent[] = [];
  let inFlight = 0;
  let overlapped = false;
  const send = async (entries: ReportedEntry[]): Promise<ConsoleAppended> => {
    if (++inFlight > 1) overlapped = true;
    sent.push({ at: performance.now(), entries });
    await new Promise((resolve) => setTimeout(resolve, 50));
    inFlight--;
    if (fail(sent.length)) throw new Error("refused");
    return { appended: entries.length, time: Date.now() };
  };
  return { sent, send, overlapped: () => overlapped };
}

test("a burst goes out as one batch; later entries wait a second, one POST at a time", async () => {
  const { sent, send, overlapped } = recorder();
  const reporter = new ConsoleReporter(send);
  for (let i = 0; i < 5; i++) reporter.add({ level: "log", text: `burst ${i}` });
  await waitUntil(() => sent.length === 1);
  assert.deepEqual(sent[0]!.entries.map((entry) => entry.text), ["burst 0", "burst 1", "burst 2", "burst 3", "burst 4"]);
  reporter.add({ level: "warn", text: "later" });
  reporter.add({ level: "error", text: "Error: boom\n    at App (index.tsx:1:1)" });
  await waitUntil(() => sent.length === 2, { timeoutMs: 5000 });
  assert.deepEqual(sent[1]!.entries, [{ level: "warn", text: "later" }, { level: "error", text: "Error: boom\n    at App (index.tsx:1:1)" }]);
  // The timers only ever wait at least the interval (a slow machine makes the gap longer, never shorter).
  assert.ok(sent[1]!.at - sent[0]!.at >= REPORT_INTERVAL_MS - 5, `gap ${sent[1]!.at - sent[0]!.at} ms`);
  assert.equal(overlapped(), false);
  reporter.dispose();
});

test("batches stay within the route's count and body limits; text is cut; a flood keeps the newest and says how many went", async () => {
  const { sent, send } = recorder();
  const reporter = new ConsoleReporter(send);
  reporter.add({ level: "log", text: "é".repeat(5000) });
  for (let i = 0; i < MAX_PENDING + 50; i++) reporter.add({ level: "info", text: `${i} ${"x".repeat(600)}` });
  await waitUntil(() => sent.flatMap((batch) => batch.entries).some((entry) => entry.text.startsWith(`${MAX_PENDING + 49} `)), { timeoutMs: 15_000 });
  reporter.dispose();
  const all = sent.flatMap((batch) => batch.entries);
  for (const batch of sent) {
    assert.ok(batch.entries.length <= MAX_CONSOLE_BATCH);
    assert.ok(new TextEncoder().encode(JSON.stringify({ entries: batch.entries })).length <= MAX_CONSOLE_BODY_BYTES);
  }
  for (const entry of all) assert.ok(entry.text.length <= MAX_CONSOLE_TEXT, `${entry.text.length} characters`);
  // 251 entries for 200 places: the 51 oldest went (the cut "é" text among them), and the first batch says so.
  assert.equal(all[0]!.level, "warn");
  assert.match(all[0]!.text, /^51 console entries were not reported/);
  assert.equal(all.length, MAX_PENDING + 1);
  assert.equal(all[1]!.text.split(" ")[0], "50");
});

test("long text is cut to the room's limit and says how much", async () => {
  const { sent, send } = recorder();
  const reporter = new ConsoleReporter(send);
  reporter.add({ level: "log", text: "é".repeat(5000) });
  await waitUntil(() => sent.length === 1);
  const text = sent[0]!.entries[0]!.text;
  assert.ok(text.length <= MAX_CONSOLE_TEXT);
  assert.match(text, /^é+… \((\d+) more characters\)$/);
  assert.equal(text.indexOf("…") + Number(/\((\d+)/.exec(text)![1]), 5000);
  reporter.dispose();
});

test("a refused POST lets its batch go and the next one still goes out; nothing is sent after dispose", async () => {
  const { sent, send } = recorder((n) => n === 1);
  const reporter = new ConsoleReporter(send);
  reporter.add({ level: "log", text: "lost" });
  await waitUntil(() => sent.length === 1);
  reporter.add({ level: "log", text: "kept" });
  await waitUntil(() => sent.length === 2, { timeoutMs: 5000 });
  assert.deepEqual(sent[1]!.entries, [{ level: "log", text: "kept" }]);
  reporter.add({ level: "log", text: "never" });
  reporter.dispose();
  await new Promise((resolve) => setTimeout(resolve, REPORT_INTERVAL_MS + 200));
  assert.equal(sent.length, 2);
});

test("a 429's Retry-After holds the next batch back that long", async () => {
  const sent: number[] = [];
  const reporter = new ConsoleReporter(async () => {
    sent.push(performance.now());
    if (sent.length === 1) throw Object.assign(new Error("rate limited"), { status: 429, retryAfterSeconds: 2 });
    return { appended: 1, time: Date.now() };
  });
  reporter.add({ level: "log", text: "refused" });
  await waitUntil(() => sent.length === 1);
  reporter.add({ level: "log", text: "after the wait" });
  await waitUntil(() => sent.length === 2, { timeoutMs: 5000 });
  assert.ok(sent[1]! - sent[0]! >= 2000 - 5, `waited ${sent[1]! - sent[0]!} ms`);
  reporter.dispose();
});
