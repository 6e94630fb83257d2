/**
 * Sign-in for a room element: the token source it offers its shared RoomClient (its `getToken`, its `clerk`, a Clerk
 * loaded from its `clerk-publishable-key`, or else the server's own Clerk key from `/api/config`; a page's own
 * `window.Clerk` only when it is handed over or has that same key), Clerk's session (for the Sign in button), and what
 * the room said (the role, or a 4401/4403 refusal).
 */
import { html, nothing, type ReactiveControllerHost } from "lit";
import { CloseCode, clerkTokenSource, type RoomClient, type RoomLease, type RoomRole, type TokenSource } from "../../core/index.js";
import { loadClerk, type ClerkInstance } from "./clerk-loader.js";
import { emit } from "./events.js";
import { serverConfig } from "./server-config.js";

/** The properties every room element has for sign-in. */
export interface AccessHost extends ReactiveControllerHost, HTMLElement {
  room?: string | undefined;
  server: string;
  getToken?: TokenSource | undefined;
  clerk?: ClerkInstance | undefined;
  clerkPublishableKey?: string | undefined;
  clerkJsUrl?: string | undefined;
}

/**
 * The status bar's sign-in control: a Sign in button while Clerk is in use and nobody is signed in, or a note while the
 * element cannot sign in (its `title` says why).
 * @example html`<div part="status" class="bar">…${signInControl(this.#frame.access)}</div>`
 */
export function signInControl(access: RoomAccess) {
  if (access.signedOut) return html`<button part="sign-in" class="sign-in" type="button" @click=${access.signIn}>Sign in</button>`;
  if (access.signInError) {
    return html`<span part="sign-in-error" class="sign-in-error" title=${access.signInError}>Sign-in unavailable</span>`;
  }
  return nothing;
}

/** A refusal as RoomAccess keeps it: the close, or for a key that does not open an encrypted room, `wrongKey`. */
export interface Refusal {
  code: number;
  reason: string;
  wrongKey?: boolean;
}

/** Status text for a refused connection (sign-in, access, or an encrypted room's key). */
export function refusalText(close: Refusal): string {
  if (close.wrongKey) return "Wrong key for this encrypted room";
  if (close.code === CloseCode.Encrypted) return "This room is end-to-end encrypted";
  if (close.code === CloseCode.NotEncrypted) return "This room is not end-to-end encrypted";
  if (close.code === CloseCode.Forbidden) return "You do not have access to this room";
  // "authentication required…" just says what the text says; anything else (an expired or rejected token) is worth showing.
  const detail = close.reason && !/^authentication required/i.test(close.reason) ? ` (${close.reason})` : "";
  return `Sign in to open this private room${detail}`;
}

const sources = new WeakMap<object, TokenSource>();
/** One token source per Clerk instance (or Clerk promise), so offering it again is recognised as the same source. */
function sourceFor(clerk: ClerkInstance | Promise<ClerkInstance | null>): TokenSource {
  let source = sources.get(clerk);
  if (!source) {
    source = async () => {
      const loaded = await Promise.resolve(clerk).catch(() => null);
      return loaded ? clerkTokenSource(loaded)() : null;
    };
    sources.set(clerk, source);
  }
  return source;
}

/** The server's Clerk (from `/api/config`'s `clerkPublishableKey`), or null when it offers no sign-in or is unreachable. */
const serverClerks = new Map<string, Promise<ClerkInstance | null>>();
function serverClerk(server: string, scriptUrl: string | undefined): Promise<ClerkInstance | null> {
  const key = `${new URL(server).origin}\n${scriptUrl ?? ""}`;
  let clerk = serverClerks.get(key);
  if (!clerk) {
    clerk = serverConfig(server).then(
      ({ clerkPublishableKey }) => (clerkPublishableKey ? loadClerk(clerkPublishableKey, scriptUrl).catch(() => null) : null),
      () => {
        serverClerks.delete(key);
        return null;
      },
    );
    serverClerks.set(key, clerk);
  }
  return clerk;
}

/**
 * One per element, held by its frame (elements/internal/room-frame.ts): `attach(lease)` after acquiring its room,
 * `detach()` before releasing it, `update()` when a sign-in property changes. The host re-renders when role, refusal or
 * session change.
 */
export class RoomAccess {
  /** Clerk, once loaded, when this element signs in with it; null otherwise. */
  clerk: ClerkInstance | null = null;
  /** What the room granted this connection, or null if it has not said. */
  role: RoomRole | null = null;
  /**
   * Why the room refused the connection (4401 / 4403; 4409 no key for an encrypted room, 4412 a key for a plaintext one;
   * or a wrong key), until it connects again.
   */
  refused: Refusal | null = null;
  /** Whether the room is end-to-end encrypted, as the client knows (see RoomClient `encrypted`). */
  encrypted: boolean | null = null;
  /** Why this element's Clerk could not be used (e.g. the page's Clerk has another publishable key), or null. */
  signInError: string | null = null;

  #host: AccessHost;
  #lease: RoomLease | null = null;
  #client: RoomClient | null = null;
  #offer: { source: TokenSource; fallback: boolean } | null = null;
  #clerkFor: unknown = null;
  #sessionId: unknown = null;
  #unlisten: (() => void) | null = null;

  constructor(host: AccessHost) {
    this.#host = host;
  }

  /** True when Clerk is in use and nobody is signed in: the element offers a Sign in button. */
  get signedOut(): boolean {
    return this.clerk !== null && !this.clerk.session;
  }

  /** Open Clerk's sign-in; once signed in, the room re-authenticates (or reconnects after a refusal). */
  signIn = (): void => {
    this.clerk?.openSignIn();
  };

  /** Follow `lease`'s client: offer it this element's token source and track role and refusals. */
  attach(lease: RoomLease): void {
    this.detach();
    this.#lease = lease;
    const client = (this.#client = lease.client);
    client.on("grant", this.#onGrant);
    client.on("closed", this.#onClosed);
    client.on("status", this.#onStatus);
    client.on("claim", this.#onClaim);
    client.on("encrypted", this.#onEncrypted);
    client.on("e2e-error", this.#onKeyError);
    this.role = client.role;
    this.encrypted = client.encrypted;
    this.refused = client.e2eError
      ? wrongKey(client.e2eError.message)
      : client.closeReason && isRefusal(client.closeReason.code)
        ? client.closeReason
        : null;
    this.update();
  }

  detach(): void {
    const client = this.#client;
    if (client) {
      client.off("grant", this.#onGrant);
      client.off("closed", this.#onClosed);
      client.off("status", this.#onStatus);
      client.off("claim", this.#onClaim);
      client.off("encrypted", this.#onEncrypted);
      client.off("e2e-error", this.#onKeyError);
    }
    this.encrypted = null;
    this.#client = null;
    this.#lease = null;
    this.#offer = null;
    this.role = null;
    this.refused = null;
    void this.#follow(null);
  }

  /** Re-read the sign-in properties: offer the room the matching token source and follow the matching Clerk. */
  update(): void {
    const host = this.#host;
    if (!this.#lease) return;
    let offer: { source: TokenSource; fallback: boolean };
    let clerk: ClerkInstance | Promise<ClerkInstance | null> | null = null;
    if (host.getToken) {
      offer = { source: host.getToken, fallback: false };
    } else if (host.clerk) {
      clerk = host.clerk;
      offer = { source: sourceFor(clerk), fallback: false };
    } else if (host.clerkPublishableKey) {
      clerk = loadClerk(host.clerkPublishableKey, host.clerkJsUrl);
      offer = { source: sourceFor(clerk), fallback: false };
    } else {
      clerk = serverClerk(host.server, host.clerkJsUrl);
      offer = { source: sourceFor(clerk), fallback: true };
    }
    if (offer.source !== this.#offer?.source || offer.fallback !== this.#offer.fallback) {
      this.#offer = offer;
      this.#lease.setTokenSource(offer.source, offer.fallback);
    }
    void this.#follow(clerk);
  }

  /** Listen to `clerk`'s session: re-render and re-authenticate the room when someone signs in or out. */
  async #follow(target: ClerkInstance | Promise<ClerkInstance | null> | null): Promise<void> {
    if (target === this.#clerkFor) return;
    this.#clerkFor = target;
    this.#unlisten?.();
    this.#unlisten = null;
    this.clerk = null;
    this.signInError = null;
    const clerk = await Promise.resolve(target).catch((error: Error) => {
      console.warn(`<${this.#host.localName}>: sign-in unavailable: ${error.message}`);
      if (target === this.#clerkFor) {
        this.signInError = error.message;
        this.#host.requestUpdate();
      }
      return null;
    });
    if (!clerk || target !== this.#clerkFor) return;
    this.clerk = clerk;
    this.#sessionId = sessionIdOf(clerk);
    this.#unlisten = clerk.addListener(() => {
      const id = sessionIdOf(clerk);
      if (id === this.#sessionId) return;
      this.#sessionId = id;
      if (this.#offer) this.#lease?.setTokenSource(this.#offer.source, this.#offer.fallback);
      this.#host.requestUpdate();
    });
    this.#host.requestUpdate();
  }

  #onGrant = (): void => {
    this.role = this.#client?.role ?? null;
    this.#host.requestUpdate();
  };

  #onClosed = (close: { code: number; reason: string }): void => {
    if (!isRefusal(close.code)) return;
    this.refused = close;
    this.role = null;
    this.#host.requestUpdate();
    if (isAuthRefusal(close.code)) emit(this.#host, "spike-auth-required", { room: this.#host.room ?? "", code: close.code, reason: close.reason });
  };

  #onEncrypted = (encrypted: boolean): void => {
    this.encrypted = encrypted;
    this.#host.requestUpdate();
  };

  #onKeyError = ({ message }: { message: string }): void => {
    this.refused = wrongKey(message);
    this.role = null;
    this.#host.requestUpdate();
  };

  #onClaim = (claimToken: string): void => {
    emit(this.#host, "spike-room-created", { room: this.#host.room ?? "", claimToken });
  };

  #onStatus = (): void => {
    if (this.refused && this.#client?.status !== "offline") {
      this.refused = null;
      this.#host.requestUpdate();
    }
  };
}

function isAuthRefusal(code: number): boolean {
  return code === CloseCode.Unauthorized || code === CloseCode.Forbidden;
}

function isRefusal(code: number): boolean {
  return isAuthRefusal(code) || code === CloseCode.Encrypted || code === CloseCode.NotEncrypted;
}

function wrongKey(reason: string): Refusal {
  return { code: CloseCode.Encrypted, reason, wrongKey: true };
}

function sessionIdOf(clerk: ClerkInstance): unknown {
  const session = clerk.session as { id?: unknown } | null | undefined;
  return session ? (session.id ?? session) : null;
}
