/**
 * The element bundle (dist/cdn/spike.js, served as /spike.js and, pinned, /v/<version>/spike.js):
 * `<script type="module" src="https://your-spike-server/v/0.1.0/spike.js">` defines <spike-room>, <spike-editor>,
 * <spike-preview> and <spike-chat>. Monaco is not in here: the editor loads it on first use
 * (and the chat its markdown renderer). <spike-room> is defined first, so the elements inside it find it as they upgrade.
 */
export { SpikeRoom } from "./register/spike-room.js";
export { SpikeEditor } from "./register/spike-editor.js";
export { SpikePreview } from "./register/spike-preview.js";
export { SpikeChat } from "./register/spike-chat.js";
export type { EditorStatus, SpikeChangeDetail, SpikeStatusDetail } from "./internal/events.js";
export type { SpikeConsoleDetail, SpikeErrorDetail, SpikeMessageDetail, SpikeRenderDetail } from "./internal/events.js";
export type { SpikeAuthRequiredDetail } from "./internal/events.js";
export type { ClerkInstance } from "./internal/clerk-loader.js";
export type { RoomSettings, SignIn, Theme } from "./internal/room-element.js";
export {
  RoomClient,
  acquireRoomClient,
  clerkTokenSource,
  type RoomGrant,
  type RoomRole,
  type RoomStatus,
  type RoomUser,
  type TokenSource,
} from "../core/index.js";
