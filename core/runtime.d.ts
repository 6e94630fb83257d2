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
