/**
 * The element bundle (dist/cdn/spike.js, served as /spike.js and, pinned, /v/<version>/spike.js):
 * `<script type="module" src="https://your-spike-server/v/0.1.0/spike.js">` defines <spike-room>, <spike-editor>,
 * <spike-preview>, <spike-chat>, <spike-tabs>, <spike-console>, <spike-playground> and <spike-versions>: their light shells only (lite view,
 * properties, styles). Each element's live part (Monaco, the room socket, the preview build, the chat) loads when its
 * `loading` mode says so. <spike-room> is defined
 * first, so the elements inside it find it as they upgrade. The headless client is not in here (it would double the first
 * load): `spike/core`, or core.js beside spike.js, shares one RoomClient per room with them.
 */
export { SpikeRoom } from "./register/spike-room.js";
export { SpikeEditor } from "./register/spike-editor.js";
export { SpikePreview } from "./register/spike-preview.js";
export { SpikeChat } from "./register/spike-chat.js";
export { SpikeTabs } from "./register/spike-tabs.js";
export { SpikeConsole } from "./register/spike-console.js";
export { SpikePlayground } from "./register/spike-playground.js";
export { SpikeVersions } from "./register/spike-versions.js";
export type { VersionEntry } from "./spike-versions.js";
export type { PlaygroundLayout, PlaygroundView } from "./spike-playground.js";
export { reportErrors, type ErrorReportOptions } from "./internal/error-reports.js";
export type { EditorStatus, SpikeChangeDetail, SpikeStatusDetail } from "./internal/events.js";
export type { SpikeConsoleDetail, SpikeErrorDetail, SpikeMessageDetail, SpikeRenderDetail } from "./internal/events.js";
export type { ConsoleEntry, ConsoleValue, ConsoleValueType, SpikeNavigateDetail } from "./internal/events.js";
export type { SpikeAuthRequiredDetail, SpikeFileSelectDetail, SpikeRoomCreatedDetail } from "./internal/events.js";
export type { SpikeCopyDetail, SpikeForkDetail, SpikeForkErrorDetail, SpikeRestoreDetail, SpikeSaveDetail } from "./internal/events.js";
export type { ClerkInstance } from "./internal/clerk-loader.js";
export type { RoomSettings, SignIn, Theme } from "./internal/room-element.js";
