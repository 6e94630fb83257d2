/** Registers `<spike-preview>` (once: a second copy of this module on the page leaves the first definition in place). */
import { SpikePreview } from "../spike-preview.js";

if (!customElements.get("spike-preview")) customElements.define("spike-preview", SpikePreview);

export { SpikePreview };
