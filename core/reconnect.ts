/**
 * When RoomClient connects again: what a close means (retry, and after how long, or stop), as a pure function; the
 * backoff timer; and the watchdog that drops a socket from which nothing arrived for too long. docs/PROTOCOL.md
 * "Reconnecting" is the rule set this implements.
 */
import { CloseCode, TERMINAL_CLOSE_CODES } from "./room-limits.js";
import type { SocketRefusal } from "./protocol.js";

/** Seconds to wait after a 4429 that came without an Auth/Refused message saying how long. */
export const DEFAULT_RATE_LIMIT_WAIT_SECONDS = 1;

/** What the client knew about the socket that just closed. */
export interface ClosedSocket {
  code: number;
  /** A token went out on it. */
  sentToken: boolean;
  /** The client has a token source now. */
  hasTokenSource: boolean;
  /** One reconnect after a 4401 was already spent since the last grant. */
  authRetried: boolean;
  /** The Auth/Refused the server sent before closing, if any. */
  refusal: SocketRefusal | null;
}

/** Reconnect no sooner than `minDelayMs` (and `authRetried` is now spent or not), or stop for good. */
export type CloseDecision = { action: "retry"; minDelayMs: number; authRetried: boolean } | { action: "stop" };

/**
 * What to do after a close. A 4401 after a token may be one that expired while the machine slept: one more try with a fresh
 * token. Terminal codes stop. A 4429 waits at least the seconds of the Auth/Refused that preceded it. Anything else
 * reconnects with the usual backoff.
 * @example afterClose({ code: 4429, sentToken: false, hasTokenSource: false, authRetried: false, refusal: { code: 4429, retryAfterSeconds: 3 } })
 * // { action: "retry", minDelayMs: 3000, authRetried: false }
 */
export function afterClose(closed: ClosedSocket): CloseDecision {
  const { code, authRetried } = closed;
  if (code === CloseCode.Unauthorized && closed.sentToken && closed.hasTokenSource && !authRetried) {
    return { action: "retry", minDelayMs: 0, authRetried: true };
  }
  if (TERMINAL_CLOSE_CODES.has(code)) return { action: "stop" };
  if (code !== CloseCode.RateLimited) return { action: "retry", minDelayMs: 0, authRetried };
  const seconds = closed.refusal?.code === code ? closed.refusal.retryAfterSeconds : DEFAULT_RATE_LIMIT_WAIT_SECONDS;
  return { action: "retry", minDelayMs: seconds * 1000, authRetried };
}

/** Backoff settings: the first delay cap, the largest, and the random source for jitter. */
export interface BackoffOptions {
  minBackoffMs: number;
  maxBackoffMs: number;
  random: () => number;
}

/**
 * Delay before reconnect attempt number `attempt` (0-based): capped exponential backoff with full jitter, so clients
 * dropped together by a restart do not reconnect together. https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 * @example reconnectDelay(3, { minBackoffMs: 250, maxBackoffMs: 10_000, random: () => 0.5 }) // 1000
 */
export function reconnectDelay(attempt: number, { minBackoffMs, maxBackoffMs, random }: BackoffOptions): number {
  const cap = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.min(attempt, 30));
  return random() * cap;
}

/**
 * The reconnect timer: each `schedule` waits the next backoff delay (and at least `minDelayMs`); `reset` after a sync
 * starts the backoff over.
 * @example backoff.schedule(0, () => this.#open());
 */
export class Backoff {
  #options: BackoffOptions;
  #attempts = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: BackoffOptions) {
    this.#options = options;
  }

  /** True while a retry is waiting. */
  get pending(): boolean {
    return this.#timer !== null;
  }

  schedule(minDelayMs: number, retry: () => void): void {
    this.clear();
    const delay = Math.max(minDelayMs, reconnectDelay(this.#attempts++, this.#options));
    this.#timer = setTimeout(() => {
      this.#timer = null;
      retry();
    }, delay);
  }

  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  reset(): void {
    this.#attempts = 0;
  }
}

/**
 * Drops a connection that received nothing for `timeoutMs` (the server relays awareness every 15 s, so a live one never
 * is that quiet), so a socket a sleeping laptop or a dead NAT mapping left half-open gets replaced.
 * @example idle.start(() => ws.close(4000, "idle timeout")); ws.onmessage = () => idle.heard();
 */
export class IdleWatch {
  #timeoutMs: number;
  #lastHeard = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  start(onIdle: () => void): void {
    this.stop();
    this.#lastHeard = Date.now();
    this.#timer = setInterval(() => {
      if (Date.now() - this.#lastHeard > this.#timeoutMs) onIdle();
    }, Math.max(100, this.#timeoutMs / 10));
  }

  heard(): void {
    this.#lastHeard = Date.now();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
