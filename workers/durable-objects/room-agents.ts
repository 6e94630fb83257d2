/**
 * AI agents as collaborators (README "MCP"): an agent's file change is applied to the room's Y.Doc as ONE small Yjs
 * transaction that touches only the span that changes (core/edits.ts), so people typing in the same file keep their text;
 * the same transaction appends an "agent" message to the room's chat ("changed index.tsx", with the undo copy of the
 * change), so `POST /live/<room>/chat/<id>/undo` takes it back like an assistant reply's edits. Every call also keeps the
 * agent's presence in the room's awareness (room-agent-presence.ts). Permissions are the HTTP API's: a change needs the
 * right to edit (a write may create the room, like `PUT files/<name>`), presence the right to read.
 */
import * as Y from "yjs";
import { appendAgentMessage, trimChat } from "../../core/chat.js";
import { locate } from "../../core/edit-locate.js";
import { applyAssistantEdits, compactEdit, type AppliedEdit, type ParsedEdit } from "../../core/edits.js";
import { filesOf, isValidFileName } from "../../core/project.js";
import type { Identity } from "../platform/auth.js";
import type { AgentPresence } from "./room-agent-presence.js";
import { caretIn } from "./room-agent-presence.js";
import { httpDenial } from "./room-access.js";
import type { AgentChange, AgentChanged, AgentInfo, RoomCaller, RoomRefusal, RoomResult } from "./room-api.js";
import { done, refuse } from "./room-api.js";
import { StorageError, type RoomDocument } from "./room-document.js";
import type { RoomPermissions } from "./room-permissions.js";
import type { RoomStorage } from "./room-storage.js";

/** Bounds on what an agent call names. */
export const AGENT_LIMITS = {
  /** An agent's display name (the chat shows at most 64 characters of an author). */
  nameLength: 64,
  /** An agent's key ("token:<id>" or "user:<userId>"). */
  keyLength: 200,
} as const;

/** Bytes a chat message's Yjs structure costs beyond its texts (room-chat-reply.ts uses the same figure). */
const MESSAGE_OVERHEAD_BYTES = 256;

/** What the agent calls need from their room. */
export interface AgentsHost {
  storage: RoomStorage;
  document: RoomDocument;
  permissions: RoomPermissions;
  presence: AgentPresence;
  /** The chat history the room keeps (config room.chat). */
  chat: { maxMessages: number; maxChars: number };
  /** The room-creation limit, for a write that may create the room: null when allowed, else the 429. */
  admitCreation(caller: RoomCaller): Promise<RoomRefusal | null>;
  /** Resolves once the room may be used (restored from its backup first when its storage is empty). */
  ready?(room: string): Promise<void>;
}

/**
 * CodeRoom's `agentChange` and `agentPresence`.
 * @example const result = await agents.change(caller, { key: "token:abc", name: "Claude (MCP)" }, { kind: "edit", file: "index.tsx", search: "Hi", replace: "Hello" });
 */
export class RoomAgents {
  #host: AgentsHost;

  constructor(host: AgentsHost) {
    this.#host = host;
  }

  /** Apply `change` for `agent`; a missing search text, file or bad name is refused and nothing changes. */
  change(caller: RoomCaller, agent: AgentInfo, change: AgentChange): Promise<RoomResult<AgentChanged>> {
    return this.#run(caller, async () => {
      const creates = change.kind === "write";
      const denied = (creates ? null : this.#missing()) ?? this.#denial(caller.identity, "edit");
      if (denied) return denied;
      const bad = agentProblem(agent) ?? changeProblem(change);
      if (bad) return refuse(400, bad);
      if (!this.#host.storage.exists) {
        const limited = await this.#host.admitCreation(caller);
        if (limited) return limited;
        // The permissions may have changed during that await: check again, with no await from here to the write.
        const overtaken = this.#denial(caller.identity, "edit");
        if (overtaken) return overtaken;
      }
      return this.#apply(caller, agent, change);
    });
  }

  /**
   * The agent is in the room (any of its calls): show it in the room's awareness, at `file` when given. A room nobody wrote
   * to yet may have an agent present (a write_file is about to create it): presence stores nothing, like a socket's.
   */
  presence(caller: RoomCaller, agent: AgentInfo, file?: string): Promise<RoomResult<{ present: true }>> {
    return this.#run(caller, () => {
      const denied = this.#denial(caller.identity, "read");
      if (denied) return denied;
      const bad = agentProblem(agent) ?? (file !== undefined && !isValidFileName(file) ? `"${String(file).slice(0, 140)}" is not a valid file name` : null);
      if (bad) return refuse(400, bad);
      this.#host.presence.touch(agent, file);
      return done({ present: true as const });
    });
  }

  /** The change itself: checked against the document, then one transaction for the files and the chat message. */
  #apply(caller: RoomCaller, agent: AgentInfo, change: AgentChange): RoomResult<AgentChanged> {
    const { document } = this.#host;
    const doc = document.doc();
    const files = filesOf(doc);
    const existing = files.get(change.file);
    const text = existing instanceof Y.Text ? existing : undefined;
    if (change.kind !== "write" && !text) return refuse(404, `no file "${change.file}" in this room`);
    let edit: ParsedEdit | null = null;
    if (change.kind === "write") edit = { kind: "file", file: change.file, content: change.text };
    if (change.kind === "edit") {
      if (!locate(text!.toString(), change.search, change.replace)) return refuse(409, `search text not found in ${change.file}`);
      edit = { kind: "replace", file: change.file, search: change.search, replace: change.replace };
    }
    const added = change.kind === "write" ? change.text.length : change.kind === "edit" ? change.replace.length + change.search.length : 0;
    // The new text, the undo copy in the chat (the old and new spans), and the message's own structure.
    const growth = 3 * added + MESSAGE_OVERHEAD_BYTES + agent.name.length;
    if (added > 0 && !document.fits(growth)) return refuse(413, "this change would pass the room's size limit; delete something first");

    const origin = { agent: agent.key };
    const verb = change.kind === "delete" ? "deleted" : !text ? "created" : "changed";
    let applied: AppliedEdit | undefined;
    let message = "";
    if (trimChat(doc, this.#host.chat, { incoming: 1, incomingChars: change.file.length + 16 }, origin) > 0) document.compact();
    document.created(caller.identity?.userId ?? null, () => {
      doc.transact(() => {
        if (edit) {
          applied = applyAssistantEdits(doc, [edit], origin)[0];
        } else {
          applied = { file: change.file, before: text!.toString(), after: "", deleted: true };
          files.delete(change.file);
        }
        const undo = applied ? [compactEdit(applied)] : [];
        message = appendAgentMessage(doc, { author: agent.name, text: `${verb} ${change.file}`, edits: undo }, origin);
      }, origin);
    });
    // The cursor goes to the end of what changed (a deleted file has none).
    const now = files.get(change.file);
    const compacted = applied ? compactEdit(applied) : undefined;
    const caret = now instanceof Y.Text && compacted ? caretIn(now, (compacted.at ?? 0) + compacted.after.length) : null;
    this.#host.presence.touch(agent, change.file, caret);
    return done({
      file: change.file,
      message,
      ...(verb === "created" ? { created: true as const } : {}),
      ...(verb === "deleted" ? { deleted: true as const } : {}),
    });
  }

  /** Run one call for `caller`'s room: the room learns its name; a change it could not store is a retryable 503. */
  async #run<T>(caller: RoomCaller, work: () => RoomResult<T> | Promise<RoomResult<T>>): Promise<RoomResult<T>> {
    this.#host.storage.roomName = caller.room;
    try {
      await this.#host.ready?.(caller.room);
      return await work();
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      return refuse(503, error.message);
    }
  }

  #missing(): RoomRefusal | null {
    if (this.#host.storage.exists) return null;
    return refuse(404, `no room "${this.#host.storage.roomName ?? ""}": nothing was ever written to it`);
  }

  #denial(identity: Identity | null, need: "read" | "edit"): RoomRefusal | null {
    return httpDenial(this.#host.permissions.roleOf(identity?.userId ?? null), need, identity);
  }
}

/** What is wrong with an agent's name or key (the MCP route builds them; the room checks them anyway), or null. */
function agentProblem(agent: AgentInfo): string | null {
  if (typeof agent?.key !== "string" || agent.key.length === 0 || agent.key.length > AGENT_LIMITS.keyLength) return "the agent's key is missing or too long";
  if (typeof agent.name !== "string" || !agent.name.trim() || agent.name.length > AGENT_LIMITS.nameLength) {
    return `the agent's name must be 1-${AGENT_LIMITS.nameLength} characters`;
  }
  return null;
}

/** What is wrong with a change before the document is looked at, or null. */
function changeProblem(change: AgentChange): string | null {
  const file = (change as { file?: unknown })?.file;
  if (typeof file !== "string" || !isValidFileName(file)) return `"${String(file).slice(0, 140)}" is not a valid file name`;
  switch (change.kind) {
    case "write":
      return typeof change.text === "string" ? null : "a write needs the file's text";
    case "edit":
      if (typeof change.search !== "string" || typeof change.replace !== "string") return "an edit needs search and replace texts";
      return change.search.trim() ? null : `the search text for ${file} is empty: say which text to replace`;
    case "delete":
      return null;
    default:
      return `unknown change kind ${JSON.stringify((change as { kind?: unknown }).kind)}: write, edit or delete`;
  }
}
