/**
 * The element classes without registering any tag (`spike/classes`): extend one, or define it under a name of your own
 * (`customElements.define("my-editor", class extends SpikeEditor {})`). The modules under register/ define the spike-* tags.
 */
export { SpikeRoom } from "./spike-room.js";
export { SpikeEditor } from "./spike-editor.js";
export { SpikePreview } from "./spike-preview.js";
export { SpikeChat } from "./spike-chat.js";
export { SpikeTabs } from "./spike-tabs.js";
export { SpikeConsole } from "./spike-console.js";
export { SpikePlayground } from "./spike-playground.js";
export { SpikeVersions } from "./spike-versions.js";
export { RoomElement } from "./internal/room-element.js";
