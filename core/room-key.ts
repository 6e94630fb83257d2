/**
 * An encrypted room's key as pages handle it: generated in the browser, passed to elements as `key`, or shared in the page
 * URL's fragment (`#spike-key=…`), which browsers never send to a server.
 */
import { isRoomKey } from "./room-crypto.js";

export { generateRoomKey, isRoomKey } from "./room-crypto.js";

/** The fragment parameter that carries a room key: `/r/demo#spike-key=<key>`. */
export const ROOM_KEY_FRAGMENT = "spike-key";

/**
 * The room key in a URL fragment (`#spike-key=<key>`, possibly among other `&`-separated parameters); null when there is
 * none or it is not a well-formed key.
 * @example roomKeyFromFragment(location.hash) // "q3…" or null
 */
export function roomKeyFromFragment(hash: string): string | null {
  for (const part of hash.replace(/^#/, "").split("&")) {
    const [name, value] = part.split("=", 2);
    if (name === ROOM_KEY_FRAGMENT) return value !== undefined && isRoomKey(value) ? value : null;
  }
  return null;
}
