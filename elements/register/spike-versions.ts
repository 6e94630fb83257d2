/** Registers `<spike-versions>` (once: a second copy of this module on the page leaves the first definition in place). */
import { SpikeVersions } from "../spike-versions.js";

if (!customElements.get("spike-versions")) customElements.define("spike-versions", SpikeVersions);

export { SpikeVersions };
