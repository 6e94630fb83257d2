/**
 * The socket authentication machine (room-socket-auth.ts), case by case in node: what a socket may do when it opens, a
 * token as its first frame, bad and expired tokens, renewal, permission changes, deadlines and the queue of frames that
 * wait for a token. Pure: no runtime, no socket, no clock; the whole file runs in milliseconds.
 * workers/durable-objects/socket-auth.test.ts covers the same paths through the real Worker and CodeRoom.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CloseCode,
  MessageType,
  encodeAuthToken,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeUpdate,
  type Visibility,
} from "../../core/protocol.js";
import { AUTH_NOT_CONFIGURED, type Identity } from "../platform/auth.js";
import { policyOf } from "./room-permissions.js";
import {
  AUTH_QUEUE_FRAMES,
  EXPIRY_GRACE_MS,
  isWaiting,
  mayReceive,
  roleNow,
  type SocketAuthAction,
  type SocketAuthContext,
  type SocketAuthEvent,
  type SocketAuthState,
} from "./room-socket-access.js";
import { openSocket, stepSocketAuth } from "./room-socket-auth.js";

const T0 = 1_000_000_000_000;
const TIMEOUT_MS = 10_000;
const OWNER = "user_owner";
const EDITOR = "user_editor";
const MEMBER = "user_member";

function context(visibility: Visibility, changes: { editors?: string[]; members?: string[]; authConfigured?: boolean } = {}): SocketAuthContext {
  const { editors = [EDITOR], members = [MEMBER], authConfigured = true } = changes;
  return { policy: policyOf({ owner: OWNER, visibility, editors, members }), authConfigured, timeoutMs: TIMEOUT_MS, queueBytes: 4_096 };
}

/** An identity whose token expires `inMs` after T0. */
const identity = (userId: string, inMs = 60_000): Identity => ({ userId, sessionId: "sess_test", expiresAt: T0 + inMs });

const step1 = () => encodeSyncStep1(new Uint8Array([0]));
const token = (name = "token") => encodeAuthToken(name);

/** Each action in a few words, so a test reads as the sequence the client would see. */
function said(actions: readonly SocketAuthAction[]): string[] {
  return actions.map((action) => {
    switch (action.type) {
      case "grant":
        return `grant ${action.grant.role} ${action.grant.userId ?? "anonymous"} ${action.grant.visibility}`;
      case "greet":
        return "greet";
      case "deliver":
        return `deliver ${action.message.type === MessageType.Sync ? `sync ${action.message.step}` : `type ${action.message.type}`}`;
      case "verify":
        return `verify ${action.token}`;
      case "close":
        return `close ${action.code} ${action.reason}`;
      case "deny":
        return `deny ${action.denial}`;
      case "deadline":
        return `deadline +${action.at - T0}`;
      case "log":
        return `log ${action.entry.event}`;
    }
  });
}

/** One socket driven through the machine: `send` feeds an event and answers with what the room was told to do. */
class Socket {
  state: SocketAuthState;
  context: SocketAuthContext;
  opened: string[];

  constructor(context: SocketAuthContext, who: Identity | null = null) {
    this.context = context;
    const opening = openSocket(who, context, T0);
    assert.notEqual(opening.outcome, "refused", "the socket opens");
    if (opening.outcome === "refused") throw new Error("refused");
    this.state = opening.state;
    this.opened = said(opening.actions);
  }

  send(event: SocketAuthEvent): string[] {
    const before = structuredClone(this.state);
    const { state, actions } = stepSocketAuth(this.state, event, this.context);
    assert.deepEqual(this.state, before, "the machine never changes the state it was given");
    this.state = state;
    return said(actions);
  }

  frame(frame: Uint8Array, at = 0): string[] {
    return this.send({ type: "frame", frame, now: T0 + at });
  }

  verified(who: Identity, at = 0): string[] {
    return this.send({ type: "verified", identity: who, now: T0 + at });
  }
}

describe("opening a socket", () => {
  it("an anonymous socket in a public room is an editor at once: no grant (implied), the greeting", () => {
    const socket = new Socket(context("public"));
    assert.deepEqual(socket.opened, ["greet"]);
    assert.equal(roleNow(socket.state.access, socket.context.policy), "editor");
  });

  it("an anonymous socket in a read-only room is told it is a viewer before the greeting", () => {
    assert.deepEqual(new Socket(context("readonly")).opened, ["grant viewer anonymous readonly", "greet"]);
  });

  it("an anonymous socket in a private room waits for its token, is sent nothing and is given the timeout", () => {
    const opening = openSocket(null, context("private"), T0);
    assert.equal(opening.outcome, "waiting");
    assert.ok(opening.outcome === "waiting");
    assert.equal(opening.admitBy, T0 + TIMEOUT_MS);
    assert.deepEqual(said(opening.actions), [`deadline +${TIMEOUT_MS}`]);
    assert.ok(isWaiting(opening.state.access));
    assert.equal(mayReceive(opening.state.access, context("private").policy, T0), false);
  });

  it("a member verified from an Authorization header is admitted with a grant and its token's deadline", () => {
    const socket = new Socket(context("private"), identity(MEMBER));
    assert.deepEqual(socket.opened, [`deadline +${60_000 + EXPIRY_GRACE_MS}`, "grant viewer user_member private", "greet"]);
  });

  it("a non-member verified from an Authorization header is refused with 4403 before anything is sent", () => {
    assert.deepEqual(openSocket(identity("user_stranger"), context("private"), T0), {
      outcome: "refused",
      code: CloseCode.Forbidden,
      reason: "you are not a member of this private room",
    });
    // Decided under the permissions passed in: the same identity is admitted while the room is still public.
    assert.equal(openSocket(identity("user_stranger"), context("public"), T0).outcome, "admitted");
  });
});

describe("a token as the first frame", () => {
  it("is verified while the frames behind it wait; a member is granted, greeted, then those frames are handled in order", () => {
    const socket = new Socket(context("private"));
    assert.deepEqual(socket.frame(token()), ["verify token"]);
    assert.deepEqual(socket.frame(step1()), []);
    assert.deepEqual(socket.frame(encodeQueryAwareness()), []);
    assert.deepEqual(socket.verified(identity(MEMBER)), [
      "log auth_ok",
      `deadline +${60_000 + EXPIRY_GRACE_MS}`,
      "grant viewer user_member private",
      "greet",
      "deliver sync 0",
      "deliver type 3",
    ]);
    assert.equal(socket.state.inbox, null, "nothing waits any more");
    assert.deepEqual(socket.frame(step1()), ["deliver sync 0"]);
  });

  it("a private room's socket whose first frame is not a token is closed with 4401 at once", () => {
    const socket = new Socket(context("private"));
    assert.deepEqual(socket.frame(step1()), ["close 4401 authentication required: this room is private; send a token first"]);
  });

  it("a bad token is closed with 4401 and its reason; nothing queued behind it is handled", () => {
    const socket = new Socket(context("private"));
    socket.frame(token());
    socket.frame(step1());
    assert.deepEqual(socket.send({ type: "unverified", reason: "token signature does not verify", now: T0 }), [
      "log auth_failed",
      "close 4401 token signature does not verify",
    ]);
  });

  it("a valid token of a non-member is closed with 4403; one whose subject is not a user id with 4401", () => {
    const stranger = new Socket(context("private"));
    stranger.frame(token());
    assert.deepEqual(stranger.verified(identity("user_stranger")), ["log auth_failed", "close 4403 you are not a member of this private room"]);
    const odd = new Socket(context("private"));
    odd.frame(token());
    assert.deepEqual(odd.verified(identity("user with spaces")), ["log auth_failed", "close 4401 token subject (sub) is not a valid user id"]);
  });

  it("a token in a public room turns an anonymous editor into the signed-in user", () => {
    const socket = new Socket(context("public"));
    assert.deepEqual(socket.frame(token()), ["verify token"]);
    assert.deepEqual(socket.verified(identity(EDITOR)), ["log auth_ok", `deadline +${60_000 + EXPIRY_GRACE_MS}`, "grant editor user_editor public"]);
  });

  it("a socket woken from hibernation while it waited starts with an empty queue: a token still admits it", () => {
    const socket = new Socket(context("private"));
    socket.state = { ...socket.state, inbox: null }; // the queue lives in memory only
    assert.deepEqual(socket.frame(token()), ["verify token"]);
    assert.deepEqual(socket.verified(identity(MEMBER)).slice(-2), ["grant viewer user_member private", "greet"]);
  });

  it("a malformed frame closes the socket with 1007", () => {
    const socket = new Socket(context("public"));
    assert.deepEqual(socket.frame(new Uint8Array([0, 9])), ["close 1007 truncated frame (2 bytes)"]);
  });
});

describe("frames that wait for a token", () => {
  it(`more than ${AUTH_QUEUE_FRAMES} frames close the socket with 1008`, () => {
    const socket = new Socket(context("public"));
    socket.frame(token());
    for (let i = 0; i < AUTH_QUEUE_FRAMES; i++) assert.deepEqual(socket.frame(encodeQueryAwareness()), []);
    assert.deepEqual(socket.frame(encodeQueryAwareness()), ["log auth_queue_full", "close 1008 too much data before authentication"]);
  });

  it("more than the queue's bytes close the socket with 1008", () => {
    const socket = new Socket(context("public"));
    socket.frame(token());
    assert.deepEqual(socket.frame(encodeUpdate(new Uint8Array(4_000))), []);
    assert.deepEqual(socket.frame(encodeUpdate(new Uint8Array(200))), ["log auth_queue_full", "close 1008 too much data before authentication"]);
  });

  it("a second token in the queue is verified in its turn, after the frames before it", () => {
    const socket = new Socket(context("readonly"));
    socket.frame(token("first"));
    socket.frame(step1());
    socket.frame(token("second"));
    socket.frame(encodeQueryAwareness());
    assert.deepEqual(socket.verified(identity(MEMBER)).slice(-3), ["grant viewer user_member readonly", "deliver sync 0", "verify second"]);
    assert.deepEqual(socket.verified(identity(EDITOR)).slice(-2), ["grant editor user_editor readonly", "deliver type 3"]);
  });
});

describe("expiry and renewal", () => {
  // Verified within the 5 s clock tolerance, so it counts only until 2 s from now.
  const lapsing = (userId: string) => identity(userId, -3_000);

  it("a renewed token replaces the first one on the open socket, with its new expiry", () => {
    const socket = new Socket(context("readonly"), lapsing(EDITOR));
    assert.deepEqual(socket.frame(token("fresh"), 1_000), ["verify fresh"]);
    assert.deepEqual(socket.verified(identity(EDITOR, 120_000), 1_000), [
      "log auth_ok",
      `deadline +${120_000 + EXPIRY_GRACE_MS}`,
      "grant editor user_editor readonly",
    ]);
    assert.deepEqual(socket.frame(step1(), 10_000), ["deliver sync 0"], "still an editor after the first token ran out");
  });

  it("the alarm before the grace ends asks again; after it a read-only room's socket goes on as an anonymous viewer", () => {
    const socket = new Socket(context("readonly"), lapsing(EDITOR));
    assert.deepEqual(socket.send({ type: "tick", now: T0 + 1_000 }), [`deadline +${2_000}`]);
    assert.deepEqual(socket.send({ type: "tick", now: T0 + 2_001 }), ["log token_expired", "grant viewer anonymous readonly"]);
    assert.equal(socket.state.access.userId, null);
  });

  it("in a private room the alarm closes it with 4401, and it may receive nothing meanwhile", () => {
    const socket = new Socket(context("private"), lapsing(MEMBER));
    assert.equal(mayReceive(socket.state.access, socket.context.policy, T0 + 2_000), true);
    assert.equal(mayReceive(socket.state.access, socket.context.policy, T0 + 2_001), false);
    assert.deepEqual(socket.send({ type: "tick", now: T0 + 2_001 }), ["log token_expired", "close 4401 token expired"]);
  });

  it("a frame after expiry finds the socket anonymous first (read-only: a viewer) or closes it (private)", () => {
    const viewer = new Socket(context("readonly"), lapsing(EDITOR));
    assert.deepEqual(viewer.frame(step1(), 3_000), ["log token_expired", "grant viewer anonymous readonly", "deliver sync 0"]);
    const closed = new Socket(context("private"), lapsing(MEMBER));
    assert.deepEqual(closed.frame(step1(), 3_000), ["log token_expired", "close 4401 token expired"]);
  });
});

describe("permission changes on open sockets", () => {
  it("a changed role is granted again; an unchanged one is not", () => {
    const socket = new Socket(context("private"), identity(MEMBER));
    socket.context = context("private", { editors: [EDITOR, MEMBER] });
    assert.deepEqual(socket.send({ type: "permissions", now: T0 }), [`deadline +${60_000 + EXPIRY_GRACE_MS}`, "grant editor user_member private"]);
    assert.deepEqual(socket.send({ type: "permissions", now: T0 }), []);
  });

  it("an editor demoted to viewer is told so; a dropped write is reported once per grant", () => {
    const socket = new Socket(context("readonly"), identity(EDITOR));
    socket.context = context("readonly", { editors: [] });
    assert.deepEqual(socket.send({ type: "permissions", now: T0 }).at(-1), "grant viewer user_editor readonly");
    assert.equal(roleNow(socket.state.access, socket.context.policy), "viewer");
    assert.deepEqual(socket.send({ type: "write-refused", now: T0 }), ["deny read-only", "log write_dropped"]);
    assert.deepEqual(socket.send({ type: "write-refused", now: T0 }), []);
    socket.context = context("readonly");
    socket.send({ type: "permissions", now: T0 });
    assert.deepEqual(socket.send({ type: "write-refused", now: T0 }), ["deny read-only", "log write_dropped"], "a new grant, a new notice");
  });

  it("a revoked member is closed with 4403; an anonymous socket of a room turned private with 4401", () => {
    const member = new Socket(context("private"), identity(MEMBER));
    member.context = context("private", { members: [] });
    assert.deepEqual(member.send({ type: "permissions", now: T0 }), ["close 4403 you are no longer a member of this room"]);
    const anonymous = new Socket(context("public"));
    anonymous.context = context("private");
    assert.deepEqual(anonymous.send({ type: "permissions", now: T0 }), ["close 4401 this room is now private: sign in to open it"]);
  });

  it("a waiting socket stays waiting while the room is private, and is admitted and greeted when it turns public", () => {
    const socket = new Socket(context("private"));
    assert.deepEqual(socket.send({ type: "permissions", now: T0 }), []);
    socket.context = context("public");
    assert.deepEqual(socket.send({ type: "permissions", now: T0 }), ["grant editor anonymous public", "greet"]);
    assert.equal(socket.state.inbox, null);
    assert.deepEqual(socket.frame(step1()), ["deliver sync 0"]);
  });

  it("a member's token verified after the room dropped them is refused with 4403", () => {
    const socket = new Socket(context("private"));
    socket.frame(token());
    socket.context = context("private", { members: [] });
    assert.deepEqual(socket.verified(identity(MEMBER)), ["log auth_failed", "close 4403 you are not a member of this private room"]);
  });
});

describe("deadlines", () => {
  it("a silent socket in a private room is closed with 4401 when its time runs out, not before", () => {
    const socket = new Socket(context("private"));
    assert.deepEqual(socket.send({ type: "tick", now: T0 + TIMEOUT_MS - 1 }), [`deadline +${TIMEOUT_MS}`]);
    assert.deepEqual(socket.send({ type: "tick", now: T0 + TIMEOUT_MS }), [
      "log auth_failed",
      "close 4401 authentication required: send a token within the first seconds",
    ]);
  });

  it("an anonymous admitted socket has no deadline", () => {
    assert.deepEqual(new Socket(context("public")).send({ type: "tick", now: T0 + 1e9 }), []);
  });
});

describe("sign-in not configured", () => {
  it("a token is answered with the anonymous grant and the socket keeps working", () => {
    const socket = new Socket(context("public", { authConfigured: false }));
    assert.deepEqual(socket.frame(token()), ["log auth_ignored", "grant editor anonymous public"]);
    assert.deepEqual(socket.frame(step1()), ["deliver sync 0"]);
  });

  it("a private room claimed while sign-in worked stays closed: its socket's token gets 4401", () => {
    const socket = new Socket(context("private", { authConfigured: false }));
    assert.deepEqual(socket.frame(token()), ["log auth_ignored", `close 4401 ${AUTH_NOT_CONFIGURED}`]);
  });
});
