/** Registers `<spike-room>` (once: a second copy of this module on the page leaves the first definition in place). */
import { SpikeRoom } from "../spike-room.js";

if (!customElements.get("spike-room")) customElements.define("spike-room", SpikeRoom);

export { SpikeRoom };
