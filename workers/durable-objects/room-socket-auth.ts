/**
 * In-band authentication of a room's sockets (docs/PROTOCOL.md "Authentication") as a pure state machine: one socket's
 * state and an event in, the next state and the actions to take out, all plain data (room-socket-access.ts). It sends,
 * closes, verifies and schedules nothing itself; room-sockets.ts carries the actions out, so every case is tested in node
 * without a runtime (room-socket-auth.test.ts).
 *
 * A private room admits a socket only after a token proves membership; until then the socket receives nothing. Frames a
 * socket sends while its token is verified wait in a bounded queue and are handled in order afterwards, under the new grant.
 */
import { AuthKind, CloseCode, MessageType, ProtocolError, decodeMessage, type Message } from "../../core/protocol.js";
import { AUTH_NOT_CONFIGURED, type Identity } from "../platform/auth.js";
import { USER_ID_PATTERN, roleIn } from "./room-permissions.js";
import {
  AUTH_QUEUE_FRAMES,
  EMPTY_INBOX,
  EXPIRY_GRACE_MS,
  grantOf,
  isWaiting,
  roleNow,
  type Inbox,
  type SocketAccess,
  type SocketAuthAction,
  type SocketAuthContext,
  type SocketAuthEvent,
  type SocketAuthState,
  type SocketAuthStep,
  type SocketOpening,
} from "./room-socket-access.js";

/**
 * Decide what a new socket may do, given the identity the Worker verified from an `Authorization` header (usually null:
 * browsers send the token in-band). Called with no await between it and accepting the socket, so it sees the permissions
 * the socket will live under.
 * @example const opening = openSocket(identity, context, Date.now()); if (opening.outcome === "refused") return refuse(opening.code, opening.reason);
 */
export function openSocket(identity: Identity | null, context: SocketAuthContext, now: number): SocketOpening {
  const { policy } = context;
  const role = roleIn(policy, identity?.userId ?? null);
  if (role === null && identity !== null) {
    return { outcome: "refused", code: CloseCode.Forbidden, reason: "you are not a member of this private room" };
  }
  if (role === null) {
    const admitBy = now + context.timeoutMs;
    const access: SocketAccess = { userId: null, expiresAt: null, admitBy, role: null, visibility: policy.visibility, denied: false };
    return { outcome: "waiting", admitBy, state: { access, inbox: EMPTY_INBOX }, actions: [{ type: "deadline", at: admitBy }] };
  }
  const access: SocketAccess = {
    userId: identity?.userId ?? null,
    expiresAt: identity?.expiresAt ?? null,
    admitBy: null,
    role,
    visibility: policy.visibility,
    denied: false,
  };
  const actions: SocketAuthAction[] = [];
  if (identity !== null) actions.push({ type: "deadline", at: identity.expiresAt + EXPIRY_GRACE_MS });
  // Public rooms stay as before (editor is implied); anyone else learns their role at once.
  if (identity !== null || role !== "editor") actions.push({ type: "grant", grant: grantOf(access) });
  actions.push({ type: "greet" });
  return { outcome: "admitted", state: { access, inbox: null }, actions };
}

/**
 * The next state of one socket and what to do about `event`. Never changes `state`.
 * @example const { state, actions } = stepSocketAuth(before, { type: "frame", frame, now: Date.now() }, context);
 */
export function stepSocketAuth(state: SocketAuthState, event: SocketAuthEvent, context: SocketAuthContext): SocketAuthStep {
  const turn = new Turn(state, context, event.now);
  switch (event.type) {
    case "frame":
      turn.receive(event.frame);
      break;
    case "verified":
      turn.verified(event.identity);
      break;
    case "unverified":
      turn.refuseToken(event.reason);
      break;
    case "tick":
      turn.enforceDeadlines();
      break;
    case "permissions":
      turn.regrant();
      break;
    case "write-refused":
      turn.refuseWrite();
      break;
    default:
      event satisfies never;
  }
  return { state: turn.state, actions: turn.actions };
}

// ---- the steps of one event ----------------------------------------------------------------------------------------

/** One event's work: the state as it changes and the actions so far. Stops at the first close. */
class Turn {
  state: SocketAuthState;
  actions: SocketAuthAction[] = [];
  #closed = false;
  #context: SocketAuthContext;
  #now: number;

  constructor(state: SocketAuthState, context: SocketAuthContext, now: number) {
    this.state = state;
    this.#context = context;
    this.#now = now;
  }

  receive(frame: Uint8Array): void {
    // Woken from hibernation with a socket still waiting for its token: its queue (in memory only) starts empty again.
    const inbox = this.state.inbox ?? (isWaiting(this.state.access) ? EMPTY_INBOX : null);
    if (inbox?.verifying) return this.#enqueue(inbox, frame);
    const message = this.#decode(frame);
    if (message === null) return;
    if (!isToken(message)) {
      // A private room's socket must send its token first (spike's clients always do). Anything else first is an
      // anonymous client: refuse it now rather than after the timeout, so it can show "sign in" at once.
      if (inbox && inbox.frames.length === 0) {
        return this.#close(CloseCode.Unauthorized, "authentication required: this room is private; send a token first");
      }
      if (inbox) return this.#enqueue(inbox, frame);
      return this.#deliver(message);
    }
    // The token goes first: frames a waiting socket sent before it can only be handled once it is admitted.
    const frames = [frame, ...(inbox?.frames ?? [])];
    this.#setInbox({ frames, bytes: (inbox?.bytes ?? 0) + frame.byteLength, verifying: false });
    this.#drain();
  }

  verified(identity: Identity): void {
    this.#setInbox(this.state.inbox && { ...this.state.inbox, verifying: false });
    if (!USER_ID_PATTERN.test(identity.userId)) return this.refuseToken("token subject (sub) is not a valid user id");
    const { policy } = this.#context;
    const role = roleIn(policy, identity.userId);
    if (role === null) {
      this.#log({ level: "warn", event: "auth_failed", userId: identity.userId, reason: "not a member" });
      return this.#close(CloseCode.Forbidden, "you are not a member of this private room");
    }
    this.#log({ event: "auth_ok", userId: identity.userId, role });
    const access = this.state.access;
    this.#grant({ ...access, userId: identity.userId, expiresAt: identity.expiresAt, role, visibility: policy.visibility });
    this.#drain();
  }

  refuseToken(reason: string): void {
    this.#log({ level: "warn", event: "auth_failed", reason });
    this.#close(CloseCode.Unauthorized, reason);
  }

  /**
   * Close a socket whose time to authenticate ran out, and end an identity whose token ran out (the socket becomes
   * anonymous, or is closed when anonymous users may not open the room), so a silent socket cannot keep reading a private
   * room on an expired token. Asks for the next such deadline.
   */
  enforceDeadlines(): void {
    const { admitBy, expiresAt } = this.state.access;
    if (admitBy !== null) {
      if (admitBy > this.#now) return this.#deadline(admitBy);
      this.#log({ level: "warn", event: "auth_failed", reason: "no token in time" });
      return this.#close(CloseCode.Unauthorized, "authentication required: send a token within the first seconds");
    }
    if (expiresAt === null) return;
    if (expiresAt + EXPIRY_GRACE_MS > this.#now) return this.#deadline(expiresAt + EXPIRY_GRACE_MS);
    this.#expire();
  }

  /**
   * After a change of the room's permissions: a new grant when the role or visibility changed (admitting a waiting socket
   * the room is now open to), or a close when the socket may no longer open the room.
   */
  regrant(): void {
    const { access, inbox } = this.state;
    const { visibility } = this.#context.policy;
    const role = roleNow(access, this.#context.policy);
    if (role === null) {
      if (access.admitBy !== null) return; // still waiting for its token
      if (access.userId === null) return this.#close(CloseCode.Unauthorized, "this room is now private: sign in to open it");
      return this.#close(CloseCode.Forbidden, "you are no longer a member of this room");
    }
    if (role === access.role && visibility === access.visibility && access.admitBy === null) return;
    this.#grant({ ...access, role, visibility });
    if (inbox && !inbox.verifying) this.#drain();
  }

  /** A write was dropped: the client is told once per grant. */
  refuseWrite(): void {
    const access = this.state.access;
    if (access.denied) return;
    this.#setAccess({ ...access, denied: true });
    this.actions.push({ type: "deny", denial: "read-only", reason: "read-only: this connection may not edit the room; the edit was not saved" });
    this.#log({ event: "write_dropped", userId: access.userId, role: access.role });
  }

  /**
   * Work through the inbox in order: a token is verified before anything after it (the drain resumes at "verified"), so
   * every frame is handled under the grant the client meant it for.
   */
  #drain(): void {
    for (let inbox = this.state.inbox; inbox && inbox.frames.length > 0 && !this.#closed; inbox = this.state.inbox) {
      const [next, ...rest] = inbox.frames as [Uint8Array, ...Uint8Array[]];
      this.#setInbox({ frames: rest, bytes: inbox.bytes - next.byteLength, verifying: false });
      const message = this.#decode(next);
      if (message === null) return;
      if (isToken(message)) {
        if (!this.#context.authConfigured) {
          this.#ignoreToken();
          continue;
        }
        this.#setInbox({ ...this.state.inbox!, verifying: true });
        this.actions.push({ type: "verify", token: message.token });
        return;
      }
      if (isWaiting(this.state.access)) return; // not admitted (its socket is being closed): nothing more to do
      this.#deliver(message);
    }
    if (!this.#closed && !isWaiting(this.state.access)) this.#setInbox(null);
  }

  /** A client with a sign-in the server does not use: it stays anonymous (and keeps working in a public room). */
  #ignoreToken(): void {
    this.#log({ event: "auth_ignored", reason: AUTH_NOT_CONFIGURED });
    const { policy } = this.#context;
    const role = roleNow(this.state.access, policy);
    // A private room claimed while sign-in worked stays closed: nobody can be verified now.
    if (role === null) return this.#close(CloseCode.Unauthorized, AUTH_NOT_CONFIGURED);
    this.#grant({ ...this.state.access, role, visibility: policy.visibility });
  }

  #enqueue(inbox: Inbox, frame: Uint8Array): void {
    if (inbox.frames.length >= AUTH_QUEUE_FRAMES || inbox.bytes + frame.byteLength > this.#context.queueBytes) {
      this.#log({ level: "warn", event: "auth_queue_full", frames: inbox.frames.length });
      return this.#close(CloseCode.PolicyViolation, "too much data before authentication");
    }
    this.#setInbox({ ...inbox, frames: [...inbox.frames, frame], bytes: inbox.bytes + frame.byteLength });
  }

  /** Hand a frame of an admitted socket to the room, after dropping a token that has run out. */
  #deliver(message: Message): void {
    const { expiresAt } = this.state.access;
    if (expiresAt !== null && this.#now > expiresAt + EXPIRY_GRACE_MS && !this.#expire()) return;
    this.actions.push({ type: "deliver", message });
  }

  /** A token ran out: the socket goes on as anonymous (true), or is closed when anonymous users may not open the room. */
  #expire(): boolean {
    this.#log({ event: "token_expired", userId: this.state.access.userId });
    const { policy } = this.#context;
    const role = roleIn(policy, null);
    if (role === null) {
      this.#close(CloseCode.Unauthorized, "token expired");
      return false;
    }
    this.#grant({ ...this.state.access, userId: null, expiresAt: null, role, visibility: policy.visibility });
    return true;
  }

  /** Record `access` (admitting the socket if it waited) and tell the client; a socket just admitted gets the greeting. */
  #grant(access: SocketAccess): void {
    const admitted = access.admitBy !== null;
    this.#setAccess({ ...access, admitBy: null, denied: false });
    if (access.expiresAt !== null) this.#deadline(access.expiresAt + EXPIRY_GRACE_MS);
    this.actions.push({ type: "grant", grant: grantOf(access) });
    if (admitted) this.actions.push({ type: "greet" });
  }

  #decode(frame: Uint8Array): Message | null {
    try {
      return decodeMessage(frame);
    } catch (error) {
      this.#close(CloseCode.InvalidFrame, error instanceof ProtocolError ? error.message : "malformed frame");
      return null;
    }
  }

  #close(code: CloseCode, reason: string): void {
    this.#closed = true;
    this.#setInbox(null);
    this.actions.push({ type: "close", code, reason });
  }

  #deadline(at: number): void {
    this.actions.push({ type: "deadline", at });
  }

  #log(entry: { event: string; level?: "warn"; [field: string]: unknown }): void {
    this.actions.push({ type: "log", entry });
  }

  #setAccess(access: SocketAccess): void {
    this.state = { ...this.state, access };
  }

  #setInbox(inbox: Inbox | null): void {
    if (inbox !== this.state.inbox) this.state = { ...this.state, inbox };
  }
}

function isToken(message: Message): message is Extract<Message, { type: typeof MessageType.Auth; kind: typeof AuthKind.Token }> {
  return message.type === MessageType.Auth && message.kind === AuthKind.Token;
}
