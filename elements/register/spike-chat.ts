/** Registers `<spike-chat>` (once: a second copy of this module on the page leaves the first definition in place). */
import { SpikeChat } from "../spike-chat.js";

if (!customElements.get("spike-chat")) customElements.define("spike-chat", SpikeChat);

export { SpikeChat };
