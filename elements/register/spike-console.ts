/** Registers `<spike-console>` (once: a second copy of this module on the page leaves the first definition in place). */
import { SpikeConsole } from "../spike-console.js";

if (!customElements.get("spike-console")) customElements.define("spike-console", SpikeConsole);

export { SpikeConsole };
