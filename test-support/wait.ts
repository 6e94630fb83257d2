/**
 * Waiting in tests, for every kind of test (core, Workers, scripts, browsers driven from node): poll until something
 * holds, or pause. A timeout here is a failure to converge, never a measurement: tests make no assertions about time.
 */

/**
 * Poll `condition` every 10 ms until it holds; throw after `timeoutMs`.
 * @example await waitUntil(async () => (await pollSession(worker, "demo"))?.files["a.ts"] === "x", { what: "a.ts to be stored" });
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, what = "condition" }: { timeoutMs?: number | undefined; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * {@link waitUntil} with what is awaited as a plain argument, for tests that wait on one thing after another.
 * @example await until(() => b.synced, "b to sync"); await until(() => a.status === "offline", "a to notice", 20_000);
 */
export function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  return waitUntil(condition, { timeoutMs, what });
}

/** A plain pause: random gaps between edits, or outwaiting a timer a test cannot observe. Wait for results with waitUntil. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
