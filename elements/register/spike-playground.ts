/** Registers `<spike-playground>` (once: a second copy of this module on the page leaves the first definition in place). */
import { SpikePlayground } from "../spike-playground.js";

if (!customElements.get("spike-playground")) customElements.define("spike-playground", SpikePlayground);

export { SpikePlayground };
