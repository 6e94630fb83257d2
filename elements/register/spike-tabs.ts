/** Registers `<spike-tabs>` (once: a second copy of this module on the page leaves the first definition in place). */
import { SpikeTabs } from "../spike-tabs.js";

if (!customElements.get("spike-tabs")) customElements.define("spike-tabs", SpikeTabs);

export { SpikeTabs };
