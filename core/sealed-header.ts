/**
 * What an encrypted room's client puts inside every sealed message before the payload (docs/PROTOCOL.md, "End-to-end
 * encrypted rooms"): the sender's Yjs client id and a counter of its session, so receivers can drop a message the room
 * serves again (the room cannot forge a message, but it could replay an old one under a new sequence number).
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/** A sealed message's plaintext, taken apart. */
export interface SealedPlaintext {
  /** The sender's Yjs client id (its awareness client id too). */
  sender: number;
  /** Counts up from 1 per sender and kind of message; never repeats within the sender's session. */
  counter: number;
  /** The Yjs update, snapshot or awareness update. */
  payload: Uint8Array;
}

/**
 * The plaintext to seal: `sender` varUint, `counter` varUint, then the payload.
 * @example await seal(key, room, "update", encodeSealedPlaintext(doc.clientID, 1, update));
 */
export function encodeSealedPlaintext(sender: number, counter: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, sender);
  encoding.writeVarUint(e, counter);
  encoding.writeUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/**
 * Take an opened plaintext apart; null when it is too short to hold the header (only a key holder can seal, so this means
 * a client with a bug, not an attacker).
 * @example const message = decodeSealedPlaintext(await open(key, room, "update", sealed));
 */
export function decodeSealedPlaintext(plaintext: Uint8Array): SealedPlaintext | null {
  const d = decoding.createDecoder(plaintext);
  try {
    const sender = decoding.readVarUint(d);
    const counter = decoding.readVarUint(d);
    return { sender, counter, payload: plaintext.subarray(d.pos) };
  } catch {
    return null;
  }
}

/**
 * The receiving side of the replay rule: per sender, the highest counter accepted so far; a message whose counter is not
 * above it is a replay (or a duplicate) and is dropped.
 * @example if (!guard.accept(message.sender, message.counter)) return; // replayed
 */
export class ReplayGuard {
  #last = new Map<number, number>();

  /** True (and remembered) when `counter` is above the last one accepted from `sender`. */
  accept(sender: number, counter: number): boolean {
    if (counter <= (this.#last.get(sender) ?? 0)) return false;
    this.#last.set(sender, counter);
    return true;
  }

  /** Forget every sender (the room hands out the last states again after a reconnect). */
  clear(): void {
    this.#last.clear();
  }
}

/**
 * Room sequence numbers in order: entries whose predecessors have not arrived yet wait, so the replay rule sees each
 * sender's messages in the order they were stored. `seen(seq)` returns the entries now due, in order.
 * @example for (const entry of order.arrive(seq, sealed)) await apply(entry);
 */
export class SeqOrder<T> {
  #last: number;
  #waiting = new Map<number, T | null>();

  constructor(last = 0) {
    this.#last = last;
  }

  /** The last sequence number applied (or known to be covered). */
  get last(): number {
    return this.#last;
  }

  /**
   * Entry `seq` arrived (`item` null: nothing to apply, e.g. our own append acknowledged). Returns what is due now, oldest
   * first; an entry at or below `last` is a duplicate and is dropped.
   */
  arrive(seq: number, item: T | null): T[] {
    if (seq <= this.#last) return [];
    this.#waiting.set(seq, item);
    return this.#drain();
  }

  /** Everything up to `seq` is covered (a snapshot's upTo): entries waiting at or below it are dropped. */
  coverTo(seq: number): T[] {
    if (seq > this.#last) this.#last = seq;
    for (const key of this.#waiting.keys()) if (key <= this.#last) this.#waiting.delete(key);
    return this.#drain();
  }

  /** The room says its log ends at `seq` (CaughtUp): whatever still waits is due, gaps or not. */
  flush(seq: number): T[] {
    const due = [...this.#waiting.entries()].sort(([a], [b]) => a - b);
    this.#waiting.clear();
    this.#last = Math.max(this.#last, seq, ...due.map(([key]) => key));
    return due.flatMap(([, item]) => (item === null ? [] : [item]));
  }

  #drain(): T[] {
    const due: T[] = [];
    while (this.#waiting.has(this.#last + 1)) {
      const next = this.#waiting.get(this.#last + 1) ?? null;
      this.#waiting.delete(++this.#last);
      if (next !== null) due.push(next);
    }
    return due;
  }
}
