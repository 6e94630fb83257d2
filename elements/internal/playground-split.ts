/**
 * The separator between <spike-playground>'s code and output panes: a WAI-ARIA window splitter
 * (https://www.w3.org/WAI/ARIA/apg/patterns/windowsplitter/). The keys are a pure function, tested in node; dragging
 * follows the pointer (mouse, pen or touch) with pointer capture, and the panes ignore the pointer meanwhile so the
 * preview's iframe cannot swallow the drag.
 */

/** The code pane's share of the width, in percent: never less than MIN_SPLIT, never more than MAX_SPLIT. */
export const MIN_SPLIT = 20;
export const MAX_SPLIT = 80;
/** One arrow key press moves the separator this many percent; with Shift, PAGE_STEP (as Page Up / Page Down do). */
export const SPLIT_STEP = 5;
export const PAGE_STEP = 20;

/**
 * `value` within MIN_SPLIT..MAX_SPLIT; anything that is not a finite number becomes the middle, 50.
 * @example clampSplit(95) // 80
 */
export function clampSplit(value: number): number {
  if (!Number.isFinite(value)) return 50;
  return Math.min(MAX_SPLIT, Math.max(MIN_SPLIT, value));
}

/**
 * Where a key moves a vertical separator that stands at `value`, or null for a key it does not handle.
 * Left/Right (and Up/Down, for readers who try them) step; with Shift, and Page Up/Down, a bigger step; Home and End
 * go to the ends.
 * @example splitAfterKey(50, { key: "ArrowLeft", shiftKey: false }) // 45
 */
export function splitAfterKey(value: number, event: { key: string; shiftKey: boolean }): number | null {
  const step = event.shiftKey ? PAGE_STEP : SPLIT_STEP;
  switch (event.key) {
    case "ArrowLeft":
    case "ArrowUp":
      return clampSplit(value - step);
    case "ArrowRight":
    case "ArrowDown":
      return clampSplit(value + step);
    case "PageUp":
      return clampSplit(value - PAGE_STEP);
    case "PageDown":
      return clampSplit(value + PAGE_STEP);
    case "Home":
      return MIN_SPLIT;
    case "End":
      return MAX_SPLIT;
    default:
      return null;
  }
}

/**
 * The split under a pointer at `clientX` over a container spanning `box`, in percent (rounded to a tenth).
 * @example splitAtPointer(300, { left: 100, width: 800 }) // 25
 */
export function splitAtPointer(clientX: number, box: { left: number; width: number }): number {
  if (box.width <= 0) return 50;
  return clampSplit(Math.round(((clientX - box.left) / box.width) * 1000) / 10);
}

/**
 * Follow a drag that starts with `down` on `handle`: call `move` with each new split (measured against `container`), and
 * `dragging` with true at the start and false at the end (pointer up or cancelled, capture lost).
 * @example handle.addEventListener("pointerdown", (e) => dragSplit(e, handle, base, (v) => (this.split = v), (d) => …));
 */
export function dragSplit(
  down: PointerEvent,
  handle: HTMLElement,
  container: HTMLElement,
  move: (split: number) => void,
  dragging: (active: boolean) => void,
): void {
  if (down.button !== 0) return;
  down.preventDefault();
  handle.focus({ preventScroll: true });
  handle.setPointerCapture(down.pointerId);
  dragging(true);
  const onMove = (event: PointerEvent) => {
    if (event.pointerId !== down.pointerId) return;
    move(splitAtPointer(event.clientX, container.getBoundingClientRect()));
  };
  const end = (event: PointerEvent) => {
    if (event.pointerId !== down.pointerId) return;
    handle.removeEventListener("pointermove", onMove);
    handle.removeEventListener("pointerup", end);
    handle.removeEventListener("pointercancel", end);
    handle.removeEventListener("lostpointercapture", end);
    dragging(false);
  };
  handle.addEventListener("pointermove", onMove);
  handle.addEventListener("pointerup", end);
  handle.addEventListener("pointercancel", end);
  handle.addEventListener("lostpointercapture", end);
}
