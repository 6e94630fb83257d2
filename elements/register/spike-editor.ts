/** Registers `<spike-editor>` (once: a second copy of this module on the page leaves the first definition in place). */
import { SpikeEditor } from "../spike-editor.js";

if (!customElements.get("spike-editor")) customElements.define("spike-editor", SpikeEditor);

export { SpikeEditor };
