/**
 * What a room answers to the Worker's typed calls (everything but the WebSocket; CodeRoom's RPC methods delegate here):
 * a room nobody ever wrote to does not exist, so a read of it is a 404 that stores nothing and only writes create it;
 * reads need the right to open the room and writes the right to edit it; then the call goes to the room's files
 * (room-files.ts), chat (room-chat.ts) or permissions (room-permissions-calls.ts).
 */
import { entryOf } from "../../core/project.js";
import type { Identity } from "../platform/auth.js";
import type { Config } from "../platform/config.js";
import type {
  ChatAccepted,
  ChatCleared,
  ChatList,
  FileBody,
  FileText,
  FileWritten,
  Parsed,
  PermissionsAnswer,
  PermissionsChange,
  Question,
  ChatCancelled,
  ChatUndone,
  RoomCaller,
  RoomRefusal,
  RoomResult,
  RoomSession,
} from "./room-api.js";
import { done, refuse } from "./room-api.js";
import { httpDenial } from "./room-access.js";
import type { ChatDecisions, RoomChat } from "./room-chat.js";
import type { RoomClaim } from "./room-claim.js";
import type { RoomDocument } from "./room-document.js";
import { readFileText, readSession, writeFileText, type FilesRoom } from "./room-files.js";
import { changePermissions, readPermissions, type PermissionsCallContext } from "./room-permissions-calls.js";
import type { RoomPermissions } from "./room-permissions.js";
import type { RoomStorage } from "./room-storage.js";
import { missingRoom, runRoomCall } from "./room-call.js";

/** What the calls need from their room. */
export interface RoomCallsHost {
  storage: RoomStorage;
  document: RoomDocument;
  permissions: RoomPermissions;
  claim: RoomClaim;
  chat: RoomChat;
  /** The room's document limit, whether sign-in is configured, the operators (who may claim any unowned room). */
  config: Config;
  /** The room-creation limit, for a call that may create the room: null when allowed, else the 429. */
  admitCreation(caller: RoomCaller): Promise<RoomRefusal | null>;
  /** The permissions changed: regrant the room's sockets. */
  regrant(): void;
  /** Resolves once the room may be used: restored from its R2 backup first when its storage is empty (room-backups.ts). */
  ready?(room: string): Promise<void>;
}

/**
 * The calls, each for one caller: CodeRoom's RPC methods are these, one for one.
 * @example const result = await calls.session({ room: "demo", identity: null, ip: "203.0.113.7" });
 */
export class RoomCalls {
  #host: RoomCallsHost;

  constructor(host: RoomCallsHost) {
    this.#host = host;
  }

  /**
   * A room nobody wrote to has an empty session (no files, version 0), not a 404: a lite embed of a room reads it before
   * anyone has typed there (elements/internal/lite-source.ts), and a 404 is an error in that page's console. Reading it
   * stores nothing; every other read of such a room is a 404.
   */
  session(caller: RoomCaller): Promise<RoomResult<RoomSession>> {
    return this.#run(caller, () => {
      if (!this.#host.storage.exists) return done({ room: caller.room, files: {}, entry: entryOf(this.#host.document.doc()), version: 0, updatedAt: null });
      return this.#readDenial(caller) ?? readSession(this.#files(caller));
    });
  }

  readEntry(caller: RoomCaller): Promise<RoomResult<FileText>> {
    return this.#run(caller, () => this.#readDenial(caller) ?? readFileText(this.#files(caller), entryOf(this.#host.document.doc())));
  }

  readFile(caller: RoomCaller, name: string): Promise<RoomResult<FileText>> {
    return this.#run(caller, () => this.#readDenial(caller) ?? readFileText(this.#files(caller), name));
  }

  writeFile(caller: RoomCaller, name: string, body: Parsed<FileBody>): Promise<RoomResult<FileWritten>> {
    return this.#run(caller, () => this.#editDenial(caller, { creates: true }) ?? writeFileText(this.#files(caller), name, body));
  }

  chat(caller: RoomCaller): Promise<RoomResult<ChatList>> {
    return this.#run(caller, () => this.#readDenial(caller) ?? done({ messages: this.#host.chat.messages() }));
  }

  ask(caller: RoomCaller, question: Parsed<Question>): Promise<RoomResult<ChatAccepted>> {
    return this.#run(caller, () => this.#editDenial(caller, { creates: true }) ?? this.#host.chat.ask(question, this.#decisions(caller)));
  }

  clearChat(caller: RoomCaller): Promise<RoomResult<ChatCleared>> {
    return this.#run(caller, () => this.#editDenial(caller) ?? this.#host.chat.clear(this.#decisions(caller)));
  }

  cancelReply(caller: RoomCaller, id: string): Promise<RoomResult<ChatCancelled>> {
    return this.#run(caller, () => this.#editDenial(caller) ?? this.#host.chat.cancel(id));
  }

  undoReply(caller: RoomCaller, id: string): Promise<RoomResult<ChatUndone>> {
    return this.#run(caller, () => this.#editDenial(caller) ?? this.#host.chat.undo(id));
  }

  permissions(caller: RoomCaller): Promise<RoomResult<PermissionsAnswer>> {
    return this.#run(caller, () => this.#missing() ?? readPermissions(this.#permissionsContext(caller)));
  }

  setPermissions(caller: RoomCaller, change: Parsed<PermissionsChange>): Promise<RoomResult<PermissionsAnswer>> {
    return this.#run(caller, () => changePermissions(this.#permissionsContext(caller), change));
  }

  #run<T>(caller: RoomCaller, work: () => RoomResult<T> | Promise<RoomResult<T>>): Promise<RoomResult<T>> {
    return runRoomCall(this.#host, caller, work);
  }

  // ---- checks ------------------------------------------------------------------------------------------------------

  /** A room nobody ever wrote to: reading it stores nothing and says so. */
  #missing(): RoomRefusal | null {
    return missingRoom(this.#host.storage);
  }

  /** The refusal of a read by the caller (a missing room, or no right to open it), or null when allowed. */
  #readDenial(caller: RoomCaller): RoomRefusal | null {
    return this.#missing() ?? this.#denial(caller.identity, "read");
  }

  /** The refusal of a write by the caller, or null when allowed; only a call that `creates` may reach a missing room. */
  #editDenial(caller: RoomCaller, { creates = false } = {}): RoomRefusal | null {
    return (creates ? null : this.#missing()) ?? this.#denial(caller.identity, "edit");
  }

  #denial(identity: Identity | null, need: "read" | "edit"): RoomRefusal | null {
    return httpDenial(this.#host.permissions.roleOf(identity?.userId ?? null), need, identity);
  }

  /** Who may clear the room's chat: its owner, or anyone who may edit a room nobody owns. null when `identity` may. */
  #ownerDenial(identity: Identity | null): RoomRefusal | null {
    const owner = this.#host.permissions.owner;
    if (owner === null) return this.#denial(identity, "edit");
    if (identity?.userId === owner) return null;
    if (identity === null) return refuse(401, "sign in as the room's owner to clear its chat", { signIn: true, denial: "owner-only" });
    return refuse(403, "only the room's owner may clear its chat", { denial: "owner-only" });
  }

  // ---- what each module needs, for one caller ---------------------------------------------------------------------

  #files(caller: RoomCaller): FilesRoom {
    const { document, storage } = this.#host;
    return {
      doc: () => document.doc(),
      state: () => ({ ...storage.state(), room: storage.roomName }),
      maxDocumentBytes: this.#host.config.room.limits.maxDocumentBytes,
      fits: (growth) => document.fits(growth),
      // The creation limit, then the permissions again: they may have changed during that await.
      admit: async () => (await this.#host.admitCreation(caller)) ?? this.#denial(caller.identity, "edit"),
      created: (write) => document.created(caller.identity?.userId ?? null, write),
    };
  }

  #decisions(caller: RoomCaller): ChatDecisions {
    return {
      editDenial: () => this.#denial(caller.identity, "edit"),
      clearDenial: () => this.#ownerDenial(caller.identity),
      admitCreation: () => this.#host.admitCreation(caller),
      created: (write) => this.#host.document.created(caller.identity?.userId ?? null, write),
    };
  }

  #permissionsContext(caller: RoomCaller): PermissionsCallContext {
    const { permissions, claim, storage, config } = this.#host;
    return {
      permissions,
      identity: caller.identity,
      room: storage.roomName,
      authOn: config.auth.configured,
      admitCreation: () => this.#host.admitCreation(caller),
      decideClaim: (userId, claimToken) => claim.decide(userId, claimToken, config.auth.admins),
      changed: (claimed) => {
        if (claimed) claim.claimed();
        this.#host.regrant();
      },
    };
  }
}
