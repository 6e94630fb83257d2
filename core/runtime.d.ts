/**
 * The few globals core/ uses that every runtime it targets has (browsers, workerd, node): the WinterCG common minimum.
 * Declared here because core's tsconfig deliberately has no "DOM" lib.
 */
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare function setInterval(callback: () => void, ms?: number): unknown;
declare function clearInterval(handle: unknown): void;
declare class URL {
  constructor(url: string, base?: string | URL);
  protocol: string;
  pathname: string;
  search: string;
  hash: string;
  host: string;
  origin: string;
  toString(): string;
}
declare function atob(data: string): string;

/** WebCrypto, the part core/room-crypto.ts uses (AES-GCM with raw keys, random bytes). */
interface CryptoKey {
  readonly type: string;
  readonly extractable: boolean;
}
interface AesGcmParams {
  name: "AES-GCM";
  iv: Uint8Array<ArrayBuffer>;
  additionalData?: Uint8Array<ArrayBuffer>;
  tagLength?: number;
}
declare const crypto: {
  getRandomValues<T extends Uint8Array<ArrayBuffer>>(array: T): T;
  readonly subtle: {
    importKey(
      format: "raw",
      keyData: Uint8Array<ArrayBuffer>,
      algorithm: { name: "AES-GCM" },
      extractable: boolean,
      keyUsages: ("encrypt" | "decrypt")[],
    ): Promise<CryptoKey>;
    encrypt(algorithm: AesGcmParams, key: CryptoKey, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
    decrypt(algorithm: AesGcmParams, key: CryptoKey, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  };
};
