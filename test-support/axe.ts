/**
 * Accessibility checks in real Chromium: axe-core (the engine behind Lighthouse's and Deque's audits) is injected into the
 * page under test and run over the page, shadow roots included. The rules are WCAG 2.0/2.1/2.2 A and AA; a failure lists
 * every violation with the nodes it found, so the message alone says what to fix.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Frame, Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The WCAG levels checked. */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** One violation as axe reports it, cut down to what a failure message needs. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary: string | undefined }[];
}

/**
 * Violations axe finds on `page` (or a frame), within the elements matching `include` if given (axe pierces shadow roots).
 * @example const found = await axeViolations(page, "spike-editor");
 */
export async function axeViolations(page: Page | Frame, include?: string): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === "object");
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ include, tags }) => {
      const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: any[] }> } }).axe;
      const context = include ? { include: [...document.querySelectorAll(include)].map((el) => el) } : document;
      const { violations } = await axe.run(context, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
      return violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        nodes: v.nodes.map((n: { target: unknown[]; failureSummary?: string }) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    },
    { include: include ?? null, tags: TAGS },
  );
}

/**
 * Fail with a readable list unless axe finds nothing on `page` (within `include`); `state` names what was checked.
 * @example await assertAccessible(page, "editor, dark, read-only", "spike-editor");
 */
export async function assertAccessible(page: Page | Frame, state: string, include?: string): Promise<void> {
  const violations = await axeViolations(page, include);
  const text = violations
    .map((v) => `- ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    at ${JSON.stringify(n.target)}: ${n.failureSummary ?? ""}`).join("\n")}`)
    .join("\n");
  assert.equal(violations.length, 0, `axe found ${violations.length} violation(s) in state "${state}":\n${text}`);
}
