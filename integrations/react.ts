/**
 * `spike/react`: React components for the spike elements, made with @lit/react. Properties go to the element as
 * properties (objects and functions too, such as `getToken`), and every `spike-*` event is an `on…` prop with its typed
 * detail. Importing this module defines the tags (it imports elements/register/), as using a component expects.
 */
import * as React from "react";
import { createComponent, type EventName } from "@lit/react";
import { SpikeChat as SpikeChatElement } from "../elements/register/spike-chat.js";
import { SpikeConsole as SpikeConsoleElement } from "../elements/register/spike-console.js";
import { SpikeEditor as SpikeEditorElement } from "../elements/register/spike-editor.js";
import { SpikePlayground as SpikePlaygroundElement } from "../elements/register/spike-playground.js";
import { SpikePreview as SpikePreviewElement } from "../elements/register/spike-preview.js";
import { SpikeRoom as SpikeRoomElement } from "../elements/register/spike-room.js";
import { SpikeTabs as SpikeTabsElement } from "../elements/register/spike-tabs.js";
import { SpikeVersions as SpikeVersionsElement } from "../elements/register/spike-versions.js";
import type { SpikeEventDetails } from "../elements/internal/events.js";

/** The event `name`, typed as the CustomEvent it fires, for @lit/react's `events` map. */
const spikeEvent = <K extends keyof SpikeEventDetails>(name: K) => name as EventName<CustomEvent<SpikeEventDetails[K]>>;

/** Events every element fires about its room. */
const roomEvents = {
  onSpikeAuthRequired: spikeEvent("spike-auth-required"),
  onSpikeRoomCreated: spikeEvent("spike-room-created"),
};

const editorEvents = {
  onSpikeChange: spikeEvent("spike-change"),
  onSpikeStatus: spikeEvent("spike-status"),
  onSpikeFork: spikeEvent("spike-fork"),
  onSpikeForkError: spikeEvent("spike-fork-error"),
  ...roomEvents,
};

const previewEvents = {
  onSpikeRender: spikeEvent("spike-render"),
  onSpikeError: spikeEvent("spike-error"),
  onSpikeConsole: spikeEvent("spike-console"),
  ...roomEvents,
};

const chatEvents = {
  onSpikeMessage: spikeEvent("spike-message"),
  ...roomEvents,
};

const tabsEvents = {
  onSpikeFileSelect: spikeEvent("spike-file-select"),
  ...roomEvents,
};

const consoleEvents = {
  onSpikeNavigate: spikeEvent("spike-navigate"),
};

/**
 * `<spike-editor>` as a React component.
 * @example <SpikeEditor room="demo" server="https://spike.example" file="index.tsx" onSpikeChange={(e) => save(e.detail.text)} />
 */
export const SpikeEditor = createComponent({
  react: React,
  tagName: "spike-editor",
  elementClass: SpikeEditorElement,
  events: editorEvents,
  displayName: "SpikeEditor",
});

/**
 * `<spike-preview>` as a React component.
 * @example <SpikePreview room="demo" onSpikeError={(e) => console.warn(e.detail.message)} />
 */
export const SpikePreview = createComponent({
  react: React,
  tagName: "spike-preview",
  elementClass: SpikePreviewElement,
  events: previewEvents,
  displayName: "SpikePreview",
});

/**
 * `<spike-chat>` as a React component.
 * @example <SpikeChat room="demo" model="gpt-4o-mini" onSpikeMessage={(e) => console.log(e.detail.role)} />
 */
export const SpikeChat = createComponent({
  react: React,
  tagName: "spike-chat",
  elementClass: SpikeChatElement,
  events: chatEvents,
  displayName: "SpikeChat",
});

/**
 * `<spike-tabs>` as a React component.
 * @example <SpikeTabs room="demo" onSpikeFileSelect={(e) => console.log(e.detail.file)} />
 */
export const SpikeTabs = createComponent({
  react: React,
  tagName: "spike-tabs",
  elementClass: SpikeTabsElement,
  events: tabsEvents,
  displayName: "SpikeTabs",
});

/**
 * `<spike-console>` as a React component.
 * @example <SpikeConsole room="demo" maxLines={200} onSpikeNavigate={(e) => { e.preventDefault(); openFile(e.detail.file); }} />
 */
export const SpikeConsole = createComponent({
  react: React,
  tagName: "spike-console",
  elementClass: SpikeConsoleElement,
  events: consoleEvents,
  displayName: "SpikeConsole",
});

/**
 * `<spike-playground>` as a React component. The events of the elements inside it are composed, so its `on…` props hear
 * them all (with the playground as `e.target`).
 * @example <SpikePlayground room="demo" layout="split" chat onSpikeError={(e) => report(e.detail.message)} />
 */
export const SpikePlayground = createComponent({
  react: React,
  tagName: "spike-playground",
  elementClass: SpikePlaygroundElement,
  events: { ...editorEvents, ...previewEvents, ...chatEvents, ...tabsEvents, ...consoleEvents },
  displayName: "SpikePlayground",
});

/**
 * `<spike-room>` as a React component: the elements inside it share its room. Their events bubble through it, so its
 * `on…` props hear every element inside (`e.target` says which).
 * @example <SpikeRoom room="demo" onSpikeChange={(e) => setCode(e.detail.text)}><SpikeEditor /><SpikePreview /></SpikeRoom>
 */
export const SpikeRoom = createComponent({
  react: React,
  tagName: "spike-room",
  elementClass: SpikeRoomElement,
  events: { ...editorEvents, ...previewEvents, ...chatEvents, ...tabsEvents, ...consoleEvents },
  displayName: "SpikeRoom",
});

const versionsEvents = {
  onSpikeSave: spikeEvent("spike-save"),
  onSpikeRestore: spikeEvent("spike-restore"),
  onSpikeFork: spikeEvent("spike-fork"),
  onSpikeCopy: spikeEvent("spike-copy"),
  ...roomEvents,
};

/**
 * `<spike-versions>` as a React component.
 * @example <SpikeVersions room="demo" onSpikeFork={(e) => navigate(`/room/${e.detail.room}`)} />
 */
export const SpikeVersions = createComponent({
  react: React,
  tagName: "spike-versions",
  elementClass: SpikeVersionsElement,
  events: versionsEvents,
  displayName: "SpikeVersions",
});

export type { EditorStatus, SpikeChangeDetail, SpikeStatusDetail, SpikeRenderDetail, SpikeErrorDetail } from "../elements/internal/events.js";
export type { SpikeConsoleDetail, SpikeMessageDetail, SpikeAuthRequiredDetail, SpikeRoomCreatedDetail } from "../elements/internal/events.js";
export type { SpikeFileSelectDetail, SpikeSaveDetail, SpikeRestoreDetail, SpikeForkDetail, SpikeCopyDetail } from "../elements/internal/events.js";
export type { SpikeNavigateDetail, ConsoleValue, ConsoleEntry } from "../elements/internal/events.js";
