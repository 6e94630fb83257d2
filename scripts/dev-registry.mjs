/**
 * One wrangler dev registry per process: Workers started with `unstable_startWorker` find each other's service bindings
 * (main -> transpiler) through it, and a binding whose Worker is not running fails only when called, not at start-up.
 * Private to this process so parallel test files and a developer's `npm start` never see each other's Workers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let dir;

/** The registry directory, created on first use and removed when the process exits. */
export function devRegistry() {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), "spike-registry-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return dir;
}
