/**
 * The one way elements fire events: `spike-<verb>` CustomEvents that bubble and cross shadow roots, with typed details
 * registered in HTMLElementEventMap below.
 */
import type { RoomStatus } from "../../core/index.js";

/** What an editor reports as its connection state; `local` means a room-less, single-user project. */
export type EditorStatus = RoomStatus | "local";

/** Detail of `spike-change`: which file changed, its text now, and whether the change came from another user. */
export interface SpikeChangeDetail {
  file: string;
  text: string;
  remote: boolean;
}

/** Detail of `spike-status`. */
export interface SpikeStatusDetail {
  status: EditorStatus;
}

/** Event name -> detail type, for every event an element fires. */
export interface SpikeEventDetails {
  "spike-change": SpikeChangeDetail;
  "spike-status": SpikeStatusDetail;
}

/**
 * Fire a spike event from `target` (bubbles, composed).
 * @example emit(this, "spike-status", { status: "connected" });
 */
export function emit<K extends keyof SpikeEventDetails>(target: EventTarget, name: K, detail: SpikeEventDetails[K]): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    "spike-change": CustomEvent<SpikeChangeDetail>;
    "spike-status": CustomEvent<SpikeStatusDetail>;
  }
}
