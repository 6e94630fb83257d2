/**
 * The one way elements fire events: `spike-<verb>` CustomEvents that bubble and cross shadow roots, with typed details
 * registered in HTMLElementEventMap below.
 */
import type { RoomStatus } from "../../core/index.js";
import type { ConsoleValue } from "./preview-frame/messages.js";

export type { ConsoleEntry, ConsoleValue, ConsoleValueType } from "./preview-frame/messages.js";

/** What an editor reports as its connection state; `local` means a room-less, single-user project. */
export type EditorStatus = RoomStatus | "local";

/** Detail of `spike-change`: which file changed, its text now, and whether the change came from another user. */
export interface SpikeChangeDetail {
  file: string;
  text: string;
  remote: boolean;
}

/** Another client of the room in `spike-status`: how this page reaches it, directly over WebRTC or through the room. */
export interface SpikeStatusPeer {
  /** Its awareness client id. */
  clientId: number;
  /** The name it shows on its cursor ("" when it has none). */
  name: string;
  transport: "webrtc" | "websocket";
}

/** Detail of `spike-status`: the connection state, and every other client of the room with its transport. */
export interface SpikeStatusDetail {
  status: EditorStatus;
  peers: SpikeStatusPeer[];
}

/** Detail of `spike-render`: the preview shows the project's current code. */
export interface SpikeRenderDetail {
  entry: string;
  /** `react` when the entry's default export was rendered as a component, `module` when the entry just ran. */
  mode: "react" | "module";
}

/** Detail of `spike-error`: a build error (syntax) or a runtime error in the preview, with its place when known. */
export interface SpikeErrorDetail {
  kind: "build" | "runtime";
  message: string;
  /** Project file, 1-based line, 0-based column. */
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
  /** A runtime error's stack, with the project's modules named by file:line:column. */
  stack?: string | undefined;
}

/**
 * Detail of `spike-console`: one console call in the preview. `args` are its arguments as text; `values` the same
 * arguments as bounded preview trees (objects with their entries, so a console can show them expandable); `file`,
 * `line` and `column` (1-based line, 0-based column) where in the project the call was made, when known.
 */
export interface SpikeConsoleDetail {
  level: "log" | "info" | "warn" | "error" | "debug";
  args: string[];
  values: ConsoleValue[];
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
}

/**
 * Detail of `spike-navigate`: a reader asked to see a place in the project (a file:line link in `<spike-console>`).
 * Line and column are 1-based. Cancelable: call preventDefault() to handle it yourself.
 */
export interface SpikeNavigateDetail {
  file: string;
  line: number;
  column: number;
}

/** Detail of `spike-file-select`: the user picked file `file` in `<spike-tabs>`. */
export interface SpikeFileSelectDetail {
  file: string;
}

/** Detail of `spike-message`: a message appeared in the chat (from this page, another user, the assistant, or an AI agent's change). */
export interface SpikeMessageDetail {
  id: string;
  role: "user" | "assistant" | "agent";
}

/**
 * Detail of `spike-auth-required`: the room refused this page's connection. `code` 4401: sign-in needed (no token, or a bad
 * or expired one: `reason` says which); 4403: the signed-in user may not open this room. Give the element a token source
 * (`getToken`, `clerk`) or sign in, and it reconnects.
 */
export interface SpikeAuthRequiredDetail {
  room: string;
  code: number;
  reason: string;
}

/**
 * Detail of `spike-room-created`: this page's connection made the room's first write, so the room handed it a claim token.
 * Whoever holds it may claim the room later (`PUT /live/<room>/permissions` with `claimToken`, signed in), although others
 * edited it since; nobody else gets it. The page's RoomClient keeps it in sessionStorage for the tab's session.
 */
export interface SpikeRoomCreatedDetail {
  room: string;
  claimToken: string;
}

/**
 * Detail of `spike-fork`: a new room `room` was made from `forkedFrom` (a saved version of it, or its state then: null),
 * by `<spike-versions>`, or by a reader's typing in read-only `template` with `fork="auto"`.
 */
export interface SpikeForkDetail {
  room: string;
  /** The room forked: `forkedFrom.room`. */
  template: string;
  forkedFrom: { room: string; version: number | null };
}

/** Detail of `spike-fork-error`: with `fork="auto"`, forking `template` failed (say, the room-creation limit); `message` says why. */
export interface SpikeForkErrorDetail {
  template: string;
  message: string;
}

/** Detail of `spike-save`: `<spike-versions>` saved the room as version `version.n`. */
export interface SpikeSaveDetail {
  room: string;
  version: { n: number; name: string; createdAt: string };
}

/** Detail of `spike-restore`: `<spike-versions>` brought version `version` back into the live room. */
export interface SpikeRestoreDetail {
  room: string;
  version: number;
}

/** Detail of `spike-copy`: `<spike-versions>` put an embed snippet pinned to `version` on the clipboard (or showed it). */
export interface SpikeCopyDetail {
  room: string;
  version: number;
  snippet: string;
  /** False when the clipboard refused and the snippet was shown selected for the reader to copy. */
  copied: boolean;
}

/** Event name -> detail type, for every event an element fires. */
export interface SpikeEventDetails {
  "spike-change": SpikeChangeDetail;
  "spike-status": SpikeStatusDetail;
  "spike-render": SpikeRenderDetail;
  "spike-error": SpikeErrorDetail;
  "spike-console": SpikeConsoleDetail;
  "spike-navigate": SpikeNavigateDetail;
  "spike-message": SpikeMessageDetail;
  "spike-auth-required": SpikeAuthRequiredDetail;
  "spike-room-created": SpikeRoomCreatedDetail;
  "spike-file-select": SpikeFileSelectDetail;
  "spike-fork": SpikeForkDetail;
  "spike-fork-error": SpikeForkErrorDetail;
  "spike-save": SpikeSaveDetail;
  "spike-restore": SpikeRestoreDetail;
  "spike-copy": SpikeCopyDetail;
}

/** The events a listener may cancel (`preventDefault()`) to stop what the element would do next. */
const CANCELABLE = new Set<keyof SpikeEventDetails>(["spike-file-select", "spike-navigate"]);

/**
 * Fire a spike event from `target` (bubbles, composed; cancelable for the events in CANCELABLE). Returns false when a
 * listener called preventDefault().
 * @example emit(this, "spike-status", { status: "connected" });
 */
export function emit<K extends keyof SpikeEventDetails>(target: EventTarget, name: K, detail: SpikeEventDetails[K]): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: CANCELABLE.has(name) }));
}

declare global {
  interface HTMLElementEventMap {
    "spike-change": CustomEvent<SpikeChangeDetail>;
    "spike-status": CustomEvent<SpikeStatusDetail>;
    "spike-render": CustomEvent<SpikeRenderDetail>;
    "spike-error": CustomEvent<SpikeErrorDetail>;
    "spike-console": CustomEvent<SpikeConsoleDetail>;
    "spike-navigate": CustomEvent<SpikeNavigateDetail>;
    "spike-message": CustomEvent<SpikeMessageDetail>;
    "spike-auth-required": CustomEvent<SpikeAuthRequiredDetail>;
    "spike-room-created": CustomEvent<SpikeRoomCreatedDetail>;
    "spike-file-select": CustomEvent<SpikeFileSelectDetail>;
    "spike-fork": CustomEvent<SpikeForkDetail>;
    "spike-fork-error": CustomEvent<SpikeForkErrorDetail>;
    "spike-save": CustomEvent<SpikeSaveDetail>;
    "spike-restore": CustomEvent<SpikeRestoreDetail>;
    "spike-copy": CustomEvent<SpikeCopyDetail>;
  }
}
