/** The daily budget behind the AI cost cap, driven with an explicit clock (pure logic: runs in node). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { nextUtcMidnight, spendDaily, utcDay, type DailyCount } from "./daily-budget.js";

const at = (iso: string) => Date.parse(iso);

describe("spendDaily", () => {
  test("counts up to the limit, then refuses until the next UTC midnight, spending nothing while it refuses", () => {
    let stored: DailyCount | undefined;
    const now = at("2026-12-02T18:00:00Z");
    for (let i = 1; i <= 3; i++) {
      const { result, next } = spendDaily(stored, 3, now);
      assert.deepEqual(result, { ok: true, used: i, limit: 3, resetsAt: at("2026-12-03T00:00:00Z") });
      stored = next!;
    }
    assert.deepEqual(stored, { day: "2026-12-02", used: 3 });
    const refused = spendDaily(stored, 3, now);
    assert.deepEqual(refused, {
      result: { ok: false, used: 3, limit: 3, resetsAt: at("2026-12-03T00:00:00Z"), retryAfterSeconds: 6 * 3600 },
      next: null,
    });
    // Half a second before midnight the wait is a whole second, never zero.
    assert.equal((spendDaily(stored, 3, at("2026-12-02T23:59:59.500Z")).result as { retryAfterSeconds: number }).retryAfterSeconds, 1);
  });

  test("a new UTC day starts from zero; a lowered limit refuses at once, a raised one allows again the same day", () => {
    const spent: DailyCount = { day: "2026-12-02", used: 5 };
    assert.deepEqual(spendDaily(spent, 5, at("2026-12-03T00:00:00Z")).next, { day: "2026-12-03", used: 1 });
    assert.equal(spendDaily(spent, 2, at("2026-12-02T12:00:00Z")).result.ok, false);
    assert.deepEqual(spendDaily(spent, 6, at("2026-12-02T12:00:00Z")).next, { day: "2026-12-02", used: 6 });
  });

  test("days and midnights are UTC, across month and year ends", () => {
    assert.equal(utcDay(at("2026-12-31T23:59:59.999Z")), "2026-12-31");
    assert.equal(nextUtcMidnight(at("2026-12-31T23:59:59.999Z")), at("2027-01-01T00:00:00Z"));
    assert.equal(nextUtcMidnight(at("2027-01-01T00:00:00Z")), at("2027-01-02T00:00:00Z"));
    assert.equal(nextUtcMidnight(at("2028-02-28T10:00:00+05:00")), at("2028-02-29T00:00:00Z"));
  });
});
