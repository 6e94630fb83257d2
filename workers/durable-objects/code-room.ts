/**
 * CodeRoom: one collaborative project per Durable Object. Speaks the y-websocket protocol over hibernatable WebSockets (the
 * one request that comes through `fetch`), persists every accepted update to SQLite before it is broadcast
 * (room-document.ts), compacts the log in an alarm, and answers the Worker's typed calls (room-api.ts: files, session,
 * chat, permissions) through the same Yjs path as the editors (room-calls.ts). Who may open and edit it is decided by its
 * permissions (room-permissions.ts) for every call and every write; sockets authenticate in-band (room-socket-auth.ts). A
 * room that was never written to stores nothing: reads of it are 404s, and its first write records who created it
 * (room-claim.ts).
 */
import { DurableObject } from "cloudflare:workers";
import * as Y from "yjs";
import { CloseCode, ProtocolError, encodeAwareness, encodeSyncStep1, type Message, type RoomLimits } from "../../core/protocol.js";
import type { Identity } from "../platform/auth.js";
import { CLIENT_IP_HEADER, REQUEST_ID_HEADER, identityOf, ipKey } from "../platform/caller.js";
import { readConfig, type Config } from "../platform/config.js";
import type { Env } from "../platform/env.js";
import { configureLog, logError } from "../platform/log.js";
import { METRIC, countMetric } from "../platform/metrics.js";
import { rateLimitMessage } from "../platform/rate-limit.js";
import { AwarenessRelay, AwarenessTooLargeError } from "./awareness-relay.js";
import { errorContext, type ObjectErrorContext } from "./object-errors.js";
import type { RoomCaller, RoomResult } from "./room-api.js";
import type * as Api from "./room-api.js";
import { AgentPresence } from "./room-agent-presence.js";
import { RoomAgents } from "./room-agents.js";
import { RoomAssetCalls } from "./room-asset-calls.js";
import type { AssetSource, AssetUpload } from "./room-assets.js";
import { RoomCalls } from "./room-calls.js";
import { RoomChat } from "./room-chat.js";
import { RoomClaim } from "./room-claim.js";
import { CreationLimit } from "./room-creation.js";
import { admitGeneration } from "./room-generate.js";
import { RoomForks, type ForkSeed } from "./room-fork.js";
import { RoomDocument, RoomLimitError, StorageError } from "./room-document.js";
import { SocketFrameLimiter } from "./room-frame-limits.js";
import { RoomPeers } from "./room-peers.js";
import { RoomPermissions } from "./room-permissions.js";
import { RoomSockets } from "./room-sockets.js";
import { SealedRoom, encryptedRefusal } from "./room-sealed.js";
import { SealedStore } from "./room-sealed-store.js";
import { RoomSync } from "./room-sync.js";
import { RoomStorage } from "./room-storage.js";
import { connectRefusal, crowding, isSpikeClient } from "./room-connect.js";
import { RoomConnections } from "./socket-attachment.js";
import { refreshSettings } from "../platform/runtime-config.js";
import { httpDenial } from "./room-access.js";
import { RoomBackups } from "./room-backups.js";
import { RoomVersionCalls, type VersionRequest } from "./room-version-calls.js";
import { RoomVersions } from "./room-versions.js";
import { RoomAgentTokens } from "./room-agent-tokens.js";
import { RoomConsole } from "./room-console.js";
import type { ConsoleAppended, ConsoleCleared, ConsoleEntry, ConsoleLog } from "../../core/api.js";
import type { RestoreUndone, Version, VersionList, VersionRestored } from "../../core/api.js";

/** Header the main Worker uses to tell the room its name. */
export const ROOM_HEADER = "x-spike-room";

export class CodeRoom extends DurableObject<Env> {
  #config: Config;
  #storage: RoomStorage;
  #limits: RoomLimits;
  #document: RoomDocument;
  #calls: RoomCalls;
  #assets: RoomAssetCalls;
  #sync: RoomSync;
  #awareness: AwarenessRelay;
  #permissions: RoomPermissions;
  #sockets: RoomSockets;
  #frames: SocketFrameLimiter;
  #creation: CreationLimit;
  #forks: RoomForks;
  #versions: RoomVersionCalls;
  #backups: RoomBackups;
  #agentTokens: RoomAgentTokens;
  #agents: RoomAgents;
  #presence: AgentPresence;
  #console: RoomConsole;
  #peers: RoomPeers;
  /** End-to-end encrypted rooms (room-sealed.ts): their sockets' frames, and the 409 of their plaintext calls. */
  #sealed: SealedRoom;
  /** The alarm changes in flight, in order. */
  #alarms: Promise<void> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#config = readConfig(env);
    configureLog(this.#config.logLevel);
    this.#storage = new RoomStorage(ctx.storage);
    this.#permissions = new RoomPermissions(ctx.storage.sql, () => this.#storage.create());
    const claim = new RoomClaim(this.#storage);
    this.#creation = new CreationLimit(env, this.#storage);
    this.#limits = this.#config.room.limits;
    const connections = new RoomConnections();
    this.#awareness = new AwarenessRelay(() => this.ctx.getWebSockets(), connections, this.#limits.maxAwarenessBytes);
    this.#frames = new SocketFrameLimiter(this.#config.room.frames);
    this.#document = new RoomDocument(this.#storage, claim, this.#limits, {
      broadcast: (frame) => this.#sockets.broadcast(frame),
      committed: () => this.ctx.storage.sync(),
      lost: (error) => this.#lost(error),
      scheduleAlarm: (at) => this.#scheduleAlarm(at),
      loaded: () => countMetric(this.env, METRIC.roomsLoaded),
      wrote: () => {
        this.#versions.edited();
        this.#backups.edited();
      },
    });
    this.#backups = new RoomBackups({
      bucket: env.ROOMS,
      storage: this.#storage,
      permissions: this.#permissions,
      intervalMs: this.#config.versions.backupIntervalMs,
      doc: () => this.#document.doc(),
      compact: () => this.#document.compact(),
      reload: () => this.#document.reload(),
      scheduleAlarm: (at) => this.#scheduleAlarm(at),
    });
    this.#versions = new RoomVersionCalls({
      versions: new RoomVersions({ bucket: env.ROOMS, doc: () => this.#document.doc(), fits: (growth) => this.#document.fits(growth) }),
      storage: this.#storage,
      config: this.#config,
      fits: (growth) => this.#document.fits(growth),
      denial: (identity, need) => httpDenial(this.#permissions.roleOf(identity?.userId ?? null), need, identity),
      ready: (room) => this.#backups.ready(room),
      scheduleAlarm: (at) => this.#scheduleAlarm(at),
    });
    this.#console = new RoomConsole({
      sql: ctx.storage.sql,
      storage: this.#storage,
      denial: (identity, need) => httpDenial(this.#permissions.roleOf(identity?.userId ?? null), need, identity),
      ready: (room) => this.#backups.ready(room),
    });
    this.#calls = new RoomCalls({
      config: this.#config,
      storage: this.#storage,
      document: this.#document,
      permissions: this.#permissions,
      claim: claim,
      chat: new RoomChat(ctx, env, this.#document, this.#limits.maxDocumentBytes),
      admitCreation: (caller) => this.#creation.admit(caller),
      regrant: () => this.#sockets.regrant(),
      ready: (room) => this.#backups.ready(room),
    });
    this.#assets = new RoomAssetCalls({
      config: this.#config,
      storage: this.#storage,
      document: this.#document,
      permissions: this.#permissions,
      bucket: env.ROOMS,
      admitCreation: (caller) => this.#creation.admit(caller),
    });
    this.#forks = new RoomForks({
      storage: this.#storage,
      document: this.#document,
      permissions: this.#permissions,
      versions: env.ROOMS,
      admitCreation: (caller) => this.#creation.admit(caller),
      ready: (room) => this.#backups.ready(room),
    });
    this.#agentTokens = new RoomAgentTokens({
      sql: ctx.storage.sql,
      storage: this.#storage,
      permissions: this.#permissions,
      ready: (room) => this.#backups.ready(room),
    });
    this.#sockets = new RoomSockets({
      ctx,
      env,
      permissions: this.#permissions,
      connections,
      awareness: this.#awareness,
      frames: this.#frames,
      limits: this.#limits,
      room: {
        greet: (ws) => this.#greet(ws),
        handle: (ws, message) => this.#handle(ws, message),
        wakeBy: (at) => this.#scheduleAlarm(at),
        name: () => this.#storage.roomName,
        left: (ws) => this.#sealed.left(ws),
      },
    });
    this.#sealed = new SealedRoom({
      store: new SealedStore(ctx.storage),
      connections,
      frames: this.#frames,
      limits: this.#limits,
      sockets: this.#sockets,
      all: () => this.ctx.getWebSockets(),
      plaintextContent: () => this.#storage.exists && (this.#document.doc(), this.#storage.state().version > 0),
      created: (creator, write) => this.#document.created(creator, () => (this.#storage.create(), write())),
      room: () => this.#storage.roomName,
    });
    this.#presence = new AgentPresence({
      awareness: this.#awareness,
      broadcast: (frame) => this.#sockets.broadcast(frame),
      wakeBy: (at) => this.#scheduleAlarm(at),
      lingerMs: this.#config.agents.presenceMs,
      sql: ctx.storage.sql,
      exists: () => this.#storage.exists,
    });
    this.#agents = new RoomAgents({
      storage: this.#storage,
      document: this.#document,
      permissions: this.#permissions,
      presence: this.#presence,
      chat: this.#config.room.chat,
      admitCreation: (caller) => this.#creation.admit(caller),
      ready: (room) => this.#backups.ready(room),
    });
    this.#peers = new RoomPeers({
      config: this.#config.peers,
      connections,
      awareness: this.#awareness,
      sockets: this.#sockets,
      // An end-to-end encrypted room offers no peer-to-peer.
      encrypted: () => this.#sealed.encrypted,
      room: () => this.#storage.roomName,
    });
    this.#sync = new RoomSync({
      document: this.#document,
      frames: this.#frames,
      awareness: this.#awareness,
      peers: this.#peers,
      sockets: this.#sockets,
      all: () => this.ctx.getWebSockets(),
      room: () => this.#storage.roomName,
    });
  }

  /** True when the room is end-to-end encrypted: no peer-to-peer config, and its plaintext calls answer 409. */
  get encrypted(): boolean {
    return this.#sealed.encrypted;
  }

  // ---- platform entry points -------------------------------------------------------------------------------------

  /** The WebSocket upgrade from the Worker (workers/main/live-routes.ts), the one request that is not a typed call. */
  override async fetch(request: Request): Promise<Response> {
    // A socket's token is checked here against ALLOWED_ORIGINS, which the runtime settings may set.
    await refreshSettings(this.env);
    const room = request.headers.get(ROOM_HEADER);
    if (room) this.#storage.roomName = room;
    try {
      if (room) await this.#backups.ready(room);
      return await this.#connect(request, identityOf(request));
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      return Response.json({ error: error.message }, { status: 503 });
    }
  }

  // ---- the Worker's typed calls (workers/main/live-routes.ts; shapes in room-api.ts) ---------------------------------

  /** `GET /live/<room>/session.json`: every file, the entry, the version, and `forkedFrom` for a fork. */
  session(caller: RoomCaller): Promise<RoomResult<Api.RoomSession>> {
    return this.#plain(caller, async () => this.#forks.withOrigin(await this.#calls.session(caller)));
  }

  /** `GET /live/<room>/index.tsx`: the entry file. */
  readEntry(caller: RoomCaller): Promise<RoomResult<Api.FileText>> {
    return this.#plain(caller, () => this.#calls.readEntry(caller));
  }

  /** `GET /live/<room>/files/<name>` (a name the Worker checked). */
  readFile(caller: RoomCaller, name: string): Promise<RoomResult<Api.FileText>> {
    return this.#plain(caller, () => this.#calls.readFile(caller, name));
  }

  /** `PUT /live/<room>/files/<name>`: replace the file's text through the editors' write path. */
  writeFile(caller: RoomCaller, name: string, body: Api.Parsed<Api.FileBody>): Promise<RoomResult<Api.FileWritten>> {
    return this.#plain(caller, () => this.#calls.writeFile(caller, name, body));
  }

  /** `GET /live/<room>/chat` */
  chat(caller: RoomCaller): Promise<RoomResult<Api.ChatList>> {
    return this.#plain(caller, () => this.#calls.chat(caller));
  }

  /** `POST /live/<room>/chat`: ask; the reply streams into the room's chat, which its sockets see. */
  ask(caller: RoomCaller, question: Api.Parsed<Api.Question>): Promise<RoomResult<Api.ChatAccepted>> {
    return this.#plain(caller, () => this.#calls.ask(caller, question));
  }

  /** `DELETE /live/<room>/chat` */
  clearChat(caller: RoomCaller): Promise<RoomResult<Api.ChatCleared>> {
    return this.#plain(caller, () => this.#calls.clearChat(caller));
  }

  /** `POST /live/<room>/chat/<id>/cancel` */
  cancelReply(caller: RoomCaller, id: string): Promise<RoomResult<Api.ChatCancelled>> {
    return this.#plain(caller, () => this.#calls.cancelReply(caller, id));
  }

  /** `POST /live/<room>/chat/<id>/undo` */
  undoReply(caller: RoomCaller, id: string): Promise<RoomResult<Api.ChatUndone>> {
    return this.#plain(caller, () => this.#calls.undoReply(caller, id));
  }

  /** `GET /live/<room>/permissions` */
  permissions(caller: RoomCaller): Promise<RoomResult<Api.PermissionsAnswer>> {
    return this.#calls.permissions(caller);
  }

  /** `PUT /live/<room>/permissions`: claim the room, or change it as its owner. */
  setPermissions(caller: RoomCaller, change: Api.Parsed<Api.PermissionsChange>): Promise<RoomResult<Api.PermissionsAnswer>> {
    return this.#calls.setPermissions(caller, change);
  }

  // ---- forks (room-fork.ts) ----

  /** `POST /live/<room>/fork`, on the template: what the fork starts from (the files now, or saved version `version`). */
  forkSource(caller: RoomCaller, version: number | null): Promise<RoomResult<ForkSeed>> {
    return this.#plain(caller, () => this.#forks.source(caller, version));
  }

  /** `POST /live/<room>/fork`, on the new room: become a fork of `seed`, under the room-creation limit. */
  createFork(caller: RoomCaller, seed: ForkSeed): Promise<RoomResult<Api.ForkCreated>> {
    return this.#forks.create(caller, seed);
  }

  // ---- versions (room-version-calls.ts; README "Versions") ----------------------------------------------------------

  /** `POST /live/<room>/versions`: save the live files as the room's next version. */
  saveVersion(caller: RoomCaller, body: Api.Parsed<VersionRequest>): Promise<RoomResult<Version>> {
    return this.#plain(caller, () => this.#versions.save(caller, body));
  }

  /** `GET /live/<room>/versions`, newest first. */
  versions(caller: RoomCaller): Promise<RoomResult<VersionList>> {
    return this.#plain(caller, () => this.#versions.list(caller));
  }

  /** `GET /live/<room>/versions/<n>` and the pinned `/live/<room>/v/<n>/…` reads. */
  version(caller: RoomCaller, n: number): Promise<RoomResult<Version>> {
    return this.#plain(caller, () => this.#versions.read(caller, n));
  }

  /** `POST /live/<room>/versions/<n>/restore`: one collaborative transaction on the live document. */
  restoreVersion(caller: RoomCaller, n: number): Promise<RoomResult<VersionRestored>> {
    return this.#plain(caller, () => this.#versions.restore(caller, n));
  }

  /** `POST /live/<room>/restores/<id>/undo` */
  undoRestore(caller: RoomCaller, id: string): Promise<RoomResult<RestoreUndone>> {
    return this.#plain(caller, () => this.#versions.undo(caller, id));
  }

  // ---- assets (room-asset-calls.ts; README "Assets") ---------------------------------------------------------------

  /**
   * `PUT /live/<room>/assets/<name>`: store an image or font the Worker checked (workers/main/asset-routes.ts storeAsset,
   * which other routes call too) in R2 by hash, and record it on the doc.
   */
  putAsset(caller: RoomCaller, name: string, upload: Api.Parsed<AssetUpload>): Promise<RoomResult<Api.AssetStored>> {
    return this.#plain(caller, () => this.#assets.store(caller, name, upload));
  }

  /** `GET /live/<room>/assets` */
  assets(caller: RoomCaller): Promise<RoomResult<Api.AssetList>> {
    return this.#plain(caller, () => this.#assets.list(caller));
  }

  /** `GET /live/<room>/assets/<name>[?v=<hash>]`: which bytes the Worker serves from R2. */
  asset(caller: RoomCaller, name: string, hash: string | null): Promise<RoomResult<AssetSource>> {
    return this.#plain(caller, () => this.#assets.read(caller, name, hash));
  }

  /** `DELETE /live/<room>/assets/<name>` */
  deleteAsset(caller: RoomCaller, name: string): Promise<RoomResult<Api.AssetDeleted>> {
    return this.#plain(caller, () => this.#assets.delete(caller, name));
  }

  // ---- console (room-console.ts; README "Preview console") ---------------------------------------------------------

  /** `GET /live/<room>/console?since=<time>`: the preview console's entries newer than `since` (read permission). */
  consoleLog(caller: RoomCaller, since: number): Promise<RoomResult<ConsoleLog>> {
    return this.#plain(caller, () => this.#console.read(caller, since));
  }

  /** `POST /live/<room>/console`: a preview's batch of console entries (read permission: every preview reports). */
  appendConsole(caller: RoomCaller, entries: Api.Parsed<ConsoleEntry[]>): Promise<RoomResult<ConsoleAppended>> {
    return this.#plain(caller, () => this.#console.append(caller, entries));
  }

  /** `DELETE /live/<room>/console`: forget the log (edit permission). */
  clearConsole(caller: RoomCaller): Promise<RoomResult<ConsoleCleared>> {
    return this.#plain(caller, () => this.#console.clear(caller));
  }

  // ---- image generation (room-generate.ts; README "Image generation") -----------------------------------------------

  /** `POST /live/<room>/assets/generate`, before Replicate is called: may the caller edit this room (room-generate.ts). */
  async admitGeneration(caller: RoomCaller): Promise<RoomResult<{ admitted: true }>> {
    if (this.#sealed.encrypted) return this.#plain(caller, async () => encryptedRefusal());
    this.#storage.roomName = caller.room;
    return admitGeneration({ permissions: this.#permissions }, caller);
  }

  // ---- agent tokens (room-agent-tokens.ts; README "Agent tokens") ---------------------------------------------------

  /** `POST /live/<room>/agent-tokens`: a token for an AI agent, scoped to this room and to read or edit; shown once. */
  createAgentToken(caller: RoomCaller, request: Api.Parsed<Api.AgentTokenRequest>): Promise<RoomResult<Api.AgentTokenCreated>> {
    return this.#agentTokens.create(caller, request);
  }

  /** `GET /live/<room>/agent-tokens`: the live tokens (never a token or its hash). */
  agentTokens(caller: RoomCaller): Promise<RoomResult<Api.AgentTokenList>> {
    return this.#agentTokens.list(caller);
  }

  /** `DELETE /live/<room>/agent-tokens/<id>` */
  revokeAgentToken(caller: RoomCaller, id: string): Promise<RoomResult<Api.AgentTokenRevoked>> {
    return this.#agentTokens.revoke(caller, id);
  }

  /** The `/mcp` route's check of an agent token (by its SHA-256 hex): the identity it acts as, or 401. */
  agentIdentity(caller: RoomCaller, hash: string): Promise<RoomResult<Api.AgentIdentity>> {
    return this.#agentTokens.identity(caller, hash);
  }

  // ---- agents (room-agents.ts; README "MCP") ----------------------------------------------------------------------

  /** An agent's write, edit or delete (MCP write_file, edit_file, delete_file): one Yjs transaction, undoable from the chat. */
  agentChange(caller: RoomCaller, agent: Api.AgentInfo, change: Api.AgentChange): Promise<RoomResult<Api.AgentChanged>> {
    return this.#plain(caller, () => this.#agents.change(caller, agent, change));
  }

  /** The agent is working in the room: it shows in the room's awareness until AGENT_PRESENCE_SECONDS after its last call. */
  agentPresence(caller: RoomCaller, agent: Api.AgentInfo, file?: string): Promise<RoomResult<{ present: true }>> {
    return this.#plain(caller, () => this.#agents.presence(caller, agent, file));
  }

  override webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): Promise<void> {
    return this.#sockets.receive(ws, message);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.#sockets.closed(ws, code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#sockets.errored(ws);
  }

  /**
   * Compaction, and the sockets' deadlines: a private room's socket that did not authenticate in time, tokens that ran out,
   * sockets that never sent a frame.
   */
  override async alarm(): Promise<void> {
    if (this.#storage.wantsCompaction) this.#document.compact();
    const next = this.#sockets.enforceDeadlines();
    if (next !== null) this.#scheduleAlarm(next);
    const agents = this.#presence.alarm();
    if (agents !== null) this.#scheduleAlarm(agents);
    // Versions and backups go to R2 (awaited); each says when it wants the alarm again.
    for (const later of [await this.#backups.alarm(), await this.#versions.alarm()]) if (later !== null) this.#scheduleAlarm(later);
  }

  /** The room and request of a call that threw, for its error report (object-errors.ts): never its body or headers. */
  [errorContext](_method: string, [first]: unknown[]): ObjectErrorContext {
    if (first instanceof Request) return { room: this.#storage.roomName, requestId: first.headers.get(REQUEST_ID_HEADER) };
    const caller = first as Partial<RoomCaller> | undefined;
    return {
      room: typeof caller?.room === "string" ? caller.room : this.#storage.roomName,
      requestId: typeof caller?.requestId === "string" ? caller.requestId : null,
    };
  }

  // ---- steps -------------------------------------------------------------------------------------------------------

  async #connect(request: Request, identity: Identity | null): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return Response.json({ error: "expected a WebSocket upgrade" }, { status: 426 });
    }
    const refuse = connectRefusal(request);
    const ip = ipKey(request.headers.get(CLIENT_IP_HEADER));
    const crowded = crowding(this.ctx, ip, this.#limits);
    if (crowded) return refuse(CloseCode.RoomFull, crowded.reason, crowded.status, 10);
    const retryAfter = await this.#takeCreation(request, identity);
    if (retryAfter !== null) return refuse(CloseCode.RateLimited, rateLimitMessage(this.env, "create", retryAfter), 429, retryAfter);
    // Decided only now, with no await between the decision and the accept: the permissions may have changed during the
    // one above (a room turned private while a non-member's connect waited for its creation check gets 4403, nothing else).
    const now = Date.now();
    const opening = this.#sockets.open(identity, now);
    const e2e = new URL(request.url).searchParams.get("e2e") === "1";
    // Refused before the upgrade is answered (a socket closed during its accept would linger); a waiting socket learns it once admitted.
    const sealed = opening.outcome === "admitted" ? this.#sealed.refusal(e2e) : null;
    if (sealed) return refuse(sealed.code, sealed.reason);
    switch (opening.outcome) {
      case "refused":
        return refuse(opening.code, opening.reason);
      case "admitted":
      case "waiting":
        return this.#sockets.accept(opening, ip, identity, now, { spike: isSpikeClient(request), e2e });
      default:
        return opening satisfies never;
    }
  }

  /** What a socket receives once it is in: the room's state vector, the peer-to-peer offer (room-peers.ts), everyone's presence. */
  #greet(ws: WebSocket): void {
    if (this.#sealed.greet(ws)) return; // an e2e socket, or a plaintext one on an encrypted room
    ws.send(encodeSyncStep1(Y.encodeStateVector(this.#document.doc())));
    this.#peers.greet(ws);
    const awareness = this.#awareness.everyone(this.ctx.getWebSockets().filter((other) => other !== ws && this.#sockets.admitted(other)));
    if (awareness) ws.send(encodeAwareness(awareness));
  }

  /**
   * Run a call that needs the room's contents: an end-to-end encrypted room has none to give, and answers 409
   * (room-sealed.ts), or to a caller who may not read it, the denial it would get anyway.
   */
  #plain<T>(caller: RoomCaller, call: () => Promise<RoomResult<T>>): Promise<RoomResult<T>> {
    if (!this.#sealed.encrypted) return call();
    return Promise.resolve(httpDenial(this.#permissions.roleOf(caller.identity?.userId ?? null), "read", caller.identity) ?? encryptedRefusal());
  }

  /** Handle one decoded frame of an admitted socket; a bad frame closes that socket only. */
  #handle(ws: WebSocket, message: Message): void {
    try {
      if (!this.#sealed.handle(ws, message)) this.#sync.receive(ws, message);
    } catch (error) {
      this.#fail(ws, error);
    }
  }

  #fail(ws: WebSocket, error: unknown): void {
    if (error instanceof RoomLimitError) return this.#reject(ws, CloseCode.DocumentTooLarge, error.message);
    // Its writers' sockets were closed by #lost; this one, if it is not among them, got no answer: it closes too.
    if (error instanceof StorageError) return this.#lost(new StorageError([ws]));
    if (error instanceof AwarenessTooLargeError) return this.#reject(ws, CloseCode.FrameTooLarge, error.message);
    if (error instanceof ProtocolError) return this.#reject(ws, CloseCode.InvalidFrame, error.message);
    this.#document.reload(); // Yjs threw while applying an update it had decoded: reload what is stored
    this.#reject(ws, CloseCode.InvalidFrame, "malformed Yjs update");
  }

  /**
   * Changes could not be stored. Not their clients' fault, and no edit is lost: each is still in its client's doc, and the
   * next sync after a reconnect carries it.
   */
  #lost(error: StorageError): void {
    for (const origin of new Set(error.origins)) {
      if (!(origin instanceof WebSocket) || origin.readyState !== WebSocket.OPEN) continue;
      this.#reject(origin, CloseCode.InternalError, "the room could not store this change; reconnect to retry");
    }
  }

  /** Make sure the alarm runs by `at` (one alarm serves compaction and authentication deadlines). */
  #scheduleAlarm(at: number): void {
    // One at a time: two calls reading the same alarm at once would let the later time overwrite the earlier one.
    this.#alarms = this.#alarms
      .then(async () => {
        const current = await this.ctx.storage.getAlarm();
        if (current === null || current > at) await this.ctx.storage.setAlarm(at);
      })
      .catch((error: unknown) => logError(error, { type: "room", event: "alarm_failed", room: this.#storage.roomName }));
  }

  #reject(ws: WebSocket, code: CloseCode, reason: string): void {
    this.#sockets.close(ws, code, reason);
  }

  /** The room-creation limit for a connect (room-creation.ts): null when allowed, else the seconds to wait. */
  #takeCreation(request: Request, identity: Identity | null): Promise<number | null> {
    return this.#creation.take(request.headers.get(CLIENT_IP_HEADER), identity?.userId);
  }
}
