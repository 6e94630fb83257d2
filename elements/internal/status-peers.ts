/**
 * The other clients of a room as an editor reports them (`spike-status` detail `peers`) and shows them in its status bar:
 * how many people are here, and how many of them this page reaches directly over WebRTC.
 */
import type { RoomClient } from "../../core/index.js";
import type { SpikeStatusPeer } from "./events.js";

/**
 * Every other client of `client`'s room with the name on its cursor and its transport (RoomClient `peers`).
 * @example statusPeers(client) // [{ clientId: 12, name: "Ada", transport: "webrtc" }]
 */
export function statusPeers(client: RoomClient | null): SpikeStatusPeer[] {
  if (!client) return [];
  const states = client.awareness.getStates();
  return [...client.peers].map(([clientId, { transport }]) => {
    const name = (states.get(clientId)?.["user"] as { name?: unknown } | undefined)?.name;
    return { clientId, name: typeof name === "string" ? name : "", transport };
  });
}

/**
 * The status bar's count: "2 people here", and "· 1 direct" when some are reached over WebRTC; empty when alone.
 * @example peopleText(3, 1) // "3 people here · 1 direct"
 */
export function peopleText(people: number, direct: number): string {
  if (people <= 1) return "";
  return direct > 0 ? `${people} people here · ${direct} direct` : `${people} people here`;
}
