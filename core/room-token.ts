/**
 * The token side of a RoomClient: which source tokens come from, which token went out on the current socket, and when
 * to send a fresh one before it expires (docs/PROTOCOL.md "Authentication"). The socket itself stays the client's.
 */
import { refreshDelayMs, tokenExpiresAt, type TokenSource } from "./auth.js";
import { encodeAuthToken } from "./protocol.js";

/** What a RoomToken needs from its client. */
export interface RoomTokenHost {
  /** The current socket (any value that changes when the socket does), or null. */
  socket(): unknown;
  /** True once the current socket's handshake went out: a refreshed token may be sent on it. */
  ready(): boolean;
  /** Send a frame on the current socket (may throw while it closes). */
  send(frame: Uint8Array): void;
  /** When the room said the token expires, for tokens whose own `exp` cannot be read. */
  grantedExpiry(): number | null;
  /** The source now has no token although one was sent: reconnect anonymously so the room forgets the identity. */
  signedOut(): void;
}

/**
 * @example
 * const token = new RoomToken(getToken, host);
 * const first = await token.current(); if (first) token.send(first);
 */
export class RoomToken {
  #source: TokenSource | null;
  /** Bumped whenever the source changes, so a token fetched from the previous source is not sent. */
  #generation = 0;
  #sent: string | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #host: RoomTokenHost;

  constructor(source: TokenSource | null, host: RoomTokenHost) {
    this.#source = source;
    this.#host = host;
  }

  /** The token source, or null when anonymous. */
  get source(): TokenSource | null {
    return this.#source;
  }

  /** The token sent on the current socket, if any. */
  get sent(): string | null {
    return this.#sent;
  }

  /** Take tokens from `source` from now on (null: anonymous). */
  setSource(source: TokenSource | null): void {
    this.#source = source;
    this.#generation++;
  }

  /** The source's token; null when there is none, the user is signed out, or the source failed (anonymous). */
  async fetch(): Promise<string | null> {
    const source = this.#source;
    if (!source) return null;
    try {
      const token = await source();
      return typeof token === "string" && token ? token : null;
    } catch {
      return null;
    }
  }

  /** Like {@link fetch}, asking again if the source changed while it waited. */
  async current(): Promise<string | null> {
    let token: string | null;
    let generation: number;
    do {
      generation = this.#generation;
      token = await this.fetch();
    } while (generation !== this.#generation);
    return token;
  }

  /** Send `token` on the current socket and schedule its refresh. */
  send(token: string): void {
    this.#host.send(encodeAuthToken(token));
    this.#sent = token;
    this.#scheduleRefresh();
  }

  /** Send a fresh token on the open socket (nothing if the source hands back the one already sent). */
  async refresh(): Promise<void> {
    const socket = this.#host.socket();
    const generation = this.#generation;
    const token = await this.fetch();
    if (this.#host.socket() !== socket || !this.#host.ready() || generation !== this.#generation) return;
    if (!token) {
      if (this.#sent) this.#host.signedOut();
      return;
    }
    if (token === this.#sent) return this.#scheduleRefresh();
    try {
      this.send(token);
    } catch {
      // closing; the next connect sends a token first anyway
    }
  }

  /** After a grant: make sure the sent token is refreshed (its expiry may only be known from the grant). */
  ensureRefresh(): void {
    if (this.#sent && !this.#timer) this.#scheduleRefresh();
  }

  /** The socket is gone: nothing was sent on the next one yet, and no refresh is due. */
  reset(): void {
    this.#sent = null;
    this.#clearTimer();
  }

  /** Refresh before the sent token expires (its `exp`, else the room's grant); opaque tokens without either are not refreshed. */
  #scheduleRefresh(): void {
    this.#clearTimer();
    const token = this.#sent;
    if (!token) return;
    const expiresAt = tokenExpiresAt(token) ?? this.#host.grantedExpiry();
    if (expiresAt === null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, refreshDelayMs(expiresAt, Date.now()));
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
