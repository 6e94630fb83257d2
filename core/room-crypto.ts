/**
 * End-to-end encryption of a room's contents (docs/PROTOCOL.md "End-to-end encrypted rooms"): AES-GCM with a 256-bit key
 * that only the clients hold (the room stores and relays what {@link seal} returns, and never sees a key). Only WebCrypto
 * (`globalThis.crypto.subtle`), so the same module runs in browsers, workerd and node.
 *
 * A sealed blob is a 12-byte random IV followed by the AES-GCM ciphertext and its 16-byte tag. The additional data binds
 * it to its room and its kind (`spike-e2e/1/<room>/<kind>`), so a blob cannot be replayed into another room or passed
 * off as another kind (an awareness state as a document update, say).
 */
import * as string from "lib0/string";

/** What a sealed blob holds; part of the additional data, so a blob opens only as the kind it was sealed as. */
export type SealedPayloadKind = "update" | "snapshot" | "awareness" | "key-check";
export const SEALED_PAYLOAD_KINDS: readonly SealedPayloadKind[] = ["update", "snapshot", "awareness", "key-check"];

/**
 * The text the first client seals as the room's key check (Sealed/Init). A client that cannot open the room's key check to
 * this text has the wrong key, and stops before it sends or applies anything.
 */
export const KEY_CHECK_TEXT = "spike-e2e key check v1";

/** Bytes of the random IV in front of every sealed blob. */
export const IV_BYTES = 12;
/** Bytes of the AES-GCM authentication tag at the end of every sealed blob. */
export const TAG_BYTES = 16;
/** What sealing adds to a payload: IV + tag. */
export const SEAL_OVERHEAD = IV_BYTES + TAG_BYTES;

/** A room key as text: base64url (no padding) of 32 bytes. */
export const ROOM_KEY_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** A sealed blob did not open: the wrong key, a blob of another room or kind, or tampered bytes. */
export class SealedError extends Error {
  override name = "SealedError";
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function toBase64Url(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += ALPHABET[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const char of text) {
    value = (value << 6) | ALPHABET.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (value >> bits) & 255;
    }
  }
  return bytes;
}

/**
 * A fresh random room key: base64url of 32 random bytes (43 characters).
 * @example const key = await generateRoomKey(); location.hash = `spike-key=${key}`;
 */
export async function generateRoomKey(): Promise<string> {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * True when `value` is a room key as {@link generateRoomKey} writes it (43 base64url characters encoding 32 bytes).
 * @example isRoomKey("not a key") // false
 */
export function isRoomKey(value: unknown): value is string {
  return typeof value === "string" && ROOM_KEY_PATTERN.test(value);
}

/**
 * The CryptoKey for a room key (not extractable, AES-GCM encrypt/decrypt).
 * @throws TypeError when `key` is not a room key (see {@link isRoomKey}).
 */
export async function importRoomKey(key: string): Promise<CryptoKey> {
  if (!isRoomKey(key)) throw new TypeError("a room key is 43 base64url characters (32 bytes)");
  return crypto.subtle.importKey("raw", fromBase64Url(key), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

function additionalData(room: string, kind: SealedPayloadKind): Uint8Array<ArrayBuffer> {
  if (!SEALED_PAYLOAD_KINDS.includes(kind)) throw new TypeError(`unknown sealed kind "${String(kind)}"`);
  return new Uint8Array(string.encodeUtf8(`spike-e2e/1/${room}/${kind}`));
}

/**
 * Encrypt `payload` for `room` as `kind`: a fresh 12-byte IV, then the ciphertext and tag.
 * @example const blob = await seal(key, "demo", "update", Y.encodeStateAsUpdate(doc));
 */
export async function seal(key: CryptoKey, room: string, kind: SealedPayloadKind, payload: Uint8Array): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(room, kind) },
    key,
    new Uint8Array(payload),
  );
  const sealed = new Uint8Array(IV_BYTES + ciphertext.byteLength);
  sealed.set(iv, 0);
  sealed.set(new Uint8Array(ciphertext), IV_BYTES);
  return sealed;
}

/**
 * Decrypt what {@link seal} returned for the same room and kind.
 * @throws SealedError on a wrong key, another room or kind, a truncated or tampered blob.
 */
export async function open(key: CryptoKey, room: string, kind: SealedPayloadKind, sealed: Uint8Array): Promise<Uint8Array> {
  const aad = additionalData(room, kind);
  if (sealed.byteLength < SEAL_OVERHEAD) throw new SealedError(`sealed blob of ${sealed.byteLength} bytes is too short`);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: new Uint8Array(sealed.subarray(0, IV_BYTES)), additionalData: aad },
      key,
      new Uint8Array(sealed.subarray(IV_BYTES)),
    );
    return new Uint8Array(plain);
  } catch {
    throw new SealedError("sealed blob did not open: wrong key, another room or kind, or tampered");
  }
}
