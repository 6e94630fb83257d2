/**
 * Where RoomClient keeps the claim token of a room its page created (docs/PROTOCOL.md "Claiming a room"): the page's
 * sessionStorage, so a reload keeps it and another tab does not get it; in memory only where there is none.
 */

/** The part of the Web Storage API the claim token needs. */
interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * The claim token stored for the room at socket URL `url`, or null.
 * @example const claimToken = loadClaim(client.url);
 */
export function loadClaim(url: string): string | null {
  try {
    return store()?.getItem(claimKey(url)) ?? null;
  } catch {
    return null;
  }
}

/**
 * Keep `claimToken` for the room at `url`. Storage that is full or refused keeps nothing: the caller holds it in memory.
 * @example saveClaim(client.url, message.claimToken);
 */
export function saveClaim(url: string, claimToken: string): void {
  try {
    store()?.setItem(claimKey(url), claimToken);
  } catch {
    // storage full or denied: the token stays in memory for this page
  }
}

/** The page's sessionStorage, or null where there is none (node, Workers) or it may not be used (sandboxed frames). */
function store(): KeyValueStore | null {
  try {
    return (globalThis as { sessionStorage?: KeyValueStore }).sessionStorage ?? null;
  } catch {
    return null;
  }
}

function claimKey(url: string): string {
  return `spike-claim:${url}`;
}
