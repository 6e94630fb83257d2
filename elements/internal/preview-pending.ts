/**
 * Previews on the page that are loading and have not shown anything yet, so the editor can let them go first: Monaco's
 * evaluation holds the page's main thread for hundreds of ms, and a preview waiting for that thread reads its frame's
 * `spike:ready` late and sends its first build late (bench/preview-latency.mjs --timeline). The editor waits at most
 * {@link PREVIEW_FIRST_MS}, and not at all on a page without a loading preview.
 */

/** The longest Monaco waits for the page's previews. */
export const PREVIEW_FIRST_MS = 1500;

const pending = new Set<object>();
const waiters = new Set<() => void>();

/**
 * A preview started loading (from its shell, before its live chunk arrives, so an editor loading beside it sees it).
 * @example markPreviewPending(this);
 */
export function markPreviewPending(preview: object): void {
  pending.add(preview);
}

/**
 * A preview showed its first render or an error, or left the page: it no longer holds editors back.
 * @example markPreviewSettled(this.#host);
 */
export function markPreviewSettled(preview: object): void {
  if (!pending.delete(preview) || pending.size > 0) return;
  for (const wake of waiters) wake();
  waiters.clear();
}

/**
 * Resolves once no preview on the page is loading (soon when none is), or after `timeoutMs`. It looks after one task:
 * an editor ahead of its preview in the page starts loading first, in the same task as the preview (one viewport check).
 * @example await previewsSettled(); const mod = await import("./monaco-entry.js");
 */
export async function previewsSettled(timeoutMs = PREVIEW_FIRST_MS): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (pending.size === 0) return;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      waiters.delete(done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    waiters.add(done);
  });
}
